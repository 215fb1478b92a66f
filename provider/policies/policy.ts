/**
 * What every policy of this library is built from, in one file as `@pulumi/policy` keeps `Policy`,
 * `PolicyPack` and `validateResourceOfType` in one: how a rule sees a mailbox ({@link MailboxView}),
 * the include/exclude scope, options as zod schemas (their JSON Schema is the `configSchema` the
 * engine gets), and the builders {@link mailboxPolicy} and {@link mailboxStackPolicy}.
 */
import type {
  Policy,
  ResourceRemediation,
  ResourceValidation,
  ResourceValidationPolicy,
  StackValidation,
  StackValidationPolicy,
} from "@pulumi/policy";
import type { PolicyConfigJSONSchema } from "@pulumi/policy/schema";
import { z } from "zod";
import { isUnknown, MAILBOX_TYPE } from "../mailbox/engine";
import { schemaDefault, type MailboxField, type ResourceFields } from "../mailbox/schema";

export { listed } from "../mailbox/schema";

/** A policy option (or a whole policy pack config) that cannot be used: which policy, which option, what is wrong. */
export class PolicyConfigError extends Error {
  override readonly name = "PolicyConfigError";
  constructor(
    readonly policy: string,
    readonly option: string | undefined,
    readonly problem: string,
  ) {
    super(`policy ${policy}${option === undefined ? "" : `, option ${option}`}: ${problem}`);
  }
}

/**
 * Returned instead of a value when a rule must not judge the property: its value is unknown during
 * preview, or it has the wrong type (the provider's `check` reports that, with the schema's message).
 */
export const SKIP: unique symbol = Symbol("skip");

/** A property's value for a rule: the value, `undefined` (omitted, no default), or {@link SKIP}. */
export type Judged<T> = T | undefined | typeof SKIP;

type Kind = "string" | "number" | "boolean";
type KindType = { string: string; number: number; boolean: boolean };

/**
 * The resource's own properties, read past `@pulumi/policy`'s proxies (their traps do not cover
 * `getOwnPropertyDescriptor`): an unknown value stays the sentinel instead of throwing and aborting the
 * policy, a secret stays the `Secret` the engine needs in a remediation, `__provider` stays as it is.
 */
export function rawProps(props: object): Record<string, unknown> {
  return Object.fromEntries(
    Object.keys(props).map((k) => [k, Object.getOwnPropertyDescriptor(props, k)?.value]),
  );
}

/**
 * One mailbox's props as a rule reads them. `given` is what the program set; `effective` also fills
 * in the schema's default, because an omitted `notifyEmail` means `"owner_wav"` on the switch and an
 * omitted `owner` means 0.
 *
 * @example
 * ```ts
 * const view = MailboxView.of(args.props);
 * view.effective("owner", "number"); // 0 when the program omitted owner
 * view.given("timezone", "string"); // undefined when omitted, SKIP when unknown
 * ```
 */
export class MailboxView {
  private constructor(private readonly raw: Record<string, unknown>) {}

  /** A view of the props a policy receives (proxied by `@pulumi/policy` or plain). */
  static of(props: object): MailboxView {
    return new MailboxView(rawProps(props));
  }

  /** True when the property is the engine's "unknown during preview" value. */
  isUnknown(property: string): boolean {
    return isUnknown(this.raw[property]);
  }

  /** The value the program set, if it has the expected type. */
  given<K extends Kind>(property: MailboxField | keyof ResourceFields, kind: K): Judged<KindType[K]> {
    const value = this.raw[property];
    if (value === undefined || value === null) return undefined;
    if (isUnknown(value) || typeof value !== kind) return SKIP;
    return value as KindType[K];
  }

  /** The value the mailbox will have: as given, else the schema's default (`undefined` if none). */
  effective<K extends Kind>(field: MailboxField, kind: K): Judged<KindType[K]> {
    const given = this.given(field, kind);
    if (given !== undefined) return given;
    const fallback = schemaDefault(field);
    return typeof fallback === kind ? (fallback as KindType[K]) : undefined;
  }

  /** How a message names the mailbox: `mailbox 1234`, or `this mailbox` when the number is not known. */
  label(): string {
    const number = this.given("mailbox", "string");
    return number === undefined || number === SKIP ? "this mailbox" : `mailbox ${number}`;
  }
}

/**
 * True when the glob matches the whole name. `*` matches any run of characters (slashes included:
 * resource names are not paths), `?` exactly one; everything else is literal.
 */
export function globMatches(glob: string, name: string): boolean {
  const source = [...glob]
    .map((c) => (c === "*" ? "[\\s\\S]*" : c === "?" ? "[\\s\\S]" : c.replace(/[\\^$.|+()[\]{}]/g, "\\$&")))
    .join("");
  return new RegExp(`^${source}$`, "u").test(name);
}

