/**
 * `enswitch validate`: the report (text, JSON, SARIF), the policies with a `--policy-pack-config` file,
 * `--remote` against the simulator, and the exit codes of the built command.
 */
import { spawn } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { EnswitchClient } from "../../provider/enswitch/client";
import { closeAgents } from "../../provider/enswitch/pool";
import { startSimulator, Simulator } from "../../provider/simulator";
import { renderReport, validateFiles } from "../../provider/cli/validate";
import { toSarif, type ValidationFinding, type ValidationReport } from "../../provider/cli/validation-report";

const REPO = path.join(__dirname, "..", "..");
const CLI = path.join(REPO, "dist", "cli", "main.js");

let dir: string;
let sim: Simulator;

function write(relative: string, text: string): string {
  const file = path.join(dir, relative);
  fs.mkdirSync(path.dirname(file), { recursive: true });
  fs.writeFileSync(file, text);
  return file;
}

/** Runs the built command. Asynchronous: the simulator it may call lives in this process. */
function cli(
  args: string[],
  env: Record<string, string> = {},
): Promise<{ status: number | null; stdout: string; stderr: string }> {
  const clean: NodeJS.ProcessEnv = {};
  for (const [k, v] of Object.entries(process.env)) if (!k.startsWith("ENSWITCH_")) clean[k] = v;
  const child = spawn(process.execPath, [CLI, ...args], { cwd: dir, env: { ...clean, ...env } });
  let stdout = "";
  let stderr = "";
  child.stdout.on("data", (d: Buffer) => (stdout += d.toString()));
  child.stderr.on("data", (d: Buffer) => (stderr += d.toString()));
  return new Promise((resolve) => child.once("close", (status) => resolve({ status, stdout, stderr })));
}

const GOOD = [
  "customer: 1",
  "defaults:",
  "  owner: 101",
  "  timezone: Europe/London",
  "mailboxes:",
  '  - mailbox: "1001"',
  "    description: Sales",
  '  - mailbox: "1002"',
  "    description: Support",
  "",
].join("\n");

// Lines 6 and 12: owner 0 (the owner policy's business, without notifications that need an owner);
// line 8: a schema error.
const MIXED = [
  "customer: 1",
  "mailboxes:",
  '  - mailbox: "2001"',
  "    description: Reception",
  "    timezone: Europe/London",
  "    owner: 0",
  '    notifyEmail: ""',
  "    play: loudest",
  '  - mailbox: "2002"',
  "    description: Lobby",
  "    timezone: Europe/London",
  "    owner: 0",
  '    notifyEmail: ""',
  "",
].join("\n");

beforeAll(async () => {
  sim = await startSimulator({ port: 0 });
});

afterAll(async () => {
  await closeAgents();
  await sim?.close();
});

beforeEach(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), "enswitch-validate-"));
});
afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

const SEVERITIES = ["error", "warning", "note"];
const SOURCES = ["file", "policy", "remote"];

/** The documented shape of `--format json` (ValidationReport, version 1), checked key by key. */
function expectReportShape(value: unknown): asserts value is ValidationReport {
  const report = value as Record<string, unknown>;
  expect(Object.keys(report).sort()).toEqual(
    ["findings", "files", "mailboxes", "ok", "policies", "remote", "summary", "version"].sort(),
  );
  expect(report.version).toBe(1);
  expect(typeof report.ok).toBe("boolean");
  expect(Array.isArray(report.files) && report.files.every((f) => typeof f === "string")).toBe(true);
  expect(Number.isInteger(report.mailboxes)).toBe(true);
  expect(typeof report.policies).toBe("boolean");
  expect(report.remote === null || Number.isInteger((report.remote as { checked: unknown }).checked)).toBe(
    true,
  );
  expect(Object.keys(report.summary as object).sort()).toEqual(["error", "note", "warning"]);
  const findings = report.findings as Record<string, unknown>[];
  for (const f of findings) {
    expect(typeof f.rule).toBe("string");
    expect(f.rule).toMatch(/^(enswitch\/(yaml|structure|field|pin|duplicate|remote)|policy\/[a-z0-9-]+)$/);
    expect(SOURCES).toContain(f.source);
    expect(SEVERITIES).toContain(f.severity);
    expect(typeof f.file).toBe("string");
    expect(Number.isInteger(f.line) && (f.line as number) >= 1).toBe(true);
    expect(Number.isInteger(f.column) && (f.column as number) >= 1).toBe(true);
    expect(typeof f.message).toBe("string");
    const allowed = [
      "rule",
      "source",
      "severity",
      "file",
      "line",
      "column",
      "message",
      "field",
      "valid",
      "customer",
      "mailbox",
      "resource",
      "enforcementLevel",
      "related",
    ];
    for (const key of Object.keys(f)) expect(allowed).toContain(key);
  }
  const counts = { error: 0, warning: 0, note: 0 } as Record<string, number>;
  for (const f of findings) counts[f.severity as string]!++;
  expect(report.summary).toEqual(counts);
  expect(report.ok).toBe(counts.error === 0);
}

