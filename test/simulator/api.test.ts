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

  it("accepts newlines and 10 KB values and keeps them intact (no page caps or filters a string)", async () => {
    const long = "x".repeat(10 * 1024);
    const answer = await create({ mailbox: "12", pin: "1234", description: long, callerid: "a\nb\u0007" });
    expect(codes(answer)).toEqual(["204"]);
    expect(sim.requests[0]?.params).toMatchObject({ description: long, callerid: "a\nb\u0007" });
    expect(sim.store.getMailbox(1, "12")).toMatchObject({ description: long, callerid: "a\nb\u0007" });
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

  it("refuses a body over 1 MiB with a 400 envelope (API) or a 413 (control), and keeps serving", async () => {
    const huge = { ...ADMIN, description: "x".repeat(1024 * 1024) };
    expect((await post(sim.url, "mailboxes/list", huge)).json.responses).toEqual([
      { code: "400", key: "", message: "Request body too large." },
    ]);
    const control = await fetch(sim.url.replace("/api/json/", "/_simulator/faults"), {
      method: "POST",
      body: JSON.stringify(huge),
    });
    expect(control.status).toBe(413);
    expect(codes(await post(sim.url, "mailboxes/list", ADMIN))).toEqual(["200"]);
  });
});

describe("authentication (user/login page; the 4.1+ authentication tokens page)", () => {
  it("answers 401 for a wrong password or no credentials", async () => {
    expect(
      codes(await post(sim.url, "mailboxes/list", { auth_username: "admin", auth_password: "nope" })),
    ).toEqual(["401"]);
    expect(codes(await post(sim.url, "mailboxes/list", {}))).toEqual(["401"]);
  });

  it("user/login answers 200 with the user's fields, and no token without token=1", async () => {
    const login = await post(sim.url, "user/login", ADMIN);
    expect(login.json).toEqual({
      responses: [{ code: "200", key: "", message: "OK" }],
      data: { username: "admin", customer: 1, role: "administrator" },
    });
  });

  it("issues an auth_token with its expiry (seconds) and expires (Unix time), usable instead of the password", async () => {
    const now = Date.parse("2026-01-01T00:00:00Z");
    const clocked = await startSimulator({ tokenTtlSeconds: 600, now: () => now });
    try {
      const login = await post(clocked.url, "user/login", { ...ADMIN, token: "1" });
      expect(codes(login)).toEqual(["200"]);
      const data = login.json.data as Record<string, unknown>;
      expect(data).toMatchObject({
        username: "admin",
        customer: 1,
        auth_token_expiry: 600,
        auth_token_expires: now / 1000 + 600,
      });
      const token = data.auth_token as string;
      expect(token.split(".")).toHaveLength(3);
      expect(codes(await post(clocked.url, "mailboxes/list", { auth_token: token }))).toEqual(["200"]);
      expect(codes(await post(clocked.url, "mailboxes/list", { auth_token: `${token}x` }))).toEqual(["401"]);
      expect(
        codes(
          await post(clocked.url, "user/login", { auth_username: "admin", auth_password: "x", token: "1" }),
        ),
      ).toEqual(["401"]);
    } finally {
      await clocked.close();
    }
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

describe("roles and rate plans", () => {
  const user1 = { auth_username: "user1", auth_password: "user1" };

  it("needs an administrator for create and delete (402), not for get, list, update and destinations", async () => {
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
    const set = { ...user1, mailbox: "1", destinations: "" };
    expect(codes(await post(sim.url, "mailboxes/destinations/set", set))).toEqual(["204"]);
  });

  it("answers 403 on create and destinations/set, the pages that list it, and nowhere else", async () => {
    sim.store.putMailbox(1, { mailbox: "1", pin: "1234" });
    sim.store.setRatePlan(1, false);
    const one = { ...ADMIN, mailbox: "1" };
    expect(codes(await create({ mailbox: "2", pin: "1234" }))).toEqual(["403"]);
    expect(codes(await post(sim.url, "mailboxes/destinations/set", one))).toEqual(["403"]);
    expect(codes(await post(sim.url, "mailboxes/list", ADMIN))).toEqual(["200"]);
    expect(codes(await post(sim.url, "mailboxes/get", one))).toEqual(["200"]);
    expect(codes(await post(sim.url, "mailboxes/destinations/list", one))).toEqual(["200"]);
    expect(codes(await post(sim.url, "mailboxes/update", { ...one, panel: "1" }))).toEqual(["204"]);
    expect(codes(await post(sim.url, "mailboxes/delete", one))).toEqual(["204"]);
    sim.store.setRatePlan(1, true);
    expect(codes(await create({ mailbox: "2", pin: "1234" }))).toEqual(["204"]);
  });
});

describe("a customer the login may not see", () => {
  const admin2 = { auth_username: "admin2", auth_password: "admin2" };
  const page404 = (verb: string) => ({
    responses: [
      {
        code: "404",
        key: "",
        message: `The mailbox does not exist, or you do not have permission to ${verb} it.`,
      },
    ],
  });

  it("get, update, delete and destinations answer their page's 404, the same as for a missing mailbox", async () => {
    sim.store.putMailbox(1, { mailbox: "1", pin: "1234" });
    const verbs: [string, string][] = [
      ["mailboxes/get", "view"],
      ["mailboxes/update", "update"],
      ["mailboxes/delete", "delete"],
      ["mailboxes/destinations/list", "view"],
      ["mailboxes/destinations/set", "update"],
    ];
    for (const [fn, verb] of verbs) {
      const other = await post(sim.url, fn, { ...admin2, mailbox: "1", customer: "1" });
      const missing = await post(sim.url, fn, { ...ADMIN, mailbox: "404" });
      expect([fn, other.json]).toEqual([fn, page404(verb)]);
      expect(other.text).toBe(missing.text);
    }
    // Without mailbox, no mailbox matches: the same 404, as get and delete list no 400.
    expect((await post(sim.url, "mailboxes/get", ADMIN)).json).toEqual(page404("view"));
    expect(sim.store.getMailbox(1, "1")).toBeDefined();
  });

  it('list answers its documented 400 "Invalid customer specified"', async () => {
    for (const customer of ["1", "99", "abc"]) {
      const answer = await post(sim.url, "mailboxes/list", { ...admin2, customer });
      expect(answer.json).toEqual({
        responses: [{ code: "400", key: "customer", message: "Invalid customer specified." }],
      });
    }
  });

  it("create answers 400 on customer too: its page lists no 404 (not documented: the least invented)", async () => {
    const answer = await post(sim.url, "mailboxes/create", {
      ...admin2,
      mailbox: "2",
      pin: "1234",
      customer: "1",
    });
    expect(answer.json.responses).toEqual([
      { code: "400", key: "customer", message: "Invalid customer specified." },
    ]);
    expect(sim.store.listMailboxes(1)).toEqual([]);
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
      const at = (fn: string, params: Record<string, string>) =>
        post(reseller.url, fn, { ...auth, ...params });
      expect(codes(await at("mailboxes/create", { mailbox: "7", pin: "1234" }))).toEqual(["204"]);
      expect(codes(await at("mailboxes/create", { mailbox: "7", pin: "1234", customer: "2" }))).toEqual([
        "204",
      ]);
      expect(reseller.store.getMailbox(2, "7")?.timezone).toBe("America/New_York");
      expect(keys(await at("mailboxes/list", { customer: "3" }))).toEqual(["customer"]);
    } finally {
      await reseller.close();
    }
  });
});

describe("documented input rules of create (400, one entry per problem, each naming its key)", () => {
  const cases: [string, Record<string, string>, string][] = [
    ["no mailbox (required)", { pin: "1234" }, "mailbox"],
    ["an empty mailbox", { mailbox: "", pin: "1234" }, "mailbox"],
    ["neither pin nor copy_pin (pin required unless copy_pin)", { mailbox: "1" }, "pin"],
    ["an empty pin and an empty copy_pin", { mailbox: "1", pin: "", copy_pin: "" }, "pin"],
    ["copy_pin naming no mailbox of the customer", { mailbox: "1", copy_pin: "99" }, "copy_pin"],
    [
      "copy_pin naming the mailbox being created (it does not exist yet)",
      { mailbox: "1", copy_pin: "1" },
      "copy_pin",
    ],
    ["play outside oldest/newest", { mailbox: "1", pin: "1234", play: "random" }, "play"],
    [
      "notify_email outside owner/owner_wav/''",
      { mailbox: "1", pin: "1234", notify_email: "a@b.c" },
      "notify_email",
    ],
    [
      "notify_ltype outside its three values",
      { mailbox: "1", pin: "1234", notify_ltype: "" },
      "notify_ltype",
    ],
    [
      "notify_message outside owner/''",
      { mailbox: "1", pin: "1234", notify_message: "all" },
      "notify_message",
    ],
    ["notify_for all before Enswitch 4", { mailbox: "1", pin: "1234", notify_for: "all" }, "notify_for"],
    ["notify_for text before Enswitch 4", { mailbox: "1", pin: "1234", notify_for: "text" }, "notify_for"],
    ["a 0/1 integer that is not 0 or 1", { mailbox: "1", pin: "1234", saycid: "yes" }, "saycid"],
    ["a 0/1 integer of 2", { mailbox: "1", pin: "1234", envelope: "2" }, "envelope"],
    ["an owner that is not an integer", { mailbox: "1", pin: "1234", owner: "bob" }, "owner"],
    ["validation that is not 0 or 1", { mailbox: "1", pin: "1234", validation: "yes" }, "validation"],
  ];

  it.each(cases)("refuses %s", async (_name, params, key) => {
    const answer = await create(params);
    expect(answer.json.responses).toEqual([
      { code: "400", key, message: expect.stringMatching(/^Invalid /) },
    ]);
    expect(sim.store.listMailboxes(1)).toEqual([]);
  });

  it("refuses a number that exists in the customer (a mailbox is identified by customer and number)", async () => {
    sim.store.putMailbox(1, { mailbox: "0042", pin: "1234" });
    expect(keys(await create({ mailbox: "0042", pin: "1234" }))).toEqual(["mailbox"]);
    expect(codes(await create({ mailbox: "42", pin: "1234" }))).toEqual(["204"]);
    expect(codes(await create({ mailbox: "0042", pin: "1234", customer: "1" }))).toEqual(["400"]);
  });

  it("reports every invalid field, each as its own 400 entry, and validation=1 changes nothing either way", async () => {
    const answer = await create({ mailbox: "1", envelope: "2", play: "x", owner: "z", validation: "1" });
    expect(codes(answer).every((c) => c === "400")).toBe(true);
    expect(keys(answer).sort()).toEqual(["envelope", "owner", "pin", "play"]);
    expect(codes(await create({ mailbox: "1", pin: "1234", validation: "1" }))).toEqual(["201"]);
    expect(codes(await create({ mailbox: "1", pin: "1234", validation: "0" }))).toEqual(["204"]);
  });

  it("copies the PIN of a mailbox of the same customer; a pin sent with copy_pin is not used", async () => {
    await create({ mailbox: "1", pin: "4321" });
    expect(codes(await create({ mailbox: "2", copy_pin: "1" }))).toEqual(["204"]);
    expect(codes(await create({ mailbox: "3", copy_pin: "1", pin: "9999" }))).toEqual(["204"]);
    expect(sim.store.pinMatches(1, "2", "4321")).toBe(true);
    expect(sim.store.pinMatches(1, "3", "4321")).toBe(true);
    sim.store.putMailbox(2, { mailbox: "8", pin: "1111" });
    const admin2 = { auth_username: "admin2", auth_password: "admin2" };
    const other = await post(sim.url, "mailboxes/create", { ...admin2, mailbox: "9", copy_pin: "1" });
    expect(keys(other)).toEqual(["copy_pin"]);
  });
});

describe("where the pages are silent, the simulator accepts (as a generic switch would)", () => {
  const lenient: [string, Record<string, string>][] = [
    ["a mailbox with letters and signs", { mailbox: "sales-1", pin: "1234" }],
    ["a PIN of letters", { mailbox: "1", pin: "abcd" }],
    ["a PIN of 3 digits", { mailbox: "1", pin: "123" }],
    ["a PIN of 30 digits", { mailbox: "1", pin: "1".repeat(30) }],
    ["a description with a newline", { mailbox: "1", pin: "1234", description: "two\nlines" }],
    ["a dtype the pages do not list", { mailbox: "1", pin: "1234", dtype: "Queue-7" }],
    ["a pager that is not an e-mail address", { mailbox: "1", pin: "1234", pager: "not an address" }],
    ["a time zone no runtime knows", { mailbox: "1", pin: "1234", timezone: "Mars/Olympus" }],
    ["an owner that is no person of the customer", { mailbox: "1", pin: "1234", owner: "999" }],
    ["an owner of another customer", { mailbox: "1", pin: "1234", owner: "201" }],
    [
      "a long callerid and notify_dnumber",
      { mailbox: "1", pin: "1234", callerid: "9".repeat(200), notify_dnumber: "8".repeat(200) },
    ],
    ["notify_for empty (neither)", { mailbox: "1", pin: "1234", notify_for: "" }],
    ["a parameter no page lists (ignored)", { mailbox: "1", pin: "1234", colour: "red" }],
  ];

  it.each(lenient)("accepts %s", async (_name, params) => {
    expect(codes(await create(params))).toEqual(["204"]);
    const row = sim.store.getMailbox(1, params.mailbox as string);
    for (const [key, value] of Object.entries(params)) {
      if (key !== "pin" && key !== "colour")
        expect([key, row?.[key]]).toEqual([key, key === "owner" ? Number(value) : value]);
    }
    expect(row).not.toHaveProperty("colour");
    if (params.pin !== undefined)
      expect(sim.store.pinMatches(1, params.mailbox as string, params.pin)).toBe(true);
  });
});

describe("strict modes, for what a real switch may do", () => {
  it("pinRule: PINs of minLength to maxLength digits on create and update; copy_pin is not checked", async () => {
    const strict = await startSimulator({ pinRule: { minLength: 6, maxLength: 8 } });
    try {
      const at = (fn: string, params: Record<string, string>) =>
        post(strict.url, fn, { ...ADMIN, ...params });
      for (const pin of ["12345", "123456789", "12345a", "987654321012345"]) {
        const answer = await at("mailboxes/create", { mailbox: "1", pin });
        expect(answer.json.responses).toEqual([
          { code: "400", key: "pin", message: "Invalid pin: must be 6 to 8 digits." },
        ]);
        expect(answer.text).not.toContain(pin);
      }
      expect(codes(await at("mailboxes/create", { mailbox: "1", pin: "123456" }))).toEqual(["204"]);
      expect(codes(await at("mailboxes/create", { mailbox: "2", copy_pin: "1" }))).toEqual(["204"]);
      expect(keys(await at("mailboxes/update", { mailbox: "1", pin: "1234" }))).toEqual(["pin"]);
      expect(codes(await at("mailboxes/update", { mailbox: "1", pin: "12345678" }))).toEqual(["204"]);
    } finally {
      await strict.close();
    }
    await expect(startSimulator({ pinRule: { minLength: 5, maxLength: 4 } })).rejects.toThrow(RangeError);
  });

  it("updateValidation false: validation on update is an unknown parameter, so the update ACTS and answers 204", async () => {
    const plain = await startSimulator({ updateValidation: false });
    try {
      plain.store.putMailbox(1, { mailbox: "1", pin: "1234", description: "old" });
      const dry = { ...ADMIN, mailbox: "1", description: "changed by a dry run", validation: "1" };
      expect(codes(await post(plain.url, "mailboxes/update", dry))).toEqual(["204"]);
      expect(plain.store.getMailbox(1, "1")?.description).toBe("changed by a dry run");
      // Create and destinations/set still document validation.
      const create = { ...ADMIN, mailbox: "2", pin: "1234", validation: "1" };
      expect(codes(await post(plain.url, "mailboxes/create", create))).toEqual(["201"]);
    } finally {
      await plain.close();
    }
  });
});

describe("Enswitch versions", () => {
  it("4.x accepts notify_for all and text and defaults it to all; 3.13 behaves as 3.14", async () => {
    const v4 = await startSimulator({ enswitchVersion: "4.4" });
    const v313 = await startSimulator({ enswitchVersion: "3.13" });
    try {
      const at = (url: string, params: Record<string, string>) =>
        post(url, "mailboxes/create", { ...ADMIN, ...params });
      expect(codes(await at(v4.url, { mailbox: "1", pin: "1234" }))).toEqual(["204"]);
      expect(codes(await at(v4.url, { mailbox: "2", pin: "1234", notify_for: "text" }))).toEqual(["204"]);
      expect(v4.store.getMailbox(1, "1")?.notify_for).toBe("all");
      expect(keys(await at(v4.url, { mailbox: "3", pin: "1234", notify_for: "sms" }))).toEqual([
        "notify_for",
      ]);
      expect(keys(await at(v313.url, { mailbox: "1", pin: "1234", notify_for: "all" }))).toEqual([
        "notify_for",
      ]);
      expect(codes(await at(v313.url, { mailbox: "1", pin: "1234" }))).toEqual(["204"]);
      expect(v313.store.getMailbox(1, "1")?.notify_for).toBe("voicemail_fax");
    } finally {
      await v4.close();
      await v313.close();
    }
    await expect(startSimulator({ enswitchVersion: "latest" })).rejects.toThrow(RangeError);
  });
});

describe("get, list, update, delete", () => {
  it("get returns the row: API names, mailbox a string, integers as numbers, the seed's defaults, no PIN", async () => {
    await create({ mailbox: "0042", pin: "1234" });
    const answer = await post(sim.url, "mailboxes/get", { ...ADMIN, mailbox: "0042" });
    expect(answer.json).toEqual({
      responses: [{ code: "200", key: "", message: "OK" }],
      data: {
        mailbox: "0042",
        customer: 1,
        callerid: "",
        description: "",
        dtype: "hangup",
        dnumber: null, // "None."
        envelope: 0,
        notify_dnumber: "",
        notify_email: "owner_wav",
        notify_for: "voicemail_fax",
        notify_ltype: "voicemailbox",
        notify_message: "",
        notify_only: 0,
        owner: 0,
        pager: "",
        pager_attach: 0,
        panel: 0,
        play: "oldest",
        saycid: 1,
        sayduration: 1,
        temporary_active: 1,
        timezone: "Europe/London", // "Customer default."
      },
    });
  });

  it("list returns every row of the customer, ordered by number", async () => {
    for (const mailbox of ["10", "9", "100"]) await create({ mailbox, pin: "1234" });
    const answer = await post(sim.url, "mailboxes/list", ADMIN);
    expect((answer.json.data as { mailbox: string }[]).map((r) => r.mailbox)).toEqual(["9", "10", "100"]);
  });

  it('update changes only the given fields, "" clears, and validation=1 answers 201 and changes nothing', async () => {
    await create({
      mailbox: "1",
      pin: "1234",
      description: "old",
      pager: "a@example.com",
      timezone: "Asia/Tokyo",
    });
    const update = (params: Record<string, string>) =>
      post(sim.url, "mailboxes/update", { ...ADMIN, mailbox: "1", ...params });
    expect(codes(await update({ description: "dry", validation: "1" }))).toEqual(["201"]);
    expect(sim.store.getMailbox(1, "1")?.description).toBe("old");
    expect(codes(await update({ description: "new", pager: "", timezone: "", pin: "5555" }))).toEqual([
      "204",
    ]);
    expect(sim.store.getMailbox(1, "1")).toMatchObject({
      description: "new",
      pager: "",
      timezone: "Europe/London",
      saycid: 1,
    });
    expect(sim.store.pinMatches(1, "1", "5555")).toBe(true);
    expect(keys(await update({ play: "random", panel: "2" })).sort()).toEqual(["panel", "play"]);
  });

  it("update ignores copy_pin (not one of its parameters): no PIN is copied", async () => {
    await create({ mailbox: "1", pin: "1234" });
    await create({ mailbox: "2", pin: "9876" });
    const answer = await post(sim.url, "mailboxes/update", { ...ADMIN, mailbox: "1", copy_pin: "2" });
    expect(codes(answer)).toEqual(["204"]);
    expect(sim.store.pinMatches(1, "1", "1234")).toBe(true);
  });

  it("delete answers 204, then its page's 404", async () => {
    await create({ mailbox: "1", pin: "1234" });
    expect(codes(await post(sim.url, "mailboxes/delete", { ...ADMIN, mailbox: "1" }))).toEqual(["204"]);
    const again = await post(sim.url, "mailboxes/delete", { ...ADMIN, mailbox: "1" });
    expect(again.json.responses[0]?.message).toBe(
      "The mailbox does not exist, or you do not have permission to delete it.",
    );
  });

  it("delete has no validation parameter: validation=1 is ignored and the mailbox IS deleted", async () => {
    await create({ mailbox: "1", pin: "1234" });
    const answer = await post(sim.url, "mailboxes/delete", { ...ADMIN, mailbox: "1", validation: "1" });
    expect(codes(answer)).toEqual(["204"]);
    expect(sim.store.getMailbox(1, "1")).toBeUndefined();
  });
});

describe("destinations", () => {
  it("lists rows of mailbox_destinations, sets with validation, and forgets deleted mailboxes", async () => {
    for (const mailbox of ["1", "2", "3"]) await create({ mailbox, pin: "1234" });
    const list = async () =>
      (await post(sim.url, "mailboxes/destinations/list", { ...ADMIN, mailbox: "1" })).json.data;
    const set = (params: Record<string, string>) =>
      post(sim.url, "mailboxes/destinations/set", { ...ADMIN, mailbox: "1", ...params });
    expect(await list()).toEqual([]);
    expect(codes(await set({ destinations: "2,3", validation: "1" }))).toEqual(["201"]);
    expect(await list()).toEqual([]);
    expect(codes(await set({ destinations: "2,3" }))).toEqual(["204"]);
    expect(await list()).toEqual([
      { mailbox: "2", customer: 1 },
      { mailbox: "3", customer: 1 },
    ]);
    expect(keys(await set({ destinations: "2,99" }))).toEqual(["destinations"]);
    expect(keys(await set({ destinations: "2", validation: "2" }))).toEqual(["validation"]);
    await post(sim.url, "mailboxes/delete", { ...ADMIN, mailbox: "3" });
    expect(await list()).toEqual([{ mailbox: "2", customer: 1 }]);
  });

  it('destinations is optional, default "" (none): a set without it clears', async () => {
    for (const mailbox of ["1", "2"]) await create({ mailbox, pin: "1234" });
    await post(sim.url, "mailboxes/destinations/set", { ...ADMIN, mailbox: "1", destinations: "2" });
    expect(codes(await post(sim.url, "mailboxes/destinations/set", { ...ADMIN, mailbox: "1" }))).toEqual([
      "204",
    ]);
    expect(sim.store.getDestinations(1, "1")).toEqual([]);
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
