/**
 * The engine at fleet scale, in the order Pulumi's engine (v3.248) makes its provider calls, for the
 * benchmark's scenarios (no replacements, no dependencies between mailboxes):
 *
 * - **`pulumi up` / `pulumi preview`**: `deploymentExecutor.Execute` (pkg/resource/deploy/
 *   deployment_executor.go) handles one source event at a time (`handleSingleEvent`); for each
 *   registration `stepGenerator.generateSteps` → `generateResourceSteps` (step_generator.go) calls
 *   `Check`, then for a known resource `stepGenerator.diff` calls `Diff` directly (parallel diff is
 *   off unless `PULUMI_PARALLEL_DIFF`). Check and Diff therefore never overlap, across all resources.
 *   The resulting chain goes to `stepExecutor.ExecuteSerial` (step_executor.go), which hands it over
 *   an unbuffered channel to one of `DegreeOfParallelism()` workers: the generator waits until a
 *   worker is free, then goes on with the next registration while the step (Create, Update) runs.
 *   In a preview, `CreateStep.Apply` / `UpdateStep.Apply` (step.go) make no provider call.
 * - **`pulumi refresh`**: `deploymentExecutor.refresh` makes one `RefreshStep` per resource and runs
 *   them with `ExecuteParallel` on the same workers; `RefreshStep.Apply` (step.go) calls `Read`, then
 *   `Diff` with the refreshed state as old and the stored inputs as new (since 3.120, unless
 *   `PULUMI_ENABLE_LEGACY_REFRESH_DIFF`). The CLI previews first, so a refresh is two passes, each
 *   with its own provider host (a new plugin context per engine run).
 * - **`pulumi destroy`**: one `DeleteStep` per resource, run with `ExecuteParallel`; the preview pass
 *   of `DeleteStep.Apply` makes no provider call, so only the apply pass is driven here.
 * - **Fail-fast**: a failed Check bails the step generator; a failed step makes
 *   `stepExecutor.cancelDueToError` cancel the executor, so no further chain starts (unless
 *   `--continue-on-error`, not modelled). Steps already running finish.
 *
 * The general engine stand-in of the tests is `test/support/engineStandIn.ts`; this one adds the
 * timing model (serial generator, P workers, hand-over) and drops what the benchmark never does.
 */
import type { EngineState, StateResource, Step } from "../support/engineStandIn";
import { PropertyMap, PropertyValue, unwrapSecrets, wrapSecrets } from "../support/propertyValues";
import type { ProviderOperations } from "../support/providerClient";
import type { Registration } from "../support/registrationLog";

/** What one engine pass did. */
export interface PhaseResult {
  /** State after the pass (unchanged by a preview). */
  state: EngineState;
  /** Steps, in completion order. */
  steps: Step[];
  /** Provider RPCs made (Check, Diff, Create, Update, Read, Delete). */
  rpcs: number;
  /** Most Check/Diff RPCs in flight at once (1 on the engine's model). */
  maxSerialInFlight: number;
  /** Most steps in flight at once (at most the parallelism). */
  maxStepsInFlight: number;
}

/** Where and how to run a pass. */
export interface PhaseOptions {
  provider: ProviderOperations;
  /** `--parallel`: the step executor's workers. */
  parallelism: number;
}

/**
 * The step executor's workers: at most `parallelism` steps at once. {@link submit} resolves when a
 * worker has taken the step, as the unbuffered channel of `stepExecutor.ExecuteSerial` does; after a
 * failure nothing more is taken (`cancelDueToError`).
 */
export class StepWorkers {
  private running = 0;
  private readonly waiting: (() => void)[] = [];
  private readonly inFlight = new Set<Promise<void>>();
  /** The first step failure, if any. */
  error: unknown;
  /** Most steps in flight at once. */
  maxInFlight = 0;

  constructor(private readonly parallelism: number) {}

  /** Whether a step failed (the executor's context is cancelled). */
  get cancelled(): boolean {
    return this.error !== undefined;
  }

  /** Waits for a free worker, starts `step` on it and resolves (without waiting for the step to end). */
  async submit(step: () => Promise<void>): Promise<void> {
    while (this.running >= this.parallelism) await new Promise<void>((r) => this.waiting.push(r));
    if (this.cancelled) return;
    this.running++;
    this.maxInFlight = Math.max(this.maxInFlight, this.running);
    const run = step()
      .catch((e: unknown) => {
        this.error ??= e;
      })
      .finally(() => {
        this.running--;
        this.inFlight.delete(run);
        this.waiting.shift()?.();
      });
    this.inFlight.add(run);
  }

