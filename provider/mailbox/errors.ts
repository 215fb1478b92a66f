/**
 * Errors of the mailbox provider, on top of the client's (`../enswitch/errors.ts`). Whatever a
 * handler throws reaches the user through the engine as one line: an `EnswitchError` whose message
 * says what happened and what to do, with secrets removed and no stack trace of the provider's insides.
 */
import { EnswitchError, EnswitchErrorDetails, EnswitchValidationError } from "../enswitch/errors";
import { FieldFailure } from "./schema";
// Types only: this file stays a leaf at run time.

/** The mailbox number is already taken on the switch and the resource does not say `adopt: true`. */
export class MailboxExistsError extends EnswitchValidationError {
  constructor(
    mailbox: string,
    customer: number | undefined,
    details: Omit<EnswitchErrorDetails, "key" | "hint">,
  ) {
    super(`mailbox ${mailbox} already exists${customer === undefined ? "" : ` in customer ${customer}`}.`, {
      ...details,
      key: "mailbox",
      hint: existsHint,
    });
  }
}

/** What to do about a mailbox that already exists. */
export const existsHint =
  "To manage the existing mailbox with Pulumi, add `adopt: true` to its Mailbox arguments (it is then updated to the declared settings); otherwise choose another mailbox number.";

/** Inputs the schema or the switch rejects, found outside `check` (in `diff`, `create`, `update`). */
export class MailboxInputError extends EnswitchValidationError {
  /** Every problem, on its camelCase property. */
  readonly failures: FieldFailure[];
  constructor(fn: string, lead: string, failures: FieldFailure[]) {
    const list = failures.map((f) => (f.property ? `${f.property}: ${f.reason}` : f.reason)).join("; ");
    super(`${lead}: ${list}`, { fn, code: "400", key: "" });
    this.failures = failures;
  }
}

/**
 * The mailbox was created (or adopted) on the switch, but reading it back failed: with `id`,
 * `properties` (complete outputs from the declared values) and `reasons`, Pulumi's "created but failed
 * to initialise", which keeps it in state (ARCHITECTURE.md, `create`'s read-back). The PIN never
 * appears in the message or in `reasons`.
 */
export class MailboxInitError extends EnswitchError {
  /** Why the mailbox could not be read back, one line each; read by the provider host. */
  reasons: string[];
  constructor(
    mailbox: string,
    /** The mailbox's resource id (`<customer>/<mailbox>`), read by the provider host. */
    readonly id: string,
    /** The outputs to keep in state until the next read, read by the provider host. */
    readonly properties: Record<string, unknown>,
    cause: string,
    details: Omit<EnswitchErrorDetails, "hint">,
  ) {
    super(`mailbox ${mailbox} was created but could not be read back: ${cause}`, {
      ...details,
      hint: "It exists on the switch and is kept in the stack's state with the declared settings; the next `pulumi up` (or `pulumi refresh`) reads it back and completes it.",
    });
    this.reasons = [`mailboxes/get: ${cause}`];
  }
}

/**
 * Turns anything a handler caught into an `EnswitchError` fit to show: secrets redacted, and the stack
 * replaced by one line, since the provider host prints the stack of every failed call and the user
 * needs the message, not the provider's call chain.
 */
export function cleanError(error: unknown, fn: string, redact: (text: string) => string): EnswitchError {
  let clean: EnswitchError;
  if (error instanceof EnswitchError) {
    clean = error;
    clean.message = redact(clean.message);
    // The host sends `reasons` to the engine as they are; `id` and `properties` must stay as well.
    if (clean instanceof MailboxInitError) clean.reasons = clean.reasons.map(redact);
  } else {
    const message = error instanceof Error ? error.message : String(error);
    clean = new EnswitchError(`unexpected failure: ${redact(message)}`, {
      fn,
      code: "INTERNAL",
      hint: "This is a bug in pulumi-enswitch: please report it with the command you ran.",
    });
  }
  clean.stack = `${clean.name}: ${clean.message}\n    at ${fn} (pulumi-enswitch)`;
  return clean;
}

/** `MailboxAddress` of state.ts, restated: state.ts throws the errors of this file. */
type MailboxAddress = { customer: number; mailbox: string };

/** An update met 404: the mailbox in state was deleted by hand (or the login may no longer see it). */
export class MailboxDeletedError extends EnswitchError {
  constructor(address: MailboxAddress, cause: EnswitchError) {
    super(`mailbox ${address.mailbox} in customer ${address.customer} was deleted outside Pulumi.`, {
      fn: cause.fn,
      code: cause.code,
      hint: "Run `pulumi refresh` (it removes the mailbox from the stack's state), then `pulumi up` creates it again.",
    });
  }
}

/**
 * `mailboxes/delete` answered 404 ("does not exist, or you do not have permission to delete it") for a
 * mailbox `mailboxes/get` still shows: the login may not delete it.
 */
export class MailboxDeleteRefusedError extends EnswitchError {
  constructor(address: MailboxAddress, cause: EnswitchError) {
    super(`the switch refused to delete mailbox ${address.mailbox} (404), yet it still exists.`, {
      fn: cause.fn,
      code: cause.code,
      hint: "mailboxes/delete needs an administrator login of that customer: use one in the connection settings, or remove the mailbox from the stack with `pulumi state delete`.",
    });
  }
}

/** Added to a refused login in `read` and `delete`, which refresh and destroy call. */
export const storedLoginHint =
  "`pulumi refresh` and `pulumi destroy` use the connection settings stored in the stack's state at the last `pulumi up`, not the current stack config: if the password changed since, run `pulumi up` first (it stores the new one), or run the command with `--run-program`.";
