/**
 * The mailbox provider's handlers, called in-process the way the engine calls them (check, diff,
 * create, read, update, delete after configure), against the simulator on 127.0.0.1.
 */
import { unknownValue } from "@pulumi/pulumi/runtime/rpc";
import {
  EnswitchConfigurationError,
  EnswitchError,
  EnswitchNotFoundError,
  EnswitchValidationError,
} from "../../provider/enswitch/errors";
import { EnswitchClient } from "../../provider/enswitch/client";
import { closeAgents } from "../../provider/enswitch/pool";
import { MailboxExistsError } from "../../provider/mailbox/errors";
import { PropertyMap } from "../../provider/mailbox/inputs";
import { MailboxApi, MailboxProvider } from "../../provider/mailbox/provider";
import { mailboxFieldNames } from "../../provider/mailbox/schema";
import { Simulator, defaultFixture, startSimulator } from "../../provider/simulator";

// Distinctive secrets, so that a leak anywhere is visible.
const PASSWORD = "Pw;9&zq=Lk%4";
const PIN = "48151623";
const NEW_PIN = "90210417";
/** Within the schema's digits, beyond the PIN rule of 4 to 10 digits `sim` has: only the switch rejects it. */
const LONG_PIN = "481516234208";

let sim: Simulator;
let other: Simulator;

beforeAll(async () => {
  const fixture = defaultFixture();
  fixture.users.find((u) => u.username === "admin")!.password = PASSWORD;
  sim = await startSimulator({ fixture, pinRule: { minLength: 4, maxLength: 10 } });
  other = await startSimulator({ fixture: defaultFixture() });
});
afterAll(async () => {
  await sim?.close();
  await other?.close();
  await closeAgents();
});
beforeEach(() => {
  sim.store.clear();
  sim.resetLog();
  other.store.clear();
});

/** Stack config as the provider host hands it over. */
function stackConfig(values: Record<string, unknown>) {
  return { get: (key: string) => values[key] };
}

async function configured(
  values: Record<string, unknown> = {
    "enswitch:url": sim.url,
    "enswitch:username": "admin",
    "enswitch:password": PASSWORD,
  },
  env: Record<string, string> = {},
): Promise<MailboxProvider> {
  const p = new MailboxProvider({ env });
  await p.configure({ config: stackConfig(values) });
  return p;
}

/** What the engine keeps per resource between operations. */
interface Deployed {
  id: string;
  inputs: PropertyMap;
  outs: PropertyMap;
}

async function checked(p: MailboxProvider, olds: PropertyMap, news: PropertyMap): Promise<PropertyMap> {
  const result = await p.check(olds, news);
  expect(result.failures ?? []).toEqual([]);
  return result.inputs as PropertyMap;
}

/** `pulumi up` of a new mailbox: check, then create. */
async function createMailbox(p: MailboxProvider, news: PropertyMap): Promise<Deployed> {
  const inputs = await checked(p, {}, news);
  const { id, outs } = await p.create(inputs);
  return { id, inputs, outs: outs as PropertyMap };
}

function validationRequests(s: Simulator = sim) {
  return s.requests.filter((r) => r.params.validation === "1");
}

function writes(s: Simulator = sim) {
  return s.requests.filter((r) => r.params.validation !== "1" && r.fn !== "mailboxes/get");
}

async function thrown(promise: Promise<unknown>): Promise<EnswitchError> {
  try {
    await promise;
  } catch (error) {
    expect(error).toBeInstanceOf(EnswitchError);
    return error as EnswitchError;
  }
  throw new Error("expected a rejection");
}