  /** Waits for every started step; throws the first failure. */
  async drain(): Promise<void> {
    while (this.inFlight.size > 0) await Promise.all([...this.inFlight]);
    if (this.cancelled) throw this.error;
  }
}

/**
 * Counts RPCs, and how many of the step generator's calls overlap: Check and Diff when `generator`
 * (in `up` and `preview`); in refresh, Diff is part of the refresh step and not counted.
 */
function instrument(
  provider: ProviderOperations,
  generator: boolean,
): {
  provider: ProviderOperations;
  rpcs: () => number;
  maxSerial: () => number;
} {
  let n = 0;
  let serial = 0;
  let maxSerial = 0;
  const count =
    <A extends unknown[], R>(fn: (...args: A) => Promise<R>, generator = false) =>
    async (...args: A): Promise<R> => {
      n++;
      if (!generator) return fn(...args);
      maxSerial = Math.max(maxSerial, ++serial);
      try {
        return await fn(...args);
      } finally {
        serial--;
      }
    };
  return {
    provider: {
      configure: provider.configure.bind(provider),
      check: count(provider.check.bind(provider), generator),
      diff: count(provider.diff.bind(provider), generator),
      create: count(provider.create.bind(provider)),
      read: count(provider.read.bind(provider)),
      update: count(provider.update.bind(provider)),
      delete: count(provider.delete.bind(provider)),
    },
    rpcs: () => n,
    maxSerial: () => maxSerial,
  };
}

/**
 * `pulumi up` (or the preview pass, with `preview: true`) of `registrations` against `state`, on the
 * engine's model (module documentation). Resources of `state` that are not registered are kept (the
 * benchmark never drops any).
 *
 * @throws Error with the first Check failure or step failure, after every started step has ended.
 */
export async function deployFleet(
  options: PhaseOptions & {
    registrations: readonly Registration[];
    state?: EngineState;
    preview?: boolean;
  },
): Promise<PhaseResult> {
  const { provider, rpcs, maxSerial } = instrument(options.provider, true);
  const preview = options.preview ?? false;
  const stored = new Map((options.state?.resources ?? []).map((r) => [r.urn, r]));
  const steps: Step[] = [];
  const workers = new StepWorkers(options.parallelism);
  let bailed: Error | undefined;
  for (const r of options.registrations) {
    if (workers.cancelled) break;
    const { values: news, secretKeys } = unwrapSecrets(r.inputs);
    const secretOutputs = new Set([...secretKeys, ...(r.additionalSecretOutputs ?? [])]);
    const old = stored.get(r.urn);
    const checked = await provider.check(r.urn, old ? unwrapSecrets(old.inputs).values : {}, news);
    if (checked.failures.length > 0) {
      const reasons = checked.failures.map((f) => `${f.property}: ${f.reason}`).join("; ");
      bailed = new Error(`${r.urn}: check failed: ${reasons}`);
      break;
    }
    const keep = (id: string, outputs: PropertyMap): StateResource => ({
      urn: r.urn,
      type: r.type,
      name: r.name,
      id,
      inputs: wrapSecrets(checked.inputs, secretKeys),
      outputs: wrapSecrets(outputs, secretOutputs),
    });
    if (!old) {
      await workers.submit(async () => {
        if (!preview) {
          const created = await provider.create(r.urn, checked.inputs);
          stored.set(r.urn, keep(created.id, created.properties));
        }
        steps.push({ urn: r.urn, op: "create" });
      });
      continue;
    }
    const oldOutputs = unwrapSecrets(old.outputs).values;
    const oldInputs = unwrapSecrets(old.inputs).values;
    const diff = await provider.diff(r.urn, old.id, oldOutputs, checked.inputs, oldInputs);
    if (diff.replaces.length > 0) {
      // Replacement (a second Check, then create and delete) is not among the benchmark's scenarios.
      bailed = new Error(`${r.urn}: the benchmark does not replace resources (${diff.replaces.join(", ")})`);
      break;
    }
    const changed = diff.changes ?? !sameValue(oldInputs, checked.inputs);
    await workers.submit(async () => {
      if (!changed) {
        stored.set(r.urn, { ...old, inputs: wrapSecrets(checked.inputs, secretKeys) });
        steps.push({ urn: r.urn, op: "same" });
        return;
      }
      if (!preview) {
        const updated = await provider.update(r.urn, old.id, oldOutputs, checked.inputs, oldInputs);
        stored.set(r.urn, keep(old.id, updated.properties));
      }
      steps.push({ urn: r.urn, op: "update" });
    });
  }
  await workers.drain();
  if (bailed) throw bailed;
  const state = preview ? (options.state ?? { resources: [] }) : { resources: [...stored.values()] };
  return {
    state,
    steps,
    rpcs: rpcs(),
    maxSerialInFlight: maxSerial(),
    maxStepsInFlight: workers.maxInFlight,
  };
}

