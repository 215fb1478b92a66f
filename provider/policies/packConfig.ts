/**
 * The policy pack config file (`pulumi preview --policy-pack-config file.json`) read without the
 * Pulumi CLI: which enforcement level and which options each policy runs with.
 */
import type { EnforcementLevel, Policies } from "@pulumi/policy";
import { PolicyConfigError } from "./config";
import { structuredOf } from "./structured";

const LEVELS: readonly EnforcementLevel[] = ["advisory", "mandatory", "remediate", "disabled"];

/** How one policy runs. */
export interface ResolvedPolicyConfig {
  /** The level after the config, the `all` entry and the policy's default. */
  enforcementLevel: EnforcementLevel;
  /** The options the config gives (the policy applies its schema's defaults for the rest). */
  options: Record<string, unknown>;
}

function level(policy: string, value: unknown): EnforcementLevel {
  if (typeof value === "string" && (LEVELS as readonly string[]).includes(value))
    return value as EnforcementLevel;
  throw new PolicyConfigError(policy, "enforcementLevel", `must be one of ${LEVELS.join(", ")}`);
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

/**
 * Resolves a parsed config file against the policies, as the CLI does: an entry is a policy name
 * mapped to an enforcement level or to `{ "enforcementLevel": …, …options }`; `"all"` sets the level
 * of every policy without its own. Unknown policies or options, bad levels and options of the wrong
 * type are {@link PolicyConfigError}s.
 *
 * @example
 * ```ts
 * resolvePackConfig({ all: "mandatory", "enswitch-mailbox-pin-strength": { minLength: 8 } }, policies);
 * ```
 */
export function resolvePackConfig(raw: unknown, policies: Policies): Map<string, ResolvedPolicyConfig> {
  const file = raw ?? {};
  if (!isObject(file))
    throw new PolicyConfigError("(config file)", undefined, "must be a JSON object of policy names");
  const known = new Set(policies.map((p) => p.name));
  for (const name of Object.keys(file)) {
    if (name !== "all" && !known.has(name)) {
      throw new PolicyConfigError(
        name,
        undefined,
        `is not a policy of this pack; known: ${[...known].join(", ")}`,
      );
    }
  }
  const all = file["all"];
  const allLevel =
    all === undefined ? undefined : level("all", isObject(all) ? all["enforcementLevel"] : all);

  const resolved = new Map<string, ResolvedPolicyConfig>();
  for (const policy of policies) {
    const entry = file[policy.name];
    let options: Record<string, unknown> = {};
    let own: EnforcementLevel | undefined;
    if (typeof entry === "string") {
      own = level(policy.name, entry);
    } else if (isObject(entry)) {
      const { enforcementLevel, ...rest } = entry;
      own = enforcementLevel === undefined ? undefined : level(policy.name, enforcementLevel);
      options = rest;
    } else if (entry !== undefined) {
      throw new PolicyConfigError(
        policy.name,
        undefined,
        "must be an enforcement level or an object of options",
      );
    }
    const schema = policy.configSchema?.properties ?? {};
    for (const option of Object.keys(options)) {
      if (!(option in schema)) {
        throw new PolicyConfigError(
          policy.name,
          option,
          `is not an option; known: ${Object.keys(schema).join(", ")}`,
        );
      }
    }
    structuredOf(policy)?.validateOptions(options);
    resolved.set(policy.name, {
      enforcementLevel: own ?? allLevel ?? policy.enforcementLevel ?? "advisory",
      options,
    });
  }
  return resolved;
}
