/**
 * What makes a mailbox PIN easy to guess. One set of rules, used both by the
 * `enswitch-mailbox-pin-strength` policy (which judges PINs a program gives) and by the PIN derivation
 * of declarative files (which must only produce PINs that policy accepts): kept apart, the two drift,
 * and a derived PIN the mandatory policy then rejects blocks a deployment nobody chose a PIN for.
 */

/** How strict the rules are: the options of the pin-strength policy. */
export interface PinRules {
  /** The fewest digits a PIN may have. */
  minLength: number;
  /** The longest allowed run of one repeated digit (`111`) or of consecutive digits (`123`, `987`). */
  maxRun: number;
}

/** The rules when nothing else is configured: the pin-strength policy's defaults. */
export const DEFAULT_PIN_RULES: Readonly<PinRules> = Object.freeze({ minLength: 6, maxRun: 2 });

/**
 * One way a PIN breaks the rules:
 * - `notDigits`: something other than 0-9 (when so, nothing else is judged);
 * - `tooShort`: fewer than `minLength` digits;
 * - `run`: a run longer than `maxRun` (see {@link longestRun});
 * - `mailboxNumber`: the PIN is the mailbox's own number, which anyone who can dial it knows.
 */
export type PinWeakness = "notDigits" | "tooShort" | "run" | "mailboxNumber";

/**
 * The longest run of one repeated digit (`111`) or of consecutive digits up or down (`123`, `987`).
 * `9` and `0` are not consecutive: keypads and people do not wrap around.
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
 * Every way `pin` breaks the rules, in a fixed order; `[]` for a PIN that passes. The result names
 * rules, never the PIN, so it is safe to put in messages.
 *
 * @param pin the PIN to judge
 * @param mailbox the mailbox's number, when known (the PIN must differ from it)
 * @param rules the strictness; default {@link DEFAULT_PIN_RULES}
 *
 * @example
 * ```ts
 * pinWeaknesses("582947", "1001"); // []
 * pinWeaknesses("1234", "1001"); // ["tooShort", "run"]
 * pinWeaknesses("1001a", "1001"); // ["notDigits"]
 * ```
 */
export function pinWeaknesses(
  pin: string,
  mailbox?: string,
  rules: Readonly<PinRules> = DEFAULT_PIN_RULES,
): PinWeakness[] {
  if (!/^[0-9]+$/.test(pin)) return ["notDigits"];
  const found: PinWeakness[] = [];
  if (pin.length < rules.minLength) found.push("tooShort");
  if (longestRun(pin) > rules.maxRun) found.push("run");
  if (pin === mailbox) found.push("mailboxNumber");
  return found;
}
