import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { MailboxFilesNotFoundError } from "../../provider/definitions/discover";
import { loadDefinitions, parseDefinitions, requireDefinitions } from "../../provider/definitions/load";
import { DefinitionProblem, DefinitionsError, formatProblem } from "../../provider/definitions/problem";

/** The problems as `line:column field kind` strings: what every test below pins down exactly. */
function where(problems: DefinitionProblem[]): string[] {
  return problems.map((p) => `${p.line}:${p.column} ${p.field} ${p.kind}`);
}

function only(text: string): DefinitionProblem {
  const { problems } = parseDefinitions(text, "f.yaml");
  expect(problems).toHaveLength(1);
  return problems[0]!;
}

describe("a valid file", () => {
  const text = [
    "customer: 1",
    "defaults:",
    "  owner: 101",
    "  timezone: Europe/London",
    "mailboxes:",
    '  - mailbox: "1001"',
    "    description: Sales",
    "  - mailbox: 0102",
    "    owner: 102",
    '    copyPin: "1001"',
    "    adopt: true",
  ].join("\n");
  const { mailboxes, problems } = parseDefinitions(text, "f.yaml");

  it("has no problems and one definition per entry, in order", () => {
    expect(problems).toEqual([]);
    expect(mailboxes.map((m) => m.resourceName)).toEqual(["c1-mb1001", "c1-mb0102"]);
  });

  it("merges defaults under the entry's own values and keeps what was written apart from schema defaults", () => {
    expect(mailboxes[0]!.declared).toEqual({
      customer: 1,
      mailbox: "1001",
      owner: 101,
      timezone: "Europe/London",
      description: "Sales",
    });
    expect(mailboxes[1]!.declared.owner).toBe(102);
    expect(mailboxes[0]!.fields.notifyEmail).toBe("owner_wav");
  });

  it("never carries a PIN, not even the stand-in used to satisfy the schema", () => {
    for (const m of mailboxes) {
      expect(m.fields).not.toHaveProperty("pin");
      expect(m.declared).not.toHaveProperty("pin");
    }
  });

  it("keeps a mailbox number YAML would read as a number exactly as written (leading zero)", () => {
    expect(mailboxes[1]!.mailbox).toBe("0102");
    expect(mailboxes[1]!.fields.mailbox).toBe("0102");
  });

  it("reads adopt per entry", () => {
    expect(mailboxes.map((m) => m.adopt)).toEqual([false, true]);
  });

  it("records where each field was written", () => {
    expect(mailboxes[1]!.fieldLocations.owner).toEqual({ file: "f.yaml", line: 9, column: 12 });
    expect(mailboxes[0]!.fieldLocations.owner).toEqual({ file: "f.yaml", line: 3, column: 10 });
    expect(mailboxes[0]!.location).toEqual({ file: "f.yaml", line: 6, column: 5 });
  });
});

