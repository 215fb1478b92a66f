/**
 * The simulator's own durability (`enswitch simulator --state FILE`, the built command as a child):
 * SIGKILLed in the middle of a burst of creates, three times over, and restarted from its state file
 * each time. Every create it acknowledged is there with its values and its PIN; the state file always
 * parses; a create that was in flight is either wholly there or wholly absent.
 *
 * The kill is scheduled by count, not by time: it happens as soon as a given number of creates has
 * been acknowledged, with the rest of the burst still in flight.
 */
import * as fs from "node:fs";
import * as path from "node:path";
import { EnswitchClient } from "../../provider/enswitch/client";
import { closeAgents } from "../../provider/enswitch/pool";
import { uniqueStateDir } from "../support/repoPaths";
import { SimulatorProcess, startSimulatorProcess, stopAllSimulators } from "./simulatorProcess";

const CYCLES = 3;
const BURST = 200;
const KILL_AFTER_ACKS = 60;
const OWNERS = [0, 101, 102, 103];

let dir: string;
let stateFile: string;
/** Mailbox → what was acknowledged for it. */
const acknowledged = new Map<string, { description: string; owner: number; pin: string }>();
/** Sent but never acknowledged (the answer was lost in the kill). */
const inFlight = new Set<string>();
const report: string[] = [];

beforeAll(() => {
  dir = uniqueStateDir("reliability", "durability");
  stateFile = path.join(dir, "switch.json");
});
afterAll(async () => {
  await stopAllSimulators();
  await closeAgents();
  fs.rmSync(dir, { recursive: true, force: true });
  console.log(`simulator durability:\n  ${report.join("\n  ")}`);
});

function clientOf(sim: SimulatorProcess): EnswitchClient {
  return new EnswitchClient({
    url: sim.url,
    username: "admin",
    password: "admin",
    retries: 0,
    timeoutMs: 10_000,
  });
}

function declared(n: number) {
  return { description: `burst ${n}`, owner: OWNERS[n % OWNERS.length]!, pin: String(100000 + n) };
}

async function control(
  sim: SimulatorProcess,
  method: string,
  route: string,
  body?: unknown,
): Promise<unknown> {
  const res = await fetch(`${sim.origin}/_simulator/${route}`, {
    method,
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  return res.status === 204 ? undefined : ((await res.json()) as unknown);
}

/** Sends the burst and SIGKILLs the simulator as soon as `KILL_AFTER_ACKS` creates were acknowledged. */
async function burstAndKill(sim: SimulatorProcess, cycle: number): Promise<{ acks: number; lost: number }> {
  const client = clientOf(sim);
  let acks = 0;
  let lost = 0;
  let killing: Promise<void> | undefined;
  const sends = Array.from({ length: BURST }, (_, i) => {
    const n = cycle * 10_000 + i;
    const mailbox = String(n);
    const want = declared(n);
    inFlight.add(mailbox);
    return client
      .createMailbox({ mailbox, pin: want.pin, description: want.description, owner: String(want.owner) })
      .then(
        () => {
          inFlight.delete(mailbox);
          acknowledged.set(mailbox, want);
          if (++acks === KILL_AFTER_ACKS) killing = sim.kill("SIGKILL");
        },
        () => {
          lost++;
        },
      );
  });
  await Promise.all(sends);
  await killing;
  return { acks, lost };
}

describe("the simulator killed during a burst of writes", () => {
  it(`holds every acknowledged write after ${CYCLES} SIGKILLs and restarts, and nothing half-written`, async () => {
    for (let cycle = 1; cycle <= CYCLES; cycle++) {
      const sim = await startSimulatorProcess(["--state", stateFile]);
      const { acks, lost } = await burstAndKill(sim, cycle);
      // The kill came mid-burst: some creates were acknowledged, others were cut off.
      expect(acks).toBeGreaterThanOrEqual(KILL_AFTER_ACKS);
      expect(lost).toBeGreaterThan(0);

      // The file on disk is always a whole state file.
      const saved = JSON.parse(fs.readFileSync(stateFile, "utf8")) as { version: number };
      expect(saved.version).toBe(1);

      const back = await startSimulatorProcess(["--state", stateFile]);
      const rows = (await control(back, "GET", "mailboxes/1")) as Record<string, unknown>[];
      const byNumber = new Map(rows.map((r) => [String(r.mailbox), r]));
      const missing = [...acknowledged.keys()].filter((m) => !byNumber.has(m));
      expect(missing).toEqual([]);
      for (const [mailbox, want] of acknowledged) {
        expect(byNumber.get(mailbox)).toMatchObject({ description: want.description, owner: want.owner });
      }
      // A create that was cut off is all there (with its PIN) or not there at all.
      const cutOffPresent = [...inFlight].filter((m) => byNumber.has(m));
      for (const mailbox of cutOffPresent) {
        const want = declared(Number(mailbox));
        expect(byNumber.get(mailbox)).toMatchObject({ description: want.description, owner: want.owner });
      }
      // Nothing else appeared.
      expect(rows.length).toBe(acknowledged.size + cutOffPresent.length);
      for (const mailbox of cutOffPresent) {
        acknowledged.set(mailbox, declared(Number(mailbox)));
        inFlight.delete(mailbox);
      }
      inFlight.clear();

      // PINs survived too (a sample, through the control API's check).
      const sample = [...acknowledged.keys()].filter((_, i) => i % 25 === 0);
      for (const mailbox of sample) {
        const answer = await control(back, "POST", `mailboxes/1/${mailbox}/pin-check`, {
          pin: acknowledged.get(mailbox)!.pin,
        });
        expect(answer).toEqual({ matches: true });
      }
      const leftovers = fs.readdirSync(dir).filter((f) => f.endsWith(".tmp")).length;
      report.push(
        `cycle ${cycle}: ${acks} acknowledged before the kill, ${lost} cut off, ${cutOffPresent.length} of those ` +
          `had landed; after restart ${rows.length} mailboxes, 0 acknowledged missing; ${leftovers} stray temp file(s)`,
      );
      await back.kill("SIGTERM");
    }
  });
});