describe("check", () => {
  it("applies the seed's defaults and keeps __provider", async () => {
    const p = await configured();
    const result = await p.check({}, { mailbox: "2001", pin: PIN, __provider: "text" });
    expect(result.failures).toBeUndefined();
    expect(result.inputs).toMatchObject({
      mailbox: "2001",
      pin: PIN,
      notifyEmail: "owner_wav",
      notifyFor: "voicemail_fax",
      saycid: true,
      owner: 0,
      copyPin: "",
      adopt: false,
      __provider: "text",
    });
    expect(result.inputs).not.toHaveProperty("timezone");
    expect(result.inputs).not.toHaveProperty("customer");
  });

  it("reports local problems on their properties without asking the switch", async () => {
    const p = await configured();
    const result = await p.check({}, { mailbox: 2001, pin: PIN, notifyEmail: "bogus", colour: "red" });
    const properties = (result.failures ?? []).map((f) => f.property).sort();
    expect(properties).toEqual(["colour", "mailbox", "notifyEmail"]);
    expect(sim.requests).toHaveLength(0);
  });

  it("asks the switch with validation=1 and puts its rejection on the camelCase property", async () => {
    const p = await configured();
    // Only this switch's PIN rule rejects it.
    const result = await p.check({}, { mailbox: "2001", pin: LONG_PIN });
    expect(result.failures).toEqual([
      { property: "pin", reason: expect.stringContaining("must be 4 to 10 digits") },
    ]);
    expect(validationRequests().map((r) => r.fn)).toEqual(["mailboxes/create"]);
    expect(sim.store.listMailboxes(1)).toEqual([]);
  });

  it("validates a change to an existing mailbox as mailboxes/update with only the changed fields", async () => {
    const p = await configured();
    const first = await createMailbox(p, { mailbox: "2001", pin: PIN });
    sim.resetLog();
    const result = await p.check(first.inputs, { mailbox: "2001", pin: PIN, description: "Sales" });
    expect(result.failures).toBeUndefined();
    const [request] = validationRequests();
    expect(request?.fn).toBe("mailboxes/update");
    expect(Object.keys(request!.params).sort()).toEqual(
      ["auth_password", "auth_username", "description", "mailbox", "validation"].sort(),
    );
  });

  it("tolerates unknown values during preview: no failure for them, and no remote step", async () => {
    const p = await configured();
    const result = await p.check(
      {},
      { mailbox: "2001", pin: unknownValue, owner: unknownValue, play: "bogus" },
    );
    expect(result.failures).toEqual([{ property: "play", reason: expect.any(String) }]);
    const clean = await p.check({}, { mailbox: unknownValue, pin: unknownValue });
    expect(clean.failures).toBeUndefined();
    expect(clean.inputs).toMatchObject({
      mailbox: unknownValue,
      pin: unknownValue,
      notifyEmail: "owner_wav",
    });
    expect(sim.requests).toHaveLength(0);
  });

  it("accepts copyPin naming a mailbox the deployment creates first, checking the rest with a stand-in PIN", async () => {
    const p = await configured();
    // Preview of a fresh stack: 2001 is declared but not created yet.
    const result = await p.check({}, { mailbox: "2002", copyPin: "2001", description: "Support" });
    expect(result.failures).toBeUndefined();
    const creates = validationRequests().filter((r) => r.fn === "mailboxes/create");
    expect(creates.map((r) => r.params.copy_pin ?? "")).toEqual(["2001", ""]);
    expect(creates[1]?.params.pin).toMatch(/^\d{4,20}$/);
    expect(JSON.stringify(result)).not.toContain(creates[1]!.params.pin!);
    // `up`: the source exists by now, and the real create copies its PIN.
    await createMailbox(p, { mailbox: "2001", pin: PIN });
    await createMailbox(p, { mailbox: "2002", copyPin: "2001" });
    expect(sim.store.pinMatches(1, "2002", PIN)).toBe(true);
  });

  it("still reports the rest of a mailbox whose copyPin source comes later", async () => {
    const p = await configured();
    // 2002 exists already, with other settings: the switch refuses the number as well as the copy_pin
    // source (one exactly as declared would be taken over: see switchSafety.test.ts).
    sim.store.putMailbox(1, { mailbox: "2002", description: "made by hand" });
    const result = await p.check({}, { mailbox: "2002", copyPin: "2001" });
    expect(result.failures).toEqual([
      { property: "mailbox", reason: expect.stringContaining("2002 already exists") },
    ]);
  });

  it("keeps the switch's copyPin refusal when the source exists, with no stand-in", async () => {
    // A switch stricter than the simulator: it refuses copy_pin although the source is there.
    const sent: Record<string, string>[] = [];
    const refusing: MailboxApi = {
      createMailbox: async (params) => {
        sent.push(params);
        throw new EnswitchValidationError("Invalid copy_pin: not allowed.", {
          fn: "mailboxes/create",
          code: "400",
          key: "copy_pin",
          responses: [{ code: "400", key: "copy_pin", message: "Invalid copy_pin: not allowed." }],
        });
      },
      getMailbox: async (mailbox) => ({ mailbox, customer: "1" }),
      updateMailbox: async () => undefined,
      deleteMailbox: async () => undefined,
    };
    const p = new MailboxProvider({ env: {}, createClient: () => refusing });
    await p.configure({
      config: stackConfig({
        "enswitch:url": sim.url,
        "enswitch:username": "admin",
        "enswitch:password": PASSWORD,
      }),
    });
    const result = await p.check({}, { mailbox: "2002", copyPin: "2001" });
    expect(result.failures).toEqual([
      { property: "copyPin", reason: expect.stringContaining("not allowed") },
    ]);
    expect(sent.map((params) => params.copy_pin)).toEqual(["2001"]);
  });

  it("says how to adopt when the number is already taken", async () => {
    sim.store.putMailbox(1, { mailbox: "2001", pin: "1111", description: "made by hand" });
    const p = await configured();
    const result = await p.check({}, { mailbox: "2001", pin: PIN });
    expect(result.failures).toEqual([
      { property: "mailbox", reason: expect.stringContaining("adopt: true") },
    ]);
  });

  it("turns a missing configuration into one failure naming the pulumi config commands", async () => {
    const p = await configured({});
    const result = await p.check({}, { mailbox: "2001", pin: PIN });
    expect(result.failures).toHaveLength(1);
    const [failure] = result.failures!;
    expect(failure?.property).toBe("");
    expect(failure?.reason).toContain("pulumi config set enswitch:url https://");
    expect(failure?.reason).toContain("pulumi config set --secret enswitch:password");
  });

  it("turns an unreachable switch into a failure, not an exception", async () => {
    const p = await configured({
      "enswitch:url": "http://127.0.0.1:1/api/json/",
      "enswitch:username": "admin",
      "enswitch:password": PASSWORD,
      "enswitch:retries": 0,
    });
    const result = await p.check({}, { mailbox: "2001", pin: PIN });
    expect(result.failures).toEqual([
      { property: "", reason: expect.stringContaining("could not check this mailbox on the switch") },
    ]);
    expect(JSON.stringify(result)).not.toContain(PASSWORD);
  });
});

