/**
 * `enswitch drift` on a simulator where, after the files were deployed, one mailbox was changed, one
 * deleted and one added by hand: exactly those three are reported, PINs never.
 */
import { spawn } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { driftOfFiles, formatDrift } from "../../provider/cli/drift";
import { EnswitchClient } from "../../provider/enswitch/client";
import { closeAgents } from "../../provider/enswitch/pool";
import { loadDefinitions } from "../../provider/definitions/load";
import { toWire } from "../../provider/mailbox/wire";
import { startSimulator, Simulator } from "../../provider/simulator";

const CLI = path.join(__dirname, "..", "..", "dist", "cli", "main.js");
const FILE = [
  "customer: 1",
  "defaults:",
  "  owner: 101",
  "  timezone: Europe/London",
  "mailboxes:",
  '  - mailbox: "5001"',
  "    description: Sales",
  '  - mailbox: "5002"',
  "    description: Support",
  '  - mailbox: "5003"',
  "    description: Billing",
  "",
].join("\n");

let sim: Simulator;
let dir: string;
let file: string;

beforeAll(async () => {
  sim = await startSimulator({ port: 0 });
  dir = fs.mkdtempSync(path.join(os.tmpdir(), "enswitch-drift-"));
  file = path.join(dir, "sales.yaml");
  fs.writeFileSync(file, FILE);
  // Deployed as declared, with PINs, then changed behind the files' back.
  for (const m of loadDefinitions(file).mailboxes) {
    sim.store.putMailbox(1, { ...toWire(m.fields), pin: "582914", mailbox: m.mailbox });
  }
  sim.store.putMailbox(1, { mailbox: "5001", description: "Sales (temp)", pin: "771390" });
  sim.store.deleteMailbox(1, "5002");
  sim.store.putMailbox(1, { mailbox: "5099", description: "made by hand", pin: "660213" });
  sim.store.putMailbox(2, { mailbox: "5001", description: "another customer's" });
});

afterAll(async () => {
  await closeAgents();
  await sim?.close();
  fs.rmSync(dir, { recursive: true, force: true });
});

const client = () => new EnswitchClient({ url: sim.url, username: "admin", password: "admin" });

describe("driftOfFiles", () => {
  it("reports exactly the changed, the deleted and the hand-made mailbox; the rest is unchanged", async () => {
    const report = await driftOfFiles([file], client());
    expect(report.summary).toEqual({ create: 1, update: 1, unchanged: 1, unmanaged: 1 });
    expect(report.entries.map((e) => [e.status, e.resourceName])).toEqual([
      ["update", "c1-mb5001"],
      ["create", "c1-mb5002"],
      ["unchanged", "c1-mb5003"],
      ["unmanaged", "c1-mb5099"],
    ]);
    expect(report.entries[0]!.changes).toEqual([{ field: "description", old: "Sales (temp)", new: "Sales" }]);
    expect(report.entries[0]!.location).toEqual({ file, line: 6, column: 5 });
  });

  it("reads the switch only: no write, not even a validation", async () => {
    sim.resetLog();
    await driftOfFiles([file], client());
    expect(sim.requests.map((r) => r.fn)).toEqual(["mailboxes/list"]);
  });

  it("prints old → new per field, and a summary", async () => {
    const text = formatDrift(await driftOfFiles([file], client()));
    expect(text).toBe(
      [
        `update    c1-mb5001 (mailbox 5001 of customer 1) at ${file}:6:5`,
        '            description: "Sales (temp)" → "Sales"',
        `create    c1-mb5002 (mailbox 5002 of customer 1) at ${file}:8:5`,
        `unchanged c1-mb5003 (mailbox 5003 of customer 1) at ${file}:10:5`,
        "unmanaged c1-mb5099 (mailbox 5099 of customer 1): on the switch but in no file",
        "1 to create, 1 to update, 1 unchanged, 1 on the switch only",
        "",
      ].join("\n"),
    );
  });
});

describe("files of another connection", () => {
  it("are listed as skipped, with their connection and how to compare them, in text and JSON", async () => {
    const other = path.join(dir, "other", "eu.yaml");
    fs.mkdirSync(path.dirname(other), { recursive: true });
    fs.writeFileSync(
      other,
      'customer: 1\nconnection: eu\nmailboxes:\n  - mailbox: "7001"\n  - mailbox: "7002"\n',
    );
    try {
      const report = await driftOfFiles([file, other], client());
      expect(report.skipped).toEqual([{ file: other, connection: "eu", mailboxes: 2 }]);
      // 3 declared here + 1 hand-made; the 2 of eu are not counted anywhere but in skipped
      expect(report.entries).toHaveLength(4);
      expect(formatDrift(report)).toContain(
        `skipped   ${other}: 2 mailbox(es) of connection eu, not compared; run drift with --connection eu`,
      );
      const eu = await driftOfFiles([file, other], client(), { connection: "eu" });
      expect(eu.skipped).toEqual([{ file, connection: undefined, mailboxes: 3 }]);
      expect(formatDrift(eu)).toContain(
        "of the default switch, not compared; run drift without --connection",
      );
    } finally {
      fs.rmSync(path.dirname(other), { recursive: true, force: true });
    }
  });
});

describe("the built command", () => {
  function run(args: string[]): Promise<{ status: number | null; stdout: string; stderr: string }> {
    const env: NodeJS.ProcessEnv = {
      ...process.env,
      ENSWITCH_URL: sim.url,
      ENSWITCH_USERNAME: "admin",
      ENSWITCH_PASSWORD: "admin",
    };
    const child = spawn(process.execPath, [CLI, ...args], { env });
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (d: Buffer) => (stdout += d.toString()));
    child.stderr.on("data", (d: Buffer) => (stderr += d.toString()));
    return new Promise((resolve) => child.once("close", (status) => resolve({ status, stdout, stderr })));
  }

  it("prints JSON with the same entries and never a PIN", async () => {
    const result = await run(["drift", file, "--format", "json"]);
    expect(result.status).toBe(0);
    const report = JSON.parse(result.stdout);
    expect(report.version).toBe(1);
    expect(report.files).toEqual([file]);
    expect(report.entries.map((e: { status: string }) => e.status)).toEqual([
      "update",
      "create",
      "unchanged",
      "unmanaged",
    ]);
    expect(result.stdout).not.toMatch(/582914|771390|660213|"pin"/);
  });

  it("enswitch --version prints the package's version", async () => {
    const pkg = JSON.parse(fs.readFileSync(path.join(__dirname, "..", "..", "package.json"), "utf8"));
    const result = await run(["--version"]);
    expect(result.status).toBe(0);
    expect(result.stdout).toBe(`${pkg.version}\n`);
  });

  it("exits 3 with --fail-on-drift when anything would change", async () => {
    expect((await run(["drift", file, "--fail-on-drift"])).status).toBe(3);
  });
});