describe("each kind of mistake is reported at its exact file:line:column", () => {
  it("YAML syntax: an unclosed flow sequence", () => {
    const p = only("customer: 1\nmailboxes: [\n");
    expect(p.kind).toBe("yaml");
    expect(`${p.line}:${p.column}`).toBe("3:1");
    expect(formatProblem(p)).toMatch(/^f\.yaml:3:1: /);
  });

  it("YAML syntax: a key repeated within one entry", () => {
    const p = only('customer: 1\nmailboxes:\n  - mailbox: "1"\n    mailbox: "2"\n');
    expect([p.kind, p.line, p.column]).toEqual(["yaml", 4, 5]);
    expect(p.message).toBe("the key mailbox appears twice in this mapping: keep one");
  });

  it("an empty file", () => {
    const p = only("# nothing here\n");
    expect([p.kind, p.line, p.column]).toEqual(["structure", 1, 1]);
    expect(p.message).toMatch(/empty/);
  });

  it("a document that is not a mapping", () => {
    const p = only("- mailbox: 1\n");
    expect([p.kind, p.line, p.column, p.message]).toEqual([
      "structure",
      1,
      1,
      "expected a mapping with the keys customer, connection, defaults, mailboxes",
    ]);
  });

  it("a missing customer, at the start of the document", () => {
    const p = only('\n\nmailboxes:\n  - mailbox: "1"\n');
    expect([p.kind, p.field, p.line, p.column]).toEqual(["structure", "customer", 3, 1]);
  });

  it("an invalid customer, at its value, with the schema's reason", () => {
    const p = only('customer: 1.5\nmailboxes:\n  - mailbox: "1"\n');
    expect([p.field, p.line, p.column]).toEqual(["customer", 1, 11]);
    expect(p.message).toBe("must be a whole number");
  });

  it("an unknown top-level key, with the valid keys and a hint for mailbox fields", () => {
    const p = only('customer: 1\nowner: 101\nmailboxes:\n  - mailbox: "1"\n');
    expect([p.kind, p.field, p.line, p.column]).toEqual(["structure", "owner", 2, 1]);
    expect(p.message).toMatch(/defaults or mailboxes/);
    expect(p.valid).toBe("customer, connection, defaults, mailboxes");
  });

  it("mailboxes that is not a list", () => {
    const p = only('customer: 1\nmailboxes:\n  mailbox: "1"\n');
    expect([p.field, p.line, p.column]).toEqual(["mailboxes", 3, 3]);
  });

  it("a missing mailboxes key", () => {
    expect(where(parseDefinitions("customer: 1\n", "f.yaml").problems)).toEqual(["1:1 mailboxes structure"]);
  });

  it("a list entry that is not a mapping", () => {
    const p = only('customer: 1\nmailboxes:\n  - "1001"\n');
    expect([p.field, p.line, p.column]).toEqual(["mailboxes", 3, 5]);
  });

  it("an entry without a mailbox number, at the entry", () => {
    const p = only("customer: 1\nmailboxes:\n  - description: x\n");
    expect([p.kind, p.field, p.line, p.column]).toEqual(["field", "mailbox", 3, 5]);
    expect(p.message).toMatch(/is required/);
  });

  it("an empty mailbox number, at its value, with what is valid", () => {
    const p = only('customer: 1\nmailboxes:\n  - mailbox: ""\n');
    expect([p.field, p.line, p.column]).toEqual(["mailbox", 3, 14]);
    expect(p.message).toMatch(/is required/);
    expect(p.valid).toMatch(/text/);
  });

  it("a value outside an enumeration, listing the valid values", () => {
    const p = only('customer: 1\nmailboxes:\n  - mailbox: "1"\n    notifyEmail: always\n');
    expect([p.field, p.line, p.column]).toEqual(["notifyEmail", 4, 18]);
    expect(p.message).toBe('must be one of "owner", "owner_wav", ""');
    expect(p.customer).toBe(1);
    expect(p.mailbox).toBe("1");
  });

  it("a wrong type: a string where a boolean goes", () => {
    const p = only('customer: 1\nmailboxes:\n  - mailbox: "1"\n    panel: "yes"\n');
    expect([p.field, p.line, p.column, p.message]).toEqual(["panel", 4, 12, "must be true or false"]);
  });

  it("an invalid time zone", () => {
    const p = only('customer: 1\nmailboxes:\n  - mailbox: "1"\n    timezone: Mars/Olympus\n');
    expect([p.field, p.line, p.column]).toEqual(["timezone", 4, 15]);
    expect(p.message).toMatch(/IANA/);
  });

  it("a field that does not exist, at its key, suggesting the right name", () => {
    const p = only('customer: 1\nmailboxes:\n  - mailbox: "1"\n    notify_email: owner\n');
    expect([p.kind, p.field, p.line, p.column]).toEqual(["field", "notify_email", 4, 5]);
    expect(p.message).toBe("is not a mailbox field; did you mean notifyEmail?");
    expect(p.valid).toContain("notifyEmail");
  });

  it("a PIN, in an entry or in defaults, explaining the alternatives", () => {
    const { problems } = parseDefinitions(
      'customer: 1\ndefaults:\n  pin: "1111"\nmailboxes:\n  - mailbox: "1"\n    pin: "2468"\n',
      "f.yaml",
    );
    expect(where(problems)).toEqual(["3:3 pin pin", "6:5 pin pin"]);
    expect(problems[0]!.message).toMatch(/enswitch:pins/);
    expect(problems[0]!.message).toMatch(/copyPin/);
    expect(problems[0]!.message).toMatch(/enswitch:pinSeed/);
    expect(JSON.stringify(problems)).not.toMatch(/2468|1111/);
  });

  it("customer or connection inside an entry", () => {
    const { problems } = parseDefinitions(
      'customer: 1\nmailboxes:\n  - mailbox: "1"\n    customer: 2\n    connection: eu\n',
      "f.yaml",
    );
    expect(where(problems)).toEqual(["4:5 customer structure", "5:5 connection structure"]);
  });

  it("a mailbox number in defaults", () => {
    const p = only('customer: 1\ndefaults:\n  mailbox: "1"\nmailboxes: []\n');
    expect([p.field, p.line, p.column]).toEqual(["mailbox", 3, 3]);
  });

  it("a bad default is reported once, at the default, however many mailboxes use it", () => {
    const { problems, mailboxes } = parseDefinitions(
      'customer: 1\ndefaults:\n  play: random\nmailboxes:\n  - mailbox: "1"\n  - mailbox: "2"\n',
      "f.yaml",
    );
    expect(where(problems)).toEqual(["3:9 play field"]);
    expect(mailboxes).toHaveLength(2);
  });

  it("an invalid connection name", () => {
    const p = only('customer: 1\nconnection: "a b"\nmailboxes: []\n');
    expect([p.field, p.line, p.column]).toEqual(["connection", 2, 13]);
  });

  it("reports every mistake of a file, not only the first, sorted by location", () => {
    const { problems } = parseDefinitions(
      'customer: 1\nmailboxes:\n  - mailbox: "1"\n    play: random\n  - mailbox: ""\n    envelope: 3\n',
      "f.yaml",
    );
    expect(where(problems)).toEqual(["4:11 play field", "5:14 mailbox field", "6:15 envelope field"]);
  });
});

