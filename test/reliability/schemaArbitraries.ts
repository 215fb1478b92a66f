/**
 * fast-check generators read off the mailbox schema: valid mailboxes, and invalid values for any
 * field. Nothing here lists fields, enums or limits: each field's zod definition (its kind, length
 * limits, patterns, formats, enum values, number bounds) is inspected and turned into generators, so a
 * field added to `provider/mailbox/schema.ts` is covered by every property test without a change here.
 *
 * The one thing a schema cannot say is how to produce a value that passes a `refine()` (the time-zone
 * rule): such strings are drawn from {@link REFINEMENT_CANDIDATES} and kept only when the schema
 * accepts them.
 *
 * @example
 * ```ts
 * fc.assert(fc.property(validMailboxArgs(), (args) => parseMailbox(args, "create").ok));
 * ```
 */
import fc from "fast-check";
import { z } from "zod";
import {
  MailboxSchemas,
  SchemaOptions,
  mailboxSchemas,
  resourceFieldSchemas,
} from "../../provider/mailbox/schema";

/** One check of a zod type, as its definition exposes it. */
interface CheckDef {
  check: string;
  minimum?: number;
  maximum?: number;
  format?: string;
  pattern?: RegExp;
  value?: number;
  inclusive?: boolean;
}

/** The parts of a zod definition this module reads. */
interface ZodDef {
  type: string;
  innerType?: z.ZodType;
  in?: z.ZodType;
  out?: z.ZodType;
  options?: z.ZodType[];
  entries?: Record<string, string>;
  values?: unknown[];
  format?: string;
  pattern?: RegExp;
  checks?: { _zod: { def: CheckDef } }[];
}

/** What a field's base type allows, as far as generating values goes. */
export type BaseShape =
  | {
      kind: "string";
      minLength: number;
      maxLength: number | undefined;
      /** Patterns the value must match (regex checks and formats such as email). */
      patterns: RegExp[];
      /** Whether a `refine()` applies, which no generator can invert. */
      refined: boolean;
    }
  | { kind: "number"; integer: boolean; min: { value: number; inclusive: boolean } | undefined }
  | { kind: "boolean" }
  | { kind: "enum"; values: string[] }
  | { kind: "literal"; values: unknown[] };

/** A field: whether it may be left out, and the alternatives of its value. */
export interface FieldShape {
  name: string;
  /** `required` must be given; `optional` and `default` may be omitted. */
  presence: "required" | "optional" | "default";
  alternatives: BaseShape[];
}

function defOf(schema: z.ZodType): ZodDef {
  return schema._zod.def as unknown as ZodDef;
}

function checksOf(def: ZodDef): CheckDef[] {
  return (def.checks ?? []).map((c) => c._zod.def);
}

/** The base shapes of a schema, unwrapping pipes (both ends constrain a string) and unions. */
function shapesOf(schema: z.ZodType): BaseShape[] {
  const def = defOf(schema);
  switch (def.type) {
    case "default":
    case "optional":
      return shapesOf(def.innerType as z.ZodType);
    case "pipe": {
      const [a] = shapesOf(def.in as z.ZodType);
      const [b] = shapesOf(def.out as z.ZodType);
      if (a?.kind === "string" && b?.kind === "string") {
        return [
          {
            kind: "string",
            minLength: Math.max(a.minLength, b.minLength),
            maxLength: minDefined(a.maxLength, b.maxLength),
            patterns: [...a.patterns, ...b.patterns],
            refined: a.refined || b.refined,
          },
        ];
      }
      return shapesOf(def.in as z.ZodType);
    }
    case "union":
      return (def.options ?? []).flatMap(shapesOf);
    case "enum":
      return [{ kind: "enum", values: Object.values(def.entries ?? {}) }];
    case "literal":
      return [{ kind: "literal", values: def.values ?? [] }];
    case "boolean":
      return [{ kind: "boolean" }];
    case "number": {
      const checks = checksOf(def);
      const bound = checks.find((c) => c.check === "greater_than");
      return [
        {
          kind: "number",
          integer: checks.some((c) => c.check === "number_format"),
          min: bound ? { value: bound.value ?? 0, inclusive: bound.inclusive ?? false } : undefined,
        },
      ];
    }
    case "string": {
      const checks = checksOf(def);
      const patterns = checks.filter((c) => c.pattern).map((c) => c.pattern as RegExp);
      if (def.pattern) patterns.push(def.pattern);
      return [
        {
          kind: "string",
          minLength: checks.find((c) => c.check === "min_length")?.minimum ?? 0,
          maxLength: checks.find((c) => c.check === "max_length")?.maximum,
          patterns,
          refined: checks.some((c) => c.check === "custom"),
        },
      ];
    }
    default:
      throw new Error(`schemaArbitraries cannot read a zod ${def.type}: teach shapesOf about it`);
  }
}

