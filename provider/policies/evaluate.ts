/**
 * Runs policies without the Pulumi engine, for the `enswitch validate` command: the same remediations,
 * validations and enforcement levels a `pulumi preview --policy-pack` would apply to the resources.
 */
import type {
  EnforcementLevel,
  Policies,
  Policy,
  PolicyResource,
  PolicyResourceOptions,
  ReportViolation,
  ResourceValidationArgs,
  ResourceValidationPolicy,
  Severity,
  StackValidationPolicy,
} from "@pulumi/policy";
import { policies as allPolicies } from "./all";
import { withDefaults } from "./config";
import type { ResourceFinding } from "./finding";
import { structuredOf } from "./structured";
import { MAILBOX_TYPE } from "./mailboxType";
import { resolvePackConfig } from "./packConfig";

/** A resource to evaluate. */
export interface EvaluatedResource {
  /** The resource's name, as in `new Mailbox(name, …)`; the policies' include/exclude match it. */
  name: string;
  /** Its inputs, camelCase, e.g. `{ mailbox: "1234", pin: "…", owner: 7 }`. */
  props: Record<string, unknown>;
  /** Its type token. Default: the `Mailbox` token. */
  type?: string;
}

/** One thing a policy reports. */
export interface Violation {
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
  /** What is wrong and how to fix it. */
  message: string;
  /** The property at fault, when known. */
  property?: string;
}

const NO_OPTIONS: PolicyResourceOptions = {
  protect: false,
  ignoreChanges: [],
  aliases: [],
  customTimeouts: { createSeconds: 0, updateSeconds: 0, deleteSeconds: 0 },
  additionalSecretOutputs: [],
};

class NotApplicable extends Error {}

function severityOf(policy: { severity?: Severity }): { severity?: Severity } {
  return policy.severity === undefined ? {} : { severity: policy.severity };
}

/** The options `getConfig()` returns: the CLI fills in the schema's defaults before the pack sees them. */
function engineConfig(policy: Policy, options: object): object {
  return policy.configSchema ? withDefaults(policy.configSchema, options) : options;
}

function isType(type: string, resourceClass: unknown): boolean {
  return (resourceClass as { __pulumiType?: unknown }).__pulumiType === type;
}

/** The arguments the engine would pass, for policies not built by this library. */
function resourceArgs(
  type: string,
  name: string,
  props: Record<string, unknown>,
  options: object,
): ResourceValidationArgs {
  return {
    type,
    name,
    props,
    urn: "",
    opts: NO_OPTIONS,
    stackTags: new Map(),
    isType: (cls) => isType(type, cls),
    asType: ((cls: unknown) => (isType(type, cls) ? props : undefined)) as ResourceValidationArgs["asType"],
    getConfig: <T extends object>() => options as T,
    notApplicable: (reason?: string) => {
      throw new NotApplicable(reason);
    },
  };
}

async function ignoringNotApplicable(run: () => unknown): Promise<void> {
  try {
    await run();
  } catch (e) {
    if (!(e instanceof NotApplicable)) throw e;
  }
}

async function remediate(
  policy: ResourceValidationPolicy,
  resource: Required<EvaluatedResource>,
  options: object,
): Promise<Record<string, unknown> | undefined> {
  const structured = structuredOf(policy);
  if (structured?.kind === "resource")
    return structured.remediate?.(resource.type, resource.name, resource.props, options);
  if (!policy.remediateResource) return undefined;
  let result: Record<string, unknown> | undefined;
  const fix = policy.remediateResource;
  await ignoringNotApplicable(async () => {
    const args = resourceArgs(resource.type, resource.name, resource.props, engineConfig(policy, options));
    result = (await fix(args)) ?? undefined;
  });
  return result;
}

async function validate(
  policy: ResourceValidationPolicy,
  resource: Required<EvaluatedResource>,
  options: object,
): Promise<{ message: string; property?: string }[]> {
  const structured = structuredOf(policy);
  if (structured?.kind === "resource")
    return structured.check(resource.type, resource.name, resource.props, options);
  const found: { message: string }[] = [];
  const report: ReportViolation = (message) => found.push({ message });
  const validations = policy.validateResource === undefined ? [] : [policy.validateResource].flat();
  for (const validation of validations) {
    await ignoringNotApplicable(() =>
      validation(
        resourceArgs(resource.type, resource.name, resource.props, engineConfig(policy, options)),
        report,
      ),
    );
  }
  return found;
}

