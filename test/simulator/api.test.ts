/** The simulator's Enswitch API, spoken to over real HTTP on 127.0.0.1 with plain fetch. */
import { Simulator, defaultFixture, startSimulator } from "../../provider/simulator";
import { ADMIN, codes, getRaw, keys, post } from "./http";

let sim: Simulator;
const logLines: string[] = [];

beforeAll(async () => {
  sim = await startSimulator({ log: (line) => logLines.push(line) });
});
afterAll(() => sim.close());
beforeEach(() => {
  sim.store.clear();
  sim.faults.clear();
  sim.resetLog();
});

const create = (params: Record<string, string>) => post(sim.url, "mailboxes/create", { ...ADMIN, ...params });

describe("the seed's example", () => {
  const example = "mailboxes/create/?auth_username=admin;auth_password=admin;mailbox=1234;pin=567890";

  it("with validation=1 answers 201 and creates nothing", async () => {
    const answer = await getRaw(sim.url, `${example};validation=1`);
    expect(answer.status).toBe(200);
    expect(answer.json).toEqual({ responses: [{ code: "201", key: "", message: expect.any(String) }] });
    expect(sim.store.listMailboxes(1)).toEqual([]);
  });

  it("answers exactly the documented envelope and creates the mailbox", async () => {
    const answer = await getRaw(sim.url, example);
    expect(answer.status).toBe(200);
    expect(answer.text).toBe('{"responses":[{"code":"204","key":"","message":"OK"}]}');
    expect(sim.store.getMailbox(1, "1234")).toMatchObject({ mailbox: "1234", customer: 1 });
    expect(sim.store.pinMatches(1, "1234", "567890")).toBe(true);
  });
});

describe("transport", () => {
  it("accepts & separators, no trailing slash, and POST with parameters in the query string", async () => {
    expect(
      codes(
        await getRaw(sim.url, "mailboxes/create?auth_username=admin&auth_password=admin&mailbox=1&pin=1234"),
      ),
    ).toEqual(["204"]);
    const response = await fetch(`${sim.url}mailboxes/get?mailbox=1`, {
      method: "POST",
      headers: { "content-type": "application/x-www-form-urlencoded" },
      body: "auth_username=admin;auth_password=admin",
    });
    expect(((await response.json()) as { data: { mailbox: string } }).data.mailbox).toBe("1");
  });

  it("decodes hostile values exactly, in a form body and in a query string", async () => {
    const description = "a;b&c=d%e+f g\u00e9\u6f22\ud83d\ude00";
    expect(codes(await create({ mailbox: "10", pin: "1234", description }))).toEqual(["204"]);
    const query = `auth_username=admin;auth_password=admin;mailbox=11;pin=1234;description=${encodeURIComponent(description)}`;
    expect(codes(await getRaw(sim.url, `mailboxes/create/?${query}`))).toEqual(["204"]);
    expect(sim.store.getMailbox(1, "10")?.description).toBe(description);
    expect(sim.store.getMailbox(1, "11")?.description).toBe(description);
  });

  it("records newlines and 10 KB values intact even when the schema refuses them", async () => {
    const long = "x".repeat(10 * 1024);
    const answer = await create({ mailbox: "12", pin: "1234", description: long, callerid: "a\nb" });
    expect(codes(answer)).toEqual(["400", "400"]);
    expect(keys(answer).sort()).toEqual(["callerid", "description"]);
    expect(sim.requests[0]?.params).toMatchObject({ description: long, callerid: "a\nb" });
  });

  it("reads + in a query string as a space, as form encoding says", async () => {
    await getRaw(
      sim.url,
      "mailboxes/create/?auth_username=admin;auth_password=admin;mailbox=13;pin=1234;description=a+b",
    );
    expect(sim.store.getMailbox(1, "13")?.description).toBe("a b");
  });

  it("answers unknown functions with a 404 envelope, not a stack trace", async () => {
    const answer = await getRaw(sim.url, "mailboxes/explode/?auth_username=admin;auth_password=admin");
    expect(answer.status).toBe(200);
    expect(answer.json).toEqual({ responses: [{ code: "404", key: "", message: "Function not found." }] });
    expect((await getRaw(sim.url.replace("/api/json/", "/elsewhere"), "")).status).toBe(404);
  });

  it("answers malformed requests with a 400 envelope and keeps serving", async () => {
    expect(codes(await getRaw(sim.url, "mailboxes/list/?auth_username=admin;auth_password=%zz"))).toEqual([
      "400",
    ]);
    expect(codes(await getRaw(sim.url, "mailboxes/list/?auth_username=%FF%FE"))).toEqual(["400"]);
    const json = await fetch(`${sim.url}mailboxes/list/`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify(ADMIN),
    });
    expect(((await json.json()) as { responses: { code: string }[] }).responses[0]?.code).toBe("400");
    expect(codes(await post(sim.url, "mailboxes/list", ADMIN))).toEqual(["200"]);
  });
});

