/**
 * `enswitch validate --remote`: asks the switch itself, with `validation=1`, whether it would accept
 * each declared mailbox. This catches what no local schema can know: an owner who is a person of
 * another customer, a number outside the customer's plan, a rate plan without voicemail. Nothing
 * changes on the switch.
 */
import { EnswitchClient } from "../enswitch/client";
import { EnswitchError } from "../enswitch/errors";
import { Semaphore } from "../enswitch/semaphore";
import type { MailboxDefinition } from "../definitions/load";
import { askSwitch, dryRunMailbox } from "../mailbox/dryRun";
import { SchemaOptions } from "../mailbox/schema";
import { forCli } from "./environment";
import { ProgressBar } from "./progress";
import { mailboxFinding, type ValidationFinding } from "./validation-report";

/** Options of {@link validateOnSwitch}. */
export interface RemoteValidationOptions extends SchemaOptions {
  /** Send `mailboxes/update` dry runs; false for a switch without them, where they would act. Default true. */
  dryRunUpdates?: boolean;
}

/** Envelope codes that concern one mailbox (or customer), not the whole run. */
const PER_MAILBOX_CODES = new Set(["400", "402", "403", "404", "500"]);

function concernsMailbox(error: unknown): error is EnswitchError {
  return error instanceof EnswitchError && PER_MAILBOX_CODES.has(error.code);
}

/** The switch's verdict on one mailbox. */
const REMOTE = { rule: "enswitch/remote", source: "remote", severity: "error" } as const;

/**
 * Checks every definition on the switch, with the dry run the provider's `check` would make
 * (`mailbox/dryRun.ts`): `mailboxes/update` with `validation=1` and every declared field for mailboxes
 * that exist there, `mailboxes/create` with `validation=1` for the others. A new mailbox is checked
 * with a random stand-in PIN, never shown and never stored (the real PIN comes from stack config at
 * deployment), also in place of a `copyPin` source that the same files create. Errors that concern a mailbox become findings at its location; anything else
 * (authentication, an unreachable switch) rejects, since then nothing could be checked.
 *
 * @example
 * ```ts
 * const findings = await validateOnSwitch(result.mailboxes, clientOf({}));
 * ```
 */
export async function validateOnSwitch(
  definitions: readonly MailboxDefinition[],
  client: EnswitchClient,
  options: RemoteValidationOptions = {},
): Promise<ValidationFinding[]> {
  const customers = [...new Set(definitions.map((d) => d.customer))].sort((a, b) => a - b);
  const bar = new ProgressBar(customers.length + definitions.length, { label: "checking on the switch" });
  const gate = new Semaphore(8);
  const each = <T, R>(items: readonly T[], work: (item: T) => Promise<R>) =>
    Promise.all(items.map((item) => gate.run(() => work(item))));
  const existing = new Map<number, Set<string> | EnswitchError>();
  await each(customers, async (customer) => {
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

  const declared = new Set(definitions.map((d) => `${d.customer}/${d.mailbox}`));
  try {
    const perMailbox = await each(definitions, async (definition) => {
      try {
        const known = existing.get(definition.customer);
        if (known instanceof EnswitchError) {
          const message = `cannot list the mailboxes of customer ${definition.customer}: ${known.message}`;
          return [mailboxFinding(REMOTE, definition, message)];
        }
        const failures = await dryRunMailbox(
          {
            fields: { ...definition.fields, customer: definition.customer },
            // Kept: checked as an update with every declared field.
            current: known?.has(definition.mailbox) ? {} : undefined,
            // Absent from the switch but declared in the same files: the program creates it first.
            copySourceComesLater: (source) =>
              !known?.has(source) && declared.has(`${definition.customer}/${source}`),
          },
          async (request) =>
            request.fn === "mailboxes/update" && options.dryRunUpdates === false
              ? []
              : askSwitch(client, request, options),
          options,
        );
        return failures.map((f) =>
          mailboxFinding(REMOTE, definition, `the switch rejects it: ${f.reason}`, f.property || undefined),
        );
      } catch (error) {
        if (!concernsMailbox(error)) throw error;
        // Not about one parameter (rights, rate plan, a server error): one finding.
        return [mailboxFinding(REMOTE, definition, `the switch refuses it: ${forCli(error.message)}`)];
      } finally {
        bar.tick();
      }
    });
    return perMailbox.flat();
  } finally {
    bar.done();
  }
}
