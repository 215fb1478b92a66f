import { z } from "zod";
import { mailboxStackPolicy, SKIP } from "./policy";

/** Each customer's pattern, checked and compiled: an option that is not one is a config error. */
function compiled(patterns: Record<string, string>, ctx: z.RefinementCtx) {
  const compiled = new Map<string, { source: string; regex: RegExp }>();
  for (const [customer, source] of Object.entries(patterns)) {
    if (customer !== "*" && !/^[1-9][0-9]*$/.test(customer)) {
      ctx.addIssue({ code: "custom", message: `${JSON.stringify(customer)} is not a customer ID or "*"` });
      return z.NEVER;
    }
    try {
      compiled.set(customer, { source, regex: new RegExp(`^(?:${source})$`, "u") });
    } catch {
      ctx.addIssue({ code: "custom", message: `${JSON.stringify(source)} is not a regular expression` });
      return z.NEVER;
    }
  }
  return compiled;
}

/**
 * Mailbox numbers match the pattern configured for their customer: `patterns` maps a customer ID to a
 * regular expression that must match the whole number, and `"*"` to the pattern for every other
 * customer and for mailboxes that omit `customer`. Without patterns the policy checks nothing.
 *
 * @example
 * ```json
 * { "enswitch-mailbox-number-plan": { "patterns": { "12": "1[0-9]{3}", "*": "[2-9][0-9]{3}" } } }
 * ```
 */
export const numberPlan = mailboxStackPolicy({
  name: "enswitch-mailbox-number-plan",
  description: "Mailbox numbers must match the numbering plan configured for their customer.",
  severity: "medium",
  enforcementLevel: "advisory",
  remediationSteps:
    "Renumber the mailbox into the customer's range (a new number replaces the mailbox, so move its messages " +
    "first), or extend the pattern in the policy config.",
  config: z.object({
    patterns: z
      .record(z.string(), z.string())
      .default({})
      .describe(
        'Customer ID (or "*" for any other) to a regular expression the whole mailbox number must match.',
      )
      .transform(compiled),
  }),
  check: (mailboxes, { patterns }) =>
    mailboxes.flatMap((mailbox) => {
      const number = mailbox.view.given("mailbox", "string");
      const customer = mailbox.view.given("customer", "number");
      if (number === SKIP || number === undefined || customer === SKIP) return [];
      const pattern =
        (customer === undefined ? undefined : patterns.get(String(customer))) ?? patterns.get("*");
      if (!pattern || pattern.regex.test(number)) return [];
      const whose = customer === undefined ? "the default customer" : `customer ${customer}`;
      return [
        {
          mailbox,
          property: "mailbox",
          message: `mailbox ${number} does not match the numbering plan of ${whose} (${pattern.source}).`,
        },
      ];
    }),
});
