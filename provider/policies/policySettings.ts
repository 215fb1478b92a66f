/**
 * The config plumbing every policy of this library shares: its schema (the policy's own options plus
 * the include/exclude scope options) and a reader that turns the engine's config into the scope and
 * the rule's own config.
 */
import { OptionReader } from "./config";
import type { PolicyBasics } from "./mailboxPolicy";
import { scopeOptions, type Scope } from "./scope";

/** A policy's config schema and how to read the config the engine hands it. */
export interface PolicySettings<C> {
  configSchema: { properties: ReturnType<typeof scopeOptions> & PolicyBasics<C>["options"] };
  /** The scope and the rule's config, from the options given (defaults applied). */
  read(given: object): { scope: Scope; config: C };
}

/** The settings of a policy built from `spec`. */
export function policySettings<C>(spec: PolicyBasics<C>): PolicySettings<C> {
  const configSchema = { properties: { ...scopeOptions(), ...spec.options } };
  return {
    configSchema,
    read: (given) => {
      const read = new OptionReader(spec.name, configSchema, given);
      return {
        scope: { include: read.strings("include"), exclude: read.strings("exclude") },
        config: spec.readConfig(read),
      };
    },
  };
}
