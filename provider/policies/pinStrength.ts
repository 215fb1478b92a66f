/** `enswitch-mailbox-pin-strength`: PINs that are not trivial to guess. */
import type { Finding } from "./finding";
import { mailboxPolicy } from "./mailboxPolicy";
import { SKIP } from "./mailboxView";

/**
 * The longest run of one repeated digit (`111`) or of consecutive digits up or down (`123`, `987`).
 *
 * @example
 * ```ts
 * longestRun("135790"); // 1
 * longestRun("901234"); // 5 ("01234")
 * ```
 */
export function longestRun(digits: string): number {
  let longest = digits.length > 0 ? 1 : 0;
  let same = 1;
  let up = 1;
  let down = 1;
  for (let i = 1; i < digits.length; i++) {
    const step = digits.charCodeAt(i) - digits.charCodeAt(i - 1);
    same = step === 0 ? same + 1 : 1;
    up = step === 1 ? up + 1 : 1;
    down = step === -1 ? down + 1 : 1;
    longest = Math.max(longest, same, up, down);
  }
  return longest;
}

/**
 * PINs that resist guessing: digits only, at least `minLength` long, no run longer than `maxRun` of
 * repeated or consecutive digits, not the mailbox number. Messages never contain the PIN. A mailbox
 * that copies its PIN (`copyPin`) or whose PIN is unknown during preview is not judged.
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
  options: {
    minLength: { type: "integer", minimum: 1, default: 6, description: "The fewest digits a PIN may have." },
    maxRun: {
      type: "integer",
      minimum: 1,
      default: 2,
      description: "The longest allowed run of one repeated digit (111) or consecutive digits (123, 987).",
    },
  },
  readConfig: (read) => ({ minLength: read.integer("minLength"), maxRun: read.integer("maxRun") }),
  check: (mailbox, { minLength, maxRun }) => {
    const pin = mailbox.given("pin", "string");
    if (pin === SKIP || pin === undefined) return [];
    // Not the mailbox number: when the PIN is the number (or contains it), naming it names the PIN.
    const label = "this mailbox";
    if (!/^[0-9]+$/.test(pin))
      return [{ property: "pin", message: `the PIN of ${label} must be digits only.` }];
    const findings: Finding[] = [];
    if (pin.length < minLength) {
      findings.push({ property: "pin", message: `the PIN of ${label} is shorter than ${minLength} digits.` });
    }
    if (longestRun(pin) > maxRun) {
      findings.push({
        property: "pin",
        message: `the PIN of ${label} has a run of more than ${maxRun} repeated or consecutive digits (like 111 or 123).`,
      });
    }
    if (pin === mailbox.given("mailbox", "string")) {
      findings.push({ property: "pin", message: `the PIN of ${label} is the mailbox number.` });
    }
    return findings;
  },
});
