/**
 * What a `Mailbox` stores in Pulumi state: its id and outputs, and the version of that layout.
 *
 * Outputs carry every mailbox field's effective value (as the switch reports it), the effective
 * `customer`, the PIN last set by the deployment (write-only on the switch, kept so that a PIN change
 * shows in `diff`; secret through `additionalSecretOutputs`), `adopt`, `connection`, and
 * `stateVersion`. A later version of this package reads old state through {@link upgradeState}.
 * Also the provider's reads of the switch: `mailboxes/get` with 404 as "none" ({@link findMailbox}),
 * and the read-back that ends `create` ({@link readBack}).
 */
import type { EnswitchClient } from "../enswitch/client";
import { EnswitchConfigurationError, EnswitchError, EnswitchNotFoundError } from "../enswitch/errors";
import { MailboxInitError } from "./errors";
import { PropertyMap } from "./inputs";
import { MailboxFields, ResourceFields, SchemaOptions } from "./schema";
import { fromWire } from "./wire";

/** The layout of the outputs this version writes. Raise it, and teach {@link upgradeState}, on any change. */
export const STATE_VERSION = 1;

/** Where a mailbox lives: the id is `${customer}/${mailbox}`. */
export interface MailboxAddress {
  customer: number;
  mailbox: string;
}

/** The id of a mailbox. */
export function mailboxId(address: MailboxAddress): string {
  return `${address.customer}/${address.mailbox}`;
}

/**
 * The address of a stored mailbox: from its id, else (state written by hand or by an older version)
 * from its outputs.
 *
 * @throws EnswitchError when neither names a mailbox.
 */
export function parseId(id: string, props: PropertyMap): MailboxAddress {
  const match = /^([1-9][0-9]*)\/([0-9]+)$/.exec(id);
  if (match) return { customer: Number(match[1]), mailbox: match[2] as string };
  if (typeof props.mailbox === "string" && typeof props.customer === "number") {
    return { customer: props.customer, mailbox: props.mailbox };
  }
  throw new EnswitchError(`the resource id "${id}" is not of the form <customer>/<mailbox>.`, {
    fn: "state",
    code: "STATE",
    hint: "Run `pulumi refresh`, or remove the resource from state with `pulumi state delete` and adopt it again.",
  });
}

/**
 * Stored outputs in the current layout.
 *
 * @throws EnswitchError for state written by a newer version of this package.
 */
export function upgradeState(props: PropertyMap): PropertyMap {
  const version = typeof props.stateVersion === "number" ? props.stateVersion : 1;
  if (version > STATE_VERSION) {
    throw new EnswitchError(
      `this mailbox's state was written by a newer pulumi-enswitch (state version ${version}; this one reads up to ${STATE_VERSION}).`,
      { fn: "state", code: "STATE", hint: "Upgrade pulumi-enswitch in this project." },
    );
  }
  // Version 1 is the first layout: nothing to convert yet.
  return { ...props, stateVersion: STATE_VERSION };
}

/** What {@link outputsOf} builds outputs from. */
export interface OutputSources {
  /** The declared fields (defaults applied), or the previous outputs when nothing was declared (read). */
  declared: Partial<MailboxFields>;
  /** The switch's view of the mailbox (`fromWire` of `mailboxes/get`): it wins over `declared`. */
  current: Partial<MailboxFields>;
  /** Where it is. */
  address: MailboxAddress;
  /** The PIN the deployment last set, if any. */
  pin: string | undefined;
  /** `adopt` and `connection`. */
  resource: ResourceFields;
}

/** Complete outputs: every field's effective value plus the provider's own properties. */
export function outputsOf(sources: OutputSources): PropertyMap {
  const outs: PropertyMap = { ...sources.declared, ...sources.current };
  outs.mailbox = sources.address.mailbox;
  outs.customer = sources.address.customer;
  outs.copyPin = sources.declared.copyPin ?? "";
  if (sources.pin !== undefined) outs.pin = sources.pin;
  else delete outs.pin;
  outs.adopt = sources.resource.adopt;
  if (sources.resource.connection !== undefined) outs.connection = sources.resource.connection;
  else delete outs.connection;
  outs.stateVersion = STATE_VERSION;
  return outs;
}

type Getter = Pick<EnswitchClient, "getMailbox">;

/** `mailboxes/get`, with 404 as "no such mailbox". */
export async function findMailbox(
  client: Getter,
  mailbox: string,
  customer: number | undefined,
): Promise<Record<string, unknown> | undefined> {
  try {
    return await client.getMailbox(mailbox, customer);
  } catch (error) {
    if (error instanceof EnswitchNotFoundError) return undefined;
    throw error;
  }
}

/** Rounds of `mailboxes/get` (each with the client's own retries) before {@link readBack} gives up. */
const READ_BACK_ROUNDS = 3;

/**
 * The id and outputs of a mailbox right after create or adopt, read harder than a plain get (it exists
 * now: a plain failure would leave it out of state). When reading still fails and `customer` is
 * declared, this is Pulumi's "created but failed to initialise" ({@link MailboxInitError}, with
 * `hostProvider`, the `__provider` input, put back as the host does for a successful create); without
 * a customer there is no id, and the error says what to do.
 */
export async function readBack(
  client: Getter,
  options: SchemaOptions,
  fields: MailboxFields,
  resource: ResourceFields,
  hostProvider: unknown,
): Promise<{ id: string; outs: PropertyMap }> {
  let last: unknown;
  for (let round = 0; round < READ_BACK_ROUNDS; round++) {
    try {
      const current = fromWire(await client.getMailbox(fields.mailbox, fields.customer), options);
      const customer = current.customer ?? fields.customer;
      if (customer === undefined) {
        throw new EnswitchConfigurationError("mailboxes/get answered without the mailbox's customer.", {
          fn: "mailboxes/get",
          code: "DATA",
          hint: "Declare `customer` on the Mailbox, or check that enswitch:url points at a supported Enswitch version.",
        });
      }
      const address = { customer, mailbox: fields.mailbox };
      const outs = outputsOf({ declared: fields, current, address, pin: fields.pin, resource });
      return { id: mailboxId(address), outs };
    } catch (error) {
      if (error instanceof EnswitchNotFoundError || error instanceof EnswitchConfigurationError) throw error;
      last = error;
    }
  }
  const cause = last instanceof Error ? last.message : String(last);
  const code = last instanceof EnswitchError ? last.code : "TRANSPORT";
  if (fields.customer !== undefined) {
    const address = { customer: fields.customer, mailbox: fields.mailbox };
    const properties = outputsOf({ declared: fields, current: {}, address, pin: fields.pin, resource });
    if (hostProvider !== undefined) properties.__provider = hostProvider;
    throw new MailboxInitError(fields.mailbox, mailboxId(address), properties, cause, {
      fn: "mailboxes/get",
      code,
    });
  }
  throw new EnswitchError(`mailbox ${fields.mailbox} was created but could not be read back: ${cause}`, {
    fn: "mailboxes/get",
    code,
    hint: "It exists on the switch now: add `adopt: true` to its Mailbox arguments and run `pulumi up` again (or declare `customer`, which lets the provider keep it in state without reading it back).",
  });
}
