/**
 * The wire mapping, derived from the schema: camelCase ↔ the API's snake_case names, booleans ↔
 * `1`/`0`, integers ↔ decimal text. Nothing here lists fields by hand.
 */
import { z } from "zod";
import { fieldName, wireName } from "../enswitch/names";
import { MailboxField, MailboxFields, SchemaOptions, mailboxSchemas } from "./schema";

/** The kind of value a field carries on the wire. */
export type WireKind = "string" | "boolean" | "integer";

export { fieldName, wireName };

/** The JSON Schema type of a field's input (zod's public `toJSONSchema`): its kind on the wire. */
function kindOf(schema: z.ZodType): WireKind {
  const { type } = z.toJSONSchema(schema, { io: "input", unrepresentable: "any" });
  return type === "boolean" ? "boolean" : type === "integer" ? "integer" : "string";
}

// Keyed by the cached schema object: built once per Enswitch version and process, since every
// call to the switch encodes or decodes a whole mailbox with it.
const tables = new WeakMap<object, Readonly<Record<MailboxField, WireKind>>>();

/** What kind of value each field carries on the wire, read from the schema (shared: read-only). */
export function wireKinds(options: SchemaOptions = {}): Readonly<Record<MailboxField, WireKind>> {
  const schemas = mailboxSchemas(options);
  let kinds = tables.get(schemas);
  if (!kinds) {
    const entries = Object.entries(schemas.fields).map(([name, schema]) => [name, kindOf(schema)]);
    kinds = Object.freeze(Object.fromEntries(entries) as Record<MailboxField, WireKind>);
    tables.set(schemas, kinds);
  }
  return kinds;
}

/**
 * Encodes fields as API parameters: snake_case names, `1`/`0` flags, decimal integers.
 * `undefined` fields are left out, so an update sends only what changed.
 *
 * @example
 * ```ts
 * toWire({ notifyOnly: true, owner: 7 }); // { notify_only: "1", owner: "7" }
 * ```
 */
export function toWire(fields: Partial<MailboxFields>, options: SchemaOptions = {}): Record<string, string> {
  const kinds = wireKinds(options);
  const out: Record<string, string> = {};
  for (const [name, value] of Object.entries(fields)) {
    if (value === undefined || !(name in kinds)) continue;
    out[wireName(name)] = typeof value === "boolean" ? (value ? "1" : "0") : String(value);
  }
  return out;
}

/**
 * Decodes a row of `mailboxes/get` or `mailboxes/list` into fields. Unknown columns are dropped,
 * flags become booleans, numbers stay numbers, `mailbox` stays a string (leading zeros kept).
 * The PIN is never taken from a row: it is write-only.
 */
export function fromWire(row: Record<string, unknown>, options: SchemaOptions = {}): Partial<MailboxFields> {
  const kinds = wireKinds(options);
  const out: Record<string, unknown> = {};
  for (const [name, kind] of Object.entries(kinds)) {
    if (name === "pin" || name === "copyPin") continue;
    const raw = row[wireName(name)];
    if (raw === undefined || raw === null) continue;
    if (kind === "boolean") out[name] = raw === true || raw === 1 || raw === "1";
    else if (kind === "integer") out[name] = typeof raw === "number" ? raw : Number(raw);
    else out[name] = String(raw);
  }
  return out as Partial<MailboxFields>;
}
