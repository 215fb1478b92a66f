/** How a message names the mailbox it is about. */
import { MailboxView, SKIP } from "./mailboxView";

/** `mailbox 1234`, or `this mailbox` when the number is not known. */
export function mailboxLabel(view: MailboxView): string {
  const number = view.given("mailbox", "string");
  return number === undefined || number === SKIP ? "this mailbox" : `mailbox ${number}`;
}

/** A list of values for a message: `"a", "b"`. */
export function listed(values: readonly (string | number)[]): string {
  return values.map((v) => JSON.stringify(v)).join(", ");
}