describe("create and read", () => {
  it("creates the mailbox and returns every field's effective value, the customer and the state version", async () => {
    const p = await configured();
    const { id, outs } = await createMailbox(p, {
      mailbox: "2001",
      pin: PIN,
      owner: 101,
      description: "Sales",
    });
    expect(id).toBe("1/2001");
    expect(sim.store.getMailbox(1, "2001")).toMatchObject({ owner: 101, description: "Sales" });
    expect(sim.store.pinMatches(1, "2001", PIN)).toBe(true);
    // dnumber's default is "None": undeclared, it is not sent, and this switch shows none.
    for (const name of mailboxFieldNames().filter((n) => n !== "dnumber")) expect(outs).toHaveProperty(name);
    expect(outs).toMatchObject({
      mailbox: "2001",
      customer: 1,
      pin: PIN,
      owner: 101,
      timezone: "Europe/London", // the customer's zone: not declared
      stateVersion: 1,
      adopt: false,
    });
  });

  it("refuses a number that is already taken, saying how to adopt it", async () => {
    sim.store.putMailbox(1, { mailbox: "2001", pin: "1111", description: "made by hand" });
    const p = await configured();
    const error = await thrown(p.create({ mailbox: "2001", pin: PIN, adopt: false }));
    expect(error).toBeInstanceOf(MailboxExistsError);
    expect(error.message).toContain("adopt: true");
    expect(error.stack).not.toMatch(/provider\.ts|node_modules/);
  });

  it("reads drift made behind Pulumi's back and realigns the inputs", async () => {
    const p = await configured();
    const created = await createMailbox(p, { mailbox: "2001", pin: PIN, description: "Sales" });
    sim.store.putMailbox(1, { mailbox: "2001", description: "changed by hand", play: "newest" });
    const read = await p.read(created.id, created.outs);
    expect(read.id).toBe("1/2001");
    expect(read.props).toMatchObject({
      description: "changed by hand",
      play: "newest",
      pin: PIN,
      stateVersion: 1,
    });
    expect(read.inputs).toMatchObject({ description: "changed by hand", play: "newest", pin: PIN });
    expect(read.inputs).not.toHaveProperty("stateVersion");
  });

  it("reads a deleted mailbox as gone (empty id)", async () => {
    const p = await configured();
    const created = await createMailbox(p, { mailbox: "2001", pin: PIN });
    sim.store.deleteMailbox(1, "2001");
    expect(await p.read(created.id, created.outs)).toEqual({ id: "" });
  });
});

