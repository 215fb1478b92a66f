import { DEFAULT_PIN_RULES, pinWeaknesses, PinWeakness } from "../mailbox/pinRules";
import { z } from "zod";
import { mailboxPolicy, SKIP, type Finding } from "./policy";

/**
 * PINs that resist guessing: digits only, at least `minLength` long, no run longer than `maxRun` of
 * repeated or consecutive digits, not the mailbox number (the rules of `mailbox/pinRules.ts`, which PIN
 * derivation follows too). Messages never contain the PIN. A mailbox that copies its PIN (`copyPin`)
 * or whose PIN is unknown during preview is not judged.
 */
export const pinStrength = mailboxPolicy({
  name: "enswitch-mailbox-pin-strength",
  description:
    "Mailbox PINs must be digits only, long enough, without runs of repeated or consecutive digits, and not the mailbox number.",
  severity: "high",
  enforcementLevel: "mandatory",
  remediationSteps:
    "Choose a random PIN of at least the configured length (for example from a password manager), keep it in a " +
    "Pulumi secret (`pulumi config set --secret`), and pass it as `pin`.",
  config: z.object({
    minLength: z
      .int()
      .min(1)
      .default(DEFAULT_PIN_RULES.minLength)
      .describe("The fewest digits a PIN may have."),
    maxRun: z
      .int()
      .min(1)
      .default(DEFAULT_PIN_RULES.maxRun)
      .describe("The longest allowed run of one repeated digit (111) or consecutive digits (123, 987)."),
  }),
  check: (mailbox, rules) => {
    const pin = mailbox.given("pin", "string");
    if (pin === SKIP || pin === undefined) return [];
    const number = mailbox.given("mailbox", "string");
    // "this mailbox", never its number: when the PIN is the number, naming it names the PIN.
    const label = "this mailbox";
    const messages: Record<PinWeakness, string> = {
      notDigits: `the PIN of ${label} must be digits only.`,
      tooShort: `the PIN of ${label} is shorter than ${rules.minLength} digits.`,
      run: `the PIN of ${label} has a run of more than ${rules.maxRun} repeated or consecutive digits (like 111 or 123).`,
      mailboxNumber: `the PIN of ${label} is the mailbox number.`,
    };
    return pinWeaknesses(pin, number === SKIP ? undefined : number, rules).map((weakness): Finding => ({
      property: "pin",
      message: messages[weakness],
    }));
  },
});