describe("YAML anchors and aliases", () => {
  it("take an alias (*a) as the value of its anchor (&a), a number YAML would read as text kept as written", () => {
    const { mailboxes, problems } = parseDefinitions(
      [
        "customer: 1",
        "mailboxes:",
        '  - mailbox: "1001"',
        "    dnumber: &desk 0123",
        "    owner: &boss 101",
        "    description: &team Sales team",
        '  - mailbox: "1002"',
        "    dnumber: *desk",
        "    owner: *boss",
        "    description: *team",
      ].join("\n"),
      "f.yaml",
    );
    expect(problems).toEqual([]);
    expect(mailboxes[1]!.declared).toMatchObject({ dnumber: "0123", owner: 101, description: "Sales team" });
    expect(mailboxes[1]!.declared).toEqual({ ...mailboxes[0]!.declared, mailbox: "1002" });
    // The value's location is where the alias is written.
    expect(mailboxes[1]!.fieldLocations.dnumber).toMatchObject({ line: 8, column: 14 });
  });

  it("resolve an aliased list entry to its mapping (here: the same mailbox twice)", () => {
    const { mailboxes, problems } = parseDefinitions(
      [
        "customer: 1",
        "defaults: { owner: &o 9 }",
        "mailboxes:",
        '  - &m { mailbox: "1", owner: *o }',
        "  - *m",
      ].join("\n"),
      "f.yaml",
    );
    expect(mailboxes).toEqual([]);
    expect(problems.map((p) => `${p.kind} ${p.field} ${p.line}`)).toEqual([
      "duplicate mailbox 4",
      "duplicate mailbox 4",
    ]);
  });

  it("report an alias with no anchor before it, at the alias, once", () => {
    const p = only('customer: 1\nmailboxes:\n  - mailbox: "1"\n    description: *nowhere\n');
    expect([p.kind, p.line, p.column]).toEqual(["yaml", 4, 18]);
    expect(p.message).toBe("the alias *nowhere has no anchor &nowhere before it in this document");
  });
});

