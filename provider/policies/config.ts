/**
 * Policy options: defaults from the `configSchema`, typed reading, and the error for bad options.
 */
import type { PolicyConfigSchema } from "@pulumi/policy";

/** A policy option (or a whole policy pack config) that cannot be used. */
export class PolicyConfigError extends Error {
  override readonly name = "PolicyConfigError";
  /**
   * @param policy the policy the option belongs to (or the unknown policy name)
   * @param option the option at fault, if the problem is one option
   * @param problem what is wrong and what would be valid
   */
  constructor(
    readonly policy: string,
    readonly option: string | undefined,
    readonly problem: string,
  ) {
    super(
      option === undefined
        ? `policy ${policy}: ${problem}`
        : `policy ${policy}, option ${option}: ${problem}`,
    );
  }
}

/**
 * The options a policy runs with: the schema's defaults overlaid with what the config gives.
 * The Pulumi CLI applies the defaults itself, but a pack started without it (tests, the `enswitch
 * validate` command, an older CLI) gets only what the config file says.
 */
export function withDefaults(schema: PolicyConfigSchema, given: object): Record<string, unknown> {
  const options: Record<string, unknown> = {};
  for (const [key, property] of Object.entries(schema.properties)) {
    if (property.default !== undefined) options[key] = property.default;
  }
  for (const [key, value] of Object.entries(given)) {
    if (key !== "enforcementLevel" && value !== undefined) options[key] = value;
  }
  return options;
}

/**
 * Typed access to a policy's options; a value of the wrong type is a {@link PolicyConfigError}.
 *
 * @example
 * ```ts
 * const read = new OptionReader("my-policy", { properties: { minLength: { type: "integer", default: 6 } } }, {});
 * read.integer("minLength"); // 6
 * ```
 */
export class OptionReader {
  private readonly options: Record<string, unknown>;

  /**
   * @param policy the policy's name, for errors
   * @param schema the policy's `configSchema` (defaults, minimums)
   * @param given the options from the config, as `getConfig()` returns them
   */
  constructor(
    private readonly policy: string,
    private readonly schema: PolicyConfigSchema,
    given: object,
  ) {
    this.options = withDefaults(schema, given);
  }

  private fail(option: string, expected: string): never {
    throw new PolicyConfigError(this.policy, option, `must be ${expected}`);
  }

  /** A list of strings; absent is empty. */
  strings(option: string): string[] {
    const value = this.options[option];
    if (value === undefined) return [];
    if (!Array.isArray(value) || !value.every((v) => typeof v === "string"))
      this.fail(option, "a list of strings");
    return value;
  }

  /** A list of whole numbers; absent is empty. */
  integers(option: string): number[] {
    const value = this.options[option];
    if (value === undefined) return [];
    if (!Array.isArray(value) || !value.every((v) => Number.isInteger(v)))
      this.fail(option, "a list of whole numbers");
    return value;
  }

  /** An optional string. */
  string(option: string): string | undefined {
    const value = this.options[option];
    if (value === undefined || typeof value === "string") return value;
    return this.fail(option, "a string");
  }

  /** A whole number, at least the schema's `minimum` (its default fills it in when the config omits it). */
  integer(option: string): number {
    const value = this.options[option];
    const min = this.schema.properties[option]?.minimum;
    if (typeof value !== "number" || !Number.isInteger(value) || (min !== undefined && value < min)) {
      return this.fail(option, min === undefined ? "a whole number" : `a whole number of at least ${min}`);
    }
    return value;
  }

  /** A boolean (the schema's default fills it in when the config omits it). */
  boolean(option: string): boolean {
    const value = this.options[option];
    if (typeof value !== "boolean") return this.fail(option, "true or false");
    return value;
  }

  /** An object whose values are strings; absent is empty. */
  stringMap(option: string): Record<string, string> {
    const value = this.options[option];
    if (value === undefined) return {};
    if (typeof value !== "object" || value === null || Array.isArray(value))
      this.fail(option, "an object of strings");
    const map: Record<string, string> = {};
    for (const [k, v] of Object.entries(value)) {
      if (typeof v !== "string") this.fail(option, "an object of strings");
      map[k] = v;
    }
    return map;
  }
}
