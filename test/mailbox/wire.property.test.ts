/**
 * Properties of the wire mapping over generated mailboxes (fast-check, fixed seed): any valid mailbox
 * survives encode → decode unchanged, and encode → the simulator's `mailboxes/create` over HTTP →
 * `mailboxes/get` → decode unchanged; any set of hostile parameters is answered with an envelope
 * (a typed error on the client's side), never a crash of either side.
 */
import fc from "fast-check";
import { EnswitchClient } from "../../provider/enswitch/client";
import { EnswitchError } from "../../provider/enswitch/errors";
import { closeAgents } from "../../provider/enswitch/pool";
import { MailboxFields, parseMailbox } from "../../provider/mailbox/schema";
import { fromWire, toWire } from "../../provider/mailbox/wire";
import { Simulator, defaultFixture, startSimulator } from "../../provider/simulator";
import { HOSTILE_TEXT, validMailboxArgs } from "../reliability/schemaArbitraries";
import { mailboxOnSwitch } from "../reliability/switchArbitraries";

const VERSIONS = ["3.14", "4.4"] as const;

/** The fields a `mailboxes/get` row gives back: all but the write-only PIN and the create-only copyPin. */
function readable(fields: Partial<MailboxFields>): Partial<MailboxFields> {
  const { pin: _pin, copyPin: _copyPin, ...rest } = fields;
  return rest;
}

function parsed(args: Record<string, unknown>, enswitchVersion: string): MailboxFields {
  const result = parseMailbox(args, "create", { enswitchVersion });
  if (!result.ok)
    throw new Error(`the generator produced an invalid mailbox: ${JSON.stringify(result.failures)}`);
  return result.value;
}

describe.each(VERSIONS)("Enswitch %s: encode and decode without a switch", (enswitchVersion) => {
  const options = { enswitchVersion };

  it("toWire then fromWire (reading a row) gives back every readable field", () => {
    fc.assert(
      fc.property(validMailboxArgs(options), (args) => {
        const fields = parsed(args, enswitchVersion);
        expect(fromWire(toWire(fields, options), options)).toEqual(readable(fields));
      }),
      { numRuns: 200, seed: 12 },
    );
  });
});

describe.each(VERSIONS)("Enswitch %s: through the simulator over HTTP", (enswitchVersion) => {
  const options = { enswitchVersion };
  const fixture = defaultFixture();
  const home = fixture.customers[0]!;
  let sim: Simulator;
  let client: EnswitchClient;

  beforeAll(async () => {
    sim = await startSimulator({ fixture, enswitchVersion });
    client = new EnswitchClient({ url: sim.url, username: "admin", password: "admin", retries: 0 });
  });
  afterAll(async () => {
    await sim?.close();
    await closeAgents();
  });

  const onThisSwitch = () => mailboxOnSwitch(home, options);

  it("any valid mailbox: create, get and decode give back exactly what was declared", async () => {
    await fc.assert(
      fc.asyncProperty(onThisSwitch(), async (args) => {
        sim.store.clear();
        const fields = parsed(args, enswitchVersion);
        await client.createMailbox(toWire(fields, options));
        const row = await client.getMailbox(fields.mailbox, fields.customer);
        // What the switch fills in for what was left out: its customer and the customer's time zone.
        const expected = {
          ...readable(fields),
          customer: fields.customer ?? home.id,
          timezone: fields.timezone ?? home.timezone,
        };
        expect(fromWire(row, options)).toEqual(expected);
        expect(sim.store.pinMatches(home.id, fields.mailbox, fields.pin as string)).toBe(true);
      }),
      { numRuns: 40, seed: 21 },
    );
  });

  it("hostile parameters are answered with a typed error, and the switch keeps answering", async () => {
    const value = fc.oneof(fc.string({ unit: "binary", maxLength: 30 }), fc.constantFrom(...HOSTILE_TEXT));
    const params = fc.dictionary(
      fc.constantFrom("mailbox", "pin", "owner", "notify_email", "x", "customer"),
      value,
      {
        maxKeys: 4,
      },
    );
    await fc.assert(
      fc.asyncProperty(params, async (p) => {
        sim.store.clear();
        const outcome = await client.createMailbox(p).then(
          () => "created",
          (error: unknown) => error,
        );
        if (outcome !== "created") expect(outcome).toBeInstanceOf(EnswitchError);
        // Whatever was sent, at most one mailbox exists, under the number sent as one value.
        const rows = sim.store.listMailboxes(home.id);
        expect(rows.length).toBeLessThanOrEqual(1);
        if (rows[0]) expect(rows[0].mailbox).toBe(p.mailbox);
      }),
      { numRuns: 40, seed: 22 },
    );
    await expect(client.listMailboxes()).resolves.toBeDefined();
  });
});
