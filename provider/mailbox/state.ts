/**
 * What a `Mailbox` stores in Pulumi state: its id and outputs, and the version of that layout.
 *
 * Outputs carry every mailbox field's effective value (as the switch reports it), the effective
 * `customer`, the PIN last set by the deployment (write-only on the switch, kept so that a PIN change
 * shows in `diff`; secret through `additionalSecretOutputs`), `adopt`, `connection`, and
 * `stateVersion`. A later version of this package reads old state through {@link upgradeState}.
 */
import { EnswitchError } from "../enswitch/errors";
import { PropertyMap } from "./inputs";
import { MailboxFields, ResourceFields } from "./schema";

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
