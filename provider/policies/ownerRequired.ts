import { z } from "zod";
import { listed, mailboxPolicy, SKIP } from "./policy";

/**
 * Every mailbox has an owner (`owner` set and not 0), and with `allowedOwners` one of those people.
 * A mailbox without an owner notifies nobody and belongs to nobody in the control panel.
 */
export const ownerRequired = mailboxPolicy({
  name: "enswitch-mailbox-owner-required",
  description: "Mailboxes must have an owner (owner set and not 0), optionally one of the allowed owners.",
  severity: "medium",
  enforcementLevel: "advisory",
  remediationSteps:
    "Set `owner` to the ID of the person responsible for the mailbox (a person of the same customer). " +
    "With `allowedOwners` configured, pick one of those IDs or ask for the list to be extended.",
  config: z.object({
    allowedOwners: z
      .array(z.int())
      .default([])
      .describe("Person IDs allowed as owner; empty allows any owner."),
  }),
  check: (mailbox, { allowedOwners }) => {
    const owner = mailbox.effective("owner", "number");
    if (owner === SKIP) return [];
    const problem =
      owner === undefined || owner === 0
        ? "has no owner (owner is 0 or omitted): set owner to a person ID"
        : allowedOwners.length > 0 && !allowedOwners.includes(owner)
          ? `has owner ${owner}, which is not one of the allowed owners ${listed(allowedOwners)}`
          : undefined;
    return problem === undefined ? [] : [{ property: "owner", message: `${mailbox.label()} ${problem}.` }];
  },
});
