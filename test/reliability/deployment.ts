/**
 * What the reliability tests share about a deployment through the real provider host: the declared
 * mailboxes (drawn from the schema with a fixed seed), one `pulumi up` with a fresh host as the engine
 * does, and what the switch's request log and store say afterwards.
 */
import fc from "fast-check";
import { MailboxFields, parseMailbox } from "../../provider/mailbox/schema";
import { fromWire } from "../../provider/mailbox/wire";
import { FixtureCustomer, RecordedRequest, defaultFixture } from "../../provider/simulator";
import type { EngineState } from "../support/engineStandIn";
import { MailboxDeclaration } from "../support/mailboxProgram";
import { ProgramRun, runProgram } from "../support/programRun";
import type { Testbed } from "../support/testbed";
import { mailboxOnSwitch } from "./switchArbitraries";

/** The fixture customer every test deploys into (the `admin` login's). */
export const HOME: FixtureCustomer = defaultFixture().customers[0]!;

/**
 * `count` different valid mailboxes (settings drawn from the schema with a fixed seed), numbered from
 * `first`, each resource named `<prefix>-<number>` so that a failure names its mailbox.
 */
export function declarations(count: number, first: number, prefix: string): MailboxDeclaration[] {
  const samples = fc.sample(mailboxOnSwitch(HOME), { numRuns: count, seed: first });
  return samples.map((args, i) => ({
    name: `${prefix}-${first + i}`,
    args: { ...args, mailbox: String(first + i) },
  }));
}

/** The resource name in a URN. */
export function nameOf(urn: string): string {
  return urn.split("::").pop() ?? urn;
}

/** One `pulumi up` of `program`: as the engine does, with a fresh provider host configured with `config`. */
export async function deploy(
  bed: Testbed,
  program: string,
  options: { state?: EngineState; config?: Record<string, string> } = {},
): Promise<ProgramRun> {
  const host = await bed.startHost({ ...bed.providerConfig, ...options.config });
  try {
    return await runProgram({
      project: bed.project,
      host,
      program,
      state: options.state,
      timeoutMs: 170_000,
    });
  } finally {
    await host.close();
  }
}

/** Creates the switch carried out, per mailbox, as far as the request log shows (dry runs excluded). */
export function acceptedCreates(requests: readonly RecordedRequest[]): Map<string, number> {
  const counts = new Map<string, number>();
  for (const r of requests) {
    if (r.fn !== "mailboxes/create" || r.params.validation === "1" || r.code !== "204") continue;
    const mailbox = r.params.mailbox ?? "";
    counts.set(mailbox, (counts.get(mailbox) ?? 0) + 1);
  }
  return counts;
}

/** Injected faults by kind. */
export function faultCounts(requests: readonly RecordedRequest[]): Record<string, number> {
  const out: Record<string, number> = {};
  for (const r of requests) if (r.fault) out[r.fault] = (out[r.fault] ?? 0) + 1;
  return out;
}

function sorted(o: Record<string, unknown>): string {
  return JSON.stringify(
    Object.fromEntries(
      Object.keys(o)
        .sort()
        .map((k) => [k, o[k]]),
    ),
  );
}

/**
 * Compares the switch with the declarations: mailboxes that are missing, and those whose settings or
 * PIN differ from what was declared.
 */
export function compareWithSwitch(
  bed: Testbed,
  declared: MailboxDeclaration[],
): { lost: string[]; wrong: string[] } {
  const lost: string[] = [];
  const wrong: string[] = [];
  for (const d of declared) {
    const parsed = parseMailbox(d.args, "create");
    if (!parsed.ok) throw new Error(`invalid declaration ${d.name}: ${JSON.stringify(parsed.failures)}`);
    const want: MailboxFields = parsed.value;
    const row = bed.sim.store.getMailbox(HOME.id, want.mailbox);
    if (!row) {
      lost.push(want.mailbox);
      continue;
    }
    const { pin, copyPin: _copyPin, ...readable } = want;
    const expected = { ...readable, customer: HOME.id, timezone: want.timezone ?? HOME.timezone };
    const same =
      sorted(fromWire(row)) === sorted(expected) &&
      bed.sim.store.pinMatches(HOME.id, want.mailbox, pin as string);
    if (!same) wrong.push(want.mailbox);
  }
  return { lost, wrong };
}
