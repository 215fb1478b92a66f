/**
 * The engine at fleet scale: the harness's {@link EngineStandIn} (check → diff → create/update per
 * resource, secrets handled as the engine does) driven for N resources at once with at most
 * `parallelism` in flight, plus `refresh` (read) and `destroy` (delete) with the same bound.
 *
 * Every Pulumi command starts its own provider host, so each phase here gets a host of its own from
 * the caller; the validation memory of a host therefore lives for one preview or one deployment,
 * exactly as in real use.
 */
import { EngineStandIn, EngineState, StateResource, Step } from "../support/engineStandIn";
import { unwrapSecrets, wrapSecrets } from "../support/propertyValues";
import type { ProviderOperations } from "../support/providerClient";
import type { Registration, RegistrationLog } from "../support/registrationLog";
import { forEachLimited } from "./boundedPool";

/** What one engine phase did. */
export interface PhaseResult {
  /** State after the phase (unchanged by a preview). */
  state: EngineState;
  /** Steps, in completion order. */
  steps: Step[];
  /** Provider RPCs made (Check, Diff, Create, Update, Read, Delete). */
  rpcs: number;
}

/** Where and how to run a phase. */
export interface PhaseOptions {
  provider: ProviderOperations;
  project: string;
  stack: string;
  parallelism: number;
  /**
   * Model of Pulumi's step generator, which calls `Check` for one registration at a time
   * (pulumi/pulumi#3302): `Check` calls never overlap, whatever the parallelism. Default false: every
   * RPC of a resource runs within the parallelism bound, as the benchmark's brief has it.
   */
  serialCheck?: boolean;
}

/** An RPC counter around a provider; with `serialCheck`, `Check` calls also wait for each other. */
function counting(
  provider: ProviderOperations,
  serialCheck = false,
): { provider: ProviderOperations; count: () => number } {
  let n = 0;
  let checks: Promise<unknown> = Promise.resolve();
  const check: ProviderOperations["check"] = (...args) => {
    const result = checks.then(() => provider.check(...args));
    checks = result.catch(() => undefined);
    return result;
  };
  const count = <A extends unknown[], R>(fn: (...args: A) => Promise<R>) =>
    ((...args: A) => {
      n++;
      return fn(...args);
    }) as (...args: A) => Promise<R>;
  return {
    provider: {
      configure: provider.configure.bind(provider),
      check: count(serialCheck ? check : provider.check.bind(provider)),
      diff: count(provider.diff.bind(provider)),
      create: count(provider.create.bind(provider)),
      read: count(provider.read.bind(provider)),
      update: count(provider.update.bind(provider)),
      delete: count(provider.delete.bind(provider)),
    },
    count: () => n,
  };
}

/**
 * `pulumi up` (or `pulumi preview` with `preview: true`) of `registrations` against `state`: every
 * resource registered at once, at most `parallelism` of them between their first RPC and their last.
 * Resources of `state` that are not registered are left alone (the benchmark never drops any).
 *
 * @throws Error with the first registration error (a benchmark must not measure failures).
 */
export async function deployFleet(
  options: PhaseOptions & {
    registrations: readonly Registration[];
    log: RegistrationLog;
    state?: EngineState;
    preview?: boolean;
  },
): Promise<PhaseResult> {
  const { provider, count } = counting(options.provider, options.serialCheck);
  const engine = new EngineStandIn({
    provider,
    project: options.project,
    stack: options.stack,
    state: options.state,
    preview: options.preview,
    registrations: options.log,
  });
  const errors = await forEachLimited(options.registrations, options.parallelism, async (r) => {
    await engine.newResource({ type: r.type, name: r.name, inputs: r.inputs, custom: true });
  });
  if (errors.length > 0 || engine.errors.length > 0) {
    const first = engine.errors[0]?.message ?? String(errors[0]);
    throw new Error(`${errors.length || engine.errors.length} registrations failed; first: ${first}`);
  }
  const state = options.preview ? (options.state ?? { resources: [] }) : engine.state();
  return { state, steps: engine.steps, rpcs: count() };
}

/** `pulumi refresh`: `Read` of every resource, at most `parallelism` at once. */
export async function refreshFleet(options: PhaseOptions & { state: EngineState }): Promise<PhaseResult> {
  const { provider, count } = counting(options.provider);
  const steps: Step[] = [];
  const after = new Map<string, StateResource | undefined>();
  const errors = await forEachLimited(options.state.resources, options.parallelism, async (r) => {
    const outputs = unwrapSecrets(r.outputs);
    const inputs = unwrapSecrets(r.inputs);
    const read = await provider.read(r.urn, r.id, outputs.values, inputs.values);
    if (!read.id) {
      steps.push({ urn: r.urn, op: "gone" });
      after.set(r.urn, undefined);
      return;
    }
    steps.push({ urn: r.urn, op: "refresh" });
    after.set(r.urn, {
      ...r,
      id: read.id,
      outputs: wrapSecrets(read.properties, outputs.secretKeys),
      inputs: read.inputs ? wrapSecrets(read.inputs, inputs.secretKeys) : r.inputs,
    });
  });
  if (errors.length > 0) throw new Error(`${errors.length} reads failed; first: ${String(errors[0])}`);
  const resources = options.state.resources.flatMap((r) => {
    const next = after.get(r.urn);
    return next ? [next] : [];
  });
  return { state: { resources }, steps, rpcs: count() };
}

/** `pulumi destroy`: `Delete` of every resource (with its stored outputs), at most `parallelism` at once. */
export async function destroyFleet(options: PhaseOptions & { state: EngineState }): Promise<PhaseResult> {
  const { provider, count } = counting(options.provider);
  const steps: Step[] = [];
  const errors = await forEachLimited(options.state.resources, options.parallelism, async (r) => {
    await provider.delete(r.urn, r.id, unwrapSecrets(r.outputs).values, unwrapSecrets(r.inputs).values);
    steps.push({ urn: r.urn, op: "delete" });
  });
  if (errors.length > 0) throw new Error(`${errors.length} deletes failed; first: ${String(errors[0])}`);
  return { state: { resources: [] }, steps, rpcs: count() };
}
