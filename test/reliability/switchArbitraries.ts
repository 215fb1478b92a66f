/**
 * Valid mailboxes that a particular switch also accepts: the schema's generators
 * (`schemaArbitraries.ts`) narrowed by what the switch adds to the schema's rules, which a schema
 * cannot know: its people (the possible owners), its PIN length rule, the customer a login creates in.
 * `copyPin` is left out: it needs another mailbox to exist first.
 */
import fc from "fast-check";
import { SchemaOptions } from "../../provider/mailbox/schema";
import { FixtureCustomer } from "../../provider/simulator";
import { validMailboxArgs } from "./schemaArbitraries";

/**
 * Any mailbox the schema accepts and `customer`'s switch would create as declared.
 *
 * @example
 * ```ts
 * const args = fc.sample(mailboxOnSwitch(defaultFixture().customers[0]!), { numRuns: 300, seed: 1 });
 * ```
 */
export function mailboxOnSwitch(
  customer: FixtureCustomer,
  schemaOptions: SchemaOptions = {},
  pinRule: { minLength: number; maxLength: number } = { minLength: 4, maxLength: 10 },
): fc.Arbitrary<Record<string, unknown>> {
  return validMailboxArgs(schemaOptions, {
    overrides: {
      owner: fc.constantFrom(0, ...customer.people.map((p) => p.id)),
      pin: fc.stringMatching(new RegExp(`^[0-9]{${pinRule.minLength},${pinRule.maxLength}}$`)),
      customer: fc.constant(customer.id),
    },
    omit: ["copyPin"],
  });
}
