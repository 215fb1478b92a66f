/**
 * Reusable policies for `Mailbox` resources, as plain `@pulumi/policy` objects: compose them into
 * your own policy pack, or run the ready pack in `policy/`.
 *
 * @example
 * ```ts
 * import { PolicyPack } from "@pulumi/policy";
 * import { ownerRequired, pinStrength } from "pulumi-enswitch/policies";
 *
 * new PolicyPack("my-mailbox-rules", { policies: [ownerRequired, pinStrength] });
 * ```
 */
import type { Policies } from "@pulumi/policy";
import { descriptionRequired } from "./descriptionRequired";
import { mailboxUnique } from "./mailboxUnique";
import { notificationSafety } from "./notificationSafety";
import { numberPlan } from "./numberPlan";
import { ownerRequired } from "./ownerRequired";
import { pinStrength } from "./pinStrength";
import { timezoneRequired } from "./timezoneRequired";

export {
  descriptionRequired,
  mailboxUnique,
  notificationSafety,
  numberPlan,
  ownerRequired,
  pinStrength,
  timezoneRequired,
};
export { MAILBOX_TYPE } from "../mailbox/engine";
export { evaluatePolicies, type Violation, type EvaluatedResource } from "./evaluate";
export {
  mailboxPolicy,
  mailboxStackPolicy,
  MailboxView,
  PolicyConfigError,
  SKIP,
  type Finding,
  type Judged,
  type MailboxPolicySpec,
  type MailboxStackPolicySpec,
  type PolicyBasics,
  type StackMailbox,
} from "./policy";

/** Every policy of this library, resource policies first: what the ready pack serves. */
export const policies: Policies = [
  ownerRequired,
  timezoneRequired,
  notificationSafety,
  pinStrength,
  descriptionRequired,
  mailboxUnique,
  numberPlan,
];
