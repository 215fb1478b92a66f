/**
 * A mailbox's whole life through Pulumi's own dynamic provider host, driven over gRPC as the engine
 * drives it, against the simulator: `__provider` comes from the real `Mailbox` class of the packed
 * package (in a program child), the host runs in a Pulumi project with that package installed.
 *
 * Each step of the main lifecycle arranges its own start: `createdMailbox` checks and creates a mailbox
 * with a number of its own (as the terraform scaffolding's steps each apply their config), so any step
 * runs alone (`npx jest test/host/lifecycle.test.ts -t "update"`) and no step depends on another.
 */
import { parseMailbox } from "../../provider/mailbox/schema";
import { recordMailboxes } from "../support/mailboxProgram";
import type { PropertyMap } from "../support/propertyValues";
import type { Registration } from "../support/registrationLog";
import { startTestbed, Testbed } from "../support/testbed";

const TYPE = "pulumi-nodejs:dynamic/enswitch:Mailbox";

let bed: Testbed;
let sales: Registration;
let adopted: Registration;

beforeAll(async () => {
  bed = await startTestbed({ name: "lifecycle" });
  ({ sales, adopted } = await recordMailboxes(bed.project, [
    { name: "sales", args: { mailbox: "4100", pin: "2468", description: "Sales", owner: 101 } },
    { name: "adopted", args: { mailbox: "4300", pin: "8642", description: "Adopted", adopt: true } },
  ]));
});

afterAll(async () => {
  await bed?.close();
});

/** What the simulator holds for a mailbox of customer 1. */
function onSwitch(mailbox: string) {
  return bed.sim.store.getMailbox(1, mailbox);
}

/** A mailbox as Pulumi keeps it after `up`: what the program declared, the checked inputs, the outputs. */
interface Created {
  declared: PropertyMap;
  id: string;
  inputs: PropertyMap;
  outputs: PropertyMap;
}

/** The `sales` declaration with its own number, checked and created, as the start of one step. */
async function createdMailbox(mailbox: string): Promise<Created> {
  const declared = { ...sales.inputs, mailbox };
  const checked = await bed.host.check(sales.urn, {}, declared);
  if (checked.failures.length > 0) {
    throw new Error(`arranging mailbox ${mailbox}: ${JSON.stringify(checked.failures)}`);
  }
  const created = await bed.host.create(sales.urn, checked.inputs);
  return { declared, id: created.id, inputs: checked.inputs, outputs: created.properties };
}

describe("the registration the real Mailbox class produces", () => {
  it("has the Mailbox type token and a __provider string", () => {
    expect(sales.type).toBe(TYPE);
    expect(typeof sales.inputs.__provider).toBe("string");
  });
});

describe("a mailbox's lifecycle through the provider host", () => {
  it("create: Check applies the defaults, Create makes the mailbox on the switch and returns complete outputs", async () => {
    const checked = await bed.host.check(sales.urn, {}, sales.inputs);
    expect(checked.failures).toEqual([]);
    const defaults = parseMailbox({ mailbox: "4100", pin: "2468" }, "create");
    if (!defaults.ok) throw new Error("the schema rejects the test's own mailbox");
    expect(checked.inputs).toMatchObject({
      notifyEmail: defaults.value.notifyEmail,
      play: defaults.value.play,
    });

    const created = await bed.host.create(sales.urn, checked.inputs);
    expect(created.id).toBe("1/4100");
    expect(onSwitch("4100")).toMatchObject({ mailbox: "4100", description: "Sales", owner: 101 });
    expect(bed.sim.store.pinMatches(1, "4100", "2468")).toBe(true);
    expect(created.properties).toMatchObject({
      mailbox: "4100",
      description: "Sales",
      owner: 101,
      customer: 1,
    });
  });

  it("diff without a change reports no changes", async () => {
    const m = await createdMailbox("4110");
    const checked = await bed.host.check(sales.urn, m.inputs, m.declared);
    const diff = await bed.host.diff(sales.urn, m.id, m.outputs, checked.inputs);
    expect(diff).toEqual({ changes: false, replaces: [], deleteBeforeReplace: false });
  });

  it("read finds a change made on the switch behind Pulumi's back and realigns the inputs", async () => {
    const m = await createdMailbox("4120");
    bed.sim.store.putMailbox(1, { mailbox: "4120", description: "changed by hand" });
    const read = await bed.host.read(sales.urn, m.id, m.outputs, m.inputs);
    expect(read.id).toBe(m.id);
    expect(read.properties.description).toBe("changed by hand");
    expect(read.inputs?.description).toBe("changed by hand");
    // The program still declares "Sales": the next deployment sees the drift as a change.
    const checked = await bed.host.check(sales.urn, read.inputs!, m.declared);
    expect((await bed.host.diff(sales.urn, m.id, read.properties, checked.inputs)).changes).toBe(true);
  });

  it("update changes the mailbox in place, sending only the changed fields", async () => {
    const m = await createdMailbox("4130");
    bed.sim.resetLog();
    const checked = await bed.host.check(sales.urn, m.inputs, {
      ...m.declared,
      description: "Sales team",
    });
    expect(checked.failures).toEqual([]);
    const diff = await bed.host.diff(sales.urn, m.id, m.outputs, checked.inputs);
    expect(diff).toMatchObject({ changes: true, replaces: [] });
    // Check asked the switch with validation=1; diff only compares and asks nothing.
    expect(bed.sim.requests.map((r) => `${r.fn} validation=${r.params.validation ?? 0}`)).toEqual([
      "mailboxes/update validation=1",
    ]);

    bed.sim.resetLog();
    const updated = await bed.host.update(sales.urn, m.id, m.outputs, checked.inputs);
    expect(updated.properties).toMatchObject({ mailbox: "4130", description: "Sales team", owner: 101 });
    expect(onSwitch("4130")?.description).toBe("Sales team");
    const sent = bed.sim.requests.filter((r) => r.fn === "mailboxes/update" && r.params.validation !== "1");
    expect(sent).toHaveLength(1);
    expect(sent[0]?.params).toMatchObject({ mailbox: "4130", description: "Sales team" });
    expect(sent[0]?.params).not.toHaveProperty("notify_email");
  });

  it("a new mailbox number replaces the mailbox: create the new one, then delete the old one", async () => {
    const m = await createdMailbox("4140");
    const checked = await bed.host.check(sales.urn, m.inputs, { ...m.declared, mailbox: "4141" });
    expect(checked.failures).toEqual([]);
    const diff = await bed.host.diff(sales.urn, m.id, m.outputs, checked.inputs);
    expect(diff.replaces).toContain("mailbox");
    expect(diff.deleteBeforeReplace).toBe(false);

    const created = await bed.host.create(sales.urn, checked.inputs);
    expect(created.id).toBe("1/4141");
    expect(onSwitch("4141")).toMatchObject({ description: "Sales", owner: 101 });
    await bed.host.delete(sales.urn, m.id, m.outputs);
    expect(onSwitch("4140")).toBeUndefined();
  });

  it("delete removes the mailbox from the switch", async () => {
    const m = await createdMailbox("4150");
    expect(onSwitch("4150")).toBeDefined();
    await bed.host.delete(sales.urn, m.id, m.outputs);
    expect(onSwitch("4150")).toBeUndefined();
  });

  it("delete of a mailbox that is already gone succeeds", async () => {
    const m = await createdMailbox("4160");
    expect(bed.sim.store.deleteMailbox(1, "4160")).toBe(true); // deleted by hand
    await expect(bed.host.delete(sales.urn, m.id, m.outputs)).resolves.toBeUndefined();
  });
});