describe("authentication", () => {
  it("answers 401 for a wrong password or no credentials", async () => {
    expect(
      codes(await post(sim.url, "mailboxes/list", { auth_username: "admin", auth_password: "nope" })),
    ).toEqual(["401"]);
    expect(codes(await post(sim.url, "mailboxes/list", {}))).toEqual(["401"]);
  });

  it("issues an auth_token with user/login token=1, usable instead of username and password", async () => {
    const login = await post(sim.url, "user/login", { ...ADMIN, token: "1" });
    expect(codes(login)).toEqual(["200"]);
    const token = (login.json.data as { auth_token: string }).auth_token;
    expect(token.split(".")).toHaveLength(3);
    expect(codes(await post(sim.url, "mailboxes/list", { auth_token: token }))).toEqual(["200"]);
    expect(codes(await post(sim.url, "mailboxes/list", { auth_token: `${token}x` }))).toEqual(["401"]);
    expect(
      codes(await post(sim.url, "user/login", { auth_username: "admin", auth_password: "x", token: "1" })),
    ).toEqual(["401"]);
  });

  it("refuses an expired token with 401", async () => {
    let now = Date.parse("2026-01-01T00:00:00Z");
    const clocked = await startSimulator({ tokenTtlSeconds: 60, now: () => now });
    try {
      const login = await post(clocked.url, "user/login", { ...ADMIN, token: "1" });
      const auth_token = (login.json.data as { auth_token: string }).auth_token;
      expect(codes(await post(clocked.url, "mailboxes/list", { auth_token }))).toEqual(["200"]);
      now += 60_000;
      expect(codes(await post(clocked.url, "mailboxes/list", { auth_token }))).toEqual(["401"]);
    } finally {
      await clocked.close();
    }
  });
});

describe("roles, rate plans and customers", () => {
  const user1 = { auth_username: "user1", auth_password: "user1" };

  it("needs an administrator for create and delete (402), not for get, list and update", async () => {
    expect(codes(await post(sim.url, "mailboxes/create", { ...user1, mailbox: "1", pin: "1234" }))).toEqual([
      "402",
    ]);
    sim.store.putMailbox(1, { mailbox: "1", pin: "1234" });
    expect(codes(await post(sim.url, "mailboxes/delete", { ...user1, mailbox: "1" }))).toEqual(["402"]);
    expect(codes(await post(sim.url, "mailboxes/get", { ...user1, mailbox: "1" }))).toEqual(["200"]);
    expect(codes(await post(sim.url, "mailboxes/list", user1))).toEqual(["200"]);
    expect(codes(await post(sim.url, "mailboxes/update", { ...user1, mailbox: "1", panel: "1" }))).toEqual([
      "204",
    ]);
  });

  it("answers 403 when the customer's rate plan disallows mailboxes", async () => {
    expect(
      codes(await post(sim.url, "mailboxes/list", { auth_username: "admin3", auth_password: "admin3" })),
    ).toEqual(["403"]);
    sim.store.setRatePlan(1, false);
    expect(codes(await create({ mailbox: "1", pin: "1234" }))).toEqual(["403"]);
    sim.store.setRatePlan(1, true);
    expect(codes(await create({ mailbox: "1", pin: "1234" }))).toEqual(["204"]);
  });

  it("hides another customer's mailbox behind the same 404 as a missing one", async () => {
    sim.store.putMailbox(1, { mailbox: "1", pin: "1234" });
    const admin2 = { auth_username: "admin2", auth_password: "admin2" };
    const other = await post(sim.url, "mailboxes/get", { ...admin2, mailbox: "1", customer: "1" });
    const missing = await post(sim.url, "mailboxes/get", { ...ADMIN, mailbox: "404" });
    expect(codes(other)).toEqual(["404"]);
    expect(other.text).toBe(missing.text);
    expect(codes(await post(sim.url, "mailboxes/get", { ...admin2, mailbox: "1" }))).toEqual(["404"]);
    expect(codes(await create({ mailbox: "2", pin: "1234", customer: "2" }))).toEqual(["404"]);
  });

  it("keeps the same number apart in two customers, and lets a reseller admin act on its customers", async () => {
    const fixture = defaultFixture();
    fixture.users.push({
      username: "reseller",
      password: "r",
      customer: 1,
      role: "administrator",
      customers: [2],
    });
    const reseller = await startSimulator({ fixture });
    try {
      const auth = { auth_username: "reseller", auth_password: "r" };
      expect(
        codes(await post(reseller.url, "mailboxes/create", { ...auth, mailbox: "7", pin: "1234" })),
      ).toEqual(["204"]);
      expect(
        codes(
          await post(reseller.url, "mailboxes/create", { ...auth, mailbox: "7", pin: "1234", customer: "2" }),
        ),
      ).toEqual(["204"]);
      expect(reseller.store.getMailbox(2, "7")?.timezone).toBe("America/New_York");
      expect(codes(await post(reseller.url, "mailboxes/list", { ...auth, customer: "3" }))).toEqual(["404"]);
    } finally {
      await reseller.close();
    }
  });
});

