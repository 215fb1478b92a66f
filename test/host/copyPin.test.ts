/**
 * `copyPin` naming a mailbox the same deployment creates, on a fresh stack, through the real provider
 * host: the preview (where the source is declared but not on the switch yet) and then `pulumi up`
 * both pass, and the second mailbox gets the first one's PIN.
 */
import { ProgramRun, runProgram } from "../support/programRun";
import { startTestbed, Testbed } from "../support/testbed";

const PIN = "48151623";
const WRITES = new Set(["mailboxes/create", "mailboxes/update", "mailboxes/delete"]);

/** Mailbox `b` copies the PIN of `a`, through `a`'s output: Pulumi creates `a` first. */
const PROGRAM = `"use strict";
const enswitch = require("pulumi-enswitch");
const a = new enswitch.Mailbox("a", { mailbox: "4100", pin: ${JSON.stringify(PIN)}, description: "Sales" });
new enswitch.Mailbox("b", { mailbox: "4101", copyPin: a.mailbox, description: "Sales overflow" });
`;

let bed: Testbed;
let preview: ProgramRun;
let up: ProgramRun;
let writesDuringPreview: string[];

beforeAll(async () => {
  bed = await startTestbed({ name: "copypin" });
  bed.project.writeFile("index.js", PROGRAM);
  preview = await runProgram({ project: bed.project, host: bed.host, preview: true });
  writesDuringPreview = bed.sim.requests
    .filter((r) => WRITES.has(r.fn) && r.params.validation !== "1")
    .map((r) => r.fn);
  up = await runProgram({ project: bed.project, host: bed.host });
});

afterAll(async () => {
  await bed?.close();
});

describe("copyPin from a mailbox created in the same deployment, on a fresh stack", () => {
  it("previews without failures and changes nothing on the switch", () => {
    expect(preview.programErrors).toEqual([]);
    expect(preview.errors).toEqual([]);
    expect(preview.steps.map((s) => s.op)).toEqual(["create", "create"]);
    expect(writesDuringPreview).toEqual([]);
  });

  it("is checked on the switch during the preview, with copy_pin first", () => {
    const dryRuns = bed.sim.requests.filter(
      (r) => r.fn === "mailboxes/create" && r.params.validation === "1",
    );
    expect(dryRuns.some((r) => r.params.mailbox === "4101" && r.params.copy_pin === "4100")).toBe(true);
  });

  it("then creates both, the second with the first one's PIN", () => {
    expect(up.programErrors).toEqual([]);
    expect(up.errors).toEqual([]);
    expect(up.steps.map((s) => s.op)).toEqual(["create", "create"]);
    expect(bed.sim.store.getMailbox(1, "4100")).toBeDefined();
    expect(bed.sim.store.getMailbox(1, "4101")).toMatchObject({ description: "Sales overflow" });
    expect(bed.sim.store.pinMatches(1, "4101", PIN)).toBe(true);
    const created = bed.sim.requests.find(
      (r) => r.fn === "mailboxes/create" && r.params.validation !== "1" && r.params.mailbox === "4101",
    );
    expect(created?.params.copy_pin).toBe("4100");
    expect(created?.params).not.toHaveProperty("pin");
  });
});
