/**
 * The plumbing every policy of this library shares: the fields the engine is told, with the config
 * schema (the policy's own options plus the include/exclude scope options), and a reader that turns
 * the engine's config into the scope and the rule's own config.
 */
import { OptionReader } from "./config";
import type { PolicyBasics } from "./mailboxPolicy";
import { scopeOptions, type Scope } from "./scope";

/** What the engine is told about a policy, and how to read the config it hands the policy. */
export interface PolicySettings<C> {
  /** What the engine is told about the policy besides its rule: `@pulumi/policy`'s common fields. */
  declared: Pick<
    PolicyBasics<C>,
    "name" | "description" | "severity" | "enforcementLevel" | "remediationSteps"
  > & {
    configSchema: { properties: ReturnType<typeof scopeOptions> & PolicyBasics<C>["options"] };
  };
  /** The scope and the rule's config, from the options given (defaults applied). */
  read(given: object): { scope: Scope; config: C };
}

/** The settings of a policy built from `spec`. */
export function policySettings<C>(spec: PolicyBasics<C>): PolicySettings<C> {
  const configSchema = { properties: { ...scopeOptions(), ...spec.options } };
  const { name, description, severity, enforcementLevel, remediationSteps } = spec;
  return {
    declared: { name, description, severity, enforcementLevel, remediationSteps, configSchema },
    read: (given) => {
      const read = new OptionReader(spec.name, configSchema, given);
      return {
        scope: { include: read.strings("include"), exclude: read.strings("exclude") },
        config: spec.readConfig(read),
      };
    },
  };
}
