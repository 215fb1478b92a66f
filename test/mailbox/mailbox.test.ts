/**
 * The `Mailbox` class under `pulumi.runtime.setMocks`: what it registers with the engine (type token,
 * inputs, the serialized provider) and the outputs it exposes. The provider itself is not run here.
 */
import * as pulumi from "@pulumi/pulumi";
import { Mailbox } from "../../provider/mailbox/mailbox";
import { mailboxFieldNames } from "../../provider/mailbox/schema";
import { MAILBOX_TYPE } from "../../provider/mailbox/engine";

const registered: pulumi.runtime.MockResourceArgs[] = [];

beforeAll(async () => {
  await pulumi.runtime.setMocks(
    {
      newResource: (args) => {
        registered.push(args);
        return {
          id: `1/${String(args.inputs.mailbox)}`,
          state: { ...args.inputs, customer: 1, stateVersion: 1 },
        };
      },
      call: () => ({}),
    },
    "project",
    "stack",
    false,
  );
});

function value<T>(output: pulumi.Output<T>): Promise<T> {
  return new Promise((resolve) => output.apply(resolve));
}

describe("Mailbox", () => {
  it("registers as pulumi-nodejs:dynamic/enswitch:Mailbox, the token policies match on", async () => {
    const mb = new Mailbox("sales", { mailbox: "2001", pin: "4821" });
    await value(mb.id);
    expect(Mailbox.__pulumiType).toBe("pulumi-nodejs:dynamic/enswitch:Mailbox");
    expect(Mailbox.__pulumiType).toBe(MAILBOX_TYPE);
    expect(registered.find((r) => r.name === "sales")?.type).toBe(MAILBOX_TYPE);
    expect(Mailbox.isInstance(mb)).toBe(true);
    expect(Mailbox.isInstance({})).toBe(false);
  });

  it("passes the declared inputs and the serialized provider, nothing else", async () => {
    const mb = new Mailbox("support", { mailbox: "2002", pin: "4821", owner: 101 });
    await value(mb.id);
    const inputs = registered.find((r) => r.name === "support")!.inputs as Record<string, unknown>;
    expect(Object.keys(inputs).sort()).toEqual(["__provider", "mailbox", "owner", "pin"]);
    expect(typeof inputs.__provider).toBe("string");
  });

  it("makes the PIN a secret, whatever the program passed", async () => {
    const mb = new Mailbox("plain-pin", { mailbox: "2003", pin: "4821" });
    expect(await pulumi.isSecret(mb.pin)).toBe(true);
  });

  it("exposes every field as an output, declared or not", async () => {
    const mb = new Mailbox("few", { mailbox: "2004", pin: "4821" }) as unknown as Record<string, unknown>;
    for (const name of [...mailboxFieldNames(), "adopt", "connection", "stateVersion"]) {
      expect(pulumi.Output.isInstance(mb[name])).toBe(true);
    }
    expect(await value(mb.customer as pulumi.Output<number>)).toBe(1);
  });
});
