/**
 * A whole Pulumi program, `examples/basic`, run under `setMocks` with the engine stand-in forwarding
 * every registration to the real provider host: `pulumi up` without the CLI. The first run creates
 * the example's mailboxes on the simulator; a second run with the first run's state changes nothing.
 */
import * as fs from "node:fs";
import * as path from "node:path";
import { transpileProgram } from "../support/compiledSupport";
import { ProgramRun, runProgram } from "../support/programRun";
import { unwrapDeep } from "../support/propertyValues";
import { REPO_ROOT } from "../support/repoPaths";
import { startTestbed, Testbed } from "../support/testbed";

const EXAMPLE = path.join(REPO_ROOT, "examples", "basic");
/** The example's project name: `new pulumi.Config()` in the program reads `<project>:key`. */
const PROJECT = /^name:\s*(\S+)/m.exec(fs.readFileSync(path.join(EXAMPLE, "Pulumi.yaml"), "utf8"))?.[1] ?? "";
/** The stack config the example asks for (`pulumi config set --secret salesPin …`). */
const CONFIG = { [`${PROJECT}:salesPin`]: "4821" };
const WRITES = new Set(["mailboxes/create", "mailboxes/update", "mailboxes/delete"]);

let bed: Testbed;
let first: ProgramRun;

beforeAll(async () => {
  bed = await startTestbed({ name: PROJECT });
  transpileProgram(EXAMPLE, bed.project.dir);
  first = await runProgram({ project: bed.project, host: bed.host, config: CONFIG });
});

afterAll(async () => {
  await bed?.close();
});

/** Changes the switch actually made (not `validation=1` checks). */
function writesSince(): string[] {
  return bed.sim.requests.filter((r) => WRITES.has(r.fn) && r.params.validation !== "1").map((r) => r.fn);
}

describe("examples/basic through the real provider host", () => {
  it("the first run creates every mailbox the program declares, on the switch", () => {
    expect(first.programErrors).toEqual([]);
    expect(first.errors).toEqual([]);
    const mailboxes = first.registrations.filter((r) => r.type === "pulumi-nodejs:dynamic/enswitch:Mailbox");
    expect(mailboxes.length).toBeGreaterThan(0);
    expect(first.steps.map((s) => s.op)).toEqual(mailboxes.map(() => "create"));
    for (const registration of mailboxes) {
      const stored = first.state?.resources.find((r) => r.urn === registration.urn);
      if (!stored) throw new Error(`${registration.urn} is not in the state`);
      const outputs = unwrapDeep(stored.outputs) as Record<string, unknown>;
      const row = bed.sim.store.getMailbox(Number(outputs.customer), String(outputs.mailbox));
      expect(row).toMatchObject({ mailbox: outputs.mailbox, description: outputs.description });
      expect(stored.id).toBe(`${outputs.customer}/${outputs.mailbox}`);
    }
  });

  it("a second run with the first run's state changes nothing", async () => {
    expect(first.state?.resources.length).toBeGreaterThan(0);
    bed.sim.resetLog();
    const second = await runProgram({
      project: bed.project,
      host: bed.host,
      config: CONFIG,
      state: first.state,
    });
    expect(second.errors).toEqual([]);
    expect(second.steps.map((s) => s.op)).toEqual(first.steps.map(() => "same"));
    expect(writesSince()).toEqual([]);
    expect(second.state).toEqual(first.state);
  });
});
