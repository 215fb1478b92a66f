/**
 * `enswitch export`: the switch's mailboxes as files with `adopt: true` and no PINs, and the round
 * trip: export, then deploy the exported files through the engine stand-in and the real provider host,
 * changes nothing on the switch.
 */
import { spawn } from "node:child_process";
import * as fs from "node:fs";
import * as path from "node:path";
import { exportMailboxes } from "../../provider/cli/export";
import { EnswitchClient } from "../../provider/enswitch/client";
import { closeAgents } from "../../provider/enswitch/pool";
import { parseDefinitions } from "../../provider/definitions/load";
import { runProgram } from "../support/programRun";
import { REPO_ROOT } from "../support/repoPaths";
import { startTestbed, Testbed } from "../support/testbed";

const CLI = path.join(REPO_ROOT, "dist", "cli", "main.js");
const WRITES = new Set(["mailboxes/create", "mailboxes/update", "mailboxes/delete"]);
const PINS: Record<string, string> = { "0042": "583920", "1001": "730194", "1002": "904172" };

let bed: Testbed;

beforeAll(async () => {
  bed = await startTestbed({ name: "export-round-trip" });
  // Mailboxes made outside Pulumi, with settings away from the defaults, one without a time zone.
  bed.sim.store.putMailbox(1, {
    mailbox: "1001",
    pin: PINS["1001"],
    owner: 101,
    description: 'Sales: main line; "quoted" & #hash',
    timezone: "Europe/London",
    panel: 1,
    notify_for: "",
  });
  bed.sim.store.putMailbox(1, {
    mailbox: "1002",
    pin: PINS["1002"],
    owner: 102,
    timezone: "Europe/London",
    play: "newest",
  });
  bed.sim.store.putMailbox(1, {
    mailbox: "0042",
    pin: PINS["0042"],
    owner: 101,
    notify_email: "",
    saycid: 0,
  });
  bed.sim.store.putMailbox(2, { mailbox: "3001", pin: "118822", owner: 201 });
});

afterAll(async () => {
  await closeAgents();
  await bed?.close();
});

const client = () => new EnswitchClient({ url: bed.sim.url, username: "admin", password: "admin" });

describe("exportMailboxes", () => {
  it("writes one file per customer that loads without problems, adopts everything and holds no PIN", async () => {
    const files = await exportMailboxes(client(), { customers: [1] });
    expect(files.map((f) => [f.name, f.customer, f.mailboxes])).toEqual([["customer-1.yaml", 1, 3]]);
    const [file] = files;
    expect(file!.problems).toEqual([]);
    expect(file!.text).not.toMatch(/pin:|583920|730194|904172/);
    const { mailboxes, problems } = parseDefinitions(file!.text, "customer-1.yaml");
    expect(problems).toEqual([]);
    expect(mailboxes.map((m) => [m.resourceName, m.adopt])).toEqual([
      ["c1-mb0042", true],
      ["c1-mb1001", true],
      ["c1-mb1002", true],
    ]);
    expect(mailboxes[1]!.declared).toMatchObject({
      description: 'Sales: main line; "quoted" & #hash',
      panel: true,
      notifyFor: "",
    });
  });

  it("defaults to the login's own customer", async () => {
    const files = await exportMailboxes(client());
    expect(files.map((f) => f.customer)).toEqual([1]);
  });
});

describe("round trip through the real provider host", () => {
  it("export, then deploy the exported files with adopt: the switch does not change", async () => {
    const [file] = await exportMailboxes(client(), { customers: [1] });
    bed.project.writeFile("exported/customer-1.yaml", file!.text);
    bed.project.writeFile("index.js", fs.readFileSync(path.join(REPO_ROOT, "program", "index.js"), "utf8"));
    const before = bed.sim.store.listMailboxes(1);
    bed.sim.resetLog();

    // No enswitch:pinSeed: adopted mailboxes keep their PINs and need none.
    const run = await runProgram({
      project: bed.project,
      host: bed.host,
      config: { [`${bed.project.name}:mailboxDir`]: "exported" },
    });
    expect(run.programErrors).toEqual([]);
    expect(run.errors).toEqual([]);
    expect(run.steps.map((s) => s.op)).toEqual(["create", "create", "create"]);
    const writes = bed.sim.requests.filter((r) => WRITES.has(r.fn) && r.params.validation !== "1");
    expect(writes).toEqual([]);
    expect(bed.sim.store.listMailboxes(1)).toEqual(before);
    for (const [mailbox, pin] of Object.entries(PINS))
      expect(bed.sim.store.pinMatches(1, mailbox, pin)).toBe(true);

    // And Pulumi now manages them: the next run is a no-op too.
    const second = await runProgram({
      project: bed.project,
      host: bed.host,
      state: run.state,
      config: { [`${bed.project.name}:mailboxDir`]: "exported" },
    });
    expect(second.steps.map((s) => s.op)).toEqual(["same", "same", "same"]);
  });
});

describe("the built command", () => {
  function run(
    args: string[],
    cwd: string,
  ): Promise<{ status: number | null; stdout: string; stderr: string }> {
    const env = {
      ...process.env,
      ENSWITCH_URL: bed.sim.url,
      ENSWITCH_USERNAME: "admin2",
      ENSWITCH_PASSWORD: "admin2",
    };
    const child = spawn(process.execPath, [CLI, ...args], { env, cwd });
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (d: Buffer) => (stdout += d.toString()));
    child.stderr.on("data", (d: Buffer) => (stderr += d.toString()));
    return new Promise((resolve) => child.once("close", (status) => resolve({ status, stdout, stderr })));
  }

  it("writes customer-<N>.yaml into --out and refuses to overwrite it without --force", async () => {
    const out = path.join(bed.project.dir, "out");
    const first = await run(["export", "--customer", "2", "--out", out], bed.project.dir);
    expect(first.status).toBe(0);
    const text = fs.readFileSync(path.join(out, "customer-2.yaml"), "utf8");
    expect(text).toContain("customer: 2");
    expect(text).toContain('mailbox: "3001"');
    expect(text).not.toContain("118822");
    const again = await run(["export", "--customer", "2", "--out", out], bed.project.dir);
    expect(again.status).toBe(1);
    expect(again.stderr).toMatch(/exists; use --force/);
    expect((await run(["export", "--customer", "2", "--out", out, "--force"], bed.project.dir)).status).toBe(
      0,
    );
  });

  it("prints to stdout without --out", async () => {
    const result = await run(["export"], bed.project.dir);
    expect(result.status).toBe(0);
    expect(parseDefinitions(result.stdout, "stdout.yaml").mailboxes.map((m) => m.resourceName)).toEqual([
      "c2-mb3001",
    ]);
  });
});