describe("input rules (400 with key and message)", () => {
  const cases: [string, Record<string, string>, string][] = [
    ["missing mailbox", { pin: "1234" }, "mailbox"],
    ["neither pin nor copy_pin", { mailbox: "1" }, "pin"],
    ["a PIN with letters", { mailbox: "1", pin: "12a4" }, "pin"],
    ["a PIN too short for the rule", { mailbox: "1", pin: "123" }, "pin"],
    ["a PIN too long for the rule", { mailbox: "1", pin: "12345678901" }, "pin"],
    ["copy_pin naming no mailbox", { mailbox: "1", copy_pin: "99" }, "copy_pin"],
    ["an unknown enum value", { mailbox: "1", pin: "1234", play: "random" }, "play"],
    ["a flag that is not 0/1", { mailbox: "1", pin: "1234", saycid: "yes" }, "saycid"],
    ["an owner that is not a number", { mailbox: "1", pin: "1234", owner: "bob" }, "owner"],
    ["an owner of another customer", { mailbox: "1", pin: "1234", owner: "201" }, "owner"],
    ["a time zone that does not exist", { mailbox: "1", pin: "1234", timezone: "Mars/Olympus" }, "timezone"],
    ["an unknown parameter", { mailbox: "1", pin: "1234", colour: "red" }, "colour"],
    ["notify_for all before Enswitch 4", { mailbox: "1", pin: "1234", notify_for: "all" }, "notify_for"],
  ];

  it.each(cases)("refuses %s", async (_name, params, key) => {
    const answer = await create(params);
    expect(answer.json.responses).toEqual([{ code: "400", key, message: expect.stringMatching(/\S/) }]);
    expect(sim.store.listMailboxes(1)).toEqual([]);
  });

  it("refuses a duplicate mailbox in the same customer", async () => {
    sim.store.putMailbox(1, { mailbox: "1", pin: "1234" });
    expect(keys(await create({ mailbox: "1", pin: "1234" }))).toEqual(["mailbox"]);
  });

  it("reports every invalid field, each as its own 400 entry", async () => {
    const answer = await create({
      mailbox: "1",
      pin: "1",
      envelope: "2",
      play: "x",
      owner: "999",
      timezone: "Nowhere",
    });
    expect(codes(answer).every((c) => c === "400")).toBe(true);
    expect(keys(answer).sort()).toEqual(["envelope", "owner", "pin", "play", "timezone"]);
  });

  it("never echoes the PIN in a message", async () => {
    const answer = await create({ mailbox: "1", pin: "987654321012345" });
    expect(keys(answer)).toEqual(["pin"]);
    expect(answer.text).not.toContain("987654321012345");
  });

  it("accepts an owner of the customer, owner 0, a real time zone and copy_pin of an existing mailbox", async () => {
    expect(codes(await create({ mailbox: "1", pin: "4321", owner: "101", timezone: "Asia/Tokyo" }))).toEqual([
      "204",
    ]);
    expect(codes(await create({ mailbox: "2", copy_pin: "1", owner: "0" }))).toEqual(["204"]);
    expect(sim.store.pinMatches(1, "2", "4321")).toBe(true);
    expect(codes(await create({ mailbox: "3", pin: "1234", timezone: "", customer: "" }))).toEqual(["204"]);
    expect(sim.store.getMailbox(1, "3")?.timezone).toBe("Europe/London");
  });

  it("follows a configured PIN rule and Enswitch 4 notify_for values", async () => {
    const v4 = await startSimulator({ pinRule: { minLength: 6, maxLength: 6 }, enswitchVersion: "4.4" });
    try {
      const at = (params: Record<string, string>) =>
        post(v4.url, "mailboxes/create", { ...ADMIN, ...params });
      expect(keys(await at({ mailbox: "1", pin: "1234" }))).toEqual(["pin"]);
      expect(codes(await at({ mailbox: "1", pin: "123456" }))).toEqual(["204"]);
      expect(codes(await at({ mailbox: "2", pin: "123456", notify_for: "text" }))).toEqual(["204"]);
      expect(v4.store.getMailbox(1, "1")?.notify_for).toBe("all");
    } finally {
      await v4.close();
    }
  });
});

