/**
 * What the provider does on a switch that does not behave like the published pages say: one that
 * ignores `validation` on update (it would carry a dry run out), and one whose answer to a create is
 * lost. Against a scripted switch on 127.0.0.1, since these are the answers a simulator gives only in
 * its strict modes.
 */
import { closeAgents } from "../../provider/enswitch/pool";
import { PropertyMap } from "../../provider/mailbox/inputs";
import { MailboxProvider } from "../../provider/mailbox/provider";
import { Simulator, startSimulator } from "../../provider/simulator";
import { FakeSwitch, Reply, SeenRequest, envelope, startFakeSwitch } from "../enswitch/fake-switch";

const PASSWORD = "Pw;9&zq=Lk%4";
const PIN = "48151623";

let fake: FakeSwitch;
let notices: string[];

beforeAll(async () => {
  fake = await startFakeSwitch();
});
afterAll(async () => {
  await fake.close();
  await closeAgents();
});
beforeEach(() => {
  fake.requests.length = 0;
  notices = [];
});

async function provider(extra: Record<string, unknown> = {}): Promise<MailboxProvider> {
  const values: Record<string, unknown> = {
    "enswitch:url": fake.url,
    "enswitch:username": "admin",
    "enswitch:password": PASSWORD,
    ...extra,
  };
  const p = new MailboxProvider({ env: {}, log: (line) => notices.push(line) });
  await p.configure({ config: { get: (key: string) => values[key] } });
  return p;
}

const fn = (r: SeenRequest) => r.rawUrl.replace(/^\/api\/json\/|\/(\?.*)?$/g, "");

/** A row as the switch would show the mailbox that `params` created in customer 1. */
function rowOf(params: URLSearchParams): Record<string, unknown> {
  const row: Record<string, unknown> = { customer: 1 };
  for (const [key, value] of params) if (!/^(auth_|pin$|copy_pin$|validation$)/.test(key)) row[key] = value;
  return row;
}

/** A deployed mailbox as state holds it, and a change to its description. */
const olds: PropertyMap = { mailbox: "2001", customer: 1, pin: PIN, description: "old", stateVersion: 1 };
const news: PropertyMap = { mailbox: "2001", customer: 1, pin: PIN, description: "new" };

describe("a switch without validation on update", () => {
  // It ignores the parameter and acts: 204, as the seed's create answers a real call.
  const ignoresValidation = () => fake.script(envelope([{ code: "204", message: "OK" }]));

  it("refuses to trust a dry run answered 204: the error says the switch may have acted and names the setting", async () => {
    ignoresValidation();
    const p = await provider();
    // Check is where a preview asks the switch (diff asks nothing): the failure blocks the preview.
    const { failures } = await p.check(olds, news);
    const reason = (failures ?? []).map((f) => f.reason).join("\n");
    expect(reason).toContain("may have carried the call out");
    expect(reason).toContain("may not support dry runs on mailboxes/update");
    expect(reason).toContain("enswitch:dryRunUpdates false");
    expect(reason).not.toContain(PASSWORD);
    // One call, never repeated.
    expect(fake.requests.map(fn)).toEqual(["mailboxes/update"]);
  });

  it.each([
    ["the stack setting", { "enswitch:dryRunUpdates": false }, undefined],
    [
      "a profile's setting",
      {
        "enswitch:connections": {
          lab: { url: "", username: "admin", password: PASSWORD, dryRunUpdates: "false" },
        },
      },
      "lab",
    ],
  ])("with dryRunUpdates false (%s), check and diff send no update at all", async (_, config, connection) => {
    ignoresValidation();
    const settings = JSON.parse(JSON.stringify(config)) as Record<string, unknown>;
    const profiles = settings["enswitch:connections"] as Record<string, { url: string }> | undefined;
    if (profiles) profiles.lab.url = fake.url;
    const p = await provider(settings);
    const stateOlds = connection ? { ...olds, connection } : olds;
    const wanted = connection ? { ...news, connection } : news;
    const checked = await p.check(stateOlds, wanted);
    expect(checked.failures ?? []).toEqual([]);
    expect(await p.diff("1/2001", stateOlds, checked.inputs)).toEqual({ changes: true, replaces: [] });
    expect(fake.requests).toEqual([]);
  });
});