async function validateStack(
  policy: StackValidationPolicy,
  resources: readonly Required<EvaluatedResource>[],
  options: object,
): Promise<(Omit<ResourceFinding, "resource"> & { resource?: string })[]> {
  const structured = structuredOf(policy);
  const stack = resources.map((r) => ({ ...r, urn: `urn:enswitch-validate::${r.name}` }));
  if (structured?.kind === "stack") return structured.check(stack, options);
  const found: { message: string; urn: string; resource?: string }[] = [];
  const report: ReportViolation = (message, urn) => {
    const resource = stack.find((r) => r.urn === urn)?.name;
    found.push({ message, urn: urn ?? "", ...(resource === undefined ? {} : { resource }) });
  };
  const policyResources: PolicyResource[] = stack.map((r) => ({
    type: r.type,
    props: r.props,
    urn: r.urn,
    name: r.name,
    opts: NO_OPTIONS,
    dependencies: [],
    propertyDependencies: {},
    isType: (cls) => isType(r.type, cls),
    asType: ((cls: unknown) => (isType(r.type, cls) ? r.props : undefined)) as PolicyResource["asType"],
  }));
  await ignoringNotApplicable(() =>
    policy.validateStack(
      {
        resources: policyResources,
        stackTags: new Map(),
        getConfig: <T extends object>() => engineConfig(policy, options) as T,
        notApplicable: (reason?: string) => {
          throw new NotApplicable(reason);
        },
      },
      report,
    ),
  );
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
 * @param policies the policies to run; default: all of this library's
 * @returns what the policies report, in policy order per resource; `[]` when all is well
 *
 * @example
 * ```ts
 * const violations = await evaluatePolicies(
 *   [{ name: "sales", props: { mailbox: "1234", pin: secretPin, owner: 0 } }],
 *   JSON.parse(fs.readFileSync("policy-config.json", "utf8")),
 * );
 * const blocked = violations.some((v) => v.enforcementLevel === "mandatory");
 * ```
 */
export async function evaluatePolicies(
  resources: readonly EvaluatedResource[],
  config?: unknown,
  policies: Policies = allPolicies,
): Promise<Violation[]> {
  const resolved = resolvePackConfig(config, policies);
  const enabled = policies.filter((p) => resolved.get(p.name)?.enforcementLevel !== "disabled");
  const settings = (policy: { name: string }) =>
    resolved.get(policy.name) ?? { enforcementLevel: "advisory", options: {} };
  const reported = (level: EnforcementLevel): Violation["enforcementLevel"] =>
    level === "remediate" || level === "disabled" ? "mandatory" : level;
  const violations: Violation[] = [];
  const final: Required<EvaluatedResource>[] = [];

  for (const input of resources) {
    let resource: Required<EvaluatedResource> = { type: MAILBOX_TYPE, ...input };
    for (const policy of enabled) {
      const { enforcementLevel, options } = settings(policy);
      if (enforcementLevel !== "remediate" || "validateStack" in policy) continue;
      const fixed = await remediate(policy, resource, options);
      if (!fixed) continue;
      const changed = Object.keys(fixed).filter((k) => fixed[k] !== resource.props[k]);
      for (const property of changed.length > 0 ? changed : [undefined]) {
        violations.push({
          policy: policy.name,
          enforcementLevel: "remediate",
          ...severityOf(policy),
          resource: resource.name,
          message: property === undefined ? "remediated" : `remediated: set ${property}`,
          ...(property === undefined ? {} : { property }),
        });
      }
      resource = { ...resource, props: fixed };
    }
    for (const policy of enabled) {
      if ("validateStack" in policy) continue;
      const { enforcementLevel, options } = settings(policy);
      for (const finding of await validate(policy, resource, options)) {
        violations.push({
          policy: policy.name,
          enforcementLevel: reported(enforcementLevel),
          ...severityOf(policy),
          resource: resource.name,
          ...finding,
        });
      }
    }
    final.push(resource);
  }

  for (const policy of enabled) {
    if (!("validateStack" in policy)) continue;
    const { enforcementLevel, options } = settings(policy);
    for (const { urn: _urn, ...finding } of await validateStack(policy, final, options)) {
      violations.push({
        policy: policy.name,
        enforcementLevel: reported(enforcementLevel),
        ...severityOf(policy),
        ...finding,
      });
    }
  }
  return violations;
}
