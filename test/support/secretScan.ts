/**
 * Looking for secrets where they must not be: in text (logs, URLs, error messages) and in JSON blobs
 * the engine stores, where a secret is allowed only inside the engine's secret wrapper.
 */
import { isSecret, PropertyValue } from "./propertyValues";

/** One place a secret was found. */
export interface Leak {
  /** What was scanned, e.g. `state.resources[0].outputs`. */
  where: string;
  /** Which secret (its label, never its value). */
  secret: string;
}

/** `value` with every secret-wrapped value replaced by `"[secret]"`: what remains must be clear of secrets. */
export function redactWrapped(value: PropertyValue): PropertyValue {
  if (isSecret(value)) return "[secret]";
  if (Array.isArray(value)) return value.map(redactWrapped);
  if (value !== null && typeof value === "object") {
    const out: Record<string, PropertyValue> = {};
    for (const [k, v] of Object.entries(value)) out[k] = redactWrapped(v);
    return out;
  }
  return value;
}

/**
 * Every (place, secret) pair where a secret occurs in clear. Text is searched as is; objects as their
 * JSON after {@link redactWrapped}, so a properly wrapped secret is not a leak.
 *
 * @example
 * ```ts
 * expect(findLeaks({ password: "S3cret!" }, { "host stderr": host.output().stderr, state })).toEqual([]);
 * ```
 */
export function findLeaks(secrets: Record<string, string>, places: Record<string, unknown>): Leak[] {
  const leaks: Leak[] = [];
  for (const [where, content] of Object.entries(places)) {
    const text =
      typeof content === "string" ? content : JSON.stringify(redactWrapped(content as PropertyValue));
    for (const [label, value] of Object.entries(secrets)) {
      if (value !== "" && text.includes(value)) leaks.push({ where, secret: label });
    }
  }
  return leaks;
}
