/**
 * The dry run (`validation=1`) a declared mailbox needs before a deployment: which call, with which
 * fields, and the stand-ins for what cannot be checked yet. One answer for both askers: the provider's
 * `check` (before `pulumi up`) and `enswitch validate --remote` (before a merge).
 *
 * - A mailbox that exists and is kept: `mailboxes/update` with only the fields that differ from its
 *   current values (nothing at all when none differ).
 * - A mailbox to be created: `mailboxes/create` with every field.
 *   - Without a PIN (files never hold one; the real PIN comes from stack config at deployment), a
 *     random stand-in PIN is sent.
 *   - With `copyPin` naming a mailbox the same deployment creates first, the switch refuses copy_pin
 *     now ("there is no mailbox …") though the real create will succeed: once the asker confirms that
 *     this is the only reason, the rest is checked with a random stand-in PIN in place of `copyPin`.
 *   A stand-in PIN is never logged nor shown, and the switch's verdict on it is dropped: it says
 *   nothing about the PIN the deployment will set.
 */
import { randomInt } from "node:crypto";
import type { EnswitchClient } from "../enswitch/client";
import { EnswitchValidationError } from "../enswitch/errors";
import { fieldName } from "../enswitch/names";
import { redactor } from "../enswitch/redact";
import { PropertyMap, changedFields } from "./inputs";
import { FieldFailure, MailboxFields, MailboxUpdate, SchemaOptions, mailboxFieldNames } from "./schema";
import { toWire } from "./wire";

/** One `validation=1` call: what it is about and the fields it sends. */
export type DryRunRequest =
  | { fn: "mailboxes/create"; mailbox: string; customer: number | undefined; fields: MailboxFields }
  | { fn: "mailboxes/update"; mailbox: string; customer: number | undefined; fields: MailboxUpdate };

/** Sends one dry run and returns the switch's objections, each on its camelCase property. */
export type SendDryRun = (request: DryRunRequest) => Promise<FieldFailure[]>;

/** The mailbox to check and what the asker knows about it. */
export interface DryRunSubject {
  /** The mailbox as declared, defaults applied. `pin` may be absent (a stand-in is then sent). */
  fields: MailboxFields;
  /**
   * The values of the mailbox where it exists and is kept (prior inputs, the switch's row; `{}` to
   * send every declared field); `undefined` when the deployment creates it.
   */
  current?: PropertyMap;
  /**
   * Asked only after the switch refused `copyPin`: whether that source is merely absent now and will
   * exist by the time this mailbox is created (the provider confirms with `mailboxes/get`; the CLI
   * looks at the switch's list and at the files).
   */
  copySourceComesLater(source: string): Promise<boolean> | boolean;
}

/**
 * Runs the dry run the mailbox needs through `send`: for a kept mailbox an update with the changed
 * fields (none when nothing changes), else a create with the stand-ins described in the module
 * documentation. Errors other than the switch's objections (login, network) are `send`'s to throw.
 */
export async function dryRunMailbox(
  subject: DryRunSubject,
  send: SendDryRun,
  options: SchemaOptions = {},
): Promise<FieldFailure[]> {
  const { mailbox, customer } = subject.fields;
  if (subject.current !== undefined) {
    const changes = changedFields(subject.current, subject.fields, options);
    if (Object.keys(changes).length === 0) return [];
    return send({ fn: "mailboxes/update", mailbox, customer, fields: changes });
  }

  let fields = subject.fields;
  let standIn: string | undefined;
  if (fields.pin === undefined && fields.copyPin === "") {
    standIn = standInPin();
    fields = { ...fields, pin: standIn };
  }
  const create = (sent: MailboxFields) => send({ fn: "mailboxes/create", mailbox, customer, fields: sent });
  let failures = await create(fields);
  if (
    fields.copyPin !== "" &&
    failures.some((f) => f.property === "copyPin") &&
    (await subject.copySourceComesLater(fields.copyPin))
  ) {
    if (fields.pin === undefined) standIn = standInPin();
    fields = { ...fields, copyPin: "", pin: fields.pin ?? standIn };
    failures = await create(fields);
  }
  if (standIn === undefined) return failures;
  const redact = redactor([standIn]);
  return failures
    .filter((f) => f.property !== "pin")
    .map((f) => ({ property: f.property, reason: redact(f.reason) }));
}

/**
 * Sends a dry run with the client and turns the switch's 400 answer into failures, every entry on its
 * camelCase property (`""` when the key is not a mailbox field). The reasons are the switch's own
 * words: redact them before showing them. Other errors (login, rights, network) are thrown.
 */
export async function askSwitch(
  client: Pick<EnswitchClient, "createMailbox" | "updateMailbox">,
  request: DryRunRequest,
  options: SchemaOptions = {},
): Promise<FieldFailure[]> {
  const params = toWire(request.fields, options);
  try {
    if (request.fn === "mailboxes/create") await client.createMailbox(params, { validation: true });
    else await client.updateMailbox(request.mailbox, request.customer, params, { validation: true });
    return [];
  } catch (error) {
    if (!(error instanceof EnswitchValidationError)) throw error;
    const names = new Set<string>(mailboxFieldNames(options));
    const property = (key: string) => (names.has(fieldName(key)) ? fieldName(key) : "");
    const entries = error.responses.filter((entry) => entry.code === "400");
    if (entries.length === 0) return [{ property: property(error.key), reason: error.message }];
    return entries.map((entry) => ({ property: property(entry.key), reason: entry.message }));
  }
}

/** A random 8-digit PIN (the switch's usual length is 4 to 10) for a dry run, drawn afresh and never kept. */
function standInPin(): string {
  return String(randomInt(10 ** 8)).padStart(8, "0");
}
