/**
 * The structured form of this library's policies, kept beside the `@pulumi/policy` objects: it lets
 * `evaluatePolicies` get each finding with its property (`reportViolation` takes only a message) and
 * validate options before running anything.
 */
import type { Policy } from "@pulumi/policy";
import type { Finding, ResourceFinding } from "./finding";

/** A resource given to a stack rule. */
export interface StackResource {
  /** The resource's name. */
  name: string;
  /** The resource's URN (empty outside the engine). */
  urn: string;
  /** Its props (outputs during `AnalyzeStack`). */
  props: object;
}

/** The structured form of one of this library's policies. */
export type StructuredPolicy = {
  /** Throws PolicyConfigError when the given options cannot be used. */
  validateOptions(given: object): void;
} & (
  | {
      kind: "resource";
      /** The findings for one mailbox; `[]` when out of scope or not a mailbox. */
      check(type: string, name: string, props: object, options: object): Finding[];
      /** The remediated props, or `undefined` when nothing changes. */
      remediate?(
        type: string,
        name: string,
        props: object,
        options: object,
      ): Record<string, unknown> | undefined;
    }
  | {
      kind: "stack";
      /** The findings for all mailboxes of a stack. */
      check(resources: readonly (StackResource & { type: string })[], options: object): ResourceFinding[];
    }
);

const registry = new WeakMap<Policy, StructuredPolicy>();

/** Records the structured form of a policy built by this library. */
export function registerStructured(policy: Policy, structured: StructuredPolicy): void {
  registry.set(policy, structured);
}

/** The structured form of a policy built by this library, or `undefined` for any other policy. */
export function structuredOf(policy: Policy): StructuredPolicy | undefined {
  return registry.get(policy);
}
