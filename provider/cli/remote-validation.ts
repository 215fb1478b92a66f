/**
 * `enswitch validate --remote`: asks the switch itself, with `validation=1`, whether it would accept
 * each declared mailbox. This catches what no local schema can know: an owner who is a person of
 * another customer, a number outside the customer's plan, a rate plan without voicemail. Nothing
 * changes on the switch.
 */
import { randomBytes } from "node:crypto";
import { EnswitchClient } from "../enswitch/client";
import { EnswitchError, EnswitchValidationError } from "../enswitch/errors";
import { fieldName } from "../enswitch/names";
import type { MailboxDefinition } from "../definitions/load";
import { derivePin } from "../definitions/pins";
import { SchemaOptions } from "../mailbox/schema";
import { toWire } from "../mailbox/wire";
import { mapLimit } from "./pool";
import { ProgressBar, ProgressOptions } from "./progress";
import type { ValidationFinding } from "./validation-report";

/** Options of {@link validateOnSwitch}. */
export interface RemoteValidationOptions extends SchemaOptions {
  /** Calls in flight at once. Default 8. */
  concurrency?: number;
  /** Where the progress bar goes. */
  progress?: ProgressOptions;
}

/** Envelope codes that concern one mailbox (or customer), not the whole run. */
const PER_MAILBOX_CODES = new Set(["400", "402", "403", "404", "500"]);

function concernsMailbox(error: unknown): error is EnswitchError {
  return error instanceof EnswitchError && PER_MAILBOX_CODES.has(error.code);
}

function finding(definition: MailboxDefinition, message: string, field?: string): ValidationFinding {
  const at = (field && definition.fieldLocations[field]) || definition.location;
  return {
    rule: "enswitch/remote",
    source: "remote",
    severity: "error",
    file: at.file,
    line: at.line,
    column: at.column,
    message,
    ...(field ? { field } : {}),
    customer: definition.customer,
    mailbox: definition.mailbox,
    resource: definition.resourceName,
  };
}

/** One finding per parameter the switch rejected, placed at that field in the file. */
function rejection(definition: MailboxDefinition, error: EnswitchError): ValidationFinding[] {
  if (error instanceof EnswitchValidationError) {
    const entries = error.responses.filter((r) => r.code === "400");
    const list = entries.length > 0 ? entries : [{ code: "400", key: error.key, message: error.message }];
    return list.map((entry) => {
      const field = entry.key ? fieldName(entry.key) : undefined;
      return finding(definition, `the switch rejects it: ${entry.message}`, field);
    });
  }
  return [finding(definition, `the switch refuses it: ${error.message}`)];
}

/**
 * Checks every definition on the switch: `mailboxes/update` with `validation=1` for mailboxes that
 * exist there, `mailboxes/create` with `validation=1` for the others. A new mailbox without `copyPin`
 * is checked with a random stand-in PIN, never shown and never stored: the real PIN comes from stack
 * config at deployment. Errors that concern a mailbox become findings at its location; anything else
 * (authentication, an unreachable switch) rejects, since then nothing could be checked.
 *
 * @example
 * ```ts
 * const findings = await validateOnSwitch(result.mailboxes, clientFromEnvironment());
 * ```
 */
export async function validateOnSwitch(
  definitions: readonly MailboxDefinition[],
  client: EnswitchClient,
  options: RemoteValidationOptions = {},
): Promise<ValidationFinding[]> {
  const concurrency = options.concurrency ?? 8;
  const customers = [...new Set(definitions.map((d) => d.customer))].sort((a, b) => a - b);
  const bar = new ProgressBar(customers.length + definitions.length, {
    label: "checking on the switch",
    ...options.progress,
  });
  const existing = new Map<number, Set<string> | EnswitchError>();
  await mapLimit(customers, concurrency, async (customer) => {
    try {
      const rows = await client.listMailboxes(customer);
      existing.set(customer, new Set(rows.map((row) => String(row.mailbox))));
    } catch (error) {
      if (!concernsMailbox(error)) throw error;
      existing.set(customer, error);
    } finally {
      bar.tick();
    }
  });

  const standInSeed = randomBytes(32).toString("hex");
  const declared = new Set(definitions.map((d) => `${d.customer}/${d.mailbox}`));
  try {
    const perMailbox = await mapLimit(definitions, concurrency, async (definition) => {
      try {
        const known = existing.get(definition.customer);
        if (known instanceof EnswitchError) {
          return [
            finding(
              definition,
              `cannot list the mailboxes of customer ${definition.customer}: ${known.message}`,
            ),
          ];
        }
        const { mailbox: _m, customer: _c, copyPin, ...rest } = definition.fields;
        if (known?.has(definition.mailbox)) {
          await client.updateMailbox(definition.mailbox, definition.customer, toWire(rest, options), {
            validation: true,
          });
        } else {
          const fields = { ...definition.fields };
          // A copyPin source that the same files declare but the switch does not have yet will exist by
          // the time this mailbox is created (the program orders them), so it cannot be checked now.
          if (copyPin && !known?.has(copyPin) && declared.has(`${definition.customer}/${copyPin}`))
            fields.copyPin = "";
          if (!fields.copyPin) fields.pin = derivePin(standInSeed, definition);
          await client.createMailbox(toWire(fields, options), { validation: true });
        }
        return [];
      } catch (error) {
        if (!concernsMailbox(error)) throw error;
        return rejection(definition, error);
      } finally {
        bar.tick();
      }
    });
    return perMailbox.flat();
  } finally {
    bar.done();
  }
}
