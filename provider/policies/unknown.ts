/**
 * Values that are unknown during `pulumi preview`.
 *
 * The engine sends a property whose value depends on an output not yet known as one of these sentinel
 * strings (one per type). `@pulumi/policy` wraps the props a policy sees in a proxy that throws as
 * soon as such a property is read, which would abort the whole policy for the resource. Policies here
 * read the raw values instead and skip only the rules that need the unknown property.
 *
 * The list is the engine's wire protocol; `@pulumi/policy` keeps the same list in `proxy.js` but does
 * not export it in its typings. test/policies/unknown.test.ts checks that the two stay equal.
 */
export const UNKNOWN_SENTINELS: readonly string[] = [
  "1c4a061d-8072-4f0a-a4cb-0ff528b18fe7", // boolean
  "3eeb2bf0-c639-47a8-9e75-3b44932eb421", // number
  "04da6b54-80e4-46f7-96ec-b56ff0331ba9", // string
  "6a19a0b0-7e62-4c92-b797-7f8e31da9cc2", // array
  "030794c1-ac77-496b-92df-f27374a8bd58", // asset
  "e48ece36-62e2-4504-bad9-02848725956a", // archive
  "dd056dcd-154b-4c76-9bd3-c8f88648b5ff", // object
];

/** True when `value` is the engine's "unknown during preview" sentinel. */
export function isUnknownValue(value: unknown): boolean {
  return typeof value === "string" && UNKNOWN_SENTINELS.includes(value);
}

/**
 * The resource's own properties as a plain object, read without tripping `@pulumi/policy`'s
 * unknown-checking proxy.
 *
 * `Object.getOwnPropertyDescriptor` is not trapped by that proxy (nor by the secrets-preserving proxy
 * a remediation gets), so it yields the raw value: a sentinel stays a sentinel, a secret in a
 * remediation stays the `Secret` wrapper the engine needs to keep it secret, `__provider` stays as it
 * is.
 *
 * @example
 * ```ts
 * const raw = rawProps(args.props); // { mailbox: "1234", owner: "3eeb2bf0-…", … }
 * ```
 */
export function rawProps(props: object): Record<string, unknown> {
  const raw: Record<string, unknown> = {};
  for (const key of Object.keys(props)) {
    raw[key] = Object.getOwnPropertyDescriptor(props, key)?.value;
  }
  return raw;
}