describe("adopting an existing mailbox", () => {
  it("with adopt: true, create takes over the mailbox and updates it to the declared state", async () => {
    bed.sim.store.putMailbox(1, { mailbox: "4300", description: "made by hand", pin: "1111", owner: 102 });
    const checked = await bed.host.check(adopted.urn, {}, adopted.inputs);
    expect(checked.failures).toEqual([]);
    const created = await bed.host.create(adopted.urn, checked.inputs);
    expect(created.id).toBe("1/4300");
    expect(onSwitch("4300")).toMatchObject({ description: "Adopted" });
    expect(bed.sim.store.pinMatches(1, "4300", "8642")).toBe(true);
    expect(bed.sim.store.listMailboxes(1).filter((m) => m.mailbox === "4300")).toHaveLength(1);
    await bed.host.delete(adopted.urn, created.id, created.properties);
  });

  it("without adopt, Check refuses an existing mailbox on mailbox, saying how to adopt it", async () => {
    bed.sim.store.putMailbox(1, { mailbox: "4300", description: "made by hand", pin: "1111" });
    const { adopt: _adopt, ...withoutAdopt } = adopted.inputs;
    const checked = await bed.host.check(adopted.urn, {}, withoutAdopt);
    expect(checked.failures).toEqual([
      { property: "mailbox", reason: expect.stringContaining("adopt: true") },
    ]);
    expect(onSwitch("4300")?.description).toBe("made by hand");
  });
});

describe("check failures", () => {
  it("bad local input fails on its property with the schema's reason, without asking the switch", async () => {
    const news = { ...sales.inputs, notifyEmail: "x" };
    const expected = parseMailbox({ mailbox: "4100", pin: "2468", notifyEmail: "x" }, "create");
    if (expected.ok) throw new Error("the schema accepts notifyEmail x");
    bed.sim.resetLog();
    const checked = await bed.host.check(sales.urn, {}, news);
    expect(checked.failures).toEqual(expected.failures);
    expect(bed.sim.requests).toEqual([]);
  });

  it("a server-side rejection (a customer the login may not see) fails on customer with the switch's message", async () => {
    bed.sim.resetLog();
    const checked = await bed.host.check(sales.urn, {}, { ...sales.inputs, customer: 2 });
    expect(checked.failures).toEqual([
      { property: "customer", reason: expect.stringContaining("Invalid customer specified") },
    ]);
    // Only a dry run: nothing was made.
    expect(
      bed.sim.requests.filter((r) => r.fn === "mailboxes/create" && r.params.validation !== "1"),
    ).toEqual([]);
    expect(bed.sim.requests.some((r) => r.fn === "mailboxes/create")).toBe(true);
  });
});

describe("configuration", () => {
  it("without enswitch:url (and no environment), Check fails with the command that sets it", async () => {
    const host = await bed.startHost({});
    const checked = await host.check(sales.urn, {}, sales.inputs);
    expect(checked.failures).toEqual([
      { property: "", reason: expect.stringContaining("pulumi config set enswitch:url") },
    ]);
    await host.close();
  });

  it("the environment variables are the fallback when stack config is absent", async () => {
    const host = await bed.startHost(
      {},
      { ENSWITCH_URL: bed.sim.url, ENSWITCH_USERNAME: "admin", ENSWITCH_PASSWORD: "admin" },
    );
    // A number of its own: the create step's 4100 may be on the switch already.
    const news = { ...sales.inputs, mailbox: "4500" };
    expect((await host.check(sales.urn, {}, news)).failures).toEqual([]);
    await host.close();
  });
});
