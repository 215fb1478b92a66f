/**
 * The ready policy pack: every mailbox policy of pulumi-enswitch, with the library's default
 * enforcement levels. Tune them, and the policies' options, with a config file:
 *
 *   pulumi preview --policy-pack policy --policy-pack-config policy/policy-config.json
 *
 * To pick policies or add your own, build a pack the same way from `pulumi-enswitch/policies`.
 */
import { PolicyPack } from "@pulumi/policy";
import { policies } from "pulumi-enswitch/policies";

new PolicyPack("enswitch-mailboxes", {
  policies,
  description:
    "Mailbox rules for pulumi-enswitch: owner, timezone, notifications, PINs, descriptions, uniqueness, numbering.",
});
