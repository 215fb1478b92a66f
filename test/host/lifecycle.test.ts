/**
 * A mailbox's whole life through Pulumi's own dynamic provider host, driven over gRPC as the engine
 * drives it, against the simulator: `__provider` comes from the real `Mailbox` class of the packed
 * package (in a program child), the host runs in a Pulumi project with that package installed.
 *
 * The steps of the main lifecycle build on each other and run in order.
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

describe("the registration the real Mailbox class produces", () => {
  it("has the Mailbox type token and a __provider string", () => {
    expect(sales.type).toBe(TYPE);
    expect(typeof sales.inputs.__provider).toBe("string");
  });
});

describe("a mailbox's lifecycle through the provider host", () => {
  const s: { checked?: PropertyMap; id?: string; outputs?: PropertyMap; inputs?: PropertyMap } = {};

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
    Object.assign(s, {
      checked: checked.inputs,
      id: created.id,
      outputs: created.properties,
      inputs: checked.inputs,
    });
  });

  it("diff without a change reports no changes", async () => {
    const checked = await bed.host.check(sales.urn, s.inputs!, sales.inputs);
    const diff = await bed.host.diff(sales.urn, s.id!, s.outputs!, checked.inputs);
    expect(diff).toEqual({ changes: false, replaces: [], deleteBeforeReplace: false });
  });

  it("read finds a change made on the switch behind Pulumi's back and realigns the inputs", async () => {
    bed.sim.store.putMailbox(1, { mailbox: "4100", description: "changed by hand" });
    const read = await bed.host.read(sales.urn, s.id!, s.outputs!, s.inputs);
    expect(read.id).toBe(s.id);
    expect(read.properties.description).toBe("changed by hand");
    expect(read.inputs?.description).toBe("changed by hand");
    s.outputs = read.properties;
    s.inputs = read.inputs;
    // The program still declares "Sales": the next deployment sees the drift as a change.
    const checked = await bed.host.check(sales.urn, s.inputs!, sales.inputs);
    expect((await bed.host.diff(sales.urn, s.id!, s.outputs, checked.inputs)).changes).toBe(true);
  });

  it("update changes the mailbox in place, sending only the changed fields", async () => {
    bed.sim.resetLog();
    const checked = await bed.host.check(sales.urn, s.inputs!, {
      ...sales.inputs,
      description: "Sales team",
    });
    expect(checked.failures).toEqual([]);
    const diff = await bed.host.diff(sales.urn, s.id!, s.outputs!, checked.inputs);
    expect(diff).toMatchObject({ changes: true, replaces: [] });
    // Check asked the switch with validation=1; diff reused that answer instead of asking again.
    expect(bed.sim.requests.map((r) => `${r.fn} validation=${r.params.validation ?? 0}`)).toEqual([
      "mailboxes/update validation=1",
    ]);

    bed.sim.resetLog();
    const updated = await bed.host.update(sales.urn, s.id!, s.outputs!, checked.inputs);
    expect(updated.properties).toMatchObject({ mailbox: "4100", description: "Sales team", owner: 101 });
    expect(onSwitch("4100")?.description).toBe("Sales team");
    const sent = bed.sim.requests.filter((r) => r.fn === "mailboxes/update" && r.params.validation !== "1");
    expect(sent).toHaveLength(1);
    expect(sent[0]?.params).toMatchObject({ mailbox: "4100", description: "Sales team" });
    expect(sent[0]?.params).not.toHaveProperty("notify_email");
    s.outputs = updated.properties;
    s.inputs = checked.inputs;
  });

  it("a new mailbox number replaces the mailbox: create the new one, then delete the old one", async () => {
    const checked = await bed.host.check(sales.urn, s.inputs!, { ...s.inputs, mailbox: "4101" });
    expect(checked.failures).toEqual([]);
    const diff = await bed.host.diff(sales.urn, s.id!, s.outputs!, checked.inputs);
    expect(diff.replaces).toContain("mailbox");
    expect(diff.deleteBeforeReplace).toBe(false);

    const created = await bed.host.create(sales.urn, checked.inputs);
    expect(created.id).toBe("1/4101");
    expect(onSwitch("4101")).toMatchObject({ description: "Sales team", owner: 101 });
    await bed.host.delete(sales.urn, s.id!, s.outputs!);
    expect(onSwitch("4100")).toBeUndefined();
    Object.assign(s, { id: created.id, outputs: created.properties, inputs: checked.inputs });
  });

  it("delete removes the mailbox from the switch", async () => {
    await bed.host.delete(sales.urn, s.id!, s.outputs!);
    expect(onSwitch("4101")).toBeUndefined();
  });

  it("delete of a mailbox that is already gone succeeds", async () => {
    await expect(bed.host.delete(sales.urn, s.id!, s.outputs!)).resolves.toBeUndefined();
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
    const checked = await bed.host.check(sales.urn, {}, { ...sales.inputs, customer: 2 });
    expect(checked.failures).toEqual([
      { property: "customer", reason: expect.stringContaining("Invalid customer specified") },
    ]);
    expect(onSwitch("4100")).toBeUndefined();
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
    expect((await host.check(sales.urn, {}, sales.inputs)).failures).toEqual([]);
    await host.close();
  });
});
