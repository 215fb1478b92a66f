/**
 * The root program (`Pulumi.yaml` → `program/index.js` → `deployMailboxFiles`) deploying the example
 * files of `examples/gitops/mailboxes` through the engine stand-in and the real provider host: every
 * mailbox created with the PIN its source says, a second run changes nothing, and moving entries
 * between files changes nothing either.
 */
import * as fs from "node:fs";
import * as path from "node:path";
import { derivePin } from "../../provider/definitions/pins";
import { ProgramRun, runProgram } from "../support/programRun";
import { ProviderHost } from "../support/providerHost";
import { REPO_ROOT } from "../support/repoPaths";
import { startTestbed, Testbed } from "../support/testbed";

const SEED = "a-test-seed-that-is-long-enough-0123456789";
const MAILBOX_TYPE = "pulumi-nodejs:dynamic/enswitch:Mailbox";
const WRITES = new Set(["mailboxes/create", "mailboxes/update", "mailboxes/delete"]);
const EXAMPLE_DIR = path.join(REPO_ROOT, "examples", "gitops", "mailboxes");

let bed: Testbed;
let host: ProviderHost;
let first: ProgramRun;

function writes(): string[] {
  return bed.sim.requests.filter((r) => WRITES.has(r.fn) && r.params.validation !== "1").map((r) => r.fn);
}

function copyExamples(target: string): void {
  fs.rmSync(target, { recursive: true, force: true });
  fs.cpSync(EXAMPLE_DIR, target, { recursive: true });
}

beforeAll(async () => {
  bed = await startTestbed({ name: "gitops-root" });
  // Customer 2's files name the connection profile "customer2", which logs in as admin2.
  host = await bed.startHost({
    ...bed.providerConfig,
    "enswitch:connections": JSON.stringify({
      customer2: { url: bed.sim.url, username: "admin2", password: "admin2" },
    }),
  });
  bed.project.writeFile("index.js", fs.readFileSync(path.join(REPO_ROOT, "program", "index.js"), "utf8"));
  copyExamples(path.join(bed.project.dir, "examples", "gitops", "mailboxes"));
  first = await runProgram({ project: bed.project, host, config: { "enswitch:pinSeed": SEED } });
});

afterAll(async () => {
  await bed?.close();
});

