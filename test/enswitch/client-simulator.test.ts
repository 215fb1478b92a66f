/**
 * The client against the simulator over real HTTP on 127.0.0.1: every envelope code and error class,
 * hostile values arriving intact, retry and no-retry under each injected fault, look-before-retry,
 * token reuse, and a scan of everything observable for the password and the PIN.
 */
import { EnswitchClient } from "../../provider/enswitch/client";
import {
  EnswitchAuthenticationError,
  EnswitchError,
  EnswitchNotFoundError,
  EnswitchRatePlanError,
  EnswitchRoleError,
  EnswitchServerError,
  EnswitchTimeoutError,
  EnswitchValidationError,
} from "../../provider/enswitch/errors";
import { closeAgents } from "../../provider/enswitch/pool";
import { ConnectionSettings } from "../../provider/enswitch/settings";
import { Simulator, defaultFixture, startSimulator } from "../../provider/simulator";
import { ManualTimer, manualTimer } from "./manual-timer";

// A password full of separators, so that a missing encoding or a leak is visible.
const PASSWORD = "Adm1n;pw&x=y%z+ü";
const PIN = "48151623";

let sim: Simulator;
let clock = Date.now();
let sleeps: number[];
const logs: string[] = [];
const simulatorLogs: string[] = [];
const errors: EnswitchError[] = [];
// Attempts time out when the simulator logs that it hangs on one, not when a clock runs out.
let timer: ManualTimer;

beforeAll(async () => {
  const fixture = defaultFixture();
  fixture.users.find((u) => u.username === "admin")!.password = PASSWORD;
  sim = await startSimulator({
    fixture,
    tokenTtlSeconds: 600,
    now: () => clock,
    log: (l) => {
      simulatorLogs.push(l);
      if (/ fault=hang /.test(l)) timer.expire();
    },
  });
});
afterAll(async () => {
  await sim.close();
  await closeAgents();
});
beforeEach(() => {
  sim.faults.clear();
  sim.resetLog();
  sim.store.clear();
  sleeps = [];
  timer = manualTimer();
});

