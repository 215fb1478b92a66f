/**
 * A deployment of 300 mailboxes through the real provider host (engine stand-in → gRPC → host →
 * installed package) against a simulator that injects seeded faults: 10 % HTTP 502, 5 % connection
 * resets, 5 % HTTP 429 with `Retry-After`, 1 % hangs longer than the client's timeout. Then a second
 * run with the state that survived, once the switch has recovered. Together they converge: every
 * mailbox exists exactly once, with the declared settings and PIN; every failure reported on the way
 * names its mailbox and its cause.
 *
 * The client is configured through stack config as a user would (`enswitch:timeoutMs`,
 * `enswitch:retries`); `enswitch:retries 1` makes failures frequent enough to be seen. The schedule is
 * seeded; which request meets which fault still depends on arrival order, so the assertions are the
 * invariants, and the figures are printed. As in Pulumi, the first failure stops run 1 (a Check that
 * cannot reach the switch bails the deployment; a failed step cancels the steps not started): what
 * was in flight finishes and is kept, the rest is not reached.
 */
import type { FaultPlan } from "../../provider/simulator";
import type { RegistrationError } from "../support/engineStandIn";
import { mailboxProgram } from "../support/mailboxProgram";
import { Testbed, startTestbed } from "../support/testbed";
import {
  HOME,
  acceptedCreates,
  compareWithSwitch,
  declarations,
  deploy,
  faultCounts,
  nameOf,
} from "./deployment";

const COUNT = 300;
const FIRST = 6000;

const FAULTS: FaultPlan = {
  seed: 20261128,
  serverErrorRate: 0.1,
  resetRate: 0.05,
  tooManyRequestsRate: 0.05,
  retryAfterSeconds: 1,
  hangRate: 0.01,
};
const CLIENT_CONFIG = { "enswitch:timeoutMs": "1500", "enswitch:retries": "1" };

let bed: Testbed;
const report: string[] = [];

beforeAll(async () => {
  bed = await startTestbed({ name: "faults" });
});
afterAll(async () => {
  await bed?.close();
  if (report.length > 0) console.log(`fault matrix:\n  ${report.join("\n  ")}`);
});

/** The kind of each reported failure, for the printed figures. */
function kindOf(e: RegistrationError): string {
  if (e.failures) return "check could not reach the switch";
  if (/shows the mailbox was not created/.test(e.message)) return "create lost, nothing created";
  if (/may or may not exist/.test(e.message)) return "create lost, outcome unknown";
  if (e.initErrors) return "created, not read back (kept in state with init errors)";
  if (/Create failed: mailboxes\/get/.test(e.message)) return "created, read-back failed";
  return "create refused (429/5xx exhausted)";
}

/** The reported failures must say which mailbox (the resource name) and what went wrong. */
function expectUseful(errors: RegistrationError[], names: Set<string>): void {
  for (const e of errors) {
    expect(names.has(nameOf(e.urn))).toBe(true);
    expect(e.message).toMatch(/mailboxes\/(create|get|update)/);
    expect(e.message).toMatch(/502|429|ECONNRESET|no complete answer within \d+ ms/);
    expect(e.message).not.toMatch(/\n\s+at /); // no stack trace of the provider's insides
  }
}

describe("a deployment of 300 mailboxes under injected faults", () => {
  it("stops at the first failure, then converges once the switch recovers: every mailbox once, as declared", async () => {
    const declared = declarations(COUNT, FIRST, "faulty");
    bed.project.writeFile("faulty.js", mailboxProgram(declared));
    bed.sim.resetLog();
    bed.sim.faults.set(FAULTS);
    const first = await deploy(bed, "faulty.js", { config: CLIENT_CONFIG });
    const firstRequests = [...bed.sim.requests];
    const kinds: Record<string, number> = {};
    for (const e of first.errors) kinds[kindOf(e)] = (kinds[kindOf(e)] ?? 0) + 1;
    const faults = faultCounts(firstRequests);
    const faulted = Object.values(faults).reduce((a, b) => a + b, 0);
    report.push(
      `run 1: ${COUNT} mailboxes, ${firstRequests.length} requests, ${faulted} faulted ${JSON.stringify(faults)}; ` +
        `retries <= ${faulted} (each fault is retried or reported); ${first.state?.resources.length ?? 0} done, ` +
        `${first.errors.length} reported failed ${JSON.stringify(kinds)}, ${first.skipped?.length ?? 0} not reached`,
    );
    expect(first.programErrors).toEqual([]);
    expect(first.errors.length).toBeGreaterThan(0);
    expectUseful(first.errors, new Set(declared.map((d) => d.name)));

    // What a user does after a failed `pulumi up`: run it again, here once the switch has recovered.
    bed.sim.faults.clear();
    bed.sim.resetLog();
    const second = await deploy(bed, "faulty.js", { state: first.state, config: CLIENT_CONFIG });
    const accepted = acceptedCreates([...firstRequests, ...bed.sim.requests]);
    const duplicates = [...accepted.values()].filter((n) => n > 1).length;
    const { lost, wrong } = compareWithSwitch(bed, declared);
    report.push(
      `run 2 (switch recovered): ${second.steps.filter((s) => s.op === "create").length} created, ` +
        `${second.steps.filter((s) => s.op === "update").length} updated (init errors completed), ` +
        `${second.errors.length} failed${second.errors.length > 0 ? ` (${second.errors[0]!.message.slice(0, 90)}…)` : ""}; ` +
        `duplicates ${duplicates}, lost ${lost.length}, wrong settings ${wrong.length}`,
    );
    expect(second.errors).toEqual([]);
    expect(second.programErrors).toEqual([]);
    expect({ duplicates, lost, wrong }).toEqual({ duplicates: 0, lost: [], wrong: [] });
    expect(second.state?.resources).toHaveLength(COUNT);
    expect(second.state?.resources.filter((r) => r.initErrors)).toEqual([]);
    expect(bed.sim.store.listMailboxes(HOME.id)).toHaveLength(COUNT);
  }, 180_000);
});