/**
 * One pass of `pulumi refresh` (preview or apply): a `RefreshStep` per resource on the workers, each
 * `Read` then `Diff` (refreshed outputs and inputs as old, stored inputs as new). A resource the
 * provider reports gone leaves the state.
 */
export async function refreshFleet(
  options: PhaseOptions & { state: EngineState; preview?: boolean },
): Promise<PhaseResult> {
  const { provider, rpcs, maxSerial } = instrument(options.provider, false);
  const steps: Step[] = [];
  const after = new Map<string, StateResource | undefined>();
  const workers = new StepWorkers(options.parallelism);
  for (const r of options.state.resources) {
    if (workers.cancelled) break;
    await workers.submit(async () => {
      const outputs = unwrapSecrets(r.outputs);
      const inputs = unwrapSecrets(r.inputs);
      const read = await provider.read(r.urn, r.id, outputs.values, inputs.values);
      if (!read.id) {
        steps.push({ urn: r.urn, op: "gone" });
        after.set(r.urn, undefined);
        return;
      }
      const refreshedInputs = read.inputs ?? inputs.values;
      await provider.diff(r.urn, read.id, read.properties, inputs.values, refreshedInputs);
      steps.push({ urn: r.urn, op: "refresh" });
      after.set(r.urn, {
        ...r,
        id: read.id,
        outputs: wrapSecrets(read.properties, outputs.secretKeys),
        inputs: wrapSecrets(refreshedInputs, inputs.secretKeys),
      });
    });
  }
  await workers.drain();
  const resources = options.preview
    ? options.state.resources
    : options.state.resources.flatMap((r) => {
        const next = after.has(r.urn) ? after.get(r.urn) : r;
        return next ? [next] : [];
      });
  return {
    state: { resources },
    steps,
    rpcs: rpcs(),
    maxSerialInFlight: maxSerial(),
    maxStepsInFlight: workers.maxInFlight,
  };
}

/** The apply pass of `pulumi destroy`: a `Delete` per resource (with its stored outputs) on the workers. */
export async function destroyFleet(options: PhaseOptions & { state: EngineState }): Promise<PhaseResult> {
  const { provider, rpcs, maxSerial } = instrument(options.provider, false);
  const steps: Step[] = [];
  const workers = new StepWorkers(options.parallelism);
  for (const r of options.state.resources) {
    if (workers.cancelled) break;
    await workers.submit(async () => {
      await provider.delete(r.urn, r.id, unwrapSecrets(r.outputs).values, unwrapSecrets(r.inputs).values);
      steps.push({ urn: r.urn, op: "delete" });
    });
  }
  await workers.drain();
  return {
    state: { resources: [] },
    steps,
    rpcs: rpcs(),
    maxSerialInFlight: maxSerial(),
    maxStepsInFlight: workers.maxInFlight,
  };
}

/** Deep equality of property values, key order ignored (the engine's comparison when Diff says nothing). */
function sameValue(a: PropertyValue, b: PropertyValue): boolean {
  return JSON.stringify(sortKeys(a)) === JSON.stringify(sortKeys(b));
}

function sortKeys(v: PropertyValue): PropertyValue {
  if (Array.isArray(v)) return v.map(sortKeys);
  if (v !== null && typeof v === "object") {
    const out: Record<string, PropertyValue> = {};
    for (const k of Object.keys(v).sort()) out[k] = sortKeys(v[k] as PropertyValue);
    return out;
  }
  return v;
}