describe("get, list, update, delete", () => {
  it("get returns the row with wire names and JSON types, the customer's time zone, never the PIN", async () => {
    await create({ mailbox: "0042", pin: "1234", owner: "102", panel: "1" });
    const answer = await post(sim.url, "mailboxes/get", { ...ADMIN, mailbox: "0042" });
    expect(codes(answer)).toEqual(["200"]);
    const row = answer.json.data as Record<string, unknown>;
    expect(row).toMatchObject({
      mailbox: "0042",
      customer: 1,
      owner: 102,
      panel: 1,
      saycid: 1,
      timezone: "Europe/London",
      notify_email: "owner_wav",
      notify_for: "voicemail_fax",
      dtype: "hangup",
    });
    expect(row).not.toHaveProperty("pin");
    expect(row).not.toHaveProperty("copy_pin");
    expect(answer.text).not.toContain('1234"');
  });

  it("list returns every row of the customer, ordered by number", async () => {
    for (const mailbox of ["10", "9", "100"]) await create({ mailbox, pin: "1234" });
    const answer = await post(sim.url, "mailboxes/list", ADMIN);
    expect((answer.json.data as { mailbox: string }[]).map((r) => r.mailbox)).toEqual(["9", "10", "100"]);
  });

  it('update changes only the given fields, "" clears, and validation=1 changes nothing', async () => {
    await create({
      mailbox: "1",
      pin: "1234",
      description: "old",
      pager: "a@example.com",
      timezone: "Asia/Tokyo",
    });
    expect(
      codes(
        await post(sim.url, "mailboxes/update", {
          ...ADMIN,
          mailbox: "1",
          description: "dry",
          validation: "1",
        }),
      ),
    ).toEqual(["201"]);
    expect(sim.store.getMailbox(1, "1")?.description).toBe("old");
    expect(
      codes(
        await post(sim.url, "mailboxes/update", {
          ...ADMIN,
          mailbox: "1",
          description: "new",
          pager: "",
          timezone: "",
          pin: "5555",
        }),
      ),
    ).toEqual(["204"]);
    expect(sim.store.getMailbox(1, "1")).toMatchObject({
      description: "new",
      pager: "",
      timezone: "Europe/London",
      saycid: 1,
    });
    expect(sim.store.pinMatches(1, "1", "5555")).toBe(true);
  });

  it("update refuses copy_pin and answers 404 for a missing mailbox", async () => {
    await create({ mailbox: "1", pin: "1234" });
    await create({ mailbox: "2", pin: "1234" });
    expect(keys(await post(sim.url, "mailboxes/update", { ...ADMIN, mailbox: "1", copy_pin: "2" }))).toEqual([
      "copy_pin",
    ]);
    expect(codes(await post(sim.url, "mailboxes/update", { ...ADMIN, mailbox: "3", panel: "1" }))).toEqual([
      "404",
    ]);
  });

  it("delete answers 204, then 404", async () => {
    await create({ mailbox: "1", pin: "1234" });
    expect(codes(await post(sim.url, "mailboxes/delete", { ...ADMIN, mailbox: "1" }))).toEqual(["204"]);
    expect(codes(await post(sim.url, "mailboxes/delete", { ...ADMIN, mailbox: "1" }))).toEqual(["404"]);
  });
});

describe("destinations", () => {
  it("sets, lists, validates and forgets deleted mailboxes", async () => {
    for (const mailbox of ["1", "2", "3"]) await create({ mailbox, pin: "1234" });
    const list = () => post(sim.url, "mailboxes/destinations/list", { ...ADMIN, mailbox: "1" });
    const set = (destinations: string, extra: Record<string, string> = {}) =>
      post(sim.url, "mailboxes/destinations/set", { ...ADMIN, mailbox: "1", destinations, ...extra });
    expect((await list()).json.data).toEqual([]);
    expect(codes(await set("2,3", { validation: "1" }))).toEqual(["201"]);
    expect((await list()).json.data).toEqual([]);
    expect(codes(await set("2, 3"))).toEqual(["204"]);
    expect((await list()).json.data).toEqual(["2", "3"]);
    expect(keys(await set("2,99"))).toEqual(["destinations"]);
    await post(sim.url, "mailboxes/delete", { ...ADMIN, mailbox: "3" });
    expect((await list()).json.data).toEqual(["2"]);
    expect(codes(await set(""))).toEqual(["204"]);
    expect((await list()).json.data).toEqual([]);
  });
});

describe("secrets", () => {
  it("keeps credentials and PINs out of the access log", async () => {
    logLines.length = 0;
    await create({ mailbox: "1", pin: "246813" });
    await getRaw(sim.url, "mailboxes/get/?auth_username=admin;auth_password=admin;mailbox=1");
    expect(logLines).toHaveLength(2);
    for (const line of logLines) {
      expect(line).not.toMatch(/admin|246813|auth_/);
    }
  });
});
