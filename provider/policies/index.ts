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
export { descriptionRequired } from "./descriptionRequired";
export { mailboxUnique } from "./mailboxUnique";
export { notificationSafety } from "./notificationSafety";
export { numberPlan } from "./numberPlan";
export { ownerRequired } from "./ownerRequired";
export { pinStrength } from "./pinStrength";
export { timezoneRequired } from "./timezoneRequired";
export { policies } from "./all";
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