function at(f: ValidationFinding): string {
  return `${path.basename(f.file)}:${f.line}:${f.column} ${f.rule} ${f.severity}`;
}

describe("validateFiles", () => {
  it("passes clean files: no findings, ok", async () => {
    write("a.yaml", GOOD);
    const report = await validateFiles([dir]);
    expectReportShape(JSON.parse(renderReport(report, "json")));
    expect(report).toMatchObject({ ok: true, mailboxes: 2, policies: true, remote: null, findings: [] });
  });

  it("reports schema errors and policy violations together, each at its line and column", async () => {
    write("m.yaml", MIXED);
    const report = await validateFiles([dir], {
      policyConfig: { "enswitch-mailbox-owner-required": { enforcementLevel: "mandatory" } },
    });
    expectReportShape(JSON.parse(renderReport(report, "json")));
    // 2001 has a schema error, so only 2002 reaches the policies; its owner 0 is at line 12.
    expect(report.findings.map(at)).toEqual([
      "m.yaml:8:11 enswitch/field error",
      "m.yaml:12:12 policy/enswitch-mailbox-owner-required error",
    ]);
    expect(report.findings[1]).toMatchObject({
      field: "owner",
      customer: 1,
      mailbox: "2002",
      resource: "c1-mb2002",
      enforcementLevel: "mandatory",
    });
    expect(report.ok).toBe(false);
  });

  it("takes enforcement levels from the policy config: advisory is a warning and does not fail", async () => {
    write("m.yaml", MIXED.replace("    play: loudest\n", ""));
    const report = await validateFiles([dir], {
      policyConfig: { "enswitch-mailbox-owner-required": { enforcementLevel: "advisory" } },
    });
    expect(report.findings.map(at)).toEqual([
      "m.yaml:6:12 policy/enswitch-mailbox-owner-required warning",
      "m.yaml:11:12 policy/enswitch-mailbox-owner-required warning",
    ]);
    expect(report.ok).toBe(true);
  });

  it("skips the policies when asked", async () => {
    write("m.yaml", MIXED.replace("    play: loudest\n", ""));
    const report = await validateFiles([dir], {
      policies: false,
      policyConfig: { "enswitch-mailbox-owner-required": { enforcementLevel: "mandatory" } },
    });
    expect(report).toMatchObject({ ok: true, policies: false, findings: [] });
  });

  it("prints text with one line per finding and a summary", async () => {
    write("m.yaml", MIXED);
    const text = renderReport(await validateFiles([dir], { policies: false }), "text");
    expect(text).toBe(
      `${path.join(dir, "m.yaml")}:8:11: error play: must be one of "oldest", "newest" [enswitch/field]\n` +
        "1 error, 0 warnings in 1 file (1 mailbox; checked: schema)\n",
    );
  });
});

