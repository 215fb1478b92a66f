/** `enswitch-mailbox-timezone-required`: every mailbox names a real IANA time zone. */
import { isTimeZone } from "../mailbox/schema";
import { PolicyConfigError } from "./config";
import { listed, mailboxLabel } from "./label";
import { mailboxPolicy } from "./mailboxPolicy";
import { SKIP } from "./mailboxView";

const NAME = "enswitch-mailbox-timezone-required";

function notAZone(option: string, zone: string): never {
  throw new PolicyConfigError(NAME, option, `${JSON.stringify(zone)} is not an IANA time zone`);
}

/**
 * Every mailbox sets `timezone` to a real IANA zone (and, with `allowedTimezones`, one of those), so
 * message envelopes do not depend on the customer's default. With enforcement `remediate` and a
 * `defaultTimezone`, a mailbox without a timezone gets that one.
 */
export const timezoneRequired = mailboxPolicy({
  name: NAME,
  description: "Mailboxes must set timezone to a real IANA time zone, optionally one of the allowed zones.",
  severity: "low",
  enforcementLevel: "advisory",
  remediationSteps:
    'Set `timezone` to an IANA zone such as "Europe/London". To fill it in automatically, configure ' +
    '`defaultTimezone` and set the enforcement level to "remediate".',
  options: {
    allowedTimezones: {
      type: "array",
      items: { type: "string" },
      default: [],
      description: "IANA zones a mailbox may use; empty allows any real zone.",
    },
    defaultTimezone: {
      type: "string",
      description: "The zone a remediation fills in when timezone is missing (enforcement remediate).",
    },
  },
  readConfig: (read) => {
    const allowedTimezones = read.strings("allowedTimezones");
    const defaultTimezone = read.string("defaultTimezone");
    for (const zone of allowedTimezones) {
      if (!isTimeZone(zone)) notAZone("allowedTimezones", zone);
    }
    if (defaultTimezone !== undefined && !isTimeZone(defaultTimezone))
      notAZone("defaultTimezone", defaultTimezone);
    if (
      defaultTimezone !== undefined &&
      allowedTimezones.length > 0 &&
      !allowedTimezones.includes(defaultTimezone)
    ) {
      throw new PolicyConfigError(NAME, "defaultTimezone", "must be one of allowedTimezones");
    }
    return { allowedTimezones, defaultTimezone };
  },
  check: (mailbox, { allowedTimezones }) => {
    const zone = mailbox.given("timezone", "string");
    if (zone === SKIP) return [];
    const label = mailboxLabel(mailbox);
    if (zone === undefined || zone === "") {
      return [{ property: "timezone", message: `${label} has no timezone: set timezone to an IANA zone.` }];
    }
    if (!isTimeZone(zone)) {
      return [
        {
          property: "timezone",
          message: `${label} has timezone ${JSON.stringify(zone)}, which is not an IANA zone.`,
        },
      ];
    }
    if (allowedTimezones.length > 0 && !allowedTimezones.includes(zone)) {
      return [
        {
          property: "timezone",
          message: `${label} has timezone ${JSON.stringify(zone)}, which is not one of the allowed zones ${listed(allowedTimezones)}.`,
        },
      ];
    }
    return [];
  },
  remediate: (mailbox, { defaultTimezone }) => {
    const zone = mailbox.given("timezone", "string");
    if (defaultTimezone === undefined || (zone !== undefined && zone !== "")) return undefined;
    return { timezone: defaultTimezone };
  },
});
