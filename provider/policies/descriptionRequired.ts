import { z } from "zod";
import { mailboxPolicy, SKIP } from "./policy";

/** Every mailbox has a description of at least `minLength` characters (blanks not counted). */
export const descriptionRequired = mailboxPolicy({
  name: "enswitch-mailbox-description-required",
  description: "Mailboxes should have a description saying what they are for.",
  severity: "low",
  enforcementLevel: "advisory",
  remediationSteps: 'Set `description`, e.g. "Sales team, main line".',
  config: z.object({
    minLength: z
      .int()
      .min(1)
      .default(1)
      .describe("The fewest characters a description may have, leading and trailing blanks not counted."),
  }),
  check: (mailbox, { minLength }) => {
    const description = mailbox.effective("description", "string");
    if (description === SKIP) return [];
    const length = (description ?? "").trim().length;
    if (length >= minLength) return [];
    const what =
      length === 0 ? "has no description" : `has a description shorter than ${minLength} characters`;
    return [{ property: "description", message: `${mailbox.label()} ${what}: set description.` }];
  },
});
