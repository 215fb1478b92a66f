/**
 * The Pulumi type token of the `Mailbox` resource, the one string policies match on.
 *
 * A dynamic resource's token is `pulumi-nodejs:dynamic/<module>:<type>`; the `Mailbox` class uses
 * module `enswitch` and type `Mailbox`, and exposes this constant as `Mailbox.__pulumiType` so that
 * `validateResourceOfType(Mailbox, …)` matches. It lives here, not next to the class, because policies
 * must not load `@pulumi/pulumi` resources: a policy pack or the `enswitch validate` command imports
 * this file alone.
 */
export const MAILBOX_TYPE = "pulumi-nodejs:dynamic/enswitch:Mailbox";

/**
 * Tags a policy callback with the Mailbox token, as `validateResourceOfType` does: the analyzer then
 * answers "not applicable" for other resource types without calling it.
 */
export function forMailboxes<F extends object>(callback: F): F & { __pulumiType: string } {
  return Object.assign(callback, { __pulumiType: MAILBOX_TYPE });
}