describe("diff and update", () => {
  it("finds no change when the program is unchanged, an omitted default counting as that default", async () => {
    const p = await configured();
    const created = await createMailbox(p, { mailbox: "2001", pin: PIN, notifyEmail: "owner_wav" });
    const news = await checked(p, created.inputs, { mailbox: "2001", pin: PIN });
    expect(await p.diff(created.id, created.outs, news)).toEqual({ changes: false });
  });

  it("updates in place, sending only what changed; check asked the switch, diff sends nothing", async () => {
    const p = await configured();
    const created = await createMailbox(p, { mailbox: "2001", pin: PIN, description: "Sales" });
    sim.resetLog();
    const news = await checked(p, created.inputs, { mailbox: "2001", pin: PIN, description: "", owner: 102 });
    expect(validationRequests()).toHaveLength(1); // check's
    expect(await p.diff(created.id, created.outs, news)).toEqual({ changes: true, replaces: [] });
    expect(validationRequests()).toHaveLength(1); // diff asked nothing
    const { outs } = await p.update(created.id, created.outs, news);
    const [update] = writes();
    expect(update?.params).toMatchObject({ description: "", owner: "102", mailbox: "2001", customer: "1" });
    expect(update?.params).not.toHaveProperty("pin");
    expect(outs).toMatchObject({ description: "", owner: 102, pin: PIN, stateVersion: 1 });
    expect(sim.store.getMailbox(1, "2001")).toMatchObject({ description: "", owner: 102 });
  });

  it("refuses in check an update the switch would reject, naming the property; diff only reports it", async () => {
    const p = await configured();
    const created = await createMailbox(p, { mailbox: "2001", pin: PIN });
    const refused = await p.check(created.inputs, { ...created.inputs, pin: LONG_PIN });
    expect(refused.failures).toEqual([
      { property: "pin", reason: expect.stringContaining("must be 4 to 10 digits") },
    ]);
    sim.resetLog();
    expect(await p.diff(created.id, created.outs, { ...created.inputs, pin: LONG_PIN })).toEqual({
      changes: true,
      replaces: [],
    });
    expect(sim.requests).toEqual([]);
  });

  it("says an update of a mailbox deleted by hand needs `pulumi refresh`, in check and in update", async () => {
    const p = await configured();
    const created = await createMailbox(p, { mailbox: "2001", pin: PIN });
    sim.store.deleteMailbox(1, "2001");
    const news = { ...created.inputs, description: "Sales" };
    const checkedNews = await p.check(created.inputs, news);
    expect(checkedNews.failures).toEqual([
      { property: "", reason: expect.stringContaining("pulumi refresh") },
    ]);
    const error = await thrown(p.update(created.id, created.outs, news));
    expect(error.message).toMatch(/deleted outside Pulumi.*pulumi refresh/);
    expect(error.message).not.toMatch(/404/);
  });

  it("fails on customer, not on the whole resource, for a customer the login cannot see", async () => {
    const p = await configured();
    const result = await p.check({}, { mailbox: "2001", pin: PIN, customer: 999 });
    expect(result.failures).toEqual([
      { property: "customer", reason: expect.stringContaining("Invalid customer") },
    ]);
  });

  it("treats a PIN change as an update and keeps the new PIN in the outputs", async () => {
    const p = await configured();
    const created = await createMailbox(p, { mailbox: "2001", pin: PIN });
    const news = await checked(p, created.inputs, { mailbox: "2001", pin: NEW_PIN });
    expect(await p.diff(created.id, created.outs, news)).toEqual({ changes: true, replaces: [] });
    const { outs } = await p.update(created.id, created.outs, news);
    expect(outs).toMatchObject({ pin: NEW_PIN });
    expect(sim.store.pinMatches(1, "2001", NEW_PIN)).toBe(true);
  });

  it("puts drift found by a refresh right on the next update", async () => {
    const p = await configured();
    const created = await createMailbox(p, { mailbox: "2001", pin: PIN, description: "Sales" });
    sim.store.putMailbox(1, { mailbox: "2001", description: "changed by hand" });
    const read = await p.read(created.id, created.outs);
    const news = await checked(p, read.inputs as PropertyMap, {
      mailbox: "2001",
      pin: PIN,
      description: "Sales",
    });
    expect(await p.diff(created.id, read.props as PropertyMap, news)).toEqual({
      changes: true,
      replaces: [],
    });
    await p.update(created.id, read.props as PropertyMap, news);
    expect(sim.store.getMailbox(1, "2001")).toMatchObject({ description: "Sales" });
  });

  it("replaces on a new number, creating the new mailbox before deleting the old", async () => {
    const p = await configured();
    const created = await createMailbox(p, { mailbox: "2001", pin: PIN });
    const news = await checked(p, created.inputs, { mailbox: "2002", pin: PIN });
    expect(await p.diff(created.id, created.outs, news)).toEqual({
      changes: true,
      replaces: ["mailbox"],
      deleteBeforeReplace: false,
    });
    const replacement = await p.create(news);
    await p.delete(created.id, created.outs);
    expect(replacement.id).toBe("1/2002");
    expect(sim.store.listMailboxes(1).map((m) => m.mailbox)).toEqual(["2002"]);
  });

  it("replaces on a declared customer change only, and ignores copyPin and adopt after creation", async () => {
    const p = await configured();
    const created = await createMailbox(p, { mailbox: "2001", pin: PIN });
    const same = { mailbox: "2001", customer: 1, copyPin: "2999", adopt: true };
    expect(await p.diff(created.id, created.outs, await checked(p, created.inputs, same))).toEqual({
      changes: false,
    });
    const moved = { mailbox: "2001", pin: PIN, customer: 2 };
    const diff = await p.diff(created.id, created.outs, { ...moved, __provider: "x" });
    expect(diff).toMatchObject({ changes: true, replaces: ["customer"], deleteBeforeReplace: false });
  });

  it("keeps an undeclared customer where the mailbox already is", async () => {
    const p = await configured();
    const created = await createMailbox(p, { mailbox: "2001", pin: PIN, customer: 1 });
    const news = await checked(p, created.inputs, { mailbox: "2001", pin: PIN });
    expect(news.customer).toBe(1);
    expect(await p.diff(created.id, created.outs, news)).toEqual({ changes: false });
  });

  it("finds no change when the program starts declaring the customer the mailbox already lives in", async () => {
    const p = await configured();
    const created = await createMailbox(p, { mailbox: "2001", pin: PIN });
    expect(created.inputs).not.toHaveProperty("customer");
    // Without the PIN too: naming the current customer is no replacement, so nothing needs one.
    const news = await checked(p, created.inputs, { mailbox: "2001", customer: 1 });
    expect(news.customer).toBe(1);
    expect(await p.diff(created.id, created.outs, news)).toEqual({ changes: false });
    const other = await p.check(created.inputs, { mailbox: "2001", customer: 2 });
    expect(other.failures).toEqual([{ property: "pin", reason: expect.any(String) }]);
  });

  it("plans for unknown values as changes", async () => {
    const p = await configured();
    const created = await createMailbox(p, { mailbox: "2001", pin: PIN });
    const news = await checked(p, created.inputs, { mailbox: "2001", pin: PIN, description: unknownValue });
    expect(await p.diff(created.id, created.outs, news)).toEqual({ changes: true, replaces: [] });
    const renumbered = await checked(p, created.inputs, { mailbox: unknownValue, pin: PIN });
    expect(await p.diff(created.id, created.outs, renumbered)).toMatchObject({ replaces: ["mailbox"] });
  });
});

