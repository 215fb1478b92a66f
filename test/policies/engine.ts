/**
 * Test stand-in for what `@pulumi/policy`'s analyzer server hands a policy: the same proxies around the
 * props (unknown-checking for validations, plus secrets-preserving for remediations), the same
 * `getConfig` and `reportViolation` contracts, and the same serialization of a remediation's result.
 * Built from the library's own (internal) modules so that the tests see exactly what the engine does.
 */
import type {
  PolicyResource,
  PolicyResourceOptions,
  ResourceValidationArgs,
  ResourceValidationPolicy,
  StackValidationPolicy,
} from "@pulumi/policy";
import { Secret } from "@pulumi/policy";
import { MAILBOX_TYPE } from "../../provider/mailbox/engine";

const proxy = require("@pulumi/policy/proxy") as {
  unknownCheckingProxy<T extends object>(props: T): T;
  unknownNumberValue: string;
  unknownStringValue: string;
  unknownBooleanValue: string;
};
const secrets = require("@pulumi/policy/secret") as { secretsPreservingProxy<T extends object>(props: T): T };
const serialization = require("@pulumi/policy/deserialize") as {
  serializeProperties(props: unknown): Promise<Record<string, unknown>>;
};

/** The engine's "unknown during preview" values, by type. */
export const UNKNOWN = {
  number: proxy.unknownNumberValue,
  string: proxy.unknownStringValue,
  boolean: proxy.unknownBooleanValue,
};

/** How a resource is presented to a policy. */
export interface Presented {
  /** Resource name (matched by include/exclude). Default "sales". */
  name?: string;
  /** Type token. Default: the Mailbox token. */
  type?: string;
  /** The policy's config as `getConfig()` returns it. Default `{}`. */
  config?: object;
}

const OPTIONS: PolicyResourceOptions = {
  protect: false,
  ignoreChanges: [],
  aliases: [],
  customTimeouts: { createSeconds: 0, updateSeconds: 0, deleteSeconds: 0 },
  additionalSecretOutputs: [],
};

function args(props: Record<string, unknown>, shown: Presented): ResourceValidationArgs {
  const type = shown.type ?? MAILBOX_TYPE;
  return {
    type,
    name: shown.name ?? "sales",
    urn: `urn:pulumi:dev::p::${type}::${shown.name ?? "sales"}`,
    props,
    opts: OPTIONS,
    stackTags: new Map(),
    isType: () => false,
    asType: () => undefined,
    getConfig: <T extends object>() => (shown.config ?? {}) as T,
    notApplicable: () => {
      throw new Error("notApplicable is not used by these policies");
    },
  };
}

/** Runs a resource policy's validations as `Analyze` does; returns the reported messages. */
export async function validate(
  policy: ResourceValidationPolicy,
  props: Record<string, unknown>,
  shown: Presented = {},
): Promise<string[]> {
  const messages: string[] = [];
  for (const validation of [policy.validateResource ?? []].flat()) {
    await validation(args(proxy.unknownCheckingProxy({ ...props }), shown), (m) => messages.push(m));
  }
  return messages;
}

/**
 * Runs a policy's remediation as `Remediate` does: `pin` arrives as a secret, the props are proxied, and
 * the result goes through the engine's serialization. Returns the serialized props or `undefined`.
 */
export async function remediate(
  policy: ResourceValidationPolicy,
  props: Record<string, unknown>,
  shown: Presented = {},
): Promise<Record<string, unknown> | undefined> {
  const wrapped: Record<string, unknown> = { ...props };
  if (typeof wrapped.pin === "string") wrapped.pin = new Secret(wrapped.pin);
  const presented = proxy.unknownCheckingProxy(secrets.secretsPreservingProxy(wrapped));
  if (!policy.remediateResource) throw new Error(`${policy.name} has no remediation`);
  const result = await policy.remediateResource(args(presented, shown));
  return result ? serialization.serializeProperties(result) : undefined;
}

/** Runs a stack policy as `AnalyzeStack` does; returns `[message, urn]` pairs. */
export async function validateStack(
  policy: StackValidationPolicy,
  resources: { name: string; props: Record<string, unknown>; type?: string }[],
  config: object = {},
): Promise<[string, string | undefined][]> {
  const reported: [string, string | undefined][] = [];
  const presented: PolicyResource[] = resources.map((r) => {
    const type = r.type ?? MAILBOX_TYPE;
    return {
      type,
      name: r.name,
      urn: `urn:pulumi:dev::p::${type}::${r.name}`,
      props: proxy.unknownCheckingProxy({ ...r.props }),
      opts: OPTIONS,
      dependencies: [],
      propertyDependencies: {},
      isType: () => false,
      asType: () => undefined,
    };
  });
  await policy.validateStack(
    {
      resources: presented,
      stackTags: new Map(),
      getConfig: <T extends object>() => config as T,
      notApplicable: () => {
        throw new Error("notApplicable is not used by these policies");
      },
    },
    (message, urn) => reported.push([message, urn]),
  );
  return reported;
}

/** The secret signature the engine's serialization writes for a secret value. */
export function secretOf(value: unknown): Record<string, unknown> {
  const rpc = require("@pulumi/pulumi/runtime/rpc") as { specialSigKey: string; specialSecretSig: string };
  return { [rpc.specialSigKey]: rpc.specialSecretSig, value };
}
