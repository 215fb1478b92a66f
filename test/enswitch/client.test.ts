import {
  EnswitchAuthenticationError,
  EnswitchConfigurationError,
  EnswitchConflictError,
  EnswitchDryRunError,
  EnswitchError,
  EnswitchNotFoundError,
  EnswitchRatePlanError,
  EnswitchRoleError,
  EnswitchServerError,
  EnswitchTimeoutError,
  EnswitchTransportError,
  EnswitchValidationError,
} from "../../provider/enswitch/errors";
import { EnswitchClient } from "../../provider/enswitch/client";
import { ConnectionSettings, DEFAULT_SETTINGS } from "../../provider/enswitch/settings";
import { closeAgents } from "../../provider/enswitch/pool";
import { FakeSwitch, Reply, SeenRequest, envelope, startFakeSwitch } from "./fake-switch";
import { ManualTimer, manualTimer } from "./manual-timer";

const PASSWORD = "Pw-4-Client;&=Tests";
const ok204 = envelope([{ code: "204", message: "OK" }]);
const found = envelope([{ code: "200" }], { mailbox: "1234", description: "x" });
/** The row of a mailbox exactly as `sent` created it (customer 2, as the switch shows it: a number). */
const sentRow = { mailbox: "1234", customer: 2, description: "ours", owner: 0, panel: 1 };
const sent = { mailbox: "1234", customer: "2", pin: "9876", description: "ours", owner: "0", panel: "1" };
const asSent = envelope([{ code: "200" }], sentRow);
const notFound = envelope([{ code: "404", message: "Mailbox not found" }]);
const bad502: Reply = {
  status: 502,
  headers: { "content-type": "text/html" },
  body: "<html>Bad Gateway</html>",
};
const busy429 = (seconds: string): Reply => ({ status: 429, headers: { "retry-after": seconds }, body: "" });

let fake: FakeSwitch;
let sleeps: number[];
let logs: string[];
let timer: ManualTimer;

beforeAll(async () => {
  fake = await startFakeSwitch();
});
afterAll(async () => {
  await fake.close();
  await closeAgents();
});
beforeEach(() => {
  fake.requests.length = 0;
  sleeps = [];
  logs = [];
  timer = manualTimer();
});

/** Receives the request, times its attempt out (the test's clock, not the machine's) and never answers. */
const hang: Reply = () => {
  timer.expire();
  return { hang: true };
};

function client(overrides: Partial<ConnectionSettings> = {}): EnswitchClient {
  return new EnswitchClient({
    url: fake.url,
    username: "admin",
    password: PASSWORD,
    retries: 4,
    backoff: { baseMs: 100, maxMs: 1000 },
    timeoutMs: 2000,
    attemptTimer: timer.attemptTimer,
    random: () => 0.5,
    sleep: async (ms) => {
      sleeps.push(ms);
    },
    logger: (line) => logs.push(line),
    ...overrides,
  });
}

async function failure(promise: Promise<unknown>): Promise<EnswitchError> {
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(EnswitchError);
  return error as EnswitchError;
}

const fns = () =>
  fake.requests.map((r) => r.rawUrl.replace(/^\/api\/json\/|\/$/g, "").replace(/\/\?.*$/, ""));