describe("the simulator's strict mode: no validation on update (it acts)", () => {
  let sim: Simulator;
  beforeAll(async () => {
    sim = await startSimulator({ updateValidation: false });
  });
  afterAll(async () => {
    await sim.close();
  });

  async function deployed(extra: Record<string, unknown>) {
    const values = { "enswitch:url": sim.url, "enswitch:username": "admin", "enswitch:password": "admin" };
    const p = new MailboxProvider({ env: {} });
    await p.configure({ config: { get: (key: string) => ({ ...values, ...extra })[key] } });
    const inputs = (await p.check({}, { mailbox: "2001", pin: PIN, description: "old" }))
      .inputs as PropertyMap;
    const { id, outs } = await p.create(inputs);
    return { p, id, outs, inputs };
  }

  it("a preview's update dry run is refused in check as untrustworthy, naming enswitch:dryRunUpdates", async () => {
    sim.store.clear();
    const { p, outs, inputs } = await deployed({});
    const { failures } = await p.check(outs, { ...inputs, description: "new" });
    expect(failures).toEqual([
      {
        property: "",
        reason: expect.stringMatching(/may have carried the call out.*enswitch:dryRunUpdates false/),
      },
    ]);
  });

  it("with dryRunUpdates false, preview sends no update: the switch is changed only by the update itself", async () => {
    sim.store.clear();
    const { p, id, outs, inputs } = await deployed({ "enswitch:dryRunUpdates": false });
    const news = (await p.check(outs, { ...inputs, description: "new" })).inputs as PropertyMap;
    expect(await p.diff(id, outs, news)).toEqual({ changes: true, replaces: [] });
    expect(sim.store.getMailbox(1, "2001")).toMatchObject({ description: "old" });
    await p.update(id, outs, news);
    expect(sim.store.getMailbox(1, "2001")).toMatchObject({ description: "new" });
  });
});

describe("a create whose answer is lost", () => {
  /** Passes dry runs, loses the create's answer, then shows the mailbox as created, with `changed`. */
  function lostCreate(changed: Record<string, unknown>): Reply {
    let created = new URLSearchParams();
    return (r) => {
      if (r.params.get("validation") === "1") return envelope([{ code: "201" }]);
      if (fn(r) !== "mailboxes/create") return envelope([{ code: "200" }], { ...rowOf(created), ...changed });
      created = r.params;
      return { status: 502, body: "Bad Gateway" };
    };
  }

  it("is taken as created only when the switch shows the mailbox exactly as sent, and the user is told", async () => {
    fake.script(lostCreate({}));
    const p = await provider();
    const checked = await p.check({}, { mailbox: "2001", customer: 1, pin: PIN, description: "ours" });
    expect(checked.failures ?? []).toEqual([]);
    fake.requests.length = 0;
    const { id, outs } = await p.create(checked.inputs as PropertyMap);
    expect(id).toBe("1/2001");
    expect(outs).toMatchObject({ mailbox: "2001", description: "ours" });
    expect(fake.requests.map(fn)).toEqual(["mailboxes/create", "mailboxes/get", "mailboxes/get"]);
    expect(notices).toEqual([
      expect.stringMatching(/mailbox 2001 in customer 1 exactly as sent, so it is taken as created/),
    ]);
    for (const secret of [PIN, PASSWORD]) expect(notices.join("\n")).not.toContain(secret);
  });

  it("is never claimed when the switch shows the number with other settings", async () => {
    fake.script(lostCreate({ description: "someone else's" }));
    const p = await provider();
    const inputs = (await p.check({}, { mailbox: "2001", customer: 1, pin: PIN, description: "ours" }))
      .inputs;
    fake.requests.length = 0;
    const error = await p.create(inputs as PropertyMap).then(
      () => undefined,
      (e: unknown) => e as Error,
    );
    expect(error?.message).toMatch(/mailbox 2001 in customer 1 exists with other settings \(description\)/);
    expect(error?.message).toContain("If it is yours, add `adopt: true`");
    expect(error?.message).not.toContain(PIN);
    expect(fake.requests.map(fn)).toEqual(["mailboxes/create", "mailboxes/get"]);
    expect(notices).toEqual([]);
  });

  it("after a crash (the number already taken, exactly as declared), check lets it through and create takes it over, saying so", async () => {
    const declared = { mailbox: "2001", customer: 1, pin: PIN, description: "ours" };
    let existing: Record<string, unknown> = {};
    // The interrupted run's create reached the switch: capture the row it made.
    fake.script((r) => {
      if (fn(r) === "mailboxes/get") return envelope([{ code: "200" }], existing);
      existing = rowOf(r.params);
      return envelope([{ code: "204" }]);
    });
    const p = await provider({ "enswitch:dryRunCreates": false });
    await p.create((await p.check({}, declared)).inputs as PropertyMap);
    notices.length = 0;
    const taken = envelope([{ code: "400", key: "mailbox", message: "Mailbox already exists." }]);
    for (const [row, ok] of [
      [existing, true],
      [{ ...existing, description: "made by hand" }, false],
    ] as const) {
      fake.script((r) => (fn(r) === "mailboxes/create" ? taken : envelope([{ code: "200" }], row)));
      const next = await provider();
      const checked = await next.check({}, declared);
      if (!ok) {
        expect(checked.failures).toEqual([
          { property: "mailbox", reason: expect.stringContaining("adopt: true") },
        ]);
        continue;
      }
      expect(checked.failures ?? []).toEqual([]);
      const { id } = await next.create(checked.inputs as PropertyMap);
      expect(id).toBe("1/2001");
      expect(notices).toEqual([expect.stringMatching(/taken as created/)]);
    }
  });
});
