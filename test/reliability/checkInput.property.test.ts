/**
 * Hostile and malformed input through the provider's `check` (in-process, against the simulator,
 * fast-check with a fixed seed): any invalid input is a check failure on the property at fault, never
 * an exception, and never reaches the switch (the simulator's request log stays empty). Valid input,
 * by contrast, is asked about on the switch with `validation=1` and nothing else.
 */
import fc from "fast-check";
import { closeAgents } from "../../provider/enswitch/pool";
import { MailboxProvider } from "../../provider/mailbox/provider";
import { mailboxFieldNames } from "../../provider/mailbox/schema";
import { Simulator, defaultFixture, startSimulator } from "../../provider/simulator";
import {
  FOREIGN_KEYS,
  brokenField,
  mailboxFieldSchemas,
  steeringFieldSchemas,
  validMailboxArgs,
} from "./schemaArbitraries";
import { mailboxOnSwitch } from "./switchArbitraries";

let sim: Simulator;
let provider: MailboxProvider;
const home = defaultFixture().customers[0]!;

beforeAll(async () => {
  sim = await startSimulator();
  provider = new MailboxProvider({
    env: { ENSWITCH_URL: sim.url, ENSWITCH_USERNAME: "admin", ENSWITCH_PASSWORD: "admin" },
  });
});
afterAll(async () => {
  await sim?.close();
  await closeAgents();
});

/** Calls `check` and turns an exception into a test failure that says so. */
async function check(news: Record<string, unknown>, olds: Record<string, unknown> = {}) {
  try {
    return await provider.check(olds, news);
  } catch (error) {
    throw new Error(`check threw instead of reporting a failure: ${String(error)}`, { cause: error });
  }
}

const fields = { ...mailboxFieldSchemas(), ...steeringFieldSchemas() };
const properties = new Set([...Object.keys(fields), ""]);

describe("check refuses bad input locally", () => {
  it("one bad field (wrong type, out of range, unknown value, control characters, 100 KB, injection) fails on that field, with no request", async () => {
    await fc.assert(
      fc.asyncProperty(validMailboxArgs(), brokenField(fields), async (args, broken) => {
        sim.resetLog();
        const result = await check({ ...args, [broken.field]: broken.value });
        expect(result.failures?.map((f) => f.property)).toContain(broken.field);
        for (const f of result.failures ?? []) {
          expect(properties.has(f.property)).toBe(true);
          expect(f.reason.length).toBeLessThan(1000);
        }
        expect(sim.requests).toEqual([]);
      }),
      { numRuns: 150, seed: 31 },
    );
  });

  it("an input that is not a Mailbox input (API parameters included) fails by name, with no request", async () => {
    await fc.assert(
      fc.asyncProperty(
        validMailboxArgs(),
        fc.constantFrom(...FOREIGN_KEYS),
        fc.jsonValue(),
        async (args, key, value) => {
          sim.resetLog();
          const result = await check({ ...args, [key]: value });
          expect(result.failures?.map((f) => f.property)).toContain(key);
          expect(sim.requests).toEqual([]);
        },
      ),
      { numRuns: 60, seed: 32 },
    );
  });

  it("an update of an existing mailbox with a bad field fails the same way", async () => {
    const updatable = mailboxFieldNames().filter((n) => n !== "copyPin");
    await fc.assert(
      fc.asyncProperty(validMailboxArgs(), brokenField(fields, updatable), async (args, broken) => {
        sim.resetLog();
        const result = await check({ ...args, [broken.field]: broken.value }, args);
        expect(result.failures?.map((f) => f.property)).toContain(broken.field);
        expect(sim.requests).toEqual([]);
      }),
      { numRuns: 60, seed: 33 },
    );
  });
});

describe("valid input is asked about on the switch, and only with validation=1", () => {
  it("any valid mailbox of this switch passes check, which changes nothing", async () => {
    const onThisSwitch = mailboxOnSwitch(home);
    await fc.assert(
      fc.asyncProperty(onThisSwitch, async (args) => {
        sim.resetLog();
        const result = await check(args);
        expect(result.failures ?? []).toEqual([]);
        expect(sim.requests.length).toBeGreaterThan(0);
        for (const r of sim.requests)
          expect(r.fn === "mailboxes/get" || r.params.validation === "1").toBe(true);
        expect(sim.store.listMailboxes(home.id)).toEqual([]);
      }),
      { numRuns: 40, seed: 34 },
    );
  });
});
