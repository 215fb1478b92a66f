/**
 * Where a declared mailbox's PIN comes from. Files never hold PINs (they are reviewed and kept in
 * git), so a PIN is, in this order:
 *
 * 1. set explicitly as a secret in stack config, `enswitch:pins` keyed by resource name
 *    (`pulumi config set --secret --path 'enswitch:pins.c1-mb1001' 482913`);
 * 2. copied on the switch from another mailbox (`copyPin` in the file);
 * 3. kept as it is on the switch, for an adopted mailbox (`adopt: true`): taking a mailbox over must
 *    not lock its owner out;
 * 4. derived from the secret `enswitch:pinSeed` with HMAC-SHA256 over the mailbox's identity.
 *
 * Why derived and not random: a program runs on every preview and update, and a PIN drawn afresh each
 * time would show as a change on every run. An HMAC of a secret seed is as unpredictable as a random
 * PIN to anyone without the seed, yet the same on every run and every machine, with no state to keep.
 * Changing the seed rotates every derived PIN at the next `pulumi up`.
 */
import { createHmac } from "node:crypto";
import { DEFAULT_PIN_RULES, pinWeaknesses } from "../mailbox/pinRules";
import { identityKey, MailboxIdentity } from "./names";

/** The secrets a program has for PINs, usually read from stack config. */
export interface PinSources {
  /** Explicit PINs keyed by resource name (`c1-mb1001`). */
  pins?: Readonly<Record<string, string>>;
  /** The seed of derived PINs. At least 16 characters; keep it a secret. */
  pinSeed?: string;
  /** Digits of a derived PIN, within {@link DERIVED_PIN_LENGTHS}. Default {@link DEFAULT_DERIVED_PIN_LENGTH}. */
  derivedPinLength?: number;
}

/** Length of derived PINs: more than the pin-strength policy's default minimum, within the switch's usual 4–10. */
const DEFAULT_DERIVED_PIN_LENGTH = 8;

/** A seed shorter than this is refused: a short seed can be guessed from one known PIN. */
const MIN_PIN_SEED_LENGTH = 16;

/** How one mailbox gets its PIN. `pin` is present only for `config` and `derived`. */
export type PinChoice =
  | { source: "config"; pin: string }
  | { source: "copyPin" }
  | { source: "adopt" }
  | { source: "derived"; pin: string }
  | { source: "missing" };

/**
 * The fewest and most digits a derived PIN may have: at least what the pin-strength policy demands by
 * default, at most 20 (no page states a PIN length; the switch's own rule has the last word).
 */
export const DERIVED_PIN_LENGTHS: Readonly<{ min: number; max: number }> = Object.freeze({
  min: DEFAULT_PIN_RULES.minLength,
  max: 20,
});

/**
 * The PIN derived from `seed` for one mailbox: HMAC-SHA256 of the mailbox's identity, read as decimal
 * digits without modulo bias. A candidate that breaks the PIN rules of the pin-strength policy (with
 * its default options: see `mailbox/pinRules.ts`) is dropped and the next one of the same HMAC stream
 * taken, so the result always passes that mandatory policy. The same inputs always give the same PIN.
 *
 * @param length digits, from {@link DERIVED_PIN_LENGTHS} `min` to `max`; throws RangeError otherwise
 *
 * @example
 * ```ts
 * derivePin("a long secret seed value", { customer: 1, mailbox: "1001" }); // 8 digits, stable
 * ```
 */
export function derivePin(
  seed: string,
  identity: MailboxIdentity,
  length = DEFAULT_DERIVED_PIN_LENGTH,
): string {
  const { min, max } = DERIVED_PIN_LENGTHS;
  if (!Number.isInteger(length) || length < min || length > max) {
    throw new RangeError(`a derived PIN has ${min} to ${max} digits, not ${length}`);
  }
  // About one candidate in seven breaks a rule at 8 digits; the loop ends after a few rounds at most.
  for (let round = 0; ; round++) {
    let pin = "";
    for (let block = 0; pin.length < length; block++) {
      const bytes = createHmac("sha256", seed)
        .update(`enswitch-pin/v1/${identityKey(identity)}/${round}/${block}`)
        .digest();
      for (const byte of bytes) {
        // 250 is the largest multiple of 10 below 256: higher bytes would favour the digits 0-5.
        if (byte < 250 && pin.length < length) pin += String(byte % 10);
      }
    }
    if (pinWeaknesses(pin, identity.mailbox, DEFAULT_PIN_RULES).length === 0) return pin;
  }
}

/** Why a derived PIN cannot be made. */
export class PinSeedError extends Error {
  override name = "PinSeedError";
  /** Resource names of the mailboxes left without a PIN. */
  readonly mailboxes: readonly string[];
  constructor(message: string, mailboxes: readonly string[]) {
    super(message);
    this.mailboxes = mailboxes;
  }
}

/** How to set one PIN in stack config: what every {@link PinConfigError} tells. */
export const SET_PIN_COMMAND = "pulumi config set --secret --path 'enswitch:pins.<resource name>' <PIN>";

/**
 * `enswitch:pins` cannot be used: not JSON, not a map, or entries that are not PINs. The message names
 * the config key, the entries at fault (resource names) and {@link SET_PIN_COMMAND}; it never contains
 * any part of the value, which holds every explicit PIN in clear.
 */
export class PinConfigError extends Error {
  override name = "PinConfigError";
  /** The config key at fault. */
  readonly key = "enswitch:pins";
  /** Resource names of the entries whose values are not PINs; empty when the whole value is unusable. */
  readonly entries: readonly string[];
  constructor(message: string, entries: readonly string[] = []) {
    super(message);
    this.entries = entries;
  }
}

/** What {@link choosePin} needs to know about a mailbox. */
export interface PinSubject extends MailboxIdentity {
  resourceName: string;
  adopt: boolean;
  /** The declared `copyPin`, if any. */
  copyPin?: string;
}

/**
 * Where the PIN of one mailbox comes from (see the module comment for the order).
 *
 * @example
 * ```ts
 * choosePin({ customer: 1, mailbox: "1001", resourceName: "c1-mb1001", adopt: false }, { pinSeed });
 * // { source: "derived", pin: "…" }
 * ```
 */
export function choosePin(subject: PinSubject, sources: PinSources): PinChoice {
  const explicit = sources.pins?.[subject.resourceName];
  if (explicit !== undefined) return { source: "config", pin: String(explicit) };
  if (subject.copyPin) return { source: "copyPin" };
  if (subject.adopt) return { source: "adopt" };
  if (sources.pinSeed !== undefined) {
    if (sources.pinSeed.length < MIN_PIN_SEED_LENGTH) {
      throw new PinSeedError(
        `enswitch:pinSeed must be at least ${MIN_PIN_SEED_LENGTH} characters; generate one with: ` +
          "pulumi config set --secret enswitch:pinSeed $(openssl rand -hex 32)",
        [subject.resourceName],
      );
    }
    return { source: "derived", pin: derivePin(sources.pinSeed, subject, sources.derivedPinLength) };
  }
  return { source: "missing" };
}