describe("missing old state", () => {
  it("diff and update treat absent olds as empty instead of crashing", async () => {
    const p = await configured();
    const created = await createMailbox(p, { mailbox: "2001", pin: PIN });
    const olds = null as unknown as PropertyMap;
    expect(await p.diff(created.id, olds, created.inputs)).toMatchObject({ changes: true });
    const { outs } = await p.update(created.id, olds, { ...created.inputs, description: "Sales" });
    expect(outs).toMatchObject({ mailbox: "2001", description: "Sales" });
  });
});

describe("delete", () => {
  it("deletes the mailbox, and counts one that is already gone as deleted", async () => {
    const p = await configured();
    const created = await createMailbox(p, { mailbox: "2001", pin: PIN });
    await p.delete(created.id, created.outs);
    expect(sim.store.getMailbox(1, "2001")).toBeUndefined();
    await expect(p.delete(created.id, created.outs)).resolves.toBeUndefined();
  });

  it("confirms a 404 with get: a mailbox the login still sees was not deleted", async () => {
    const p = await configured();
    const created = await createMailbox(p, { mailbox: "2001", pin: PIN });
    // The simulator lets admin delete; a client whose delete answers 404 plays a login without the right.
    const refusing = new MailboxProvider({
      env: { ENSWITCH_URL: sim.url, ENSWITCH_USERNAME: "admin", ENSWITCH_PASSWORD: PASSWORD },
      createClient: (settings) => {
        const real = new EnswitchClient(settings);
        return {
          createMailbox: real.createMailbox.bind(real),
          getMailbox: real.getMailbox.bind(real),
          updateMailbox: real.updateMailbox.bind(real),
          deleteMailbox: async () => {
            throw new EnswitchNotFoundError("does not exist, or you do not have permission to delete it.", {
              fn: "mailboxes/delete",
              code: "404",
            });
          },
        };
      },
    });
    const error = await thrown(refusing.delete(created.id, created.outs));
    expect(error.message).toMatch(/still exists.*administrator/);
    expect(sim.store.getMailbox(1, "2001")).toBeDefined();
  });
});

