/**
 * Properties of the mailbox schema over generated input (fast-check, fixed seed): every valid mailbox
 * parses, and every invalid one is refused with a failure that names the property at fault, never
 * with an exception. The generators are read off the schema itself (`test/reliability/schemaArbitraries.ts`).
 */
import fc from "fast-check";
import { mailboxFieldNames, parseMailbox } from "../../provider/mailbox/schema";
import {
  FOREIGN_KEYS,
  brokenField,
  fieldShapes,
  mailboxFieldSchemas,
  validMailboxArgs,
} from "../reliability/schemaArbitraries";

const RUNS = { numRuns: 200, seed: 7 };
const VERSIONS = ["3.14", "4.4"] as const;

function noThrow<T>(f: () => T): T {
  try {
    return f();
  } catch (error) {
    throw new Error(`parseMailbox threw instead of reporting a failure: ${String(error)}`, { cause: error });
  }
}

describe("the generators cover the whole schema", () => {
  it("every field of the schema has a shape the generators understand", () => {
    const names = fieldShapes(mailboxFieldSchemas()).map((f) => f.name);
    expect(names).toEqual(mailboxFieldNames());
  });
});

describe.each(VERSIONS)("Enswitch %s: valid input", (enswitchVersion) => {
  const options = { enswitchVersion };

  it("any valid mailbox parses, keeps every value given and fills the rest with defaults", () => {
    fc.assert(
      fc.property(validMailboxArgs(options), (args) => {
        const parsed = parseMailbox(args, "create", options);
        if (!parsed.ok) return false;
        for (const [name, value] of Object.entries(args)) expect(parsed.value).toHaveProperty([name], value);
        return true;
      }),
      RUNS,
    );
  });

  it("any valid mailbox, as a change, is a valid update (copyPin aside)", () => {
    fc.assert(
      fc.property(
        validMailboxArgs(options, { omit: ["copyPin"] }),
        (args) => parseMailbox(args, "update", options).ok,
      ),
      RUNS,
    );
  });
});

describe.each(VERSIONS)("Enswitch %s: invalid input", (enswitchVersion) => {
  const options = { enswitchVersion };
  const fields = mailboxFieldSchemas(options);
  const known = new Set(mailboxFieldNames(options));

  it("one bad field among good ones fails on that field, with a reason, and never throws", () => {
    fc.assert(
      fc.property(
        validMailboxArgs(options),
        brokenField(fields),
        fc.constantFrom("create", "adopt"),
        (args, broken, mode) => {
          const input = { ...args, [broken.field]: broken.value };
          const parsed = noThrow(() => parseMailbox(input, mode as "create" | "adopt", options));
          expect(parsed.ok).toBe(false);
          if (parsed.ok) return;
          expect(parsed.failures.map((f) => f.property)).toContain(broken.field);
          for (const failure of parsed.failures) {
            expect(known.has(failure.property as never) || failure.property === "").toBe(true);
            expect(failure.reason.length).toBeGreaterThan(0);
            // A reason says what is wrong; it never echoes a 100 KB value back.
            expect(failure.reason.length).toBeLessThan(1000);
          }
        },
      ),
      RUNS,
    );
  });

  it("the same holds for an update", () => {
    const updatable = Object.keys(fields).filter((n) => n !== "copyPin");
    fc.assert(
      fc.property(brokenField(fields, updatable), (broken) => {
        const parsed = noThrow(() => parseMailbox({ [broken.field]: broken.value }, "update", options));
        expect(parsed.ok).toBe(false);
        if (!parsed.ok) expect(parsed.failures.map((f) => f.property)).toContain(broken.field);
      }),
      RUNS,
    );
  });

  it("a key that is not a mailbox field (API parameters, snake_case, prototype names) is refused by name", () => {
    fc.assert(
      fc.property(
        validMailboxArgs(options),
        fc.constantFrom(...FOREIGN_KEYS),
        fc.jsonValue(),
        (args, key, value) => {
          const parsed = noThrow(() => parseMailbox({ ...args, [key]: value }, "create", options));
          expect(parsed.ok).toBe(false);
          if (!parsed.ok) expect(parsed.failures.map((f) => f.property)).toContain(key);
        },
      ),
      RUNS,
    );
  });

  it("anything that is not an object at all is a failure of the whole input, never an exception", () => {
    const notAnObject = fc.oneof(
      fc.constant(null),
      fc.constant(undefined),
      fc.string(),
      fc.integer(),
      fc.boolean(),
      fc.array(fc.jsonValue()),
    );
    fc.assert(
      fc.property(notAnObject, fc.constantFrom("create", "adopt", "update"), (input, mode) => {
        const parsed = noThrow(() => parseMailbox(input, mode as "create", options));
        expect(parsed.ok).toBe(false);
        if (!parsed.ok) expect(parsed.failures.length).toBeGreaterThan(0);
      }),
      RUNS,
    );
  });
});
