/** `enswitch-mailbox-description-required`: mailboxes say what they are for. */
import { mailboxLabel } from "./label";
import { mailboxPolicy } from "./mailboxPolicy";
import { SKIP } from "./mailboxView";

/** Every mailbox has a description of at least `minLength` characters (blanks not counted). */
export const descriptionRequired = mailboxPolicy({
  name: "enswitch-mailbox-description-required",
  description: "Mailboxes should have a description saying what they are for.",
  severity: "low",
  enforcementLevel: "advisory",
  remediationSteps: 'Set `description`, e.g. "Sales team, main line".',
  options: {
    minLength: {
      type: "integer",
      minimum: 1,
      default: 1,
      description: "The fewest characters a description may have, leading and trailing blanks not counted.",
    },
  },
  readConfig: (read) => ({ minLength: read.integer("minLength") }),
  check: (mailbox, { minLength }) => {
    const description = mailbox.effective("description", "string");
    if (description === SKIP) return [];
    const length = (description ?? "").trim().length;
    if (length >= minLength) return [];
    const what =
      length === 0 ? "has no description" : `has a description shorter than ${minLength} characters`;
    return [{ property: "description", message: `${mailboxLabel(mailbox)} ${what}: set description.` }];
  },
});
