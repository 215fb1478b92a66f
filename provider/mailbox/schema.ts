/**
 * The mailbox schema: the one source of truth for every mailbox field.
 *
 * Each field of `mailboxes/create` (the seed page, 27 parameters less `auth_username`, `auth_password`
 * and `validation`) is declared once here, in camelCase, with its type, default, allowed values and
 * the seed's description. Everything else is derived from this object: the TypeScript types, the
 * `MailboxArgs` docs, the wire names and encodings (`wire.ts`), the update variant, the README table
 * and the JSON Schema of declarative files.
 *
 * Schemas are built on first use and cached per Enswitch version, never at module load: a zod
 * object held at module level cannot go through Pulumi's closure serializer.
 */
import { z } from "zod";

/** The Enswitch version the seed documents; its rules are the default. */
const DEFAULT_ENSWITCH_VERSION = "3.14";

/**
 * Options that change the rules of the schema.
 *
 * @example
 * ```ts
 * mailboxSchemas({ enswitchVersion: "4.4" }).create.parse({ mailbox: "1234", pin: "5678" });
 * ```
 */
export interface SchemaOptions {
  /**
   * The Enswitch version of the switch, e.g. `"3.14"` or `"4.4"`. From 4.0, `notifyFor` also takes
   * `all` and `text` and defaults to `all`. Default: {@link DEFAULT_ENSWITCH_VERSION}.
   */
  enswitchVersion?: string;
}

/** The destination types the public guides name; the field stays open to others. */
const KNOWN_DTYPES = ["hangup", "phone", "forward", "peer", "sipuri", "voicemailbox"] as const;

/** Whether `version` is Enswitch 4.0 or later. */
export function isEnswitch4(version: string = DEFAULT_ENSWITCH_VERSION): boolean {
  const major = Number.parseInt(version.split(".")[0] ?? "", 10);
  return Number.isFinite(major) && major >= 4;
}

/**
 * The spelling of `zone` that this Node.js runtime's ICU data uses, when the two differ only in case
 * (`europe/london` → `Europe/London`, `utc` → `UTC`); `zone` itself otherwise (an alias such as
 * `US/Eastern` is kept as written: its one spelling cannot be told); `undefined` when it is no zone.
 */
export function canonicalTimeZone(zone: string): string | undefined {
  if (!/^[A-Za-z][A-Za-z0-9_+-]*(\/[A-Za-z0-9_+-]+)*$/.test(zone)) return undefined;
  try {
    const known = new Intl.DateTimeFormat("en", { timeZone: zone }).resolvedOptions().timeZone;
    return known.toLowerCase() === zone.toLowerCase() ? known : zone;
  } catch {
    return undefined;
  }
}

/** True when `zone` is an IANA time zone this Node.js runtime knows (its ICU data), in any case. */
export function isTimeZone(zone: string): boolean {
  return canonicalTimeZone(zone) !== undefined;
}

// The seed's types, one helper each. Nothing narrower: lengths, digits-only numbers and formats are
// the switch's verdict (validation=1) or an organisation's policy, not rules the pages state.
function text(example = "") {
  return z.string({
    error: (issue) =>
      issue.input === undefined ? "is required" : `must be text: quote it${example && `, e.g. "${example}"`}`,
  });
}

function whole(what: string) {
  return z.number({ error: `must be ${what}, a whole number` }).int({ error: "must be a whole number" });
}

function flag() {
  return z.boolean({ error: "must be true or false" });
}

function oneOf<const T extends readonly [string, ...string[]]>(values: T) {
  return z.enum(values, { error: `must be one of ${listed(values)}` });
}

/** A list of values for a message: `"a", "b"`. */
export function listed(values: readonly unknown[]): string {
  return values.map((v) => JSON.stringify(v)).join(", ");
}

