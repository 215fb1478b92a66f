/**
 * The wire mapping, derived from the schema: camelCase ↔ the API's snake_case names, booleans ↔
 * `1`/`0`, integers ↔ decimal text. Nothing here lists fields by hand.
 */
import { z } from "zod";
import { fieldName, wireName } from "../enswitch/names";
import {
  FieldFailure,
  MailboxField,
  MailboxFields,
  MailboxUpdate,
  ParseResult,
  SchemaOptions,
  mailboxSchemas,
  parseMailbox,
} from "./schema";

/** The kind of value a field carries on the wire. */
export type WireKind = "string" | "boolean" | "integer";

export { fieldName, wireName };

/** The JSON Schema type of a field's input (zod's public `toJSONSchema`): its kind on the wire. */
function kindOf(schema: z.ZodType): WireKind {
  const { type } = z.toJSONSchema(schema, { io: "input", unrepresentable: "any" });
  return type === "boolean" ? "boolean" : type === "integer" ? "integer" : "string";
}

/** Per field: its kind on the wire and its wire name, read from one version's schema. */
interface WireTable {
  kinds: Readonly<Record<MailboxField, WireKind>>;
  names: Readonly<Record<MailboxField, string>>;
}

// Keyed by the cached schema object: built once per Enswitch version and process, since every
// call to the switch encodes or decodes a whole mailbox with it.
const tables = new WeakMap<object, WireTable>();

function wireTable(options: SchemaOptions): WireTable {
  const schemas = mailboxSchemas(options);
  let table = tables.get(schemas);
  if (!table) {
    const kinds: Record<string, WireKind> = {};
    const names: Record<string, string> = {};
    for (const [name, schema] of Object.entries(schemas.fields)) {
      kinds[name] = kindOf(schema as z.ZodType);
      names[name] = wireName(name);
    }
    table = {
      kinds: Object.freeze(kinds) as Record<MailboxField, WireKind>,
      names: Object.freeze(names) as Record<MailboxField, string>,
    };
    tables.set(schemas, table);
  }
  return table;
}

/** What kind of value each field carries on the wire, read from the schema (shared: read-only). */
export function wireKinds(options: SchemaOptions = {}): Readonly<Record<MailboxField, WireKind>> {
  return wireTable(options).kinds;
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
  const { kinds, names } = wireTable(options);
  const out: Record<string, string> = {};
  for (const [name, value] of Object.entries(fields)) {
    if (value === undefined || !(name in kinds)) continue;
    out[names[name as MailboxField]] = typeof value === "boolean" ? (value ? "1" : "0") : String(value);
  }
  return out;
}

/**
 * Decodes a row of `mailboxes/get` or `mailboxes/list` into fields. Unknown columns are dropped,
 * flags become booleans, numbers stay numbers, `mailbox` stays a string (leading zeros kept).
 * The PIN is never taken from a row: it is write-only.
 */
export function fromWire(row: Record<string, unknown>, options: SchemaOptions = {}): Partial<MailboxFields> {
  const { kinds, names } = wireTable(options);
  const out: Record<string, unknown> = {};
  for (const [name, kind] of Object.entries(kinds)) {
    if (name === "pin" || name === "copyPin") continue;
    const raw = row[names[name as MailboxField]];
    if (raw === undefined || raw === null) continue;
    if (kind === "boolean") out[name] = raw === true || raw === 1 || raw === "1";
    else if (kind === "integer") out[name] = typeof raw === "number" ? raw : Number(raw);
    else out[name] = String(raw);
  }
  return out as Partial<MailboxFields>;
}

/** A problem with one API parameter, as the switch reports it (`key` is the wire name). */
export interface WireFailure {
  key: string;
  message: string;
}

/**
 * Parses API parameters (all strings, as received by a server) with the mailbox schema. Used by the
 * simulator so that it enforces exactly the rules the provider checks locally.
 */
export function parseWire(
  params: Record<string, string>,
  mode: "create",
  options?: SchemaOptions,
): { ok: true; value: MailboxFields } | { ok: false; failures: WireFailure[] };
export function parseWire(
  params: Record<string, string>,
  mode: "update",
  options?: SchemaOptions,
): { ok: true; value: MailboxUpdate } | { ok: false; failures: WireFailure[] };
export function parseWire(
  params: Record<string, string>,
  mode: "create" | "update",
  options: SchemaOptions = {},
): { ok: true; value: MailboxFields | MailboxUpdate } | { ok: false; failures: WireFailure[] } {
  const kinds = wireKinds(options);
  const decoded: Record<string, unknown> = {};
  const failures: WireFailure[] = [];
  for (const [key, raw] of Object.entries(params)) {
    const name = fieldName(key);
    const kind = kinds[name as MailboxField];
    if (kind === undefined) {
      failures.push({ key, message: `Unknown parameter ${key}.` });
      continue;
    }
    if (kind === "boolean") {
      if (raw !== "0" && raw !== "1") failures.push({ key, message: `Invalid ${key}: must be 1 or 0.` });
      else decoded[name] = raw === "1";
    } else if (kind === "integer") {
      if (!/^-?[0-9]+$/.test(raw)) failures.push({ key, message: `Invalid ${key}: must be an integer.` });
      else decoded[name] = Number(raw);
    } else {
      decoded[name] = raw;
    }
  }
  if (failures.length > 0) return { ok: false, failures };
  const parsed: ParseResult<MailboxFields | MailboxUpdate> =
    mode === "create" ? parseMailbox(decoded, "create", options) : parseMailbox(decoded, "update", options);
  if (parsed.ok) return parsed;
  return { ok: false, failures: parsed.failures.map(toWireFailure) };
}

function toWireFailure(failure: FieldFailure): WireFailure {
  const key = wireName(failure.property);
  return { key, message: `Invalid ${key}: ${failure.reason}.` };
}