describe("safe calls are retried with backoff, jitter and Retry-After", () => {
  it("retries a get through 502, reset and 429, waiting the computed schedule", async () => {
    fake.script(bad502, { reset: true }, busy429("2"), found);
    const c = client();
    expect(await c.getMailbox("1234", 1)).toEqual({ mailbox: "1234", description: "x" });
    // Full jitter with random()=0.5: half of 100·2^n, but the 429 asked for 2 s.
    expect(sleeps).toEqual([50, 100, 2000]);
    expect(c.stats()).toEqual({ calls: { "mailboxes/get": 4 }, retries: 3, lookBeforeRetry: 0 });
    expect(fake.requests[0].params.get("customer")).toBe("1");
  });

  it("gives up after the configured retries with the last error", async () => {
    fake.script(bad502);
    const error = await failure(client({ retries: 2 }).listMailboxes());
    expect(error).toBeInstanceOf(EnswitchServerError);
    expect((error as EnswitchServerError).status).toBe(502);
    expect(error.message).toContain("HTTP 502 (text/html");
    expect(fake.requests).toHaveLength(3);
    expect(sleeps).toEqual([50, 100]);
  });

  it("retries a timed-out read", async () => {
    fake.script(hang, found);
    const c = client();
    await c.getMailbox("1234");
    expect(c.stats().retries).toBe(1);
  });

  it("does not retry answers: envelope errors, HTML, malformed JSON", async () => {
    for (const reply of [
      envelope([{ code: "500", message: "Database busy" }]),
      { status: 200, headers: { "content-type": "text/html" }, body: "<html>maintenance</html>" },
      { status: 200, headers: { "content-type": "application/json" }, body: '{"responses":[' },
      envelope([]),
    ]) {
      fake.requests.length = 0;
      fake.script(reply);
      await failure(client().getMailbox("1"));
      expect(fake.requests).toHaveLength(1);
    }
    expect(sleeps).toEqual([]);
  });

  it("does not repeat a generic call that changes something unless told it is safe", async () => {
    fake.script(bad502, ok204);
    expect(await failure(client().call("mailboxes/update", { mailbox: "1" }))).toBeInstanceOf(
      EnswitchServerError,
    );
    expect(fake.requests).toHaveLength(1);
    fake.script(bad502, ok204);
    await client().call("mailboxes/update", { mailbox: "1" }, { safeToRetry: true });
    expect(fake.requests).toHaveLength(3);
  });

  it("retries a write with validation=1 like a read", async () => {
    fake.script(bad502, envelope([{ code: "201" }]));
    await client().createMailbox({ mailbox: "1234", pin: "9876" }, { validation: true });
    expect(fns()).toEqual(["mailboxes/create", "mailboxes/create"]);
    expect(fake.requests.every((r) => r.params.get("validation") === "1")).toBe(true);
  });
});