/** The fields, in the seed's order. Built per call: see the module comment. */
function buildFields(options: SchemaOptions) {
  const v4 = isEnswitch4(options.enswitchVersion);
  const notifyFor = v4
    ? oneOf(["all", "voicemail", "fax", "voicemail_fax", "text", ""]).default("all")
    : oneOf(["voicemail", "fax", "voicemail_fax", ""]).default("voicemail_fax");
  return {
    mailbox: text("1234")
      .min(1, { error: 'is required: the mailbox number, e.g. "1234"' })
      .describe("Mailbox number. A string: leading zeros are kept."),
    pin: text().optional().meta({
      description: "PIN. Required unless copyPin is given. Always a secret; never read back from the switch.",
      defaultText: "none: required unless copyPin or adopt",
    }),
    callerid: text()
      .default("")
      .describe("Caller ID to use on notification calls. Empty string for unknown."),
    copyPin: text("1000")
      .default("")
      .describe(
        "Another mailbox in the same customer to copy the PIN from. Empty string to use pin instead. Only used at creation.",
      ),
    customer: whole("a customer ID").optional().meta({
      description: "ID of the customer to create in.",
      defaultText: "the customer of the authenticated user",
    }),
    description: text().default("").describe("Description."),
    dtype: text("hangup")
      .default("hangup")
      .meta({
        description: "Destination type if the caller presses 0 during the greeting.",
        allowed: `a destination type; known: ${KNOWN_DTYPES.join(", ")}`,
        known: [...KNOWN_DTYPES],
      }),
    // The seed's default is "None": unset is not sent, so the switch keeps its own.
    dnumber: text().optional().meta({
      description: "Destination number if the caller presses 0 during the greeting.",
      defaultText: "none (not sent)",
    }),
    envelope: flag().default(false).describe("Play the message envelope."),
    notifyDnumber: text()
      .default("")
      .describe("Number to call for notification calls. Empty string for none."),
    notifyEmail: oneOf(["owner", "owner_wav", ""])
      .default("owner_wav")
      .describe(
        '"owner" to notify the mailbox owner by email, "owner_wav" to also attach the voicemail as .wav, empty string not to notify.',
      ),
    notifyFor: notifyFor.describe(
      v4
        ? 'What to notify for: "all", "voicemail", "fax", "voicemail_fax", "text", or empty string for nothing.'
        : '"voicemail" to notify for voicemails, "fax" for faxes, "voicemail_fax" for both, empty string for neither.',
    ),
    notifyLtype: oneOf(["voicemailbox", "voicemailboxpin", "voicemaillogin"])
      .default("voicemailbox")
      .describe(
        'What to play on notification calls: "voicemailbox" (mailbox without PIN), "voicemailboxpin" (with PIN), "voicemaillogin" (ask for mailbox and PIN).',
      ),
    notifyMessage: oneOf(["owner", ""])
      .default("")
      .describe('"owner" to send a text message to the mailbox owner, empty string not to.'),
    notifyOnly: flag()
      .default(false)
      .describe(
        "Delete the message after sending notification emails. Without an email notification, messages are lost.",
      ),
    owner: whole("a person ID (0 for none)")
      .default(0)
      .describe("ID of the owner (a person of the same customer). 0 for none."),
    pager: text().default("").describe("Secondary email address to notify. Empty string for none."),
    pagerAttach: flag()
      .default(false)
      .describe("Attach the voicemail or fax to the email to the secondary address."),
    panel: flag().default(false).describe("Show in the control panel."),
    play: oneOf(["oldest", "newest"])
      .default("oldest")
      .describe('"oldest" to play the oldest message first, "newest" to play the newest first.'),
    saycid: flag().default(true).describe("Say the caller ID."),
    sayduration: flag().default(true).describe("Say the message duration."),
    temporaryActive: flag().default(true).describe("The temporary greeting is active."),
    // Case is the one certain spelling: stored as the time zone database writes it, never as typed.
    timezone: text("Europe/London")
      .overwrite((zone) => canonicalTimeZone(zone) ?? zone)
      .refine(isTimeZone, {
        error: 'must be an IANA time zone such as "Europe/London" or "America/New_York"',
      })
      .optional()
      .meta({
        description: "Time zone, an IANA name such as Europe/London (its case is corrected).",
        defaultText: "the customer's time zone",
        allowed: "an IANA time zone name",
      }),
  };
}

