/**
 * Answers no switch should give, as the provider meets them (the client's own handling of each is
 * specified in `test/enswitch/`): an HTML page, HTTP 502 with a body, truncated JSON, an empty body, an
 * empty `responses`, several responses with mixed codes, JSON without an envelope, data of the wrong
 * shape. For every one, each provider operation ends in a typed `EnswitchError` whose message names the
 * API function and says what happened (what Pulumi shows), or, in `check`, in a failure: never a crash
 * of the provider's insides, never a silent success (a create that did not happen, a mailbox taken for
 * gone, a delete taken for done).
 *
 * A create the switch carried out whose read-back alone gets the odd answer fails too, but as Pulumi's
 * "created but failed to initialise": a `MailboxInitError` carrying the id and outputs, which the engine
 * keeps in state (shown through the real host and engine stand-in in `lostAnswers.test.ts`).
 */
import { EnswitchError } from "../../provider/enswitch/errors";
import { closeAgents } from "../../provider/enswitch/pool";
import { MailboxInitError } from "../../provider/mailbox/errors";
import { MailboxProvider } from "../../provider/mailbox/provider";
import { STATE_VERSION } from "../../provider/mailbox/state";
import { FakeSwitch, Reply, envelope, startFakeSwitch } from "../enswitch/fake-switch";

const INPUTS = { mailbox: "1234", pin: "567890", customer: 1 };
const OUTPUTS = { ...INPUTS, description: "", stateVersion: 1 };

const HTML = "<!DOCTYPE html><html><body><h1>Service Unavailable</h1></body></html>";
const ANSWERS: [string, Reply][] = [
  ["an HTML page with HTTP 200", { status: 200, headers: { "content-type": "text/html" }, body: HTML }],
  ["HTTP 502 with an HTML body", { status: 502, headers: { "content-type": "text/html" }, body: HTML }],
  ["HTTP 503 with an empty body", { status: 503, body: "" }],
  [
    "truncated JSON",
    { headers: { "content-type": "application/json" }, body: '{"responses":[{"code":"204","key":"' },
  ],
  ["an empty body with HTTP 200", { headers: { "content-type": "application/json" }, body: "" }],
  ["an empty responses array", envelope([])],
  [
    "JSON without an envelope",
    { headers: { "content-type": "application/json" }, body: '{"data":{"mailbox":"1234"}}' },
  ],
  [
    "mixed codes: 204 and 400",
    envelope([{ code: "204" }, { code: "400", key: "owner", message: "no such person" }]),
  ],
  [
    "mixed codes: 200 and 500",
    envelope([{ code: "200" }, { code: "500", message: "database error" }], { mailbox: "1234" }),
  ],
];

let fake: FakeSwitch;
let provider: MailboxProvider;

beforeAll(async () => {
  fake = await startFakeSwitch();
});
// A provider per test, as each remembers the switch's dry-run answers for the life of its process.
beforeEach(async () => {
  provider = new MailboxProvider({ env: {} });
  const config: Record<string, string> = {
    "enswitch:url": fake.url,
    "enswitch:username": "admin",
    "enswitch:password": "admin",
    "enswitch:retries": "0",
    "enswitch:timeoutMs": "2000",
  };
  await provider.configure({ config: { get: (key: string) => config[key] } });
});
afterAll(async () => {
  await fake?.close();
  await closeAgents();
});

/** What a failed operation threw, checked to be what Pulumi should show. */
async function thrown(operation: Promise<unknown>): Promise<EnswitchError> {
  const outcome = await operation.then(
    (value) => ({ value }),
    (error: unknown) => ({ error }),
  );
  if (!("error" in outcome)) throw new Error(`a silent success: ${JSON.stringify(outcome.value)}`);
  const error = outcome.error;
  expect(error).toBeInstanceOf(EnswitchError);
  const typed = error as EnswitchError;
  expect(typed.name).toMatch(/^(Enswitch\w+|MailboxInit)Error$/);
  expect(typed.code).not.toBe("INTERNAL");
  expect(typed.message).toMatch(/^mailboxes\/(create|get|update|delete): /);
  // One clean line for the user, not the provider's call chain.
  expect(typed.stack?.split("\n").length).toBeLessThanOrEqual(2);
  return typed;
}

describe.each(ANSWERS)("the switch answers with %s", (_label, reply) => {
  beforeEach(() => fake.script(reply));

  it("check reports a failure (the switch's own, or that it could not be asked), never throws", async () => {
    const result = await provider.check({}, INPUTS);
    expect(result.failures).toEqual([{ property: expect.any(String), reason: expect.any(String) }]);
    const [failure] = result.failures!;
    expect(failure!.reason).toMatch(
      failure!.property === "" ? /could not check this mailbox on the switch/ : /\w+/,
    );
  });

  it("create fails with a typed error, and never reports a mailbox it did not read back", async () => {
    await thrown(provider.create(INPUTS));
  });

  it("create fails the same way when only the read-back gets the odd answer, with the id to keep it by", async () => {
    fake.script(envelope([{ code: "204" }]), reply);
    const error = await thrown(provider.create(INPUTS));
    expect(error).toBeInstanceOf(MailboxInitError);
    const failed = error as MailboxInitError;
    expect(failed.message).toMatch(/^mailboxes\/get: mailbox 1234 was created but could not be read back: /);
    expect(failed.message).toMatch(/next `pulumi up`/);
    expect(failed.id).toBe("1/1234");
    // The outputs a successful create would give, from the declared values.
    expect(failed.properties).toMatchObject({
      ...INPUTS,
      adopt: false,
      copyPin: "",
      stateVersion: STATE_VERSION,
    });
    expect(failed.reasons).toEqual([expect.stringMatching(/^mailboxes\/get: /)]);
    expect(`${failed.message} ${failed.reasons.join(" ")}`).not.toContain(INPUTS.pin);
  });

  it("read fails with a typed error instead of taking the mailbox for gone", async () => {
    await thrown(provider.read("1/1234", OUTPUTS));
  });

  it("update fails with a typed error", async () => {
    await thrown(provider.update("1/1234", OUTPUTS, { ...INPUTS, description: "changed" }));
  });

  it("delete fails with a typed error instead of taking the mailbox for deleted", async () => {
    await thrown(provider.delete("1/1234", OUTPUTS));
  });
});

describe("an answer whose data has the wrong shape", () => {
  it.each([
    ["a string", "1234"],
    ["a list of several rows", [{ mailbox: "1234" }, { mailbox: "1235" }]],
    ["nothing", undefined],
  ])("get answering 200 with %s as data is a typed error, in create and in read", async (_label, data) => {
    fake.script(envelope([{ code: "204" }]), envelope([{ code: "200" }], data));
    const created = await thrown(provider.create(INPUTS));
    expect(created.message).toMatch(/mailboxes\/get: .*expected/);
    fake.script(envelope([{ code: "200" }], data));
    await thrown(provider.read("1/1234", OUTPUTS));
  });
});
