/**
 * The props the engine holds for `new enswitch.Mailbox(name, args)`, produced by the real `Mailbox`
 * class under `pulumi.runtime.setMocks` in preview mode: the type token and the registered inputs as
 * `newResource` receives them (the `pin` wrapped as a secret, `__provider` the serialized provider,
 * omitted fields absent, unknown outputs as the engine's unknown value). This is what a policy pack
 * is asked about during `pulumi preview`.
 */
import * as pulumi from "@pulumi/pulumi";
import { unknownValue } from "@pulumi/pulumi/runtime/rpc";
import type { MailboxArgs } from "../../provider/mailbox/args";
import { Mailbox } from "../../provider/mailbox/mailbox";

/** The type token and inputs of one registered Mailbox. */
export interface RegisteredMailbox {
  type: string;
  inputs: Record<string, unknown>;
}

const registered = new Map<string, pulumi.runtime.MockResourceArgs>();
let mocked: Promise<void> | undefined;

function mocks(): Promise<void> {
  mocked ??= pulumi.runtime.setMocks(
    {
      newResource: (args) => {
        registered.set(args.name, args);
        return { id: undefined, state: args.inputs };
      },
      call: () => ({}),
    },
    "mailboxes",
    "dev",
    true,
  );
  return mocked;
}

/**
 * What `newResource` receives for `new Mailbox(name, args)`. Names must be unique per test file, as in
 * a program.
 *
 * @example
 * ```ts
 * const { type, inputs } = await mailboxProps("sales", { mailbox: "2001", pin: "582947" });
 * ```
 */
export async function mailboxProps(name: string, args: MailboxArgs): Promise<RegisteredMailbox> {
  await mocks();
  const mailbox = new Mailbox(name, args);
  await new Promise<void>((resolve) => mailbox.urn.apply(() => resolve()));
  const seen = registered.get(name);
  if (!seen) throw new Error(`the Mailbox ${name} was not registered`);
  // setMocks deserializes the request, turning the wire's unknown value into `pulumi.unknown`; the
  // engine (and so the policy pack) gets the wire value.
  const inputs = Object.fromEntries(
    Object.entries(seen.inputs as Record<string, unknown>).map(([k, v]) => [
      k,
      pulumi.isUnknown(v) ? unknownValue : v,
    ]),
  );
  return { type: seen.type, inputs };
}
