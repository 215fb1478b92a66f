/**
 * Builds a resource policy for `Mailbox` resources from a rule: the plumbing every policy shares
 * (type match, name scope, options with defaults, unknown values, remediation that keeps every
 * property) lives here once.
 */
import type {
  EnforcementLevel,
  ResourceRemediation,
  ResourceValidation,
  ResourceValidationPolicy,
  Severity,
} from "@pulumi/policy";
import type { PolicyConfigJSONSchema } from "@pulumi/policy/schema";
import { OptionReader } from "./config";
import type { Finding } from "./finding";
import { registerStructured } from "./structured";
import { forMailboxes, MAILBOX_TYPE } from "./mailboxType";
import { MailboxView } from "./mailboxView";
import { policySettings } from "./policySettings";
import { inScope } from "./scope";
import { rawProps } from "./unknown";

/** What every policy of this library declares besides its rule. */
export interface PolicyBasics<C> {
  /** The policy's unique name, e.g. `enswitch-mailbox-owner-required`. */
  name: string;
  /** One sentence: what it checks. The engine prints it above every violation. */
  description: string;
  /** How bad a violation is. */
  severity: Severity;
  /** The level when the config does not set one. */
  enforcementLevel: EnforcementLevel;
  /** What to change in the program to comply. */
  remediationSteps: string;
  /** The policy's own options (the scope options are added). */
  options: Record<string, PolicyConfigJSONSchema>;
  /** Turns raw options (defaults applied) into the rule's config; throws PolicyConfigError. */
  readConfig(read: OptionReader): C;
}

/** What a mailbox policy is made of. */
export interface MailboxPolicySpec<C> extends PolicyBasics<C> {
  /** The rule: what is wrong with this mailbox. */
  check(mailbox: MailboxView, config: C): Finding[];
  /** The fields to change so that the mailbox complies, if the rule can fix it itself. */
  remediate?(mailbox: MailboxView, config: C): Record<string, unknown> | undefined;
}

/**
 * A `ResourceValidationPolicy` for `Mailbox` resources: only mailboxes in the name scope reach the
 * rule, options arrive with the schema's defaults, and a remediation's changes are merged into every
 * property the engine gave.
 *
 * @example
 * ```ts
 * const noPanel = mailboxPolicy({
 *   name: "acme-mailbox-no-panel",
 *   description: "Mailboxes stay out of the control panel.",
 *   severity: "low",
 *   enforcementLevel: "advisory",
 *   remediationSteps: "Set panel to false.",
 *   options: {},
 *   readConfig: () => ({}),
 *   check: (mailbox) =>
 *     mailbox.effective("panel", "boolean") === true ? [{ property: "panel", message: "panel is on." }] : [],
 *   remediate: () => ({ panel: false }),
 * });
 * new PolicyPack("acme", { policies: [...policies, noPanel] });
 * ```
 */
export function mailboxPolicy<C>(spec: MailboxPolicySpec<C>): ResourceValidationPolicy {
  const { declared, read: settings } = policySettings(spec);

  const check = (type: string, name: string, props: object, given: object): Finding[] => {
    if (type !== MAILBOX_TYPE) return [];
    const { scope, config } = settings(given);
    if (!inScope(name, scope)) return [];
    return spec.check(MailboxView.of(props), config);
  };

  const remediate = spec.remediate;
  const fix =
    remediate &&
    ((type: string, name: string, props: object, given: object): Record<string, unknown> | undefined => {
      if (type !== MAILBOX_TYPE) return undefined;
      const { scope, config } = settings(given);
      if (!inScope(name, scope)) return undefined;
      const changes = remediate(MailboxView.of(props), config);
      // The engine replaces the resource's props with what a remediation returns, `__provider` and
      // secrets included: copy every raw value and change only what the rule fixes.
      return changes && { ...rawProps(props), ...changes };
    });

  const policy: ResourceValidationPolicy = {
    ...declared,
    validateResource: forMailboxes<ResourceValidation>((args, reportViolation) => {
      for (const finding of check(args.type, args.name, args.props, args.getConfig<object>())) {
        reportViolation(finding.message);
      }
    }),
  };
  if (fix) {
    policy.remediateResource = forMailboxes<ResourceRemediation>((args) =>
      fix(args.type, args.name, args.props, args.getConfig<object>()),
    );
  }
  registerStructured(policy, {
    kind: "resource",
    check,
    remediate: fix,
    validateOptions: (given) => settings(given),
  });
  return policy;
}
