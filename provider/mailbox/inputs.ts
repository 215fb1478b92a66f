/**
 * The inputs of a `Mailbox` as the provider sees them: split into mailbox fields (sent to the switch)
 * and resource fields (`adopt`, `connection`, which steer the provider), checked with the schema,
 * completed with the seed's defaults, and compared with what a deployment already has.
 *
 * During a preview some values are not known yet: the engine passes them as the unknown sentinel.
 * They are kept as they are, their own validation waits for `pulumi up` (when `check` runs again with
 * real values), and the rules that tie several fields together are skipped until then.
 */
import { unknownValue } from "@pulumi/pulumi/runtime/rpc";
import { z } from "zod";
import {
  FieldFailure,
  MailboxField,
  MailboxFields,
  MailboxUpdate,
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

/** The steering inputs, after defaults. */
export interface ResourceSettings {
  /** Take over an existing mailbox at creation instead of failing. */
  adopt: boolean;
  /** The `enswitch:connections` profile; `undefined` for the default connection. */
  connection?: string;
}

/** The outcome of {@link checkInputs}. */
export interface CheckedInputs {
  /**
   * What `check` returns: the declared values with the seed's defaults applied, unknown values kept
   * as the sentinel, `__provider` kept.
   */
  inputs: PropertyMap;
  /** Every problem, each on its camelCase property. */
  failures: FieldFailure[];
  /** Properties whose value is not known yet (preview). */
  unknown: string[];
  /** The complete mailbox, when every value is known and valid. */
  fields?: MailboxFields;
  /** `adopt` and `connection`, when known and valid. */
  resource?: ResourceSettings;
}

/** Whether a value is the engine's "known only after apply" sentinel. */
export function isUnknown(value: unknown): boolean {
  return value === unknownValue;
}

/** The names of the steering inputs, read off the schema. */
export function resourceFieldNames(): string[] {
  return Object.keys(resourceFieldSchemas());
}

/** Splits engine inputs into mailbox-field candidates (anything unrecognised included) and the rest. */
function split(news: PropertyMap): { fieldInputs: PropertyMap; resourceInputs: PropertyMap } {
  const steering = new Set(resourceFieldNames());
  const fieldInputs: PropertyMap = {};
  const resourceInputs: PropertyMap = {};
  for (const [key, value] of Object.entries(news)) {
    if (key === PROVIDER_KEY || value === undefined) continue;
    (steering.has(key) ? resourceInputs : fieldInputs)[key] = value;
  }
  return { fieldInputs, resourceInputs };
}

/** The first zod message of a single-field parse, in the schema's failure shape. */
function fieldFailure(property: string, error: z.ZodError): FieldFailure {
  const [first] = toFailures(error, []);
  return { property, reason: first?.reason ?? "is invalid" };
}

/**
 * Checks engine inputs with the schema and applies the seed's defaults. `existing` is what the
 * deployment already has (old inputs or outputs), if anything: the PIN is then optional unless the
 * change is a replacement.
 *
 * @example
 * ```ts
 * const r = checkInputs({ mailbox: "2001", pin: "4821" }, {});
 * r.inputs.notifyEmail; // "owner_wav"
 * ```
 */
export function checkInputs(
  news: PropertyMap,
  options: SchemaOptions = {},
  existing?: PropertyMap,
): CheckedInputs {
  const { fieldInputs, resourceInputs } = split(news);
  const schemas = mailboxSchemas(options);
  const fieldSchemas = schemas.fields as unknown as Record<string, z.ZodType>;
  const inputs: PropertyMap = {};
  const failures: FieldFailure[] = [];
  const unknown: string[] = [];

  // Steering inputs: each on its own.
  const steering = resourceFieldSchemas() as unknown as Record<string, z.ZodType>;
  const resource: PropertyMap = {};
  for (const [name, schema] of Object.entries(steering)) {
    const value = resourceInputs[name];
    if (isUnknown(value)) {
      unknown.push(name);
      inputs[name] = value;
      continue;
    }
    const parsed = schema.safeParse(value);
    if (parsed.success) {
      if (parsed.data !== undefined) inputs[name] = resource[name] = parsed.data;
    } else {
      failures.push(fieldFailure(name, parsed.error));
      inputs[name] = value;
    }
  }

  // Mailbox fields: defaults per field, so that the returned inputs are complete even when another
  // field fails or is unknown.
  const unknownFields = Object.keys(fieldInputs).filter((key) => isUnknown(fieldInputs[key]));
  unknown.push(...unknownFields);
  for (const [name, schema] of Object.entries(fieldSchemas)) {
    const value = fieldInputs[name];
    if (isUnknown(value)) {
      inputs[name] = value;
      continue;
    }
    const parsed = schema.safeParse(value);
    const effective = parsed.success ? parsed.data : value;
    if (effective !== undefined) inputs[name] = effective;
  }
  for (const [name, value] of Object.entries(fieldInputs)) {
    if (!(name in fieldSchemas)) inputs[name] = value;
  }
  if (news[PROVIDER_KEY] !== undefined) inputs[PROVIDER_KEY] = news[PROVIDER_KEY];

  // The whole object: exact failures when everything is known; otherwise only the per-field ones (and
  // unrecognised names), since a rule across fields cannot be judged on a value not known yet.
  // The PIN is needed only to create: not to adopt, nor to update a mailbox the deployment has.
  const adoptMode =
    resource.adopt === true ||
    unknown.includes("adopt") ||
    (existing !== undefined && replacedProperties(existing, inputs).length === 0);
  const known: PropertyMap = {};
  for (const [name, value] of Object.entries(fieldInputs)) if (!isUnknown(value)) known[name] = value;
  const whole = parseMailbox(known, adoptMode ? "adopt" : "create", options);
  let fields: MailboxFields | undefined;
  if (unknownFields.length === 0) {
    if (whole.ok) fields = whole.value;
    else failures.push(...whole.failures);
  } else {
    if (!whole.ok)
      failures.push(...whole.failures.filter((f) => f.property !== "" && !(f.property in fieldSchemas)));
    for (const [name, value] of Object.entries(known)) {
      const schema = fieldSchemas[name];
      if (!schema) continue;
      const parsed = schema.safeParse(value);
      if (!parsed.success) failures.push(fieldFailure(name, parsed.error));
    }
  }
  const resourceKnown = !unknown.some((name) => name in steering);
  const resourceOk = resourceKnown && !failures.some((f) => f.property in steering);
  return {
    inputs,
    failures,
    unknown,
    fields: failures.length === 0 ? fields : undefined,
    resource: resourceOk ? (resource as unknown as ResourceSettings) : undefined,
  };
}

/**
 * The mailbox fields and steering inputs of inputs that `check` accepted, parsed again (the engine
 * may hand `create` and `update` inputs that never went through this process's `check`).
 */
export function declaredInputs(
  inputs: PropertyMap,
  options: SchemaOptions = {},
  existing?: PropertyMap,
): { ok: true; fields: MailboxFields; resource: ResourceSettings } | { ok: false; failures: FieldFailure[] } {
  const checked = checkInputs(inputs, options, existing);
  if (checked.fields && checked.resource)
    return { ok: true, fields: checked.fields, resource: checked.resource };
  const failures =
    checked.failures.length > 0
      ? checked.failures
      : [{ property: "", reason: "has values that are not known yet" }];
  return { ok: false, failures };
}

/** The fields an update may carry: everything but the identity (`mailbox`, `customer`) and `copyPin`. */
function updatableFields(options: SchemaOptions): MailboxField[] {
  return (Object.keys(mailboxSchemas(options).fields) as MailboxField[]).filter(
    (name) => name !== "mailbox" && name !== "customer" && name !== "copyPin",
  );
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
  for (const name of updatableFields(options)) {
    const value = wanted[name];
    if (value === undefined) continue;
    if (value !== current[name]) out[name] = value;
  }
  return out as MailboxUpdate;
}

/**
 * The properties whose change means a different mailbox, so a replacement: the number, the customer
 * (only when declared: an undeclared customer means "wherever it is"), and the connection (another
 * switch). An unknown value counts as a change: the engine must plan for the worst.
 */
export function replacedProperties(current: PropertyMap, wanted: PropertyMap): string[] {
  const out: string[] = [];
  if (wanted.mailbox !== current.mailbox) out.push("mailbox");
  if (wanted.customer !== undefined && wanted.customer !== current.customer) out.push("customer");
  if ((wanted.connection ?? undefined) !== (current.connection ?? undefined)) out.push("connection");
  return out;
}
