/**
 * Scoping a policy to resources by name: every policy takes `include` and `exclude` glob lists.
 */
import type { PolicyConfigJSONSchema } from "@pulumi/policy/schema";

/** The config options every policy of this library takes, merged into its `configSchema`. */
export function scopeOptions(): Record<string, PolicyConfigJSONSchema> {
  return {
    include: {
      type: "array",
      items: { type: "string" },
      default: ["*"],
      description:
        "Resource names the policy applies to; globs where `*` is any run of characters, `?` one character.",
    },
    exclude: {
      type: "array",
      items: { type: "string" },
      default: [],
      description: "Resource names the policy skips even when included; same globs.",
    },
  };
}

/** Which resource names a policy applies to. */
export interface Scope {
  /** Globs; a resource must match one. */
  include: readonly string[];
  /** Globs; a resource matching one is skipped. */
  exclude: readonly string[];
}

/**
 * True when the glob matches the whole name. `*` matches any run of characters (slashes included:
 * resource names are not paths), `?` exactly one; everything else is literal.
 *
 * @example
 * ```ts
 * globMatches("sales-*", "sales-1234"); // true
 * globMatches("sales-?", "sales-12"); // false
 * ```
 */
export function globMatches(glob: string, name: string): boolean {
  const source = [...glob]
    .map((c) => (c === "*" ? "[\\s\\S]*" : c === "?" ? "[\\s\\S]" : c.replace(/[\\^$.|+()[\]{}]/g, "\\$&")))
    .join("");
  return new RegExp(`^${source}$`, "u").test(name);
}

/** True when the resource named `name` is in the scope. */
export function inScope(name: string, scope: Scope): boolean {
  return scope.include.some((g) => globMatches(g, name)) && !scope.exclude.some((g) => globMatches(g, name));
}