describe("adopt", () => {
  it("takes over an existing mailbox, updating only what differs, without needing its PIN", async () => {
    sim.store.putMailbox(1, { mailbox: "2001", pin: "1111", description: "old", owner: 101 });
    const p = await configured();
    const inputs = await checked(p, {}, { mailbox: "2001", adopt: true, description: "Sales", owner: 101 });
    sim.resetLog();
    const { id, outs } = await p.create(inputs);
    expect(id).toBe("1/2001");
    expect(writes().map((r) => r.fn)).toEqual(["mailboxes/update"]);
    expect(writes()[0]?.params).toMatchObject({ description: "Sales" });
    expect(writes()[0]?.params).not.toHaveProperty("owner");
    expect(sim.store.pinMatches(1, "2001", "1111")).toBe(true);
    expect(outs).toMatchObject({ description: "Sales", adopt: true });
    expect(outs).not.toHaveProperty("pin");
  });

  it("creates the mailbox when there is nothing to adopt", async () => {
    const p = await configured();
    const { id } = await createMailbox(p, { mailbox: "2001", pin: PIN, adopt: true });
    expect(id).toBe("1/2001");
    expect(sim.store.pinMatches(1, "2001", PIN)).toBe(true);
  });

  it("asks for a PIN when there is nothing to adopt and none is given", async () => {
    const p = await configured();
    const result = await p.check({}, { mailbox: "2001", adopt: true });
    expect(result.failures).toEqual([{ property: "pin", reason: expect.stringContaining("needs pin") }]);
  });
});

