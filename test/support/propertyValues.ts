/**
 * Property values as they cross the engine ↔ provider boundary, and the engine's two special
 * encodings: the secret wrapper and the unknown sentinel.
 *
 * The engine speaks `google.protobuf.Struct`; secrets travel as
 * `{"4dabf18193072939515e22adb298388d": "1b47061264138c4ac30d75fd1eb44270", "value": v}` and values
 * not yet known (preview) as the string {@link UNKNOWN}. The dynamic provider host answers
 * `acceptSecrets=false`, so the engine unwraps secrets before every call: {@link unwrapSecrets}.
 */
import { Struct } from "google-protobuf/google/protobuf/struct_pb";

/** A JSON-like property value. */
export type PropertyValue =
  null | boolean | number | string | PropertyValue[] | { [key: string]: PropertyValue };

/** A property map: the inputs or outputs of one resource. */
export type PropertyMap = { [key: string]: PropertyValue };

/** The sentinel the engine sends for a value unknown during preview. */
export const UNKNOWN = "04da6b54-80e4-46f7-96ec-b56ff0331ba9";

/** Key marking a special value (secret, asset, resource reference). */
export const SIG_KEY = "4dabf18193072939515e22adb298388d";

/** Signature of a secret. */
export const SECRET_SIG = "1b47061264138c4ac30d75fd1eb44270";

/** A value in the engine's secret wrapper. */
export interface WrappedSecret {
  [SIG_KEY]: typeof SECRET_SIG;
  value: PropertyValue;
}

/** Whether `value` is wrapped as a secret. */
export function isSecret(value: unknown): value is WrappedSecret {
  return (
    typeof value === "object" && value !== null && (value as Record<string, unknown>)[SIG_KEY] === SECRET_SIG
  );
}

/** Wraps `value` as a secret (idempotent). */
export function secret(value: PropertyValue): PropertyValue {
  return isSecret(value) ? value : { [SIG_KEY]: SECRET_SIG, value };
}

/** `value` with every secret wrapper, at any depth, replaced by its content. */
export function unwrapDeep(value: PropertyValue): PropertyValue {
  if (isSecret(value)) return unwrapDeep(value.value);
  if (Array.isArray(value)) return value.map(unwrapDeep);
  if (value !== null && typeof value === "object") {
    const out: PropertyMap = {};
    for (const [k, v] of Object.entries(value)) out[k] = unwrapDeep(v);
    return out;
  }
  return value;
}

/** Whether `value` holds a secret wrapper at any depth. */
export function containsSecret(value: PropertyValue): boolean {
  if (isSecret(value)) return true;
  if (Array.isArray(value)) return value.some(containsSecret);
  if (value !== null && typeof value === "object") return Object.values(value).some(containsSecret);
  return false;
}

/**
 * What the engine does before calling a provider that does not accept secrets: every secret
 * unwrapped. Also returns the top-level keys that held a secret, which the engine remembers to
 * mark the matching outputs secret.
 *
 * @example
 * ```ts
 * unwrapSecrets({ pin: secret("1234"), mailbox: "100" }); // { values: { pin: "1234", mailbox: "100" }, secretKeys: ["pin"] }
 * ```
 */
export function unwrapSecrets(map: PropertyMap): { values: PropertyMap; secretKeys: string[] } {
  const values: PropertyMap = {};
  const secretKeys: string[] = [];
  for (const [k, v] of Object.entries(map)) {
    if (containsSecret(v)) secretKeys.push(k);
    values[k] = unwrapDeep(v);
  }
  return { values, secretKeys };
}

/** `map` with the listed top-level keys wrapped as secrets: how the engine stores and returns them. */
export function wrapSecrets(map: PropertyMap, keys: Iterable<string>): PropertyMap {
  const out: PropertyMap = { ...map };
  for (const k of keys) {
    const v = out[k];
    if (v !== undefined) out[k] = secret(v);
  }
  return out;
}

/** Drops `undefined` members (JSON semantics, as the engine's serializer does) and checks the rest. */
function toPropertyValue(value: unknown, at: string): PropertyValue | undefined {
  if (value === undefined) return undefined;
  if (value === null || typeof value === "boolean" || typeof value === "string") return value;
  if (typeof value === "number") {
    if (!Number.isFinite(value)) throw new TypeError(`${at}: ${value} is not a property value`);
    return value;
  }
  if (Array.isArray(value)) return value.map((v, i) => toPropertyValue(v, `${at}[${i}]`) ?? null);
  if (typeof value === "object") {
    const out: PropertyMap = {};
    for (const [k, v] of Object.entries(value)) {
      const converted = toPropertyValue(v, `${at}.${k}`);
      if (converted !== undefined) out[k] = converted;
    }
    return out;
  }
  throw new TypeError(`${at}: a ${typeof value} is not a property value`);
}

/** A property map as a protobuf `Struct`. */
export function toStruct(map: Record<string, unknown>): Struct {
  return Struct.fromJavaScript((toPropertyValue(map, "properties") ?? {}) as PropertyMap);
}

/** A protobuf `Struct` (or its absence) as a property map. */
export function fromStruct(struct: Struct | undefined): PropertyMap {
  return (struct?.toJavaScript() ?? {}) as PropertyMap;
}