describe("a create whose answer was lost is never repeated blindly", () => {
  it("looks with get after a 502 and takes the mailbox as created only when its row is exactly what was sent", async () => {
    fake.script(bad502, asSent);
    const c = client();
    const note = await c.createMailbox(sent);
    expect(fns()).toEqual(["mailboxes/create", "mailboxes/get"]);
    expect(fake.requests[1].params.get("mailbox")).toBe("1234");
    expect(fake.requests[1].params.get("customer")).toBe("2");
    expect(fake.requests[1].params.has("pin")).toBe(false);
    expect(c.stats().lookBeforeRetry).toBe(1);
    // Said to the user, without the PIN.
    expect(note).toMatch(
      /answer was lost \(502\).*mailbox 1234 in customer 2 exactly as sent, so it is taken as created/,
    );
    expect(logs).toContain(note);
    expect(`${note}\n${logs.join("\n")}`).not.toContain("9876");
  });

  it("never claims a mailbox that exists with other settings: an error naming it, and no resend", async () => {
    for (const row of [
      { ...sentRow, description: "someone else's" },
      { ...sentRow, owner: 7, panel: 0 },
      { mailbox: "1234", customer: 2 },
    ]) {
      fake.requests.length = 0;
      fake.script(bad502, envelope([{ code: "200" }], row));
      const c = client();
      const error = await failure(c.createMailbox(sent));
      expect(error).toBeInstanceOf(EnswitchConflictError);
      expect(error.message).toMatch(
        /mailbox 1234 in customer 2 exists with other settings \(.+\), so it is not taken as created/,
      );
      expect(error.message).toContain("if it is yours, add `adopt: true`".replace("if", "If"));
      expect(error.message).not.toContain("9876");
      expect(fns()).toEqual(["mailboxes/create", "mailboxes/get"]);
      expect(c.stats().lookBeforeRetry).toBe(0);
    }
  });

  it("after a crash, a create refused as taken is settled the same way: claimed only when exactly as sent", async () => {
    const taken = envelope([{ code: "400", key: "mailbox", message: "Mailbox already exists." }]);
    fake.script(taken, asSent);
    const note = await client().createMailbox(sent);
    expect(note).toMatch(/refused the number as taken.*exactly as sent, so it is taken as created/);
    expect(fns()).toEqual(["mailboxes/create", "mailboxes/get"]);
    fake.requests.length = 0;
    fake.script(taken, envelope([{ code: "200" }], { ...sentRow, description: "theirs" }));
    const error = await failure(client().createMailbox(sent));
    expect(error).toBeInstanceOf(EnswitchValidationError);
    expect(error.key).toBe("mailbox");
  });

  it("sends the create again only after get answered 404", async () => {
    fake.script({ reset: true }, notFound, ok204);
    const c = client();
    await c.createMailbox({ mailbox: "1234", pin: "9876" });
    expect(fns()).toEqual(["mailboxes/create", "mailboxes/get", "mailboxes/create"]);
    expect(c.stats()).toMatchObject({ retries: 1, lookBeforeRetry: 0 });
  });

  it("looks after a timeout too", async () => {
    fake.script(hang, found);
    const c = client();
    await c.createMailbox({ mailbox: "1234", pin: "9876" });
    expect(fns()).toEqual(["mailboxes/create", "mailboxes/get"]);
    expect(c.stats().lookBeforeRetry).toBe(1);
  });

  it("repeats a create refused with 429 without looking, honouring Retry-After", async () => {
    fake.script(busy429("1"), ok204);
    await client().createMailbox({ mailbox: "1234", pin: "9876" });
    expect(fns()).toEqual(["mailboxes/create", "mailboxes/create"]);
    expect(sleeps).toEqual([1000]);
  });

  it("says the outcome is unknown when the look fails too", async () => {
    fake.script(bad502, envelope([{ code: "401" }]));
    const error = await failure(client().createMailbox({ mailbox: "1234", pin: "9876" }));
    expect(error).toBeInstanceOf(EnswitchServerError);
    expect(error.message).toMatch(
      /answer lost .* mailboxes\/get then failed with EnswitchAuthenticationError/,
    );
    expect(error.message).toMatch(/may or may not exist/);
    expect(fns()).toEqual(["mailboxes/create", "mailboxes/get"]);
  });

  it("looks even when no retries are allowed, and then says whether it is safe to run again", async () => {
    fake.script(bad502, found);
    await client({ retries: 0 }).createMailbox({ mailbox: "1234", pin: "9876" });
    expect(fns()).toEqual(["mailboxes/create", "mailboxes/get"]);
    fake.requests.length = 0;
    fake.script(bad502, notFound);
    const error = await failure(client({ retries: 0 }).createMailbox({ mailbox: "1234", pin: "9876" }));
    expect(error).toBeInstanceOf(EnswitchServerError);
    expect(error.message).toMatch(
      /answer lost \(the switch answered HTTP 502.*\) and mailboxes\/get shows the mailbox was not created/,
    );
    expect(error.message).toMatch(/safe to run the deployment again/);
    expect(fns()).toEqual(["mailboxes/create", "mailboxes/get"]);
  });

  it("keeps the class of the lost answer when the look cannot settle it", async () => {
    fake.script(hang, bad502);
    const error = await failure(client({ retries: 1 }).createMailbox({ mailbox: "1234", pin: "9876" }));
    expect(error).toBeInstanceOf(EnswitchTimeoutError);
    expect(error.message).toMatch(/^mailboxes\/create: answer lost \(no complete answer within 2000 ms/);
    expect(error.message).not.toMatch(/raise timeoutMs/);
    expect(error.hint).toMatch(/mailboxes\/get/);
    expect(fns()).toEqual(["mailboxes/create", "mailboxes/get", "mailboxes/get"]);
  });

  it("reports a 400 from create at once, with key and field", async () => {
    fake.script(envelope([{ code: "400", key: "notify_email", message: "Invalid notify_email" }]));
    const error = (await failure(client().createMailbox({ mailbox: "1" }))) as EnswitchValidationError;
    expect(error).toBeInstanceOf(EnswitchValidationError);
    expect(error.field).toBe("notifyEmail");
    expect(fake.requests).toHaveLength(1);
  });
});

describe("idempotent writes", () => {
  it("retries an update whose answer was lost", async () => {
    fake.script({ reset: true }, ok204);
    await client().updateMailbox("1234", undefined, { description: "d" });
    expect(fns()).toEqual(["mailboxes/update", "mailboxes/update"]);
    expect(fake.requests[1].params.has("customer")).toBe(false);
  });

  it("retries a delete, and reports the 404 of a delete that had already happened", async () => {
    fake.script(bad502, notFound);
    const error = await failure(client().deleteMailbox("1234", 1));
    expect(error).toBeInstanceOf(EnswitchNotFoundError);
    expect(fns()).toEqual(["mailboxes/delete", "mailboxes/delete"]);
  });

  it("sets destinations as one comma-separated list and reads them back", async () => {
    fake.script(envelope([{ code: "201" }]));
    await client().setDestinations("1234", 1, ["1235", "1236"], { validation: true });
    expect(fake.requests[0].params.get("destinations")).toBe("1235,1236");
    expect(fake.requests[0].params.get("validation")).toBe("1");
    fake.script(envelope([{ code: "200" }], ["1235", 1236]));
    expect(await client().listDestinations("1234")).toEqual(["1235", "1236"]);
    fake.script(envelope([{ code: "200" }], []));
    expect(await client().listDestinations("1234")).toEqual([]);
  });
});

describe("dry runs never write", () => {
  it.each([
    [
      "mailboxes/update",
      "enswitch:dryRunUpdates",
      (c: EnswitchClient) => c.updateMailbox("1234", 1, { description: "d" }, { validation: true }),
    ],
    [
      "mailboxes/create",
      "enswitch:dryRunCreates",
      (c: EnswitchClient) => c.createMailbox({ mailbox: "1234", pin: "9876" }, { validation: true }),
    ],
  ])(
    "takes any answer but 201 to %s with validation=1 as a switch that may have acted, naming %s",
    async (fn, setting, call) => {
      for (const reply of [
        ok204,
        envelope([{ code: "200" }]),
        envelope([{ code: "201" }, { code: "204" }]),
      ]) {
        fake.requests.length = 0;
        fake.script(reply, envelope([{ code: "201" }]));
        const error = await failure(call(client()));
        expect(error).toBeInstanceOf(EnswitchDryRunError);
        expect(error.message).toContain(
          `may have carried the call out, and may not support dry runs on ${fn}`,
        );
        expect(error.message).toContain(`set ${setting} false`);
        // Never repeated: a second attempt would act a second time.
        expect(fake.requests).toHaveLength(1);
        expect(fake.requests[0].params.get("validation")).toBe("1");
      }
    },
  );

  it("passes a 201", async () => {
    fake.script(envelope([{ code: "201" }]));
    await client().updateMailbox("1234", 1, { description: "d" }, { validation: true });
  });
});

describe("a switch that never answers fails fast", () => {
  it("fails a call within 60 s with the default settings, naming the URL and the setting, then the rest of the run at once", async () => {
    const waits: number[] = [];
    const c = new EnswitchClient({
      url: fake.url,
      username: "admin",
      password: PASSWORD,
      random: () => 0.5,
      sleep: async (ms) => {
        waits.push(ms);
      },
      attemptTimer: (ms, onTimeout) => {
        waits.push(ms);
        return timer.attemptTimer(ms, onTimeout);
      },
    });
    fake.script(hang);
    const first = await failure(c.getMailbox("1234"));
    expect(first).toBeInstanceOf(EnswitchTimeoutError);
    // Every attempt ran to its full timeout: the time a real clock would have taken.
    const spent = waits.reduce((a, b) => a + b, 0);
    expect(spent).toBeLessThanOrEqual(60_000);
    expect(fake.requests).toHaveLength(DEFAULT_SETTINGS.consecutiveTimeouts);
    expect(first.message).toContain(fake.url);
    expect(first.message).toContain("enswitch:timeoutMs");
    const sentBefore = fake.requests.length;
    for (const next of [
      c.listMailboxes(),
      c.createMailbox({ mailbox: "1", pin: "9876" }),
      c.getMailbox("1"),
    ]) {
      const error = await failure(next);
      expect(error).toBeInstanceOf(EnswitchTimeoutError);
      expect(error.message.replace(/^[^:]+: /, "")).toBe(first.message.replace(/^[^:]+: /, ""));
    }
    expect(fake.requests).toHaveLength(sentBefore);
  });

  it("forgives timeouts that an answer interrupts", async () => {
    fake.script(hang, hang, found, hang, hang, found);
    const c = client();
    await c.getMailbox("1");
    await c.getMailbox("2");
    expect(fake.requests).toHaveLength(6);
  });
});

describe("reads", () => {
  it("lists rows and rejects data of the wrong shape", async () => {
    fake.script(envelope([{ code: "200" }], [{ mailbox: "1" }, { mailbox: "2" }]));
    expect(await client().listMailboxes(1)).toEqual([{ mailbox: "1" }, { mailbox: "2" }]);
    fake.script(envelope([{ code: "200" }], "nonsense"));
    expect(await failure(client().listMailboxes())).toBeInstanceOf(EnswitchTransportError);
    fake.script(envelope([{ code: "200" }]));
    expect(await failure(client().getMailbox("1"))).toBeInstanceOf(EnswitchTransportError);
  });

  it("maps a 404 of get to EnswitchNotFoundError", async () => {
    fake.script(notFound);
    expect(await failure(client().getMailbox("9999"))).toBeInstanceOf(EnswitchNotFoundError);
  });
});

describe("token login (Enswitch 4.1+)", () => {
  const login = (token: string) => envelope([{ code: "200" }], { auth_token: token, expires: 0 });
  const byFn = (fn: string) => (r: SeenRequest) => r.rawUrl.includes(fn);

  it("logs in once, reuses the token, and logs in again once after a 401", async () => {
    fake.script(login("tok-1"), found, found, envelope([{ code: "401" }]), login("tok-2"), found);
    const c = client({ useToken: true });
    await Promise.all([c.getMailbox("1"), c.getMailbox("2")]);
    await c.getMailbox("3");
    const logins = fake.requests.filter(byFn("user/login"));
    expect(logins).toHaveLength(2);
    expect(logins[0].params.get("token")).toBe("1");
    expect(logins[0].params.get("auth_password")).toBe(PASSWORD);
    const gets = fake.requests.filter(byFn("mailboxes/get"));
    expect(gets.map((r) => r.params.get("auth_token"))).toEqual(["tok-1", "tok-1", "tok-1", "tok-2"]);
    expect(gets.every((r) => !r.params.has("auth_password") && !r.params.has("auth_username"))).toBe(true);
    expect(c.stats().calls).toEqual({ "user/login": 2, "mailboxes/get": 4 });
  });

  it("does not loop when the fresh token is refused too", async () => {
    fake.script(login("a"), envelope([{ code: "401" }]), login("b"), envelope([{ code: "401" }]));
    const error = await failure(client({ useToken: true }).getMailbox("1"));
    expect(error).toBeInstanceOf(EnswitchAuthenticationError);
    expect(fake.requests).toHaveLength(4);
  });

  it("explains a switch without token support", async () => {
    fake.script(envelope([{ code: "200" }], {}));
    const error = await failure(client({ useToken: true }).getMailbox("1"));
    expect(error.message).toMatch(/useToken off/);
  });
});

describe("limits and guards", () => {
  it("keeps exactly maxConcurrency requests in flight", async () => {
    let inFlight = 0;
    let peak = 0;
    let open = () => {};
    const gate = new Promise<void>((resolve) => (open = resolve));
    let twoHeld = () => {};
    const bothHeld = new Promise<void>((resolve) => (twoHeld = resolve));
    // The switch holds every answer until the test opens the gate.
    fake.script(() => {
      peak = Math.max(peak, ++inFlight);
      if (inFlight === 2) twoHeld();
      return { ...found, after: gate.then(() => void inFlight--) } as Reply;
    });
    const c = client({ maxConcurrency: 2 });
    const calls = Promise.all([1, 2, 3, 4, 5, 6].map((n) => c.getMailbox(String(n))));
    await bothHeld;
    // Two requests reached the switch; every call started at once, so an unlimited client would by
    // now have counted all six attempts (counting happens before sending, with no I/O in between).
    expect(c.stats().calls).toEqual({ "mailboxes/get": 2 });
    open();
    await calls;
    expect(fake.requests).toHaveLength(6);
    expect(peak).toBe(2);
  });

  it("refuses parameters that would override authentication, and odd function names", async () => {
    const c = client();
    expect(await failure(c.call("mailboxes/get", { auth_username: "other" }))).toBeInstanceOf(
      EnswitchConfigurationError,
    );
    expect(await failure(c.call("../admin", {}))).toBeInstanceOf(EnswitchConfigurationError);
    expect(fake.requests).toHaveLength(0);
  });

  it("builds no client for plain http to a remote host", () => {
    expect(() => client({ url: "http://switch.example.com/api/json/" })).toThrow(EnswitchConfigurationError);
  });

  it("logs function, code, attempt and duration only", async () => {
    fake.script(bad502, found);
    await client().getMailbox("1234");
    expect(logs[0]).toMatch(/^enswitch mailboxes\/get attempt=1 failed EnswitchServerError code=502 \d+ms$/);
    expect(logs.at(-1)).toMatch(/^enswitch mailboxes\/get attempt=2 http=200 code=200 \d+ms$/);
    expect(logs.join("\n")).not.toContain("1234");
  });
});

describe("the password and PINs stay out of URLs, logs and errors", () => {
  const PIN = "70914236";
  /** The switch repeating every secret this request sent it, as a careless error page or message might. */
  const echoing =
    (reply: (echo: string) => Reply): Reply =>
    (request) => {
      const password = request.params.get("auth_password") ?? "";
      return reply(
        `auth_password=${password} ${encodeURIComponent(password)} pin=${request.params.get("pin")}`,
      );
    };
  const page = (status: number): Reply =>
    echoing((echo) => ({ status, headers: { "content-type": "text/html" }, body: `<pre>${echo}</pre>` }));
  const refused = (code: string): Reply =>
    echoing((echo) => envelope([{ code, key: "pin", message: `bad value ${echo}` }]));
  const login = (token: string) => envelope([{ code: "200" }], { auth_token: token, expires: 0 });
  const create = { mailbox: "1234", customer: "1", pin: PIN };
  /** Every way a call can fail, each with the switch echoing the password and the PIN it was sent. */
  const paths: [string, Reply[], (c: () => EnswitchClient) => Promise<unknown>][] = [
    ["retries exhausted on an error page", [page(502)], (c) => c().getMailbox("1", 1)],
    ["a 500 page, not retried (a write)", [page(500)], (c) => c().call("mailboxes/update", create)],
    ["an HTML page with HTTP 200", [page(200)], (c) => c().getMailbox("1")],
    [
      "malformed JSON",
      [echoing((echo) => ({ headers: { "content-type": "application/json" }, body: `{"x":"${echo}` }))],
      (c) => c().getMailbox("1"),
    ],
    [
      "data of the wrong shape",
      [echoing((echo) => envelope([{ code: "200" }], echo))],
      (c) => c().listMailboxes(),
    ],
    ["the switch's 400 on the PIN", [refused("400")], (c) => c().createMailbox(create, { validation: true })],
    ["401", [refused("401")], (c) => c().getMailbox("1")],
    ["402", [refused("402")], (c) => c().createMailbox(create)],
    ["403", [refused("403")], (c) => c().createMailbox(create)],
    ["404", [refused("404")], (c) => c().deleteMailbox("1234", 1)],
    ["500 in the envelope", [refused("500")], (c) => c().updateMailbox("1234", 1, { pin: PIN })],
    ["an unknown code", [refused("999")], (c) => c().getMailbox("1")],
    [
      "429 exhausted",
      [echoing((echo) => ({ status: 429, headers: { "retry-after": "1" }, body: echo }))],
      (c) => c().getMailbox("1"),
    ],
    ["resets exhausted", [{ reset: true }], (c) => c().createMailbox(create, { validation: true })],
    ["a lost create whose look fails", [page(502), refused("401")], (c) => c().createMailbox(create)],
    ["a lost create not made", [page(502), refused("404")], (c) => c().createMailbox(create)],
    ["a lost create timed out", [hang, page(502)], (c) => c().createMailbox(create)],
    [
      "a token refused twice",
      [login("tok-a"), refused("401"), login("tok-b"), refused("401")],
      (c) => c().createMailbox(create),
    ],
    [
      "a switch without tokens",
      [echoing((echo) => envelope([{ code: "200" }], { echo }))],
      (c) => c().getMailbox("1"),
    ],
    ["an override of authentication", [], (c) => c().call("mailboxes/get", { auth_password: PASSWORD })],
    ["an odd function name", [], (c) => c().call("../admin", { pin: PIN })],
  ];

  it("appears in no URL, log line, error message, stack or cause, on every error path", async () => {
    const errors: unknown[] = [];
    for (const [name, replies, run] of paths) {
      fake.script(...replies);
      const c = () => client({ retries: 1, useToken: name.includes("token") });
      const error = await run(c).then(
        () => new Error(`${name}: succeeded, so it provoked no error`),
        (e: unknown) => e,
      );
      expect([name, error]).toEqual([name, expect.any(EnswitchError)]);
      errors.push(error);
    }
    errors.push(
      ...[() => client({ url: "http://switch.example.com/api/json/" })].map((build) => {
        try {
          return build();
        } catch (error) {
          return error;
        }
      }),
    );
    // Every class of error the client throws was provoked.
    const classes = new Set(errors.map((e) => (e as Error).constructor));
    for (const kind of [
      EnswitchServerError,
      EnswitchTransportError,
      EnswitchTimeoutError,
      EnswitchValidationError,
      EnswitchAuthenticationError,
      EnswitchRoleError,
      EnswitchRatePlanError,
      EnswitchNotFoundError,
      EnswitchConfigurationError,
    ]) {
      expect([kind.name, classes.has(kind)]).toEqual([kind.name, true]);
    }
    // The secrets were there to leak: the switch received them.
    const received = fake.requests.map((r) => r.rawBody).join("\n");
    expect(received).toContain(encodeURIComponent(PASSWORD));
    expect(received).toContain(PIN);

    const seen = [
      ...fake.requests.map((r) => r.rawUrl),
      ...logs,
      ...errors.flatMap((e) => {
        const error = e as Error;
        const cause = error.cause as Error | undefined;
        return [
          error.message,
          error.stack ?? "",
          cause?.message ?? "",
          cause?.stack ?? "",
          JSON.stringify(error),
        ];
      }),
    ].join("\n");
    console.log(
      seen
        .split("\n")
        .filter((l) => l.includes(PIN))
        .join("\n"),
    );
    for (const secret of [PASSWORD, PIN]) {
      for (const form of [
        secret,
        encodeURIComponent(secret),
        new URLSearchParams({ p: secret }).toString().slice(2),
      ]) {
        expect(seen).not.toContain(form);
      }
    }
  });
});