/**
 * Inputs of the `Mailbox` resource that are not mailbox fields: they steer the provider and are never
 * sent to the switch.
 */
function buildResourceFields() {
  return {
    adopt: flag()
      .default(false)
      .describe(
        "Take over a mailbox that already exists on the switch instead of failing: create reads it, then updates it to the declared settings.",
      ),
    connection: z
      .string()
      .regex(/^[A-Za-z0-9_.-]{1,64}$/, {
        error: "must name a profile of the enswitch:connections stack config (letters, digits, _ . -)",
      })
      .optional()
      .meta({
        description: "Which switch: a profile name in the structured stack config enswitch:connections.",
        defaultText: "the switch of enswitch:url",
      }),
  };
}

let resourceFields: ReturnType<typeof buildResourceFields> | undefined;

/**
 * The resource-only inputs (`adopt`, `connection`), built on first use and cached: `check` needs them
 * for every mailbox, and rebuilding them cost more than the rest of a check (BENCHMARKS.md).
 */
export function resourceFieldSchemas() {
  return (resourceFields ??= buildResourceFields());
}

/** The resource-only inputs after defaults. */
export type ResourceFields = z.output<z.ZodObject<ReturnType<typeof buildResourceFields>>>;

type Fields = ReturnType<typeof buildFields>;

/** Names of the mailbox fields, in the seed's order. */
export type MailboxField = keyof Fields;

/** What a user writes: every field with a default may be omitted. */
export type MailboxFieldsInput = z.input<z.ZodObject<Fields>>;

/** A complete mailbox after defaults: what the provider sends and stores. */
export type MailboxFields = z.output<z.ZodObject<Fields>>;

/** The update variant: any subset of fields except `copyPin`, no defaults (omitted keeps the value). */
export type MailboxUpdate = Partial<Omit<MailboxFields, "copyPin">>;

/** The schemas of one Enswitch version. */
export interface MailboxSchemas {
  /** The per-field schemas, with defaults and docs. */
  readonly fields: Fields;
  /** Every field's default (fields without one are absent): what the switch assumes when it is left out. */
  readonly defaults: Readonly<Partial<MailboxFields>>;
  /** A new mailbox: defaults applied, unknown keys rejected, "pin unless copyPin". */
  readonly create: z.ZodType<MailboxFields, MailboxFieldsInput>;
  /** Taking over an existing mailbox: as `create`, but the PIN may be omitted (the switch keeps its own). */
  readonly adopt: z.ZodType<MailboxFields, MailboxFieldsInput>;
  /** A change to an existing mailbox: every field optional and without default. */
  readonly update: z.ZodType<MailboxUpdate, MailboxUpdate>;
}

const cache: Record<string, MailboxSchemas> = {};

/**
 * The mailbox schemas for an Enswitch version, built on first use and cached.
 *
 * @example
 * ```ts
 * const { create } = mailboxSchemas();
 * create.parse({ mailbox: "1234", pin: "5678" }).notifyEmail; // "owner_wav"
 * ```
 */