describe("dryRunCreates false: new mailboxes left to the create call", () => {
  const withoutCreateDryRun = () =>
    configured({
      "enswitch:url": sim.url,
      "enswitch:username": "admin",
      "enswitch:password": PASSWORD,
      "enswitch:dryRunCreates": "false",
    });

  it("checks a new mailbox locally only: no call to the switch", async () => {
    const p = await withoutCreateDryRun();
    const result = await p.check({}, { mailbox: "2001", pin: PIN });
    expect(result.failures ?? []).toEqual([]);
    const local = await p.check({}, { mailbox: "2001", pin: 1234 });
    expect(local.failures).toEqual([{ property: "pin", reason: expect.stringContaining("must be text") }]);
    expect(sim.requests).toEqual([]);
  });

  it("lets the switch refuse the create itself, naming the property, with nothing created and no PIN shown", async () => {
    const p = await withoutCreateDryRun();
    const inputs = await checked(p, {}, { mailbox: "2001", pin: LONG_PIN });
    const error = await thrown(p.create(inputs));
    expect(error.message).toMatch(/pin/);
    expect(error.message).not.toContain(LONG_PIN);
    expect(sim.store.getMailbox(1, "2001")).toBeUndefined();
    expect(sim.requests.map((r) => r.fn)).toEqual(["mailboxes/create"]);
  });

  it("still checks an update with validation=1", async () => {
    const p = await withoutCreateDryRun();
    const created = await createMailbox(p, { mailbox: "2001", pin: PIN, description: "Sales" });
    sim.resetLog();
    await checked(p, created.inputs, { mailbox: "2001", pin: PIN, description: "Support" });
    expect(validationRequests().map((r) => r.fn)).toEqual(["mailboxes/update"]);
  });
});

