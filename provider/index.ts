/**
 * pulumi-enswitch: voicemail mailboxes on an Enswitch switch as Pulumi resources.
 *
 * @example
 * ```ts
 * import * as pulumi from "@pulumi/pulumi";
 * import * as enswitch from "pulumi-enswitch";
 *
 * const config = new pulumi.Config();
 * new enswitch.Mailbox("sales", {
 *   mailbox: "2001",
 *   pin: config.requireSecret("salesPin"),
 *   owner: 101,
 *   description: "Sales team",
 *   timezone: "Europe/London",
 * });
 * ```
 *
 * Policies are in `pulumi-enswitch/policies`, declarative mailbox files in
 * `pulumi-enswitch/definitions`, and the simulator in `pulumi-enswitch/simulator`: each is a subpath so
 * that a Pulumi program loads only what it uses.
 */
export { Mailbox } from "./mailbox/mailbox";
export type { MailboxArgs } from "./mailbox/args";
export type { MailboxFields, MailboxFieldsInput, MailboxUpdate } from "./mailbox/schema";
export { MailboxExistsError, MailboxInputError } from "./mailbox/errors";
// The client stays internal (the CLI and the provider use it); users meet only its errors: every
// error this package throws is an EnswitchError, the mailbox ones an EnswitchValidationError.
export { EnswitchError, EnswitchValidationError } from "./enswitch/errors";