export function mailboxSchemas(options: SchemaOptions = {}): MailboxSchemas {
  const version = options.enswitchVersion ?? DEFAULT_ENSWITCH_VERSION;
  const key = isEnswitch4(version) ? "4" : "3";
  const cached = cache[key];
  if (cached) return cached;

  const fields = buildFields({ enswitchVersion: version });
  // With copyPin the switch copies another mailbox's PIN: a pin given as well would be recorded in
  // state (and in the files' `pins` output) though the switch never set it.
  const adopt = z.strictObject(fields).refine((value) => value.copyPin === "" || value.pin === undefined, {
    path: ["copyPin"],
    error: "cannot be given together with pin: give pin (this mailbox's own PIN) or copyPin, not both",
  });
  const create = adopt.refine((value) => value.copyPin !== "" || value.pin !== undefined, {
    path: ["pin"],
    error: "is required unless copyPin names another mailbox (or adopt: true takes over an existing one)",
  });

  const updateShape: Record<string, z.ZodType> = {};
  for (const [name, schema] of Object.entries(fields)) {
    if (name === "copyPin") continue;
    updateShape[name] = withoutDefault(schema).optional();
  }
  const update = z.strictObject(updateShape) as unknown as z.ZodType<MailboxUpdate, MailboxUpdate>;

  const defaults = Object.entries(fields).map(([name, schema]) => [name, schema.safeParse(undefined).data]);
  const built: MailboxSchemas = {
    fields,
    defaults: Object.freeze(Object.fromEntries(defaults.filter(([, value]) => value !== undefined))),
    create,
    adopt,
    update,
  };
  cache[key] = built;
  return built;
}

/** The schema inside a `.default()` wrapper (or the schema itself). */
export function withoutDefault(schema: z.ZodType): z.ZodType {
  return schema instanceof z.ZodDefault ? (schema.unwrap() as z.ZodType) : schema;
}

/**
 * The schema's default for a field: what the switch assumes when the parameter is left out
 * (`undefined` if it has none). Read from the schema, never restated by hand.
 */
export function schemaDefault(field: MailboxField, options: SchemaOptions = {}): unknown {
  return mailboxSchemas(options).defaults[field];
}

/** The names of all mailbox fields, in the seed's order. */
export function mailboxFieldNames(options: SchemaOptions = {}): MailboxField[] {
  return Object.keys(mailboxSchemas(options).fields) as MailboxField[];
}

/** A problem with one field, in the shape Pulumi's `check` reports. */
export interface FieldFailure {
  /** The camelCase property, e.g. `notifyEmail`; `""` for the object as a whole. */
  property: string;
  /** What is wrong and what would be valid. */
  reason: string;
}

/** The result of {@link parseMailbox}. */
export type ParseResult<T> = { ok: true; value: T } | { ok: false; failures: FieldFailure[] };

/**
 * Parses user input into a complete mailbox (`mode: "create"`, or `"adopt"` where the PIN may be
 * omitted) or a change (`mode: "update"`).
 * Never throws; every failure names its property and what would be valid.
 *
 * @example
 * ```ts
 * const r = parseMailbox({ mailbox: "1234" }, "create");
 * // r.ok === false; r.failures[0] = { property: "pin", reason: "is required unless copyPin ..." }
 * ```
 */
export function parseMailbox(
  input: unknown,
  mode: "create" | "adopt",
  options?: SchemaOptions,
): ParseResult<MailboxFields>;
export function parseMailbox(
  input: unknown,
  mode: "update",
  options?: SchemaOptions,
): ParseResult<MailboxUpdate>;
export function parseMailbox(
  input: unknown,
  mode: "create" | "adopt" | "update",
  options: SchemaOptions = {},
): ParseResult<MailboxFields | MailboxUpdate> {
  const schemas = mailboxSchemas(options);
  const result = schemas[mode].safeParse(input);
  if (result.success) return { ok: true, value: result.data };
  return { ok: false, failures: toFailures(result.error, Object.keys(schemas.fields)) };
}

/** Turns zod issues into failures that name the property and the fix. */
export function toFailures(error: z.ZodError, known: readonly string[]): FieldFailure[] {
  const failures: FieldFailure[] = [];
  for (const issue of error.issues) {
    if (issue.code === "unrecognized_keys") {
      for (const key of issue.keys) {
        failures.push({
          property: key,
          reason: `is not a mailbox field; valid fields are ${known.join(", ")}`,
        });
      }
      continue;
    }
    const property = issue.path.length > 0 ? String(issue.path[0]) : "";
    // One reason per property: the first check that failed says what to fix; a second one for the
    // same value ("and it is too long") only adds noise.
    if (failures.some((f) => f.property === property)) continue;
    failures.push({ property, reason: issue.message });
  }
  return failures;
}
