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
export { MAILBOX_TYPE } from "./mailboxType";
export { PolicyConfigError } from "./config";
export { evaluatePolicies, type Violation, type EvaluatedResource } from "./evaluate";
export { policyTable, withPolicyTable, TABLE_MARKERS } from "./table";
export { mailboxPolicy, type MailboxPolicySpec, type PolicyBasics } from "./mailboxPolicy";
export { mailboxStackPolicy, type MailboxStackPolicySpec, type StackMailbox } from "./mailboxStackPolicy";
export { MailboxView, SKIP, type Judged } from "./mailboxView";
export type { Finding } from "./finding";