function minDefined(a: number | undefined, b: number | undefined): number | undefined {
  return a === undefined ? b : b === undefined ? a : Math.min(a, b);
}

function presenceOf(schema: z.ZodType): FieldShape["presence"] {
  const type = defOf(schema).type;
  return type === "default" ? "default" : type === "optional" ? "optional" : "required";
}

/** Every field of a set of zod schemas, read off their definitions. */
export function fieldShapes(fields: Record<string, z.ZodType>): FieldShape[] {
  return Object.entries(fields).map(([name, schema]) => ({
    name,
    presence: presenceOf(schema),
    alternatives: shapesOf(schema),
  }));
}

/** The mailbox fields of a schema version as zod types. */
export function mailboxFieldSchemas(options: SchemaOptions = {}): Record<string, z.ZodType> {
  return mailboxSchemas(options).fields as unknown as Record<string, z.ZodType>;
}

/** The steering inputs (`adopt`, `connection`) as zod types. */
export function steeringFieldSchemas(): Record<string, z.ZodType> {
  return resourceFieldSchemas() as unknown as Record<string, z.ZodType>;
}

/**
 * Strings that pass the schema's refinements: IANA zones from this runtime's ICU data (what
 * `isTimeZone` accepts). Anything else a future refinement needs goes here.
 */
export const REFINEMENT_CANDIDATES: readonly string[] = (
  Intl as unknown as { supportedValuesOf(key: "timeZone"): string[] }
).supportedValuesOf("timeZone");

/**
 * Text that tries to break out of its field: parameter separators, encoded separators, markup, SQL,
 * right-to-left override, emoji. Valid in free-text fields (and must then arrive intact), invalid in
 * every constrained one.
 */
export const HOSTILE_TEXT: readonly string[] = [
  "1234;auth_username=other",
  "1234&auth_username=other&auth_password=x",
  "1234%3Bauth_username%3Dother",
  "a=b&validation=1",
  "<script>alert(1)</script>",
  "' OR '1'='1' --",
  '"quoted" \\ back\\slash',
  "\u202eevil",
  "caf\u00e9 \u{1f4de} \u4e2d\u6587",
  "../../etc/passwd",
  "${process.env.ENSWITCH_PASSWORD}",
];

/** Values no constrained field accepts whatever its kind: wrong types, control characters, huge strings. */
function genericInvalid(): unknown[] {
  const huge = 100 * 1024;
  return [
    null,
    true,
    false,
    0,
    -1,
    1.5,
    Number.NaN,
    Number.POSITIVE_INFINITY,
    2 ** 53,
    "",
    " ",
    "7",
    [],
    ["1234"],
    {},
    { value: "1234" },
    "1234\n",
    "12\u000034",
    "line\r\nX-Injected: 1",
    "\u001b[31mred",
    "tab\there",
    "del\u007f",
    "a".repeat(huge),
    "1".repeat(huge),
    ...HOSTILE_TEXT,
  ];
}

/** Values derived from the limits of one base shape that just miss them. */
function boundaryInvalid(shape: BaseShape): unknown[] {
  switch (shape.kind) {
    case "string": {
      const out: unknown[] = [];
      if (shape.maxLength !== undefined) {
        out.push("1".repeat(shape.maxLength + 1), "a".repeat(shape.maxLength + 1));
      }
      if (shape.minLength > 0) out.push("");
      return out;
    }
    case "number": {
      const out: unknown[] = [];
      if (shape.min) out.push(shape.min.inclusive ? shape.min.value - 1 : shape.min.value);
      if (shape.integer) out.push(2.5, String(shape.min?.value ?? 0));
      return out;
    }
    case "enum":
      return shape.values.flatMap((v) => [
        `${v}x`,
        v.toUpperCase() === v ? `${v}X` : v.toUpperCase(),
        ` ${v}`,
      ]);
    case "boolean":
      return ["true", "false", "1", "0", 1, 0, "yes"];
    case "literal":
      return shape.values.map((v) => `${String(v)}!`);
  }
}

