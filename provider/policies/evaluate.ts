/**
 * Runs policies without the Pulumi engine, for the `enswitch validate` command: the policy pack config
 * file read as the CLI reads it, then the same remediations, validations and enforcement levels a
 * `pulumi preview --policy-pack` would apply to the resources.
 */
import type {
  EnforcementLevel,
  Policies,
  Policy,
  PolicyResource,
  PolicyResourceOptions,
  ReportViolation,
  ResourceValidationArgs,
  Severity,
} from "@pulumi/policy";
import { MAILBOX_TYPE } from "../mailbox/engine";
import { PolicyConfigError, type Finding, type MailboxRule, type PresentedResource } from "./policy";

/** A resource to evaluate. */
export interface EvaluatedResource {
  /** The resource's name, as in `new Mailbox(name, …)`; the policies' include/exclude match it. */
  name: string;
  /** Its inputs, camelCase, e.g. `{ mailbox: "1234", pin: "…", owner: 7 }`. */
  props: Record<string, unknown>;
  /** Its type token. Default: the `Mailbox` token. */
  type?: string;
}

/** One thing a policy reports: the finding (message, property at fault when known) and where it comes from. */
export interface Violation extends Finding {
  /** The policy's name. */
  policy: string;
  /**
   * `mandatory` blocks a deployment, `advisory` warns, `remediate` reports a change a remediation
   * made (a violation that remains after remediation is `mandatory`, as in the engine).
   */
  enforcementLevel: Exclude<EnforcementLevel, "disabled">;
  /** The policy's severity, if it declares one. */
  severity?: Severity;
  /** The resource's name; absent when a stack policy blames the stack as a whole. */
  resource?: string;
}

const LEVELS: readonly EnforcementLevel[] = ["advisory", "mandatory", "remediate", "disabled"];

const fail = (policy: string, option: string | undefined, problem: string): never => {
  throw new PolicyConfigError(policy, option, problem);
};

