/**
 * The inputs of a `Mailbox`: mailbox fields (sent to the switch) and resource fields (`adopt`,
 * `connection`), parsed once with the schema, completed with the seed's defaults, and compared with
 * what a deployment already has. Values unknown during a preview are kept as the sentinel; only the
 * known values' own failures are reported until `up` checks again with real values.
 */
import { z } from "zod";
import { isUnknown } from "./engine";
import {
  FieldFailure,
  MailboxFields,
  MailboxUpdate,
  ResourceFields,
  SchemaOptions,
  mailboxSchemas,
  parseMailbox,
  resourceFieldSchemas,
  toFailures,
} from "./schema";

/** The input the dynamic provider machinery adds to every resource: the serialized provider. */
export const PROVIDER_KEY = "__provider";

/** Inputs and outputs as the engine passes them: plain JSON values. */
export type PropertyMap = Record<string, unknown>;

/** The outcome of {@link checkInputs}. */
export interface CheckedInputs {
  /** What `check` returns: the values with the seed's defaults, unknowns as the sentinel, `__provider` kept. */
  inputs: PropertyMap;
  /** Every problem, each on its camelCase property. */
  failures: FieldFailure[];
  /** Properties whose value is not known yet (preview). */
  unknown: string[];
  /** The complete mailbox and steering inputs, when every value is known and valid. */
  fields?: MailboxFields;
  resource?: ResourceFields;
}

let steeringSchema: z.ZodObject<ReturnType<typeof resourceFieldSchemas>> | undefined;

/**
 * Checks engine inputs with the schema (one parse of the mailbox fields, one of the steering inputs)
 * and applies the seed's defaults. `existing` is what the deployment already has, if anything: the
 * PIN is then optional unless the change is a replacement.
 *
 * @example
 * ```ts
 * checkInputs({ mailbox: "2001", pin: "4821" }).inputs.notifyEmail; // "owner_wav"
 * ```
 */
export function checkInputs(
  news: PropertyMap,
  options: SchemaOptions = {},
  existing?: PropertyMap,
): CheckedInputs {
  const steeringNames = Object.keys(resourceFieldSchemas());
  const known: PropertyMap = {};
  const steering: PropertyMap = {};
  const unknown: string[] = [];
  for (const [name, value] of Object.entries(news)) {
    if (name === PROVIDER_KEY || value === undefined) continue;
    if (isUnknown(value)) unknown.push(name);
    else (steeringNames.includes(name) ? steering : known)[name] = value;
  }
  const resource = (steeringSchema ??= z.object(resourceFieldSchemas())).safeParse(steering);
  // The PIN is needed only to create: not to adopt, nor to keep a mailbox the deployment has.
  const adoptMode =
    (resource.success && resource.data.adopt) ||
    unknown.includes("adopt") ||
    (existing !== undefined && replacedProperties(existing, news).length === 0);
  const whole = parseMailbox(known, adoptMode ? "adopt" : "create", options);
  let failures = [
    ...(resource.success ? [] : toFailures(resource.error, steeringNames)),
    ...(whole.ok ? [] : whole.failures),
  ];
  // With a value unknown, only the known values' own failures can be judged.
  if (unknown.length > 0) failures = failures.filter((f) => f.property in known || f.property in steering);

  // Inputs that failed (or hold unknowns) still go back to the engine, with the defaults filled in.
  const inputs: PropertyMap = whole.ok
    ? { ...whole.value }
    : { ...mailboxSchemas(options).defaults, ...known };
  for (const [name, value] of Object.entries(resource.success ? resource.data : steering)) {
    if (value !== undefined) inputs[name] = value;
  }
  for (const name of unknown) inputs[name] = news[name];
  if (news[PROVIDER_KEY] !== undefined) inputs[PROVIDER_KEY] = news[PROVIDER_KEY];
  const complete = unknown.length === 0 && failures.length === 0 && whole.ok && resource.success;
  return complete
    ? { inputs, failures, unknown, fields: whole.value, resource: resource.data }
    : { inputs, failures, unknown };
}

/**
 * What `mailboxes/update` must send to turn `current` into `wanted`: every updatable field that is
 * declared (or defaulted) and differs. A field left undeclared without a default (`timezone`, `pin`)
 * is not managed and never sent; `""` is sent to clear text. The PIN is write-only, so it is compared
 * with the PIN the deployment last set, never with the switch.
 *
 * @example
 * ```ts
 * changedFields({ description: "old", pin: "1111" }, { description: "", pin: "1111" }); // { description: "" }
 * ```
 */
export function changedFields(
  current: PropertyMap,
  wanted: PropertyMap,
  options: SchemaOptions = {},
): MailboxUpdate {
  const out: PropertyMap = {};
  for (const name of Object.keys(mailboxSchemas(options).fields)) {
    // The identity (`mailbox`, `customer`) and `copyPin` are never updated.
    if (name === "mailbox" || name === "customer" || name === "copyPin") continue;
    const value = wanted[name];
    if (value !== undefined && value !== current[name]) out[name] = value;
  }
  return out as MailboxUpdate;
}

/**
 * The properties whose change may mean another mailbox: the number, the customer (only when declared:
 * an undeclared customer means "wherever it is"), and the connection. A connection counts only when
 * `sameSwitch` says the new profile reaches another switch: a mailbox is its switch, customer and
 * number, whatever profile reaches it. An unknown value counts as a change: the engine must plan for
 * the worst.
 */
export function replacedProperties(
  current: PropertyMap,
  wanted: PropertyMap,
  sameSwitch: (before: unknown, after: unknown) => boolean = (a, b) => a === b,
): string[] {
  const out: string[] = [];
  if (wanted.mailbox !== current.mailbox) out.push("mailbox");
  if (wanted.customer !== undefined && wanted.customer !== current.customer) out.push("customer");
  const [before, after] = [current.connection ?? undefined, wanted.connection ?? undefined];
  if (before !== after && (isUnknown(after) || !sameSwitch(before, after))) out.push("connection");
  return out;
}
