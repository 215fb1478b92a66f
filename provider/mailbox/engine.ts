/**
 * What the Pulumi engine shows of a `Mailbox` outside the provider: its type token and the values it
 * does not know yet. No runtime imports, so the policies and the CLI load it without `@pulumi/pulumi`.
 */

/**
 * The type token of `Mailbox` (`pulumi-nodejs:dynamic/<module>:<type>`, module `enswitch`), exposed
 * as `Mailbox.__pulumiType`: the one string policies match on.
 */
export const MAILBOX_TYPE = "pulumi-nodejs:dynamic/enswitch:Mailbox";

/**
 * The engine's "unknown during preview" values, one per type (boolean, number, string, array, asset,
 * archive, object). The provider host gets every unknown as the string one (`rpc.unknownValue`); a
 * policy pack gets the typed ones. `@pulumi/policy` keeps this list in its internal `proxy.js`;
 * test/mailbox/engine.test.ts checks that the three agree.
 */
export const UNKNOWN_VALUES: readonly string[] = [
  "1c4a061d-8072-4f0a-a4cb-0ff528b18fe7",
  "3eeb2bf0-c639-47a8-9e75-3b44932eb421",
  "04da6b54-80e4-46f7-96ec-b56ff0331ba9",
  "6a19a0b0-7e62-4c92-b797-7f8e31da9cc2",
  "030794c1-ac77-496b-92df-f27374a8bd58",
  "e48ece36-62e2-4504-bad9-02848725956a",
  "dd056dcd-154b-4c76-9bd3-c8f88648b5ff",
];

/** True when `value` is one of the engine's unknown values. */
export function isUnknown(value: unknown): boolean {
  return typeof value === "string" && UNKNOWN_VALUES.includes(value);
}
