/**
 * The provider's reads of the switch: `mailboxes/get` with 404 as "none" ({@link findMailbox}), and the
 * read-back that ends `create` ({@link readBack}).
 */
import type { EnswitchClient } from "../enswitch/client";
import { EnswitchConfigurationError, EnswitchError, EnswitchNotFoundError } from "../enswitch/errors";
import { MailboxInitError } from "./errors";
import { PropertyMap } from "./inputs";
import { MailboxFields, ResourceFields, SchemaOptions } from "./schema";
import { mailboxId, outputsOf } from "./state";
import { fromWire } from "./wire";

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