describe("SARIF 2.1.0", () => {
  it("has the 2.1.0 structure: one run, a driver with the rules used, results with file, line and column", async () => {
    write("sub/m.yaml", MIXED);
    const report = await validateFiles([dir], {
      policyConfig: { "enswitch-mailbox-owner-required": { enforcementLevel: "mandatory" } },
    });
    const sarif = JSON.parse(JSON.stringify(toSarif(report, dir)));
    expect(sarif.version).toBe("2.1.0");
    expect(sarif.$schema).toMatch(/sarif-2\.1\.0/);
    expect(sarif.runs).toHaveLength(1);
    const run = sarif.runs[0];
    expect(run.tool.driver.name).toBe("enswitch-validate");
    const ruleIds = run.tool.driver.rules.map((r: { id: string }) => r.id);
    expect(ruleIds).toEqual(["enswitch/field", "policy/enswitch-mailbox-owner-required"]);
    for (const rule of run.tool.driver.rules) expect(typeof rule.shortDescription.text).toBe("string");
    expect(run.originalUriBaseIds["%SRCROOT%"].uri).toMatch(/^file:\/\/.*\/$/);
    expect(run.results).toHaveLength(2);
    for (const result of run.results) {
      expect(["error", "warning", "note"]).toContain(result.level);
      expect(ruleIds[result.ruleIndex]).toBe(result.ruleId);
      expect(typeof result.message.text).toBe("string");
      const loc = result.locations[0].physicalLocation;
      expect(loc.artifactLocation).toEqual({ uri: "sub/m.yaml", uriBaseId: "%SRCROOT%" });
      expect(Number.isInteger(loc.region.startLine)).toBe(true);
      expect(Number.isInteger(loc.region.startColumn)).toBe(true);
    }
    expect(run.results[0].locations[0].physicalLocation.region).toEqual({ startLine: 8, startColumn: 11 });
    expect(run.results[1]).toMatchObject({
      level: "error",
      properties: { field: "owner", mailbox: "2002", enforcementLevel: "mandatory" },
    });
  });
});

describe("--remote against the simulator", () => {
  const client = () => new EnswitchClient({ url: sim.url, username: "admin", password: "admin" });

  it("catches what the local schema cannot know: a copyPin naming no mailbox of the customer", async () => {
    // 4999 is a valid mailbox number for the schema; only the switch knows it has no such mailbox.
    const file = write(
      "a.yaml",
      'customer: 1\ndefaults:\n  timezone: Europe/London\nmailboxes:\n  - mailbox: "4001"\n    description: x\n    copyPin: "4999"\n',
    );
    const local = await validateFiles([file], { policies: false });
    expect(local.findings).toEqual([]);
    const remote = await validateFiles([file], { policies: false, remote: client() });
    expect(remote.remote).toEqual({ checked: 1 });
    expect(remote.findings.map(at)).toEqual(["a.yaml:7:14 enswitch/remote error"]);
    expect(remote.findings[0]!.field).toBe("copyPin");
    expect(remote.findings[0]!.message).toMatch(/no mailbox 4999 in customer 1/);
    expect(remote.ok).toBe(false);
  });

  it("notes the mailboxes of another connection with that connection's flags, never an empty name", async () => {
    write("eu.yaml", 'customer: 1\nconnection: eu\nmailboxes:\n  - mailbox: "4200"\n');
    write("main.yaml", 'customer: 1\nmailboxes:\n  - mailbox: "4201"\n');
    const files = [path.join(dir, "eu.yaml"), path.join(dir, "main.yaml")];
    const notes = async (connection?: string) =>
      (await validateFiles(files, { policies: false, remote: client(), connection })).findings
        .filter((f) => f.severity === "note")
        .map((f) => f.message);
    expect(await notes()).toEqual([
      "not checked on the switch: it belongs to connection eu; run validate --remote --connection eu with that switch's credentials",
    ]);
    expect(await notes("eu")).toEqual([
      "not checked on the switch: it belongs to the default switch; run validate --remote without --connection with that switch's credentials",
    ]);
  });

  it("checks a mailbox that exists as an update, changes nothing, and sends no PIN for it", async () => {
    sim.store.putMailbox(1, { mailbox: "4100", owner: 101, description: "old", pin: "583920" });
    const file = write(
      "a.yaml",
      'customer: 1\nmailboxes:\n  - mailbox: "4100"\n    owner: 102\n  - mailbox: "4101"\n',
    );
    sim.resetLog();
    const report = await validateFiles([file], { policies: false, remote: client() });
    expect(report.findings).toEqual([]);
    const writes = sim.requests.filter((r) => r.fn !== "mailboxes/list");
    expect(writes.map((r) => [r.fn, r.params.mailbox, r.params.validation])).toEqual(
      expect.arrayContaining([
        ["mailboxes/update", "4100", "1"],
        ["mailboxes/create", "4101", "1"],
      ]),
    );
    expect(writes).toHaveLength(2);
    expect(writes.find((r) => r.fn === "mailboxes/update")!.params).not.toHaveProperty("pin");
    expect(sim.store.getMailbox(1, "4100")).toMatchObject({ owner: 101, description: "old" });
    expect(sim.store.getMailbox(1, "4101")).toBeUndefined();
  });

  it("accepts copyPin from a mailbox the same files create", async () => {
    const file = write(
      "a.yaml",
      'customer: 1\nmailboxes:\n  - mailbox: "4200"\n  - mailbox: "4201"\n    copyPin: "4200"\n',
    );
    const report = await validateFiles([file], { policies: false, remote: client() });
    expect(report.findings).toEqual([]);
  });
});