function level(policy: string, value: unknown): EnforcementLevel {
  if (LEVELS.includes(value as EnforcementLevel)) return value as EnforcementLevel;
  return fail(policy, "enforcementLevel", `must be one of ${LEVELS.join(", ")}`);
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

/** The rule a policy of this library carries; `undefined` for any other policy. */
function ruleOf(policy: Policy): MailboxRule | undefined {
  return (policy as { mailboxRule?: MailboxRule }).mailboxRule;
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
export function resolvePackConfig(
  raw: unknown,
  policies: Policies,
): Map<string, { enforcementLevel: EnforcementLevel; options: Record<string, unknown> }> {
  const file = raw ?? {};
  if (!isObject(file)) return fail("(config file)", undefined, "must be a JSON object of policy names");
  const known = policies.map((p) => p.name);
  const stranger = Object.keys(file).find((name) => name !== "all" && !known.includes(name));
  if (stranger !== undefined)
    fail(stranger, undefined, `is not a policy of this pack; known: ${known.join(", ")}`);
  const all = file["all"];
  const allLevel =
    all === undefined ? undefined : level("all", isObject(all) ? all["enforcementLevel"] : all);

  const resolved: ReturnType<typeof resolvePackConfig> = new Map();
  for (const policy of policies) {
    const entry = file[policy.name];
    if (entry !== undefined && typeof entry !== "string" && !isObject(entry))
      fail(policy.name, undefined, "must be an enforcement level or an object of options");
    const { enforcementLevel, ...options } = isObject(entry) ? entry : { enforcementLevel: entry };
    const schema = Object.keys(policy.configSchema?.properties ?? {});
    const unknown = Object.keys(options).find((option) => !schema.includes(option));
    if (unknown !== undefined) fail(policy.name, unknown, `is not an option; known: ${schema.join(", ")}`);
    ruleOf(policy)?.readOptions(options);
    const own = enforcementLevel === undefined ? undefined : level(policy.name, enforcementLevel);
    resolved.set(policy.name, {
      enforcementLevel: own ?? allLevel ?? policy.enforcementLevel ?? "advisory",
      options,
    });
  }
  return resolved;
}

const NO_OPTIONS: PolicyResourceOptions = {
  protect: false,
  ignoreChanges: [],
  aliases: [],
  customTimeouts: { createSeconds: 0, updateSeconds: 0, deleteSeconds: 0 },
  additionalSecretOutputs: [],
};

class NotApplicable extends Error {}

/**
 * What the engine hands a policy not built by this library besides the resources: `getConfig()` with
 * the schema's defaults filled in (as the CLI does), and `notApplicable()`.
 */
function engineArgs(policy: Policy, options: object) {
  const defaults = Object.entries(policy.configSchema?.properties ?? {})
    .filter(([, schema]) => schema.default !== undefined)
    .map(([key, schema]) => [key, schema.default]);
  const config = { ...Object.fromEntries(defaults), ...options };
  return {
    stackTags: new Map<string, string>(),
    getConfig: <T extends object>() => config as T,
    notApplicable: (reason?: string): never => {
      throw new NotApplicable(reason);
    },
  };
}

/** A resource as the engine hands it to a policy not built by this library. */
function engineResource(resource: PresentedResource) {
  const isType = (cls: unknown) => (cls as { __pulumiType?: unknown }).__pulumiType === resource.type;
  return {
    ...resource,
    opts: NO_OPTIONS,
    dependencies: [],
    propertyDependencies: {},
    isType,
    // One function for both signatures: it returns the props when the token matches.
    asType: ((cls: unknown) => (isType(cls) ? resource.props : undefined)) as PolicyResource["asType"] &
      ResourceValidationArgs["asType"],
  };
}

/** Runs a foreign policy's callback; its `notApplicable()` ends it without a finding. */
async function unlessNotApplicable<T>(run: () => T | Promise<T>): Promise<T | undefined> {
  try {
    return await run();
  } catch (e) {
    if (e instanceof NotApplicable) return undefined;
    throw e;
  }
}

/**
 * A policy's findings, each on one of the resources: through its rule for this library's policies
 * (which gives the property at fault), else through `@pulumi/policy`'s API as the engine calls it.
 */
async function findings(
  policy: Policies[number],
  resources: readonly PresentedResource[],
  options: object,
): Promise<(Finding & { resource?: string })[]> {
  const rule = ruleOf(policy);
  if (rule) return rule.check(resources, options).map(({ urn: _urn, ...finding }) => finding);
  const found: (Finding & { resource?: string })[] = [];
  const report: ReportViolation = (message, urn) => {
    const resource = resources.find((r) => r.urn === urn)?.name;
    found.push({ message, ...(resource === undefined ? {} : { resource }) });
  };
  const args = engineArgs(policy, options);
  if ("validateStack" in policy) {
    const stack = resources.map(engineResource);
    await unlessNotApplicable(() => policy.validateStack({ resources: stack, ...args }, report));
  }
  for (const validation of "validateResource" in policy ? [policy.validateResource ?? []].flat() : []) {
    for (const r of resources)
      await unlessNotApplicable(() => validation({ ...engineResource(r), ...args }, report));
  }
  return found;
}

/**
 * Evaluates policies over resources the way the engine does in a preview: per resource, the
 * remediations of policies at level `remediate` first (each sees the previous one's result), then
 * every enabled resource policy on the result, then the stack policies over all resources.
 *
 * @param resources the resources, typically the mailboxes of declarative files
 * @param config a parsed `--policy-pack-config` file: `{"policy-name": {"enforcementLevel": "…", …options}}`
 *   (a bare level works too, and `"all"` sets every policy's level); throws PolicyConfigError if unusable
 * @param policies the policies to run, e.g. `policies` of `pulumi-enswitch/policies` for all of this library's
 * @returns what the policies report, in policy order per resource; `[]` when all is well
 *
 * @example
 * ```ts
 * const violations = await evaluatePolicies(
 *   [{ name: "sales", props: { mailbox: "1234", pin: secretPin, owner: 0 } }],
 *   JSON.parse(fs.readFileSync("policy-config.json", "utf8")),
 *   policies,
 * );
 * const blocked = violations.some((v) => v.enforcementLevel === "mandatory");
 * ```
 */
export async function evaluatePolicies(
  resources: readonly EvaluatedResource[],
  config: unknown,
  policies: Policies,
): Promise<Violation[]> {
  const resolved = resolvePackConfig(config, policies);
  const enabled = policies
    .map((policy) => ({
      policy,
      ...(resolved.get(policy.name) ?? { enforcementLevel: "advisory" as const, options: {} }),
    }))
    .filter((run) => run.enforcementLevel !== "disabled");
  const violations: Violation[] = [];
  type Found = (Finding & { resource?: string })[];
  const record = (policy: Policy, level: Violation["enforcementLevel"], found: Found) => {
    for (const finding of found) {
      const severity = policy.severity === undefined ? {} : { severity: policy.severity };
      violations.push({ policy: policy.name, enforcementLevel: level, ...severity, ...finding });
    }
  };
  /** Records a policy's findings over `over`; at level remediate, ones the remediation could not fix. */
  const validate = async (run: (typeof enabled)[number], over: PresentedResource[], resource?: string) => {
    const found = await findings(run.policy, over, run.options);
    const level = run.enforcementLevel;
    const reported = level === "remediate" || level === "disabled" ? "mandatory" : level;
    record(run.policy, reported, resource === undefined ? found : found.map((f) => ({ resource, ...f })));
  };
  const stack: PresentedResource[] = [];

  for (const input of resources) {
    let resource: PresentedResource = {
      type: MAILBOX_TYPE,
      ...input,
      urn: `urn:enswitch-validate::${input.name}`,
    };
    for (const { policy, enforcementLevel, options } of enabled) {
      const fix = "remediateResource" in policy ? policy.remediateResource : undefined;
      if (enforcementLevel !== "remediate" || !fix) continue;
      const args = { ...engineResource(resource), ...engineArgs(policy, options) };
      const fixed = await unlessNotApplicable(() => fix(args));
      if (!fixed) continue;
      const changed = Object.keys(fixed).filter((k) => fixed[k] !== resource.props[k]);
      const name = resource.name;
      record(
        policy,
        "remediate",
        (changed.length > 0 ? changed : [undefined]).map((property) => ({
          resource: name,
          message: property === undefined ? "remediated" : `remediated: set ${property}`,
          ...(property === undefined ? {} : { property }),
        })),
      );
      resource = { ...resource, props: fixed };
    }
    for (const run of enabled)
      if (!("validateStack" in run.policy)) await validate(run, [resource], resource.name);
    stack.push(resource);
  }
  for (const run of enabled) if ("validateStack" in run.policy) await validate(run, stack);
  return violations;
}
