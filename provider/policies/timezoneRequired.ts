import { z } from "zod";
import { isTimeZone } from "../mailbox/schema";
import { listed, mailboxPolicy, SKIP } from "./policy";

/** A real IANA zone name; the error names the value. */
const zoneName = z
  .string()
  .refine(isTimeZone, { error: (issue) => `${JSON.stringify(issue.input)} is not an IANA time zone` });

/**
 * Every mailbox sets `timezone` to a real IANA zone (and, with `allowedTimezones`, one of those), so
 * message envelopes do not depend on the customer's default. With enforcement `remediate` and a
 * `defaultTimezone`, a mailbox without a timezone gets that one.
 */
export const timezoneRequired = mailboxPolicy({
  name: "enswitch-mailbox-timezone-required",
  description: "Mailboxes must set timezone to a real IANA time zone, optionally one of the allowed zones.",
  severity: "low",
  enforcementLevel: "advisory",
  remediationSteps:
    'Set `timezone` to an IANA zone such as "Europe/London". To fill it in automatically, configure ' +
    '`defaultTimezone` and set the enforcement level to "remediate".',
  config: z
    .object({
      allowedTimezones: z
        .array(zoneName)
        .default([])
        .describe("IANA zones a mailbox may use; empty allows any real zone."),
      defaultTimezone: zoneName
        .optional()
        .describe("The zone a remediation fills in when timezone is missing (enforcement remediate)."),
    })
    .refine(
      (c) =>
        !c.defaultTimezone ||
        c.allowedTimezones.length === 0 ||
        c.allowedTimezones.includes(c.defaultTimezone),
      { path: ["defaultTimezone"], error: "must be one of allowedTimezones" },
    ),
  check: (mailbox, { allowedTimezones }) => {
    const zone = mailbox.given("timezone", "string");
    if (zone === SKIP) return [];
    const shown = JSON.stringify(zone);
    const problem =
      zone === undefined || zone === ""
        ? "has no timezone: set timezone to an IANA zone"
        : !isTimeZone(zone)
          ? `has timezone ${shown}, which is not an IANA zone`
          : allowedTimezones.length > 0 && !allowedTimezones.includes(zone)
            ? `has timezone ${shown}, which is not one of the allowed zones ${listed(allowedTimezones)}`
            : undefined;
    return problem === undefined ? [] : [{ property: "timezone", message: `${mailbox.label()} ${problem}.` }];
  },
  remediate: (mailbox, { defaultTimezone }) => {
    const zone = mailbox.given("timezone", "string");
    if (defaultTimezone === undefined || (zone !== undefined && zone !== "")) return undefined;
    return { timezone: defaultTimezone };
  },
});
