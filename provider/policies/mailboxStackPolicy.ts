/**
 * Builds a stack policy over the `Mailbox` resources of a stack: type match, name scope and options
 * are handled here, the rule sees only the mailboxes in scope.
 */
import type { StackValidation, StackValidationPolicy } from "@pulumi/policy";
import type { Finding, ResourceFinding } from "./finding";
import { registerStructured, type StackResource } from "./structured";
import type { PolicyBasics } from "./mailboxPolicy";
import { forMailboxes, MAILBOX_TYPE } from "./mailboxType";
import { MailboxView } from "./mailboxView";
import { policySettings } from "./policySettings";
import { inScope } from "./scope";

/** A mailbox of the stack, as a stack rule sees it. */
export interface StackMailbox {
  /** The resource's name. */
  name: string;
  /** The resource's URN (empty outside the engine). */
  urn: string;
  /** Its props. */
  view: MailboxView;
}

/** What a mailbox stack policy is made of. */
export interface MailboxStackPolicySpec<C> extends PolicyBasics<C> {
  /** The rule: the findings, each attached to one of the given mailboxes. */
  check(mailboxes: readonly StackMailbox[], config: C): (Finding & { mailbox: StackMailbox })[];
}

/**
 * A `StackValidationPolicy` over the stack's `Mailbox` resources.
 *
 * @example
 * ```ts
 * const fewMailboxes = mailboxStackPolicy({
 *   name: "acme-mailbox-count",
 *   description: "A stack declares at most 50 mailboxes.",
 *   severity: "low",
 *   enforcementLevel: "advisory",
 *   remediationSteps: "Split the stack.",
 *   options: {},
 *   readConfig: () => ({}),
 *   check: (mailboxes) => mailboxes.slice(50).map((mailbox) => ({ mailbox, message: "one mailbox too many." })),
 * });
 * ```
 */
export function mailboxStackPolicy<C>(spec: MailboxStackPolicySpec<C>): StackValidationPolicy {
  const { declared, read: settings } = policySettings(spec);

  const check = (
    resources: readonly (StackResource & { type: string })[],
    given: object,
  ): ResourceFinding[] => {
    const { scope, config } = settings(given);
    const mailboxes = resources
      .filter((r) => r.type === MAILBOX_TYPE && inScope(r.name, scope))
      .map((r) => ({ name: r.name, urn: r.urn, view: MailboxView.of(r.props) }));
    return spec.check(mailboxes, config).map(({ mailbox, ...finding }) => ({
      ...finding,
      resource: mailbox.name,
      urn: mailbox.urn,
    }));
  };

  const policy: StackValidationPolicy = {
    ...declared,
    validateStack: forMailboxes<StackValidation>((args, reportViolation) => {
      for (const finding of check(args.resources, args.getConfig<object>())) {
        reportViolation(finding.message, finding.urn || undefined);
      }
    }),
  };
  registerStructured(policy, { kind: "stack", check, validateOptions: (given) => settings(given) });
  return policy;
}
