/**
 * Writes mailboxes as a mailbox file: the inverse of the loader, used by `enswitch export`. Only what
 * differs from the schema's defaults is written, values every mailbox shares go to `defaults`, and
 * PINs are never written: an exported file adopts its mailboxes, which keeps each PIN on the switch.
 */
import { Document, isMap, isSeq, YAMLMap } from "yaml";
import { mailboxFieldNames, MailboxFields, schemaDefault, SchemaOptions } from "../mailbox/schema";
import { byNumber } from "./names";

/** What one exported document holds. */
export interface RenderInput {
  customer: number;
  connection?: string;
  /** Mailboxes as `fromWire` gives them; `pin` and `copyPin` are ignored. */
  mailboxes: readonly Partial<MailboxFields>[];
  /** Write `adopt: true` in the defaults. Default true: that is what makes a round trip change nothing. */
  adopt?: boolean;
  /** A comment placed at the top of the file. */
  comment?: string;
}

/** Fields an export never writes: write-only, creation-only, or set at the top of the document. */
const NEVER_WRITTEN: ReadonlySet<string> = new Set(["pin", "copyPin", "customer"]);

/**
 * The YAML text of a mailbox file for one customer.
 *
 * @example
 * ```ts
 * renderMailboxFile({ customer: 1, mailboxes: [fromWire(row)] });
 * // "customer: 1\ndefaults:\n  adopt: true\nmailboxes:\n  - mailbox: \"1001\"\n    owner: 101\n"
 * ```
 */
export function renderMailboxFile(input: RenderInput, options: SchemaOptions = {}): string {
  const fieldOrder = mailboxFieldNames(options).filter((f) => !NEVER_WRITTEN.has(f));
  const rows = [...input.mailboxes].sort(byNumber).map((m) => {
    const out: Record<string, unknown> = {};
    for (const field of fieldOrder) {
      const value = (m as Record<string, unknown>)[field];
      if (value === undefined) continue;
      if (schemaDefault(field, options) === value) continue;
      out[field] = value;
    }
    return out;
  });

  // A value shared by every mailbox (two or more) is written once, in defaults.
  const defaults: Record<string, unknown> = (input.adopt ?? true) ? { adopt: true } : {};
  if (rows.length >= 2) {
    for (const field of fieldOrder) {
      if (field === "mailbox") continue;
      const first = rows[0]![field];
      if (first !== undefined && rows.every((r) => r[field] === first)) defaults[field] = first;
    }
    for (const row of rows) for (const field of Object.keys(defaults)) delete row[field];
  }

  const body: Record<string, unknown> = { customer: input.customer };
  if (input.connection) body.connection = input.connection;
  if (Object.keys(defaults).length > 0) body.defaults = defaults;
  body.mailboxes = rows;

  const doc = new Document(body);
  if (input.comment) doc.commentBefore = input.comment.replace(/^/gm, " ");
  // Block style (one field per line reviews best in a diff), except `[]` for an empty list.
  const list = isMap(doc.contents) ? (doc.contents as YAMLMap).get("mailboxes", true) : undefined;
  if (isSeq(list)) list.flow = rows.length === 0;
  return doc.toString({ lineWidth: 0 });
}