describe("connections", () => {
  it("sends a mailbox with connection to that profile's switch", async () => {
    const p = await configured({
      "enswitch:url": sim.url,
      "enswitch:username": "admin",
      "enswitch:password": PASSWORD,
      // Structured config arrives as JSON text; a secret inside may still be wrapped.
      "enswitch:connections": JSON.stringify({
        staging: {
          url: other.url,
          username: "admin",
          password: {
            "4dabf18193072939515e22adb298388d": "1b47061264138c4ac30d75fd1eb44270",
            value: "admin",
          },
        },
      }),
    });
    const created = await createMailbox(p, { mailbox: "2001", pin: PIN, connection: "staging" });
    expect(created.outs).toMatchObject({ connection: "staging" });
    expect(other.store.getMailbox(1, "2001")).toBeDefined();
    expect(sim.store.getMailbox(1, "2001")).toBeUndefined();
    const moved = await checked(p, created.inputs, { mailbox: "2001", pin: PIN });
    expect(await p.diff(created.id, created.outs, moved)).toEqual({
      changes: true,
      replaces: ["connection"],
      deleteBeforeReplace: false,
    });
  });

  it("keeps the mailbox when another profile reaches the same switch: an update, no replacement", async () => {
    const p = await configured({
      "enswitch:url": sim.url,
      "enswitch:username": "admin",
      "enswitch:password": PASSWORD,
      "enswitch:connections": { again: { url: sim.url, username: "admin", password: PASSWORD } },
    });
    const created = await createMailbox(p, { mailbox: "2001", pin: PIN });
    const news = await checked(p, created.inputs, { mailbox: "2001", pin: PIN, connection: "again" });
    expect(await p.diff(created.id, created.outs, news)).toEqual({ changes: true, replaces: [] });
    const { outs } = await p.update(created.id, created.outs, news);
    expect(outs).toMatchObject({ connection: "again", mailbox: "2001" });
    expect(sim.requests.filter((r) => r.fn === "mailboxes/delete")).toEqual([]);
  });

  it("names the exact command for a profile's missing password, and no value", async () => {
    const p = await configured({
      "enswitch:connections": { staging: { url: other.url, username: "admin" } },
    });
    const error = await thrown(p.create({ mailbox: "2001", pin: PIN, connection: "staging", adopt: false }));
    expect(error).toBeInstanceOf(EnswitchConfigurationError);
    expect(error.message).toContain(
      "pulumi config set --path --secret enswitch:connections.staging.password",
    );
    expect(error.message).not.toContain(other.url);
    const unknownProfile = await p.check({}, { mailbox: "2001", pin: PIN, connection: "prod" });
    expect(unknownProfile.failures?.[0]?.reason).toContain('connection "prod" is not a profile');
  });

  it("falls back to ENSWITCH_URL, ENSWITCH_USERNAME and ENSWITCH_PASSWORD", async () => {
    const p = await configured(
      {},
      { ENSWITCH_URL: sim.url, ENSWITCH_USERNAME: "admin", ENSWITCH_PASSWORD: PASSWORD },
    );
    const { id } = await createMailbox(p, { mailbox: "2001", pin: PIN });
    expect(id).toBe("1/2001");
  });
});

describe("secrets", () => {
  it("never puts the password in inputs, outputs, failures or errors, nor the PIN outside `pin` or in a URL", async () => {
    const p = await configured();
    const seen: unknown[] = [];
    const created = await createMailbox(p, { mailbox: "2001", pin: PIN, description: "Sales" });
    seen.push(created);
    const tooLong = await p.check(created.inputs, { mailbox: "2001", pin: LONG_PIN });
    expect(tooLong.failures).toEqual([{ property: "pin", reason: expect.stringContaining("10 digits") }]);
    seen.push(tooLong);
    seen.push(await p.read(created.id, created.outs));
    const rejected = await thrown(p.create({ mailbox: "2001", pin: NEW_PIN, adopt: false }));
    seen.push(rejected.message, rejected.stack);
    const text = JSON.stringify(seen);
    expect(text).not.toContain(PASSWORD);
    const withoutPinFields = JSON.stringify(seen, (key, value) => (key === "pin" ? undefined : value));
    expect(withoutPinFields).not.toContain(PIN);
    expect(withoutPinFields).not.toContain(NEW_PIN);
    expect(withoutPinFields).not.toContain(LONG_PIN);
    for (const request of sim.requests) {
      expect(request.rawUrl).not.toContain(PASSWORD);
      expect(request.rawUrl).not.toContain(PIN);
    }
  });

  it("rejects inputs that never went through check with a validation error, not a crash", async () => {
    const p = await configured();
    const error = await thrown(p.create({ mailbox: 5, pin: PIN }));
    expect(error).toBeInstanceOf(EnswitchValidationError);
    expect(error.message).toContain("mailbox");
  });
});