describe("the built command's exit codes", () => {
  it("0 for clean files", async () => {
    write("a.yaml", GOOD);
    const run = await cli(["validate", "."]);
    expect(run.stderr).toBe("");
    expect(run.status).toBe(0);
  });

  it("1 for a schema error, with --format json printing the report", async () => {
    write("m.yaml", MIXED);
    const run = await cli(["validate", "m.yaml", "--format", "json", "--no-policies"]);
    expect(run.status).toBe(1);
    const report = JSON.parse(run.stdout);
    expectReportShape(report);
    expect(report.findings.map(at)).toEqual(["m.yaml:8:11 enswitch/field error"]);
  });

  it("1 for a mandatory policy violation from --policy-pack-config, 0 when the same policy is advisory", async () => {
    write("m.yaml", MIXED.replace("    play: loudest\n", ""));
    write(
      "mandatory.json",
      JSON.stringify({ "enswitch-mailbox-owner-required": { enforcementLevel: "mandatory" } }),
    );
    write("advisory.json", JSON.stringify({ "enswitch-mailbox-owner-required": "advisory" }));
    expect((await cli(["validate", "m.yaml", "--policy-pack-config", "mandatory.json"])).status).toBe(1);
    const advisory = await cli([
      "validate",
      "m.yaml",
      "--policy-pack-config",
      "advisory.json",
      "--format",
      "sarif",
    ]);
    expect(advisory.status).toBe(0);
    const run = JSON.parse(advisory.stdout).runs[0];
    expect(run.results).toHaveLength(2);
    expect(run.tool.driver.rules[0].shortDescription.text).toMatch(/owner/i); // the policy's own description
  });

  it("1 with a clear message for a missing path or an unusable policy config", async () => {
    const missing = await cli(["validate", "nope/"]);
    expect(missing.status).toBe(1);
    expect(missing.stderr).toMatch(/nope\/: no such file or directory/);
    write("a.yaml", GOOD);
    write("bad.json", JSON.stringify({ "no-such-policy": "mandatory" }));
    const bad = await cli(["validate", "a.yaml", "--policy-pack-config", "bad.json"]);
    expect(bad.status).toBe(1);
    expect(bad.stderr).toMatch(/no-such-policy/);
  });

  it("1 for --remote without credentials in the environment, naming the variables and no value", async () => {
    write("a.yaml", GOOD);
    const run = await cli(["validate", "a.yaml", "--remote"], {
      ENSWITCH_URL: sim.url,
      ENSWITCH_PASSWORD: "s3cret-x",
    });
    expect(run.status).toBe(1);
    expect(run.stderr).toMatch(/the switch is not configured: --username or ENSWITCH_USERNAME not set/);
    expect(run.stderr).toContain("--username <login> (or ENSWITCH_USERNAME=<login>)");
    expect(run.stderr + run.stdout).not.toContain("s3cret-x");
  });

  it("1 for a setting the provider would refuse too, in the CLI's own words: 0 or more, the valid versions", async () => {
    write("a.yaml", GOOD);
    const run = await cli(["validate", "a.yaml", "--remote", "--retries", "-1"], {
      ENSWITCH_URL: sim.url,
      ENSWITCH_USERNAME: "admin",
      ENSWITCH_PASSWORD: "s3cret-x",
      ENSWITCH_VERSION: "banana",
    });
    expect(run.status).toBe(1);
    expect(run.stderr).toContain("--retries or ENSWITCH_RETRIES must be a whole number, 0 or more");
    expect(run.stderr).toContain(
      "--enswitch-version or ENSWITCH_VERSION must be one of 3.13, 3.14, 4.0, 4.1, 4.2, 4.3, 4.4",
    );
    expect(run.stderr).not.toMatch(/enswitch:[a-zA-Z]/);
    expect(run.stderr + run.stdout).not.toContain("s3cret-x");
  });

  it("takes the provider's settings as flags: --timeout-ms, --max-concurrency, --allow-insecure-http", async () => {
    write("a.yaml", GOOD);
    const flags = ["--timeout-ms", "5000", "--max-concurrency", "2", "--retries", "0", "--no-policies"];
    const run = await cli(["validate", "a.yaml", "--remote", ...flags], {
      ENSWITCH_URL: sim.url,
      ENSWITCH_USERNAME: "admin",
      ENSWITCH_PASSWORD: "admin",
    });
    expect(run.stderr).toBe("");
    expect(run.status).toBe(0);
    // A remote switch over plain http is refused with a hint the CLI can follow
    const insecure = await cli(["validate", "a.yaml", "--remote", "--url", "http://192.0.2.1/api/json/"], {
      ENSWITCH_USERNAME: "admin",
      ENSWITCH_PASSWORD: "admin",
    });
    expect(insecure.status).toBe(1);
    expect(insecure.stderr).toContain("--allow-insecure-http or ENSWITCH_ALLOW_INSECURE_HTTP=true");
    expect(insecure.stderr).not.toMatch(/enswitch:[a-zA-Z]/);
  });

  it("with --dry-run-updates false, never sends an update dry run to a switch that would carry it out", async () => {
    const acting = await startSimulator({ updateValidation: false });
    try {
      acting.store.putMailbox(1, { mailbox: "4400", description: "old", pin: "583920" });
      write("a.yaml", 'customer: 1\nmailboxes:\n  - mailbox: "4400"\n    description: new\n');
      const env = { ENSWITCH_URL: acting.url, ENSWITCH_USERNAME: "admin", ENSWITCH_PASSWORD: "admin" };
      const refused = await cli(["validate", "a.yaml", "--remote", "--no-policies"], env);
      // The switch acted on the "dry run": the command says so and names the flag to set.
      expect(refused.status).toBe(1);
      expect(refused.stderr).toMatch(/may have carried the call out.*--dry-run-updates/s);
      acting.store.putMailbox(1, { mailbox: "4400", description: "old" });
      acting.resetLog();
      const skipped = await cli(
        ["validate", "a.yaml", "--remote", "--no-policies", "--dry-run-updates", "false"],
        env,
      );
      expect(skipped.status).toBe(0);
      expect(acting.requests.map((r) => r.fn)).toEqual(["mailboxes/list"]);
      expect(acting.store.getMailbox(1, "4400")).toMatchObject({ description: "old" });
    } finally {
      await acting.close();
    }
  });

  it("1 for --remote when the switch rejects a mailbox", async () => {
    write("a.yaml", 'customer: 1\nmailboxes:\n  - mailbox: "4300"\n    copyPin: "4999"\n');
    const run = await cli(["validate", "a.yaml", "--remote", "--no-policies"], {
      ENSWITCH_URL: sim.url,
      ENSWITCH_USERNAME: "admin",
      ENSWITCH_PASSWORD: "admin",
    });
    expect(run.status).toBe(1);
    expect(run.stdout).toMatch(/a\.yaml:4:14: error copyPin: the switch rejects it/);
  });
});