function client(overrides: Partial<ConnectionSettings> = {}): EnswitchClient {
  return new EnswitchClient({
    url: sim.url,
    username: "admin",
    password: PASSWORD,
    timeoutMs: 3000,
    attemptTimer: timer.attemptTimer,
    retries: 4,
    backoff: { baseMs: 50, maxMs: 400 },
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
  errors.push(error as EnswitchError);
  return error as EnswitchError;
}

const mailbox = (n: string, extra: Record<string, string> = {}) => ({ mailbox: n, pin: PIN, ...extra });

describe("envelope codes and error classes", () => {
  it("204 create, 200 get and list, 201 validation that changes nothing", async () => {
    const c = client();
    await c.createMailbox(mailbox("0100"), { validation: true });
    expect(sim.store.getMailbox(1, "0100")).toBeUndefined();
    expect(sim.requests[0]).toMatchObject({ fn: "mailboxes/create", code: "201", httpStatus: 200 });
    await c.createMailbox(mailbox("0100", { description: "Sales" }));
    expect(sim.requests[1].code).toBe("204");
    const row = await c.getMailbox("0100");
    expect(row).toMatchObject({ mailbox: "0100", description: "Sales" });
    expect(JSON.stringify(row)).not.toContain(PIN);
    expect((await c.listMailboxes()).map((r) => r.mailbox)).toEqual(["0100"]);
  });

  it("400 carries the key and the camelCase field; several 400s are all kept", async () => {
    const c = client();
    const one = (await failure(
      c.createMailbox(mailbox("1", { notify_email: "nope" })),
    )) as EnswitchValidationError;
    expect(one).toBeInstanceOf(EnswitchValidationError);
    expect(one.key).toBe("notify_email");
    expect(one.field).toBe("notifyEmail");
    const many = await failure(
      c.createMailbox(mailbox("1", { notify_email: "nope", owner: "abc", play: "random" })),
    );
    expect(many.responses.length).toBeGreaterThanOrEqual(3);
    for (const key of ["notify_email", "owner", "play"]) expect(many.message).toContain(key);
  });

  it("401 for a wrong password, with a hint that names the settings, not the values", async () => {
    const error = await failure(client({ password: "wrong-Pa55word" }).listMailboxes());
    expect(error).toBeInstanceOf(EnswitchAuthenticationError);
    expect(error.message).toMatch(/enswitch:username and enswitch:password/);
    expect(error.message).not.toContain("wrong-Pa55word");
  });

  it("402 when a user-role login creates", async () => {
    const error = await failure(
      client({ username: "user2", password: "user2" }).createMailbox(mailbox("2000")),
    );
    expect(error).toBeInstanceOf(EnswitchRoleError);
    expect(error.code).toBe("402");
  });

  it("403 when the customer's rate plan has no mailboxes", async () => {
    const error = await failure(
      client({ username: "admin3", password: "admin3" }).createMailbox(mailbox("3000")),
    );
    expect(error).toBeInstanceOf(EnswitchRatePlanError);
  });

  it("404 for a missing mailbox, another customer's mailbox, and a repeated delete", async () => {
    const c = client();
    expect(await failure(c.getMailbox("9999"))).toBeInstanceOf(EnswitchNotFoundError);
    await client({ username: "admin2", password: "admin2" }).createMailbox(mailbox("2001"));
    expect(await failure(c.getMailbox("2001", 2))).toBeInstanceOf(EnswitchNotFoundError);
    await c.createMailbox(mailbox("0101"));
    await c.deleteMailbox("0101");
    expect(await failure(c.deleteMailbox("0101"))).toBeInstanceOf(EnswitchNotFoundError);
  });

  it("updates keep omitted fields, and destinations round-trip", async () => {
    const c = client();
    await c.createMailbox(mailbox("0200", { description: "a", owner: "101" }));
    await c.createMailbox(mailbox("0201"));
    await c.updateMailbox("0200", 1, { description: "b" }, { validation: true });
    expect(sim.store.getMailbox(1, "0200")).toMatchObject({ description: "a" });
    await c.updateMailbox("0200", 1, { description: "b" });
    expect(await c.getMailbox("0200", 1)).toMatchObject({ description: "b", owner: 101 });
    await c.setDestinations("0200", undefined, ["0201"]);
    expect(await c.listDestinations("0200")).toEqual(["0201"]);
    expect(await failure(c.setDestinations("0200", undefined, ["7777"]))).toBeInstanceOf(
      EnswitchValidationError,
    );
  });
});

describe("hostile values arrive intact", () => {
  const hostile = [
    "a;auth_username=other",
    "x&mailbox=666",
    "k=v==",
    "100% + 50%25",
    "plus+sign and space",
    "line1\nline2\r\nline3",
    "ünïcödé 中文 😀",
    "#hash?query/slash\\back",
  ];

  it.each(["POST", "GET"] as const)("every separator and character survives %s", async (method) => {
    const c = client({ method });
    for (const value of hostile) {
      sim.resetLog();
      await c
        .createMailbox(mailbox("0300", { description: value }), { validation: true })
        .catch(() => undefined);
      const [seen] = sim.requests;
      expect(seen.params.description).toBe(value);
      expect(seen.params.mailbox).toBe("0300");
      expect(seen.params.auth_username).toBe("admin");
      expect(Object.keys(seen.params).sort()).toEqual(
        ["auth_password", "auth_username", "description", "mailbox", "pin", "validation"].sort(),
      );
    }
  });

  it("a 10 KB value arrives whole", async () => {
    const big = "ab;&=%+\n".repeat(1280);
    await client().createMailbox(mailbox("0301", { description: big }), { validation: true });
    expect(sim.requests[0].params.description).toBe(big);
  });

  it("an injection attempt in the mailbox number stays one value", async () => {
    await client().createMailbox(mailbox("1234;auth_username=other"), { validation: true });
    expect(sim.requests[0].params.mailbox).toBe("1234;auth_username=other");
    expect(sim.requests[0].params.auth_username).toBe("admin");
  });
});

describe("retries under injected faults", () => {
  beforeEach(async () => {
    await client().createMailbox(mailbox("0400"));
    sim.resetLog();
  });

  it.each([
    ["5xx", {}],
    ["reset", {}],
    ["429", { retryAfterSeconds: 2 }],
    ["hang", {}],
  ] as const)("a get survives two %s faults", async (kind, extra) => {
    sim.faults.set({ failNext: { kind, count: 2 }, only: ["mailboxes/get"], ...extra });
    const c = client();
    expect(await c.getMailbox("0400")).toMatchObject({ mailbox: "0400" });
    expect(sim.counts()).toEqual({ "mailboxes/get": 3 });
    expect(c.stats().retries).toBe(2);
    expect(sleeps).toEqual(kind === "429" ? [2000, 2000] : [25, 50]);
  });

  it("gives up after the configured retries", async () => {
    sim.faults.set({ failNext: { kind: "5xx", count: 10 } });
    const error = await failure(client({ retries: 2 }).listMailboxes());
    expect(error).toBeInstanceOf(EnswitchServerError);
    expect((error as EnswitchServerError).status).toBe(502);
    expect(sim.counts()).toEqual({ "mailboxes/list": 3 });
  });

  it("does not retry a timed-out read when retries are 0", async () => {
    sim.faults.set({ failNext: { kind: "hang", count: 1 } });
    expect(await failure(client({ retries: 0 }).getMailbox("0400"))).toBeInstanceOf(EnswitchTimeoutError);
    expect(sim.counts()).toEqual({ "mailboxes/get": 1 });
  });

  it("retries a lost update and a lost delete (both idempotent)", async () => {
    sim.faults.set({ failNext: { kind: "reset", count: 1 }, processThenFail: true });
    await client().updateMailbox("0400", 1, { description: "after" });
    expect(sim.counts()).toEqual({ "mailboxes/update": 2 });
    expect(sim.store.getMailbox(1, "0400")).toMatchObject({ description: "after" });
    sim.resetLog();
    sim.faults.set({ failNext: { kind: "5xx", count: 1 }, processThenFail: true });
    expect(await failure(client().deleteMailbox("0400", 1))).toBeInstanceOf(EnswitchNotFoundError);
    expect(sim.counts()).toEqual({ "mailboxes/delete": 2 });
    expect(sim.store.getMailbox(1, "0400")).toBeUndefined();
  });

  it("converges under seeded random faults: every read answered", async () => {
    sim.faults.set({
      seed: 7,
      serverErrorRate: 0.2,
      resetRate: 0.1,
      tooManyRequestsRate: 0.1,
      retryAfterSeconds: 0,
    });
    const c = client({ retries: 10 });
    const rows = await Promise.all(Array.from({ length: 30 }, () => c.getMailbox("0400")));
    expect(rows).toHaveLength(30);
    const faulted = sim.requests.filter((r) => r.fault).length;
    expect(faulted).toBeGreaterThan(0);
    expect(c.stats().retries).toBe(faulted);
    expect(sim.counts()["mailboxes/get"]).toBe(30 + faulted);
  });
});

describe("a create whose answer was lost", () => {
  it.each(["5xx", "reset", "hang"] as const)(
    "is recognised by looking, never sent twice, when it had happened (%s)",
    async (kind) => {
      sim.faults.set({ failNext: { kind, count: 1 }, only: ["mailboxes/create"], processThenFail: true });
      const c = client();
      await c.createMailbox(mailbox("0500", { description: "once" }));
      expect(sim.counts()).toEqual({ "mailboxes/create": 1, "mailboxes/get": 1 });
      expect(c.stats().lookBeforeRetry).toBe(1);
      expect(sim.store.listMailboxes(1).map((r) => r.mailbox)).toEqual(["0500"]);
    },
  );

  it("is sent again after the look answers 404, when it had not happened", async () => {
    sim.faults.set({ failNext: { kind: "5xx", count: 1 }, only: ["mailboxes/create"] });
    const c = client();
    await c.createMailbox(mailbox("0501"));
    expect(sim.requests.map((r) => `${r.fn} ${r.code || r.fault}`)).toEqual([
      "mailboxes/create 5xx",
      "mailboxes/get 404",
      "mailboxes/create 204",
    ]);
    expect(c.stats()).toMatchObject({ lookBeforeRetry: 0, retries: 1 });
  });

  it("is repeated without looking after a 429 (nothing was processed)", async () => {
    sim.faults.set({ failNext: { kind: "429", count: 1 }, only: ["mailboxes/create"], retryAfterSeconds: 1 });
    await client().createMailbox(mailbox("0502"));
    expect(sim.counts()).toEqual({ "mailboxes/create": 2 });
    expect(sleeps).toEqual([1000]);
  });
});

describe("token login", () => {
  it("logs in once, reuses the token, and logs in again after it expires", async () => {
    const c = client({ useToken: true });
    await c.createMailbox(mailbox("0600"));
    await c.getMailbox("0600");
    await c.listMailboxes();
    expect(sim.counts()["user/login"]).toBe(1);
    const afterLogin = sim.requests.filter((r) => r.fn !== "user/login");
    expect(afterLogin.every((r) => r.params.auth_token && !("auth_password" in r.params))).toBe(true);
    clock += 601_000;
    await c.getMailbox("0600");
    expect(sim.counts()["user/login"]).toBe(2);
    expect(sim.requests.slice(-3).map((r) => `${r.fn} ${r.code}`)).toEqual([
      "mailboxes/get 401",
      "user/login 200",
      "mailboxes/get 200",
    ]);
  });
});

describe("secrets", () => {
  it("the password, PIN and token are in no URL, log line or error text", async () => {
    // Exercise everything once more in this test so that it stands alone.
    const c = client({ useToken: true });
    await c.createMailbox(mailbox("0700"));
    await failure(c.createMailbox(mailbox("0700", { description: "another" })));
    await failure(client().createMailbox(mailbox("0701", { notify_email: PASSWORD })));
    sim.faults.set({ failNext: { kind: "5xx", count: 20 } });
    await failure(client({ retries: 1 }).getMailbox("0700"));
    sim.faults.clear();
    const tokens = sim.requests.map((r) => r.params.auth_token).filter((t): t is string => !!t);
    expect(tokens.length).toBeGreaterThan(0);
    const observable = [
      ...sim.requests.map((r) => r.rawUrl),
      ...logs,
      ...simulatorLogs,
      ...errors.flatMap((e) => [
        e.message,
        e.stack ?? "",
        String((e.cause as Error | undefined)?.message ?? ""),
      ]),
      ...errors.map((e) => JSON.stringify({ ...e, responses: e.responses })),
    ].join("\n");
    expect(logs.length).toBeGreaterThan(0);
    const forms = (s: string) => [s, encodeURIComponent(s), new URLSearchParams({ s }).toString().slice(2)];
    for (const secret of [PASSWORD, PIN, ...tokens]) {
      for (const form of forms(secret)) expect(observable).not.toContain(form);
    }
    // The POST bodies do carry the credentials: the scan above would have caught them in a URL.
    expect(sim.requests.some((r) => r.rawBody.includes(encodeURIComponent(PIN)))).toBe(true);
  });
});
