/**
 * The provider host SIGKILLed while creates are in flight, as when a CI runner dies mid-deployment.
 *
 * The switch answers creates slowly (simulator latency), so the kill is scheduled deterministically:
 * as soon as the switch has received `KILL_AFTER` creates, none of which has been answered. Run 1 leaves
 * new mailboxes to the create call (`dryRunCreates false`): Pulumi checks one mailbox at a time, so with
 * slow dry runs the creates would trickle out one by one; this way they are in flight together on the
 * engine's step workers. The switch still carries them out. The next run, with the state that survived,
 * finds every mailbox that reached the switch exactly as declared, takes it over (saying so) and
 * converges. Nothing is ever created twice and nothing is lost.
 */
import { mailboxProgram } from "../support/mailboxProgram";
import { ProgramRun, runProgram } from "../support/programRun";
import { Testbed, startTestbed } from "../support/testbed";
import { HOME, acceptedCreates, compareWithSwitch, declarations, deploy } from "./deployment";

const COUNT = 20;
const KILL_AFTER = 6;
const LATENCY_MS = 1000;

let bed: Testbed;
const report: string[] = [];

beforeAll(async () => {
  bed = await startTestbed({ name: "crash" });
});
afterAll(async () => {
  await bed?.close();
  if (report.length > 0) console.log(`crash in the middle:\n  ${report.join("\n  ")}`);
});

/**
 * Real creates (not dry runs) the switch has received, with their mailbox. Read from the raw body: the
 * decoded parameters are only recorded once a request is processed, after the latency.
 */
function realCreates(): { mailbox: string; answered: boolean }[] {
  return bed.sim.requests
    .filter((r) => r.fn === "mailboxes/create")
    .map((r) => ({ body: new URLSearchParams(r.rawBody), answered: r.code !== "" }))
    .filter((r) => r.body.get("validation") !== "1")
    .map((r) => ({ mailbox: r.body.get("mailbox") ?? "", answered: r.answered }));
}

/** Resolves once `predicate` holds, checking every few milliseconds (the switch's log is in-process). */
function until(predicate: () => boolean, limitMs = 60_000): Promise<void> {
  return new Promise((resolve, reject) => {
    const started = Date.now();
    const timer = setInterval(() => {
      if (predicate()) {
        clearInterval(timer);
        resolve();
      } else if (Date.now() - started > limitMs) {
        clearInterval(timer);
        reject(new Error("condition not reached"));
      }
    }, 2);
  });
}

describe("the provider host killed while creates are in flight", () => {
  it("loses nothing and duplicates nothing: what reached the switch exactly as declared is taken over", async () => {
    const declared = declarations(COUNT, 8000, "crash");
    bed.project.writeFile("crash.js", mailboxProgram(declared));

    // Run 1: creates are slow; the host dies when KILL_AFTER of them have reached the switch.
    bed.sim.resetLog();
    bed.sim.faults.set({ only: ["mailboxes/create"], latencyMs: LATENCY_MS });
    const host = await bed.startHost({ ...bed.providerConfig, "enswitch:dryRunCreates": "false" });
    const running = runProgram({
      project: bed.project,
      host,
      program: "crash.js",
      timeoutMs: 120_000,
      parallel: KILL_AFTER + 2,
    });
    await until(() => realCreates().length >= KILL_AFTER);
    const answeredBeforeKill = realCreates().filter((r) => r.answered).length;
    await host.kill("SIGKILL");
    const first: ProgramRun = await running;
    // The switch finishes what it received, though nobody is listening any more.
    await until(() => realCreates().every((r) => r.answered));
    const reached = realCreates().map((r) => r.mailbox);
    expect(answeredBeforeKill).toBe(0);
    expect(reached.length).toBeGreaterThanOrEqual(KILL_AFTER);
    expect(first.state?.resources ?? []).toEqual([]);
    expect(
      bed.sim.store
        .listMailboxes(HOME.id)
        .map((r) => r.mailbox)
        .sort(),
    ).toEqual([...reached].sort());
    bed.sim.faults.clear();
    const log = [...bed.sim.requests];

    // Run 2 with the state that survived: every orphan is exactly as declared, so it is taken over
    // (said in the output) and the rest is created: converged without a human.
    bed.sim.resetLog();
    const second = await deploy(bed, "crash.js", { state: first.state });
    log.push(...bed.sim.requests);
    expect(second.programErrors).toEqual([]);
    expect(second.errors).toEqual([]);
    expect(second.state?.resources).toHaveLength(COUNT);

    const duplicates = [...acceptedCreates(log).values()].filter((n) => n > 1).length;
    expect({ duplicates, ...compareWithSwitch(bed, declared) }).toEqual({
      duplicates: 0,
      lost: [],
      wrong: [],
    });
    expect(bed.sim.store.listMailboxes(HOME.id)).toHaveLength(COUNT);
    report.push(
      `${COUNT} mailboxes, host SIGKILLed with ${reached.length} creates in flight (all carried out by the switch): ` +
        `run 2 took those over (each exactly as declared) and created the other ` +
        `${COUNT - reached.length}: converged; duplicates 0, lost 0`,
    );
  }, 150_000);
});