describe("schema rules depend on the Enswitch version", () => {
  const text = 'customer: 1\nmailboxes:\n  - mailbox: "1"\n    notifyFor: all\n';
  it("3.x rejects notifyFor: all, 4.x accepts it", () => {
    expect(where(parseDefinitions(text, "f.yaml").problems)).toEqual(["4:16 notifyFor field"]);
    expect(parseDefinitions(text, "f.yaml", { enswitchVersion: "4.4" }).problems).toEqual([]);
  });
});

describe("several documents and files", () => {
  let dir: string;
  beforeEach(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), "enswitch-defs-"));
  });
  afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

  function write(relative: string, text: string): string {
    const file = path.join(dir, relative);
    fs.mkdirSync(path.dirname(file), { recursive: true });
    fs.writeFileSync(file, text);
    return file;
  }

  it("reads every document of a file, each with its own customer", () => {
    const { mailboxes } = parseDefinitions(
      'customer: 1\nmailboxes:\n  - mailbox: "1"\n---\ncustomer: 2\nmailboxes:\n  - mailbox: "1"\n',
      "f.yaml",
    );
    expect(mailboxes.map((m) => m.resourceName)).toEqual(["c1-mb1", "c2-mb1"]);
  });

  it("reports a mailbox declared in two files at both places, and keeps neither", () => {
    const a = write("a.yaml", 'customer: 1\nmailboxes:\n  - mailbox: "1"\n  - mailbox: "2"\n');
    const b = write("sub/b.yaml", 'customer: 1\nmailboxes:\n\n  - mailbox: "3"\n  - mailbox: "1"\n');
    const result = loadDefinitions([dir]);
    expect(result.files).toEqual([a, b]);
    expect(result.mailboxes.map((m) => m.resourceName)).toEqual(["c1-mb2", "c1-mb3"]);
    expect(result.problems.map((p) => `${p.file}:${p.line}:${p.column} ${p.kind}`)).toEqual([
      `${a}:3:14 duplicate`,
      `${b}:5:14 duplicate`,
    ]);
    expect(result.problems[0]!.related).toEqual([{ file: b, line: 5, column: 14 }]);
    expect(result.problems[1]!.related).toEqual([{ file: a, line: 3, column: 14 }]);
    expect(result.problems[0]!.message).toBe(
      `mailbox 1 of customer 1 is declared 2 times; also at ${b}:5:14`,
    );
  });

  it("does not call the same number in two customers, or on two connections, a duplicate", () => {
    write("a.yaml", 'customer: 1\nmailboxes:\n  - mailbox: "1"\n');
    write("b.yaml", 'customer: 2\nmailboxes:\n  - mailbox: "1"\n');
    write("c.yaml", 'customer: 1\nconnection: eu\nmailboxes:\n  - mailbox: "1"\n');
    const result = loadDefinitions(dir);
    expect(result.problems).toEqual([]);
    expect(result.mailboxes.map((m) => m.resourceName)).toEqual(["c1-mb1", "c2-mb1", "eu-c1-mb1"]);
  });

  it("gives the same resource names whatever the order of files and entries", () => {
    write("a.yaml", 'customer: 1\nmailboxes:\n  - mailbox: "1"\n  - mailbox: "2"\n');
    const before = loadDefinitions(dir).mailboxes.map((m) => m.resourceName);
    fs.rmSync(path.join(dir, "a.yaml"));
    write("z.yaml", 'customer: 1\nmailboxes:\n  - mailbox: "2"\n');
    write("b.yaml", 'customer: 1\nmailboxes:\n  - mailbox: "1"\n');
    const after = loadDefinitions(dir).mailboxes.map((m) => m.resourceName);
    expect([...after].sort()).toEqual([...before].sort());
  });

  it("ignores files that are not YAML and hidden folders when searching a directory", () => {
    write("a.yaml", 'customer: 1\nmailboxes:\n  - mailbox: "1"\n');
    write("README.md", "# not a mailbox file");
    write(".hidden/b.yaml", "not: valid: yaml: at all");
    expect(loadDefinitions(dir).files).toEqual([path.join(dir, "a.yaml")]);
  });

  it("refuses a missing path or a directory without mailbox files instead of passing on nothing", () => {
    expect(() => loadDefinitions(path.join(dir, "nope"))).toThrow(MailboxFilesNotFoundError);
    expect(() => loadDefinitions(dir)).toThrow(/no \.yaml or \.yml files/);
  });

  it("requireDefinitions throws one error listing every problem", () => {
    write("a.yaml", 'customer: 1\nmailboxes:\n  - mailbox: "1"\n    play: random\n    panel: 2\n');
    let error: unknown;
    try {
      requireDefinitions(dir);
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(DefinitionsError);
    const message = (error as Error).message;
    expect(message).toContain("mailbox files have 2 problems:");
    expect(message).toContain(`${path.join(dir, "a.yaml")}:4:11: play: must be one of "oldest", "newest"`);
    expect(message).toContain(`${path.join(dir, "a.yaml")}:5:12: panel: must be true or false`);
  });
});

