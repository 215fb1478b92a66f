/**
 * Identity of a declared mailbox: the key that detects duplicates and the Pulumi resource name. Both
 * come from the customer and mailbox number only, never from a file name or a position in a list,
 * so moving a mailbox between files or reordering them changes nothing in a deployment.
 */

/** What identifies a mailbox on a switch: the connection profile (if any), the customer and the number. */
export interface MailboxIdentity {
  /** The `enswitch:connections` profile, or undefined for the default switch. */
  connection?: string;
  customer: number;
  mailbox: string;
}

/**
 * The Pulumi resource name of a declared mailbox: `c<customer>-mb<mailbox>`, prefixed by the connection
 * profile when there is one. Leading zeros are kept, so `0101` and `101` are different resources.
 *
 * @example
 * ```ts
 * resourceName({ customer: 1, mailbox: "1001" }); // "c1-mb1001"
 * resourceName({ connection: "eu", customer: 1, mailbox: "1001" }); // "eu-c1-mb1001"
 * ```
 */
export function resourceName(identity: MailboxIdentity): string {
  const base = `c${identity.customer}-mb${identity.mailbox}`;
  return identity.connection ? `${identity.connection}-${base}` : base;
}

/** A key unique per mailbox on a switch, for maps and duplicate detection. */
export function identityKey(identity: MailboxIdentity): string {
  return `${identity.connection ?? ""}/${identity.customer}/${identity.mailbox}`;
}

/** `mailbox 1001 of customer 1` (with ` on connection eu` when there is one), for messages. */
export function describeIdentity(identity: MailboxIdentity): string {
  const on = identity.connection ? ` on connection ${identity.connection}` : "";
  return `mailbox ${identity.mailbox} of customer ${identity.customer}${on}`;
}

/**
 * Orders mailboxes by number as a person reads them: shorter numbers first, then digit by digit, so
 * `99` comes before `100` and `0101` after `101`. A missing number sorts first.
 *
 * @example
 * ```ts
 * [{ mailbox: "100" }, { mailbox: "99" }].sort(byNumber); // [{ mailbox: "99" }, { mailbox: "100" }]
 * ```
 */
export function byNumber(a: { mailbox?: string }, b: { mailbox?: string }): number {
  const x = a.mailbox ?? "";
  const y = b.mailbox ?? "";
  return x.length - y.length || (x < y ? -1 : x > y ? 1 : 0);
}