/** The options every policy takes: which resources, by name, it applies to. */
const SCOPE = z.object({
  include: z
    .array(z.string())
    .default(["*"])
    .describe(
      "Resource names the policy applies to; globs where `*` is any run of characters, `?` one character.",
    ),
  exclude: z
    .array(z.string())
    .default([])
    .describe("Resource names the policy skips even when included; same globs."),
});

/** True when the resource named `name` is in the scope. */
export function inScope(name: string, scope: z.output<typeof SCOPE>): boolean {
  return scope.include.some((g) => globMatches(g, name)) && !scope.exclude.some((g) => globMatches(g, name));
}

/** The JSON Schema of each option, as the engine's `configSchema` wants them (`io: "input"`: defaults are optional). */
function jsonProperties(schema: z.ZodType): Record<string, PolicyConfigJSONSchema> {
  const json = z.toJSONSchema(schema, { io: "input", target: "draft-7" }) as { properties?: object };
  // zod's JSON Schema types and @pulumi/policy's describe the same draft-7 documents.
  return (json.properties ?? {}) as Record<string, PolicyConfigJSONSchema>;
}

const NOUNS: Record<string, [string, string]> = {
  integer: ["a whole number", "whole numbers"],
  number: ["a number", "numbers"],
  string: ["a string", "strings"],
  boolean: ["true or false", "booleans"],
};

/** What a config author must write for an option, in words: `a whole number of at least 1`, `a list of strings`. */
function expected(schema: PolicyConfigJSONSchema | undefined): string {
  const plural = (of: unknown) =>
    NOUNS[String((of as PolicyConfigJSONSchema | undefined)?.type)]?.[1] ?? "values";
  const min = schema?.minimum;
  if (schema?.type === "array") return `a list of ${plural(schema.items)}`;
  if (schema?.type === "object") return `an object of ${plural(schema.additionalProperties)}`;
  const [one] = NOUNS[String(schema?.type)] ?? ["a valid value"];
  return min !== undefined && min > Number.MIN_SAFE_INTEGER ? `${one} of at least ${min}` : one;
}

/**
 * `schema` parsed from `given`; the first problem thrown as a {@link PolicyConfigError} that says what
 * the option must be (a refinement's own message for rules beyond the type).
 */
function readOptions<T>(policy: string, schema: z.ZodType<T>, given: object): T {
  const result = schema.safeParse(given);
  if (result.success) return result.data;
  const issue = result.error.issues[0];
  const option = issue?.path[0] === undefined ? undefined : String(issue.path[0]);
  const problem =
    issue?.code === "custom"
      ? issue.message
      : `must be ${expected(option === undefined ? undefined : jsonProperties(schema)[option])}`;
  throw new PolicyConfigError(policy, option, problem);
}

/** One rule broken by one mailbox. */
export interface Finding {
  /** The camelCase property at fault, e.g. `notifyOnly`; absent when no single property is. */
  property?: string;
  /** What is wrong and how to fix it. Never contains a PIN. */
  message: string;
}

/** A resource as the engine presents it to a policy (`urn` is empty outside the engine). */
export interface PresentedResource {
  type: string;
  name: string;
  urn: string;
  props: Record<string, unknown>;
}

/**
 * The rule of a policy of this library, carried on the policy object so that `evaluatePolicies` gets
 * each finding with its property (`reportViolation` takes only a message) and checks options first.
 */
export interface MailboxRule {
  /** Throws {@link PolicyConfigError} when the given options cannot be used. */
  readOptions(given: object): void;
  /** The findings over the resources (one, for a resource policy); other types and names out of scope skipped. */
  check(
    resources: readonly PresentedResource[],
    given: object,
  ): (Finding & { resource: string; urn: string })[];
}

/** What every policy of this library declares besides its rule: `@pulumi/policy`'s fields, all required. */
export interface PolicyBasics<C> extends Required<
  Pick<Policy, "name" | "description" | "severity" | "enforcementLevel" | "remediationSteps">
> {
  /**
   * The policy's own options, a zod object with defaults and descriptions; its JSON Schema, with the
   * `include`/`exclude` scope options, is the policy's `configSchema`. Omitted: no options.
   */
  config?: z.ZodType<C>;
}

/** What a mailbox policy is made of. */
export interface MailboxPolicySpec<C> extends PolicyBasics<C> {
  /** The rule: what is wrong with this mailbox. */
  check(mailbox: MailboxView, config: C): Finding[];
  /** The fields to change so that the mailbox complies, if the rule can fix it itself. */
  remediate?(mailbox: MailboxView, config: C): Record<string, unknown> | undefined;
}