describe("the root program with the example files", () => {
  it("declares one Mailbox per entry, named from customer and mailbox number", () => {
    expect(first.programErrors).toEqual([]);
    expect(first.errors).toEqual([]);
    const names = first.registrations.filter((r) => r.type === MAILBOX_TYPE).map((r) => r.name);
    expect([...names].sort()).toEqual(
      [
        "c1-mb1001",
        "c1-mb1002",
        "c1-mb1003",
        "c1-mb2001",
        "c1-mb2002",
        "customer2-c2-mb3001",
        "customer2-c2-mb3002",
      ].sort(),
    );
  });

  it("creates them on the switch as the files say, in both customers", () => {
    expect(bed.sim.store.listMailboxes(1).map((r) => r.mailbox)).toEqual([
      "1001",
      "1002",
      "1003",
      "2001",
      "2002",
    ]);
    expect(bed.sim.store.listMailboxes(2).map((r) => r.mailbox)).toEqual(["3001", "3002"]);
    expect(bed.sim.store.getMailbox(1, "1002")).toMatchObject({
      owner: 102,
      play: "newest",
      description: "Sales - Bob",
    });
    expect(bed.sim.store.getMailbox(1, "2001")).toMatchObject({
      owner: 103,
      pager: "support-oncall@example.com",
      pager_attach: 1,
    });
    expect(bed.sim.store.getMailbox(2, "3002")).toMatchObject({
      owner: 202,
      notify_email: "owner",
      timezone: "America/New_York",
    });
  });

  it("gives each mailbox the PIN derived from the seed, and copyPin the PIN of its source", () => {
    const pin1001 = derivePin(SEED, { customer: 1, mailbox: "1001" });
    expect(bed.sim.store.pinMatches(1, "1001", pin1001)).toBe(true);
    expect(bed.sim.store.pinMatches(1, "1003", pin1001)).toBe(true);
    expect(
      bed.sim.store.pinMatches(
        2,
        "3001",
        derivePin(SEED, { connection: "customer2", customer: 2, mailbox: "3001" }),
      ),
    ).toBe(true);
  });

  it("deploys a copyPin mailbox written before its source: the source is declared first and is a dependency", async () => {
    const target = path.join(bed.project.dir, "copy-first");
    fs.mkdirSync(target, { recursive: true });
    fs.writeFileSync(
      path.join(target, "a.yaml"),
      'customer: 1\nmailboxes:\n  - mailbox: "7002"\n    copyPin: "7001"\n  - mailbox: "7001"\n',
    );
    const run = await runProgram({
      project: bed.project,
      host,
      config: { "enswitch:pinSeed": SEED, [`${bed.project.name}:mailboxDir`]: "copy-first" },
    });
    expect(run.errors).toEqual([]);
    expect(run.registrations.filter((r) => r.type === MAILBOX_TYPE).map((r) => r.name)).toEqual([
      "c1-mb7001",
      "c1-mb7002",
    ]);
    const pin = derivePin(SEED, { customer: 1, mailbox: "7001" });
    expect(bed.sim.store.pinMatches(1, "7002", pin)).toBe(true);
    bed.sim.store.deleteMailbox(1, "7001");
    bed.sim.store.deleteMailbox(1, "7002");
  });

  it("a second run with the first run's state changes nothing", async () => {
    bed.sim.resetLog();
    const second = await runProgram({
      project: bed.project,
      host,
      state: first.state,
      config: { "enswitch:pinSeed": SEED },
    });
    expect(second.errors).toEqual([]);
    expect(second.steps.every((s) => s.op === "same")).toBe(true);
    expect(writes()).toEqual([]);
  });

  it("moving entries between files and reordering them changes nothing", async () => {
    const dir = path.join(bed.project.dir, "examples", "gitops", "mailboxes", "customer-1");
    fs.rmSync(dir, { recursive: true });
    fs.mkdirSync(dir);
    fs.writeFileSync(
      path.join(dir, "all.yaml"),
      [
        "customer: 1",
        "defaults:",
        "  timezone: Europe/London",
        "mailboxes:",
        '  - { mailbox: "2002", owner: 103, description: Support - escalations, notifyFor: voicemail }',
        '  - { mailbox: "1003", owner: 101, description: Sales - overflow, copyPin: "1001" }',
        '  - { mailbox: "2001", owner: 103, description: Support - first line, pager: support-oncall@example.com, pagerAttach: true }',
        '  - { mailbox: "1002", owner: 102, description: Sales - Bob, play: newest }',
        '  - { mailbox: "1001", owner: 101, description: Sales - main line }',
        "",
      ].join("\n"),
    );
    bed.sim.resetLog();
    const third = await runProgram({
      project: bed.project,
      host,
      state: first.state,
      config: { "enswitch:pinSeed": SEED },
    });
    expect(third.errors).toEqual([]);
    expect(third.steps.map((s) => s.op).every((op) => op === "same")).toBe(true);
    expect(third.steps).toHaveLength(7);
    expect(writes()).toEqual([]);
  });

  it("fails with every file problem at once and deploys nothing when a file is wrong", async () => {
    const target = path.join(bed.project.dir, "broken");
    fs.mkdirSync(target, { recursive: true });
    fs.writeFileSync(
      path.join(target, "a.yaml"),
      'customer: 1\nmailboxes:\n  - mailbox: "9001"\n    pin: "1234"\n    play: loud\n',
    );
    bed.sim.resetLog();
    const run = await runProgram({
      project: bed.project,
      host,
      config: { "enswitch:pinSeed": SEED, [`${bed.project.name}:mailboxDir`]: "broken" },
    });
    const errors = run.programErrors.join("\n");
    expect(errors).toContain("broken/a.yaml:4:5: pin: a PIN must never be written in a mailbox file");
    expect(errors).toContain("broken/a.yaml:5:11: play:");
    expect(errors).not.toContain("1234");
    expect(run.registrations.filter((r) => r.type === MAILBOX_TYPE)).toEqual([]);
    expect(writes()).toEqual([]);
  });

  it("without a PIN seed, names the mailboxes that have no PIN and the command that fixes it", async () => {
    const run = await runProgram({ project: bed.project, host, state: first.state });
    const errors = run.programErrors.join("\n");
    expect(errors).toMatch(/pulumi config set --secret enswitch:pinSeed/);
    expect(errors).toContain("c1-mb1001");
    expect(errors).not.toContain("c1-mb1003"); // it copies its PIN
  });
});
