/**
 * `Mailbox`: one voicemail mailbox on an Enswitch switch, as a Pulumi resource.
 *
 * @example
 * ```ts
 * import * as pulumi from "@pulumi/pulumi";
 * import * as enswitch from "pulumi-enswitch";
 *
 * const config = new pulumi.Config();
 * const sales = new enswitch.Mailbox("sales", {
 *   mailbox: "2001",
 *   pin: config.requireSecret("salesPin"),
 *   owner: 101,
 *   description: "Sales team",
 * });
 * export const salesId = sales.id; // "1/2001": customer/mailbox
 * ```
 */
import * as pulumi from "@pulumi/pulumi";
import { MAILBOX_TYPE } from "./engine";
import type { MailboxArgs } from "./args";
import * as forwarder from "./forwarder";
import { MailboxField, MailboxFields, mailboxFieldNames, resourceFieldSchemas } from "./schema";

/** The outputs the provider adds to the mailbox fields and steering inputs. */
const PROVIDER_OUTPUTS = ["stateVersion"] as const;

/**
 * A voicemail mailbox. Inputs are the parameters of `mailboxes/create` in camelCase (see
 * {@link MailboxArgs}); every output is the switch's effective value, read back after each change.
 *
 * - `preview` checks the inputs locally and on the switch (`validation=1`); nothing changes.
 * - A new `mailbox` number, a declared `customer` or another `connection` replaces the mailbox
 *   (the new one is created before the old one is deleted); anything else updates it in place.
 * - `pin` is always a secret, in inputs, outputs and state.
 * - The connection comes from stack config (`enswitch:url`, `enswitch:username`, `enswitch:password`)
 *   or a profile of `enswitch:connections` named by `connection`; never from inputs.
 */
export class Mailbox extends pulumi.dynamic.Resource {
  /** The Pulumi type token, `pulumi-nodejs:dynamic/enswitch:Mailbox`, which policies match on. */
  static readonly __pulumiType: string = MAILBOX_TYPE;

  /** Whether `obj` is a `Mailbox`, also across copies of this package loaded twice. */
  static override isInstance(obj: unknown): obj is Mailbox {
    return (
      pulumi.CustomResource.isInstance(obj) &&
      (obj as unknown as { __pulumiType?: unknown }).__pulumiType === Mailbox.__pulumiType
    );
  }

  /** {@inheritDoc MailboxArgs.mailbox} */
  declare readonly mailbox: pulumi.Output<MailboxFields["mailbox"]>;
  /** The PIN this deployment last set (write-only on the switch). Always a secret. */
  declare readonly pin: pulumi.Output<string | undefined>;
  /** {@inheritDoc MailboxArgs.callerid} */
  declare readonly callerid: pulumi.Output<MailboxFields["callerid"]>;
  /** {@inheritDoc MailboxArgs.copyPin} As given at creation. */
  declare readonly copyPin: pulumi.Output<MailboxFields["copyPin"]>;
  /** The customer the mailbox is in: the declared one, else the authenticated user's. */
  declare readonly customer: pulumi.Output<number>;
  /** {@inheritDoc MailboxArgs.description} */
  declare readonly description: pulumi.Output<MailboxFields["description"]>;
  /** {@inheritDoc MailboxArgs.dtype} */
  declare readonly dtype: pulumi.Output<MailboxFields["dtype"]>;
  /** {@inheritDoc MailboxArgs.dnumber} */
  declare readonly dnumber: pulumi.Output<MailboxFields["dnumber"]>;
  /** {@inheritDoc MailboxArgs.envelope} */
  declare readonly envelope: pulumi.Output<MailboxFields["envelope"]>;
  /** {@inheritDoc MailboxArgs.notifyDnumber} */
  declare readonly notifyDnumber: pulumi.Output<MailboxFields["notifyDnumber"]>;
  /** {@inheritDoc MailboxArgs.notifyEmail} */
  declare readonly notifyEmail: pulumi.Output<MailboxFields["notifyEmail"]>;
  /** {@inheritDoc MailboxArgs.notifyFor} */
  declare readonly notifyFor: pulumi.Output<MailboxFields["notifyFor"]>;
  /** {@inheritDoc MailboxArgs.notifyLtype} */
  declare readonly notifyLtype: pulumi.Output<MailboxFields["notifyLtype"]>;
  /** {@inheritDoc MailboxArgs.notifyMessage} */
  declare readonly notifyMessage: pulumi.Output<MailboxFields["notifyMessage"]>;
  /** {@inheritDoc MailboxArgs.notifyOnly} */
  declare readonly notifyOnly: pulumi.Output<MailboxFields["notifyOnly"]>;
  /** {@inheritDoc MailboxArgs.owner} */
  declare readonly owner: pulumi.Output<MailboxFields["owner"]>;
  /** {@inheritDoc MailboxArgs.pager} */
  declare readonly pager: pulumi.Output<MailboxFields["pager"]>;
  /** {@inheritDoc MailboxArgs.pagerAttach} */
  declare readonly pagerAttach: pulumi.Output<MailboxFields["pagerAttach"]>;
  /** {@inheritDoc MailboxArgs.panel} */
  declare readonly panel: pulumi.Output<MailboxFields["panel"]>;
  /** {@inheritDoc MailboxArgs.play} */
  declare readonly play: pulumi.Output<MailboxFields["play"]>;
  /** {@inheritDoc MailboxArgs.saycid} */
  declare readonly saycid: pulumi.Output<MailboxFields["saycid"]>;
  /** {@inheritDoc MailboxArgs.sayduration} */
  declare readonly sayduration: pulumi.Output<MailboxFields["sayduration"]>;
  /** {@inheritDoc MailboxArgs.temporaryActive} */
  declare readonly temporaryActive: pulumi.Output<MailboxFields["temporaryActive"]>;
  /** The time zone in effect: the declared one, else the customer's. */
  declare readonly timezone: pulumi.Output<string>;
  /** {@inheritDoc MailboxArgs.adopt} As of the last create or update. */
  declare readonly adopt: pulumi.Output<boolean>;
  /** {@inheritDoc MailboxArgs.connection} */
  declare readonly connection: pulumi.Output<string | undefined>;
  /** The layout version of this mailbox's state, so that later versions of the package can read it. */
  declare readonly stateVersion: pulumi.Output<number>;

  /**
   * @param name The Pulumi resource name (unique in the stack; not the mailbox number).
   * @param args The mailbox's settings.
   * @param opts Resource options. `pin` is added to `additionalSecretOutputs`.
   */
  constructor(name: string, args: MailboxArgs, opts: pulumi.CustomResourceOptions = {}) {
    // Every output (the mailbox fields, the steering inputs, the provider's own) is registered, declared
    // or not, so that `mailbox.timezone` etc. always exist.
    const props: Record<string, unknown> = {};
    for (const key of [...mailboxFieldNames(), ...Object.keys(resourceFieldSchemas()), ...PROVIDER_OUTPUTS]) {
      props[key] = undefined;
    }
    for (const [key, value] of Object.entries(args ?? {})) props[key] = value;
    if (args?.pin !== undefined) props.pin = pulumi.secret(args.pin);
    const secrets = new Set([...(opts.additionalSecretOutputs ?? []), "pin"]);
    super(forwarder, name, props, { ...opts, additionalSecretOutputs: [...secrets] }, "enswitch", "Mailbox");
  }
}

// Compile-time guard: a schema field without a declared output fails the build here.
export type _EveryFieldIsAnOutput = Pick<
  Mailbox,
  MailboxField | "adopt" | "connection" | (typeof PROVIDER_OUTPUTS)[number]
>;
