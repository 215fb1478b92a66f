/**
 * Creates whose answer is lost after the switch carried them out: the case that makes duplicates.
 * Through the real provider host, the simulator performs the create and then answers 502 or breaks the
 * connection (`processThenFail`). Look-before-retry must recognise every one of them: all mailboxes
 * created once, in one run, with no error.
 *
 * And a mailbox that was created but could not be read back afterwards must not fall out of state:
 * otherwise the next run finds it "already exists" and a human has to adopt what the deployment itself
 * created. Nor may it pass for a success: it is Pulumi's "created but failed to initialise", kept in
 * state with its init errors and completed by the next run's Update.
 */
import { mailboxProgram } from "../support/mailboxProgram";
import { Testbed, startTestbed } from "../support/testbed";
import { HOME, compareWithSwitch, declarations, deploy, faultCounts } from "./deployment";

let bed: Testbed;
const report: string[] = [];

beforeAll(async () => {
  bed = await startTestbed({ name: "lost-answers" });
});
afterAll(async () => {
  await bed?.close();
  if (report.length > 0) console.log(`lost answers:\n  ${report.join("\n  ")}`);
});
beforeEach(() => {
  bed.sim.faults.clear();
  bed.sim.resetLog();
});

describe("creates carried out by the switch whose answer was lost", () => {
  it("are all recognised by look-before-retry: every mailbox once, no error, nothing sent twice", async () => {
    const declared = declarations(40, 7000, "lost");
    bed.project.writeFile("lost.js", mailboxProgram(declared));
    bed.sim.faults.set({
      only: ["mailboxes/create"],
      processThenFail: true,
      serverErrorRate: 0.2,
      resetRate: 0.1,
      seed: 7,
    });
    const run = await deploy(bed, "lost.js", { config: { "enswitch:retries": "8" } });
    expect(run.errors).toEqual([]);
    expect(run.programErrors).toEqual([]);
    expect(compareWithSwitch(bed, declared)).toEqual({ lost: [], wrong: [] });

    const creates = bed.sim.requests.filter(
      (r) => r.fn === "mailboxes/create" && r.params.validation !== "1",
    );
    const lostAnswers = creates.filter((r) => r.fault).length;
    // Every create was sent exactly once: a lost answer was settled by looking, never by sending again.
    expect(creates).toHaveLength(declared.length);
    expect(lostAnswers).toBeGreaterThan(0);
    report.push(
      `40 mailboxes, 30% of creates carried out then answered 502/reset: ${lostAnswers} lost answers, ` +
        `all recognised by mailboxes/get; creates sent 40, duplicates 0, failures 0 ` +
        `(faults ${JSON.stringify(faultCounts(bed.sim.requests))})`,
    );
  }, 120_000);
});

describe("a mailbox created but not readable right after", () => {
  // The create succeeds; every mailboxes/get after it fails (502) until the client gives up.
  const unreadable = { only: ["mailboxes/get"], failNext: { kind: "5xx" as const, count: 12 } };
  const config = { "enswitch:retries": "1" };

  it("with a declared customer, fails as 'created but not initialised' and stays in state; the next run completes it", async () => {
    const [declared] = declarations(1, 7100, "unreadable");
    const withCustomer = { ...declared!, args: { ...declared!.args, customer: HOME.id } };
    bed.project.writeFile("unreadable.js", mailboxProgram([withCustomer]));
    bed.sim.faults.set(unreadable);
    const first = await deploy(bed, "unreadable.js", { config });
    expect(first.errors).toEqual([
      expect.objectContaining({
        message: expect.stringMatching(/was created but could not be read back.*next `pulumi up`/s),
        initErrors: [expect.stringMatching(/^mailboxes\/get: /)],
      }),
    ]);
    const pin: unknown = (withCustomer.args as Record<string, unknown>).pin;
    expect(pin).toEqual(expect.any(String));
    expect(JSON.stringify(first.errors)).not.toContain(String(pin));
    expect(first.state?.resources).toEqual([
      expect.objectContaining({ id: `${HOME.id}/7100`, initErrors: [expect.any(String)] }),
    ]);

    bed.sim.faults.clear();
    const second = await deploy(bed, "unreadable.js", { state: first.state, config });
    expect(second.errors).toEqual([]);
    // The engine updates a resource with init errors even when its Diff finds no change.
    expect(second.steps.map((s) => s.op)).toEqual(["update"]);
    expect(second.state?.resources[0]?.initErrors).toBeUndefined();
    expect(compareWithSwitch(bed, [withCustomer])).toEqual({ lost: [], wrong: [] });
  }, 60_000);

  it("kept with init errors, can be deleted before it was ever read back (its outputs name its provider)", async () => {
    const [declared] = declarations(1, 7150, "unreadable");
    const withCustomer = { ...declared!, args: { ...declared!.args, customer: HOME.id } };
    bed.project.writeFile("unreadable3.js", mailboxProgram([withCustomer]));
    bed.project.writeFile("nothing.js", mailboxProgram([]));
    bed.sim.faults.set(unreadable);
    const first = await deploy(bed, "unreadable3.js", { config });
    expect(first.state?.resources).toEqual([expect.objectContaining({ initErrors: [expect.any(String)] })]);

    bed.sim.faults.clear();
    const second = await deploy(bed, "nothing.js", { state: first.state, config });
    expect(second.errors).toEqual([]);
    expect(second.steps.map((s) => s.op)).toEqual(["delete"]);
    expect(second.state?.resources).toEqual([]);
    expect(bed.sim.store.getMailbox(HOME.id, "7150")).toBeUndefined();
  }, 60_000);

  it("without a declared customer, the failure says it was created and exactly what to do", async () => {
    const [declared] = declarations(1, 7200, "unreadable");
    const { customer: _customer, ...args } = declared!.args;
    bed.project.writeFile("unreadable2.js", mailboxProgram([{ ...declared!, args }]));
    bed.sim.faults.set(unreadable);
    const first = await deploy(bed, "unreadable2.js", { config });
    expect(first.errors).toEqual([
      expect.objectContaining({ message: expect.stringMatching(/was created.*adopt: true/s) }),
    ]);
    expect(bed.sim.store.getMailbox(HOME.id, "7200")).toBeDefined();
  }, 60_000);
});