/** A mailbox of the stack, as a stack rule sees it: its resource name, URN (empty outside the engine) and props. */
export interface StackMailbox {
  name: string;
  urn: string;
  view: MailboxView;
}

/** What a mailbox stack policy is made of. */
export interface MailboxStackPolicySpec<C> extends PolicyBasics<C> {
  /** The rule: the findings, each attached to one of the given mailboxes. */
  check(mailboxes: readonly StackMailbox[], config: C): (Finding & { mailbox: StackMailbox })[];
}

/**
 * The fields the engine is told, a reader of the scope and the rule's config (defaults applied), and
 * the rule: `judge` over the mailboxes in scope, each finding attached to its resource.
 */
function built<C>(spec: PolicyBasics<C>, judge: MailboxStackPolicySpec<C>["check"]) {
  const own = spec.config ?? (z.object({}) as unknown as z.ZodType<C>);
  const { name, description, severity, enforcementLevel, remediationSteps } = spec;
  const configSchema = { properties: { ...jsonProperties(SCOPE), ...jsonProperties(own) } };
  const read = (given: object) => ({
    scope: readOptions(name, SCOPE, given),
    config: readOptions(name, own, given),
  });
  const check: MailboxRule["check"] = (resources, given) => {
    const { scope, config } = read(given);
    const mailboxes = resources
      .filter((r) => r.type === MAILBOX_TYPE && inScope(r.name, scope))
      .map((r) => ({ name: r.name, urn: r.urn, view: MailboxView.of(r.props) }));
    return judge(mailboxes, config).map(({ mailbox, ...f }) => ({
      ...f,
      resource: mailbox.name,
      urn: mailbox.urn,
    }));
  };
  return {
    declared: { name, description, severity, enforcementLevel, remediationSteps, configSchema },
    read,
    mailboxRule: { readOptions: read, check },
  };
}

/**
 * Tags a policy callback with the Mailbox token, as `validateResourceOfType` does: the analyzer then
 * answers "not applicable" for other resource types without calling it.
 */
function forMailboxes<F extends object>(callback: F): F {
  return Object.assign(callback, { __pulumiType: MAILBOX_TYPE });
}

/**
 * A `ResourceValidationPolicy` for `Mailbox` resources: only mailboxes in the name scope reach the
 * rule, options arrive with their defaults, and a remediation's changes are merged into every
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
 *   check: (mailbox) =>
 *     mailbox.effective("panel", "boolean") === true ? [{ property: "panel", message: "panel is on." }] : [],
 *   remediate: () => ({ panel: false }),
 * });
 * new PolicyPack("acme", { policies: [...policies, noPanel] });
 * ```
 */
export function mailboxPolicy<C = Record<string, never>>(
  spec: MailboxPolicySpec<C>,
): ResourceValidationPolicy & { mailboxRule: MailboxRule } {
  const { declared, read, mailboxRule } = built(spec, (mailboxes, config) =>
    mailboxes.flatMap((mailbox) => spec.check(mailbox.view, config).map((f) => ({ ...f, mailbox }))),
  );
  const fix = spec.remediate;
  return {
    ...declared,
    mailboxRule,
    validateResource: forMailboxes<ResourceValidation>((args, report) => {
      for (const finding of mailboxRule.check([args], args.getConfig<object>())) report(finding.message);
    }),
    ...(fix && {
      remediateResource: forMailboxes<ResourceRemediation>((args) => {
        if (args.type !== MAILBOX_TYPE) return undefined;
        const { scope, config } = read(args.getConfig<object>());
        const changes = inScope(args.name, scope) && fix(MailboxView.of(args.props), config);
        // The engine replaces the props with what a remediation returns, `__provider` and secrets
        // included: copy every raw value and change only what the rule fixes.
        return changes ? { ...rawProps(args.props), ...changes } : undefined;
      }),
    }),
  };
}

/**
 * A `StackValidationPolicy` over the stack's `Mailbox` resources in the name scope; the rule attaches
 * each finding to one of them (as `mailboxPolicy`, the example there).
 */
export function mailboxStackPolicy<C = Record<string, never>>(
  spec: MailboxStackPolicySpec<C>,
): StackValidationPolicy & { mailboxRule: MailboxRule } {
  const { declared, mailboxRule } = built(spec, spec.check);
  return {
    ...declared,
    mailboxRule,
    validateStack: forMailboxes<StackValidation>((args, report) => {
      for (const finding of mailboxRule.check(args.resources, args.getConfig<object>()))
        report(finding.message, finding.urn || undefined);
    }),
  };
}
