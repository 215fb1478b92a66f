/**
 * The shape of a mailbox file, in words and constants. The fields themselves are the schema's
 * (`provider/mailbox/schema.ts`); this module only names the blocks around them.
 *
 * ```yaml
 * customer: 1                # required: the customer every mailbox of this document belongs to
 * connection: eu             # optional: a profile of the enswitch:connections stack config
 * defaults:                  # optional: any mailbox field (and adopt), applied to every mailbox below
 *   owner: 101
 *   timezone: Europe/London
 * mailboxes:                 # required: one entry per mailbox, the same camelCase names as MailboxArgs
 *   - mailbox: "1001"
 *     description: Sales
 *   - mailbox: "1002"
 *     copyPin: "1001"
 * ```
 *
 * A file may hold several such documents separated by `---`. A PIN is never written in a file.
 */

/** The keys of a document, in the order they are documented. */
export const DOCUMENT_KEYS = ["customer", "connection", "defaults", "mailboxes"] as const;

/** A key of a document. */
export type DocumentKey = (typeof DOCUMENT_KEYS)[number];

/**
 * Why a PIN may not be in a file, and what to do instead. The same text is used by the loader's error
 * and the documentation.
 */
export const PIN_IN_FILE_MESSAGE =
  "a PIN must never be written in a mailbox file (files are reviewed and kept in git). Remove it and " +
  "either set it as a secret in stack config (pulumi config set --secret --path 'enswitch:pins.c<customer>-mb<mailbox>' <PIN>), " +
  'or copy it from another mailbox of the customer with copyPin: "<mailbox>", or let the program derive a ' +
  "random PIN from the secret enswitch:pinSeed (kept as a secret output)";