describe("messages a user can act on", () => {
  let dir: string;
  beforeEach(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), "enswitch-encoding-"));
  });
  afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

  function loadBytes(bytes: Buffer): DefinitionProblem[] {
    fs.writeFileSync(path.join(dir, "m.yaml"), bytes);
    return loadDefinitions(dir).problems;
  }
  const good = 'customer: 1\nmailboxes:\n  - mailbox: "1001"\n    description: Sales\n';

  it("a file in UTF-16 (with or without byte order mark) is named as such at line 1, not read as mojibake", () => {
    for (const bytes of [
      Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(good, "utf16le")]),
      Buffer.from(good, "utf16le"),
    ]) {
      const problems = loadBytes(bytes);
      expect(where(problems)).toEqual(["1:1  yaml"]);
      expect(problems[0]!.message).toContain("UTF-16");
      expect(problems[0]!.message).toContain("not UTF-8");
    }
  });

  it("bytes that are not UTF-8 are reported at their line, and nothing of the file is loaded", () => {
    const latin1 = Buffer.from(good.replace("Sales", "Caf\u00e9"), "latin1");
    fs.writeFileSync(path.join(dir, "m.yaml"), latin1);
    const result = loadDefinitions(dir);
    expect(result.mailboxes).toEqual([]);
    expect(where(result.problems)).toEqual(["4:1  yaml"]);
    expect(formatProblem(result.problems[0]!)).toContain("m.yaml:4:1");
    expect(result.problems[0]!.message).toMatch(/^not UTF-8/);
    // The same text in UTF-8 (with a byte order mark, as some editors write it) loads.
    const utf8 = loadDefinitions(
      (fs.writeFileSync(path.join(dir, "m.yaml"), "\ufeff" + good.replace("Sales", "Café")), dir),
    );
    expect(utf8.problems).toEqual([]);
    expect(utf8.mailboxes[0]!.fields.description).toBe("Café");
  });

  it("a duplicate key names the key", () => {
    const problem = only('customer: 1\nmailboxes:\n  - mailbox: "1001"\n    owner: 1\n    owner: 2\n');
    expect(`${problem.line}:${problem.column}`).toBe("5:5");
    expect(problem.message).toBe("the key owner appears twice in this mapping: keep one");
  });

  it("deep nesting says so once, instead of a stack overflow", () => {
    const deep = "[".repeat(20000) + "]".repeat(20000);
    const { problems } = parseDefinitions(
      `customer: 1\nmailboxes:\n  - mailbox: "1001"\n    description: ${deep}\n`,
      "f.yaml",
    );
    expect(problems.length).toBeGreaterThanOrEqual(1);
    expect(problems[0]!.message).toContain("nesting too deep");
    expect(problems.map((p) => p.message).join("\n")).not.toMatch(/call stack/i);
  });
});
