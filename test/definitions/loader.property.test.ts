/**
 * Properties of the mailbox-file loader over generated files (fast-check, fixed seed): any valid
 * mailbox written as YAML loads to exactly the fields the schema gives it; any invalid field, foreign
 * key or PIN is a problem on that field with a location; any text at all loads without an exception.
 * Mailboxes come from the schema-derived generators (`test/reliability/schemaArbitraries.ts`).
 */
import fc from "fast-check";
import { stringify } from "yaml";
import { parseDefinitions } from "../../provider/definitions/load";
import { parseMailbox } from "../../provider/mailbox/schema";
import { wireKinds } from "../../provider/mailbox/wire";
import {
  FOREIGN_KEYS,
  brokenField,
  mailboxFieldSchemas,
  steeringFieldSchemas,
  validMailboxArgs,
} from "../reliability/schemaArbitraries";

const CUSTOMER = 7;
/** Fields a file never holds in a mailbox entry: the PIN (never in a file) and the customer (at the top). */
const NOT_IN_ENTRIES = ["pin", "customer"];

const kinds: Record<string, string> = wireKinds();
const entryFields = Object.fromEntries(
  Object.entries({ ...mailboxFieldSchemas(), adopt: steeringFieldSchemas().adopt! }).filter(
    ([name]) => !NOT_IN_ENTRIES.includes(name),
  ),
);

/** A mailbox entry as a file holds it: no PIN, no customer. */
const entry = validMailboxArgs({}, { omit: NOT_IN_ENTRIES, mode: "adopt" });

function file(entries: Record<string, unknown>[]): string {
  return stringify({ customer: CUSTOMER, mailboxes: entries });
}

function load(text: string) {
  try {
    return parseDefinitions(text, "generated.yaml");
  } catch (error) {
    throw new Error(`the loader threw instead of reporting a problem: ${String(error)}`, { cause: error });
  }
}

/**
 * Whether the loader still sees `value` as invalid once written to YAML: a file's plain number or
 * boolean in a text field is read as the text written (`description: 1.5` is the text "1.5").
 */
function invalidInAFile(field: string, value: unknown): boolean {
  const schema = entryFields[field]!;
  if (kinds[field] === "string" && (typeof value === "number" || typeof value === "boolean")) {
    return !schema.safeParse(String(value)).success && Number.isFinite(value as number);
  }
  return true;
}

describe("valid files", () => {
  it("any valid mailbox loads with no problem, to exactly the fields the schema gives it", () => {
    fc.assert(
      fc.property(entry, (args) => {
        const { mailboxes, problems } = load(file([args]));
        expect(problems).toEqual([]);
        // Files never hold a PIN: the schema's "adopt" variant is the create rules without it.
        const expected = parseMailbox({ ...args, customer: CUSTOMER }, "adopt");
        if (!expected.ok) throw new Error("the generator produced an invalid mailbox");
        expect(mailboxes).toHaveLength(1);
        expect(mailboxes[0]!.fields).toEqual(expected.value);
      }),
      { numRuns: 60, seed: 41 },
    );
  });
});

describe("invalid files", () => {
  it("one bad field is a problem on that field, with a line, and the mailbox is not loaded", () => {
    const broken = brokenField(entryFields).filter((b) => invalidInAFile(b.field, b.value));
    fc.assert(
      fc.property(entry, broken, (args, bad) => {
        const { mailboxes, problems } = load(file([{ ...args, [bad.field]: bad.value }]));
        expect(problems.map((p) => p.field)).toContain(bad.field);
        for (const p of problems) expect(p.line).toBeGreaterThan(0);
        expect(mailboxes).toEqual([]);
      }),
      { numRuns: 80, seed: 42 },
    );
  });

  it("a key that is not a field (API parameters, snake_case, prototype names) is a problem on that key", () => {
    fc.assert(
      fc.property(entry, fc.constantFrom(...FOREIGN_KEYS), fc.jsonValue(), (args, key, value) => {
        const { mailboxes, problems } = load(file([{ ...args, [key]: value }]));
        expect(problems.map((p) => p.field)).toContain(key);
        expect(mailboxes).toEqual([]);
      }),
      { numRuns: 40, seed: 43 },
    );
  });

  it("a PIN, whatever its value, is refused as a PIN problem and never loaded", () => {
    fc.assert(
      fc.property(entry, fc.jsonValue(), (args, pin) => {
        const { mailboxes, problems } = load(file([{ ...args, pin }]));
        expect(problems.map((p) => p.kind)).toContain("pin");
        expect(JSON.stringify(mailboxes)).not.toContain('"pin"');
      }),
      { numRuns: 40, seed: 44 },
    );
  });
});

describe("any text at all", () => {
  it("loads without an exception: arbitrary text, and arbitrary YAML documents", () => {
    const yamlish = fc.oneof(
      fc.string({ unit: "binary", maxLength: 200 }),
      fc.jsonValue().map((v) => stringify(v)),
      fc.jsonValue().map((v) => stringify({ customer: CUSTOMER, mailboxes: v })),
      fc.jsonValue().map((v) => stringify({ customer: v, mailboxes: [{ mailbox: "1" }] })),
    );
    fc.assert(
      fc.property(yamlish, (text) => {
        const { problems, mailboxes } = load(text);
        expect(Array.isArray(problems) && Array.isArray(mailboxes)).toBe(true);
      }),
      { numRuns: 150, seed: 45 },
    );
  });
});