/** A value of one base shape that the field's schema accepts. */
function validBase(shape: BaseShape, accepts: (v: unknown) => boolean): fc.Arbitrary<unknown> {
  switch (shape.kind) {
    case "enum":
      return fc.constantFrom(...shape.values);
    case "literal":
      return fc.constantFrom(...shape.values);
    case "boolean":
      return fc.boolean();
    case "number": {
      const low = shape.min ? (shape.min.inclusive ? shape.min.value : shape.min.value + 1) : -1_000_000;
      return shape.integer
        ? fc.integer({ min: low, max: 2_000_000_000 })
        : fc.double({ min: low, max: 1e9, noNaN: true });
    }
    case "string": {
      if (shape.refined) return fc.constantFrom(...REFINEMENT_CANDIDATES).filter(accepts);
      const max = shape.maxLength ?? 64;
      // A pattern other than the "no control characters" rule defines the value (digits, a type name,
      // an email address): generate from it. Free text gets arbitrary Unicode and the hostile samples.
      const defining = shape.patterns.find((p) => !/^\^\[\^/.test(p.source));
      const text = defining
        ? fc.stringMatching(defining)
        : fc.oneof(
            fc.string({ unit: "grapheme", maxLength: Math.min(max, 80) }),
            fc.string({ unit: "binary", maxLength: Math.min(max, 80) }),
            fc.constantFrom(...HOSTILE_TEXT),
            fc.constant("x".repeat(max)),
          );
      return text.filter(accepts);
    }
  }
}

/** Values the field's own schema accepts (given). */
export function validFieldValue(schema: z.ZodType): fc.Arbitrary<unknown> {
  const accepts = (v: unknown) => v !== undefined && schema.safeParse(v).success;
  return fc.oneof(...shapesOf(schema).map((s) => validBase(s, accepts)));
}

/** Values the field's own schema rejects: wrong types, out of range, unknown enum values, hostile text. */
export function invalidFieldValue(schema: z.ZodType): fc.Arbitrary<unknown> {
  const rejects = (v: unknown) => !schema.safeParse(v).success;
  const pool = [...genericInvalid(), ...shapesOf(schema).flatMap(boundaryInvalid)].filter(rejects);
  if (pool.length === 0) throw new Error("no invalid candidate for a field: extend genericInvalid()");
  // Random text only where some text is refused: a free-text field takes any string, and a filter
  // for one it refuses would never end.
  const someTextFails = ["", "x", "é", "a b", "\u0000", "Mars/Olympus"].some(rejects);
  if (!someTextFails) return fc.constantFrom(...pool);
  return fc.oneof(
    { weight: 4, arbitrary: fc.constantFrom(...pool) },
    { weight: 1, arbitrary: fc.string({ unit: "binary", maxLength: 40 }).filter(rejects) },
  );
}

/** Constraints a particular switch adds to the schema's rules (its people, its PIN rule), per field. */
export type FieldOverrides = Partial<Record<string, fc.Arbitrary<unknown>>>;

/** Options of {@link validMailboxArgs}. */
export interface MailboxArgsOptions {
  /** Replaces the generator of a field, e.g. to use the owners a simulator's fixture knows. */
  overrides?: FieldOverrides;
  /** Fields left out entirely. */
  omit?: readonly string[];
  /**
   * The schema the whole must pass: `create` (default: a PIN unless copyPin) or `adopt` (the PIN may be
   * missing, as in a mailbox file).
   */
  mode?: "create" | "adopt";
}

/**
 * Any complete, schema-valid set of mailbox inputs (as a user writes them: fields with a default or
 * optional may be absent).
 */
export function validMailboxArgs(
  schemaOptions: SchemaOptions = {},
  options: MailboxArgsOptions = {},
): fc.Arbitrary<Record<string, unknown>> {
  const schemas: MailboxSchemas = mailboxSchemas(schemaOptions);
  const fields = mailboxFieldSchemas(schemaOptions);
  const omit = options.omit ?? [];
  const model: Record<string, fc.Arbitrary<unknown>> = {};
  const required: string[] = [];
  for (const shape of fieldShapes(fields)) {
    if (omit.includes(shape.name)) continue;
    model[shape.name] = options.overrides?.[shape.name] ?? validFieldValue(fields[shape.name] as z.ZodType);
    if (shape.presence === "required") required.push(shape.name);
  }
  // Cross-field rules (a PIN unless copyPin; copyPin not the mailbox itself) are the schema's: keep
  // only what it accepts as a whole. A PIN is made present rather than filtered for, so that the
  // filter rejects little.
  const whole = schemas[options.mode ?? "create"];
  const needsPin = (options.mode ?? "create") === "create" && !omit.includes("pin");
  return fc
    .record(model, { requiredKeys: needsPin ? [...required, "pin"] : required })
    .filter((args) => whole.safeParse(args).success) as fc.Arbitrary<Record<string, unknown>>;
}

/** A field name and a value for it that its schema rejects. */
export interface BrokenField {
  field: string;
  value: unknown;
}

/** One field of `fields` (a name → zod map), with an invalid value for it. */
export function brokenField(
  fields: Record<string, z.ZodType>,
  names?: readonly string[],
): fc.Arbitrary<BrokenField> {
  const chosen = (names ?? Object.keys(fields)).filter((n) => fields[n] !== undefined);
  return fc.oneof(
    ...chosen.map((field) =>
      invalidFieldValue(fields[field] as z.ZodType).map((value): BrokenField => ({ field, value })),
    ),
  );
}

/**
 * Keys that are not inputs: the API's own authentication and control parameters, snake_case spellings,
 * prototype keys. Every one must be refused by name.
 */
export const FOREIGN_KEYS: readonly string[] = [
  "auth_username",
  "auth_password",
  "auth_token",
  "validation",
  "notify_email",
  "constructor",
  "toString",
  "mailbox;pin",
];
