/**
 * Drift: what deploying the files would do to the switch as it is now. A pure comparison of loaded
 * definitions with rows of `mailboxes/list`; fetching the rows is the caller's (see `cli/drift.ts`).
 * PINs are never compared or shown: the switch does not return them.
 */
import { MailboxField, MailboxFields, SchemaOptions } from "../mailbox/schema";
import { changedFields } from "../mailbox/inputs";
import { fromWire } from "../mailbox/wire";
import type { MailboxDefinition } from "./load";
import type { SourceLocation } from "./problem";
import { byNumber, resourceName } from "./names";

/** One field that differs: the switch's value and the file's. */
export interface FieldChange {
  field: MailboxField;
  /** What the switch has now. */
  old: string | number | boolean;
  /** What the files declare (schema defaults applied). */
  new: string | number | boolean;
}

/** What would happen to one mailbox. */
export type DriftStatus = "create" | "update" | "unchanged" | "unmanaged";

/** The verdict on one mailbox. */
export interface DriftEntry {
  status: DriftStatus;
  customer: number;
  mailbox: string;
  /** The resource name (also for `unmanaged`: the name it would get if declared). */
  resourceName: string;
  /** Where the file declares it; absent for `unmanaged`. */
  location?: SourceLocation;
  /** For `update`: each differing field, in schema order. */
  changes?: FieldChange[];
  /** Whether the file adopts it (for `create`: it does not exist yet, so adopting will create it). */
  adopt?: boolean;
}

/** The whole comparison. */
export interface DriftReport {
  /** Declared mailboxes in file order, then unmanaged ones by customer and number. */
  entries: DriftEntry[];
  /** How many entries of each status. */
  summary: Record<DriftStatus, number>;
}

/**
 * The fields of `declared` that differ from the switch's row: what an update would send, less the
 * fields the row lacks (the PIN is write-only, never in a row). Fields the row lacks are not judged.
 */
export function fieldChanges(
  declared: MailboxFields,
  row: Record<string, unknown>,
  options: SchemaOptions = {},
): FieldChange[] {
  const actual = fromWire(row, options) as Record<string, unknown>;
  return Object.entries(changedFields(actual, declared, options))
    .filter(([field]) => actual[field] !== undefined)
    .map(([field, wanted]) => ({
      field: field as MailboxField,
      old: actual[field] as FieldChange["old"],
      new: wanted as FieldChange["new"],
    }));
}

/**
 * Compares definitions with the switch's rows, given per customer. Every customer present in `rows` is
 * checked for mailboxes no file declares, so pass the customers the files cover.
 *
 * @example
 * ```ts
 * const rows = new Map([[1, await client.listMailboxes(1)]]);
 * compareWithSwitch(loadDefinitions("mailboxes/").mailboxes, rows).summary; // { create: 1, update: 0, ... }
 * ```
 */
export function compareWithSwitch(
  definitions: readonly MailboxDefinition[],
  rows: ReadonlyMap<number, readonly Record<string, unknown>[]>,
  options: SchemaOptions = {},
): DriftReport {
  const entries: DriftEntry[] = [];
  // The switch's rows by customer and number; what no definition takes is unmanaged.
  const left = new Map<string, [number, Record<string, unknown>]>();
  for (const [customer, list] of rows) {
    for (const row of list) left.set(`${customer}/${String(row.mailbox)}`, [customer, row]);
  }
  for (const definition of definitions) {
    const key = `${definition.customer}/${definition.mailbox}`;
    const row = left.get(key)?.[1];
    left.delete(key);
    const base = {
      customer: definition.customer,
      mailbox: definition.mailbox,
      resourceName: definition.resourceName,
      location: definition.location,
      ...(definition.adopt ? { adopt: true } : {}),
    };
    const changes = row ? fieldChanges(definition.fields, row, options) : [];
    const status = !row ? "create" : changes.length > 0 ? "update" : "unchanged";
    entries.push({ status, ...base, ...(changes.length > 0 ? { changes } : {}) });
  }
  const unmanaged = [...left.values()].map(([customer, row]): DriftEntry => {
    const mailbox = String(row.mailbox);
    return { status: "unmanaged", customer, mailbox, resourceName: resourceName({ customer, mailbox }) };
  });
  unmanaged.sort((a, b) => a.customer - b.customer || byNumber(a, b));
  entries.push(...unmanaged);
  const summary: Record<DriftStatus, number> = { create: 0, update: 0, unchanged: 0, unmanaged: 0 };
  for (const entry of entries) summary[entry.status]++;
  return { entries, summary };
}
