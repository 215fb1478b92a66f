/**
 * The engine at fleet scale: the harness's {@link EngineStandIn}, which replays Pulumi's engine
 * (v3.248; see its module documentation for the functions each behaviour copies), driven with a
 * whole fleet:
 *
 * - **`pulumi up` / `pulumi preview`**: every mailbox registered at once, as a program registers its
 *   resources; the stand-in checks and diffs one resource at a time (`deploymentExecutor.Execute` →
 *   `handleSingleEvent`, `stepGenerator.generateSteps`) and runs each resource's steps on `parallel`
 *   workers (`stepExecutor`, `newStepExecutor`: `DegreeOfParallelism()` workers). In a preview, no
 *   step calls the provider.
 * - **`pulumi refresh`**: a preview pass, then the apply pass (`backend.PreviewThenPromptThenExecute`),
 *   each an engine run of its own (and so, in the CLI, a provider host of its own); each pass runs
 *   `RefreshStep.Apply` per resource on the workers: Read, then Diff with the refreshed state as old.
 * - **`pulumi destroy`**: its preview calls nothing (`DeleteStep.Apply` skips Delete when DryRun); the
 *   apply pass deletes on the workers.
 * - **Fail-fast**: a failed Check bails; a failed step cancels what has not started
 *   (`stepExecutor.cancelDueToError`). A benchmark pass that fails throws the first error.
 *
 * Around the provider it counts the RPCs and how many of the step generator's calls (Check and Diff in
 * `up` and `preview`) were ever in flight at once: 1, independently of the stand-in's own bookkeeping.
 */
import { EngineStandIn, EngineState, Step } from "../support/engineStandIn";
import type { ProviderOperations } from "../support/providerClient";
import { Registration, RegistrationLog } from "../support/registrationLog";

/** What one engine pass did. */
export interface PhaseResult {
  /** State after the pass (unchanged by a preview). */
  state: EngineState;
  /** Steps, in the order generated. */
  steps: Step[];
  /** Provider RPCs made (Check, Diff, Create, Update, Read, Delete). */
  rpcs: number;
  /** Most Check/Diff RPCs of the step generator in flight at once (1 on the engine's model). */
  maxSerialInFlight: number;
  /** Most step RPCs (Create, Update, Read, Delete, and Diff in refresh) in flight at once. */
  maxStepsInFlight: number;
}

/** Where and how to run a pass. */
export interface PhaseOptions {
  provider: ProviderOperations;
  /** `--parallel`: the step executor's workers. */
  parallelism: number;
  project?: string;
  stack?: string;
}

/**
 * Counts RPCs, and how many of the step generator's calls overlap (Check and Diff when `generator`,
 * i.e. in `up` and `preview`; in refresh, Diff belongs to the refresh step) and how many step calls do.
 */
function instrument(
  provider: ProviderOperations,
  generator: boolean,
): {
  provider: ProviderOperations;
  result: (state: EngineState, steps: Step[]) => PhaseResult;
} {
  let n = 0;
  const inFlight = { serial: 0, steps: 0 };
  const max = { serial: 0, steps: 0 };
  const count =
    <A extends unknown[], R>(fn: (...args: A) => Promise<R>, kind: "serial" | "steps") =>
    async (...args: A): Promise<R> => {
      n++;
      max[kind] = Math.max(max[kind], ++inFlight[kind]);
      try {
        return await fn(...args);
      } finally {
        inFlight[kind]--;
      }
    };
  const ofGenerator = generator ? "serial" : "steps";
  return {
    provider: {
      configure: provider.configure.bind(provider),
      check: count(provider.check.bind(provider), ofGenerator),
      diff: count(provider.diff.bind(provider), ofGenerator),
      create: count(provider.create.bind(provider), "steps"),
      read: count(provider.read.bind(provider), "steps"),
      update: count(provider.update.bind(provider), "steps"),
      delete: count(provider.delete.bind(provider), "steps"),
    },
    result: (state, steps) => ({
      state,
      steps,
      rpcs: n,
      maxSerialInFlight: max.serial,
      maxStepsInFlight: max.steps,
    }),
  };
}

/** A stand-in for one engine run. */
function standIn(
  options: PhaseOptions & { state?: EngineState; preview?: boolean; registrations?: readonly Registration[] },
  provider: ProviderOperations,
): EngineStandIn {
  const project = options.project ?? "bench";
  const stack = options.stack ?? "bench";
  const log = new RegistrationLog(stack, project);
  log.all.push(...(options.registrations ?? []));
  return new EngineStandIn({
    provider,
    project,
    stack,
    state: options.state,
    preview: options.preview,
    registrations: log,
    parallel: options.parallelism,
  });
}

/** Throws the first failure of a run, as the CLI reports it. */
function throwFirst(engine: EngineStandIn, what: string): void {
  const first = engine.errors[0];
  if (first)
    throw new Error(`${what} failed (${engine.errors.length} errors); first: ${first.urn}: ${first.message}`);
}

/**
 * `pulumi up` (or the preview pass, with `preview: true`) of `registrations` against `state`: every
 * registration at once, as a program makes them.
 *
 * @throws Error with the first failure (a Check bails, a step cancels the rest).
 */
export async function deployFleet(
  options: PhaseOptions & {
    registrations: readonly Registration[];
    state?: EngineState;
    preview?: boolean;
  },
): Promise<PhaseResult> {
  const { provider, result } = instrument(options.provider, true);
  const engine = standIn(options, provider);
  await Promise.allSettled(
    options.registrations.map((r) =>
      engine.newResource({ type: r.type, name: r.name, inputs: r.inputs, custom: true }),
    ),
  );
  throwFirst(engine, options.preview ? "preview" : "up");
  const state = await engine.finish();
  throwFirst(engine, "up");
  return result(options.preview ? (options.state ?? { resources: [] }) : state, engine.steps);
}

/** One pass of `pulumi refresh`: the preview pass with `preview: true`, else the apply pass. */
export async function refreshFleet(
  options: PhaseOptions & { state: EngineState; preview?: boolean },
): Promise<PhaseResult> {
  const { provider, result } = instrument(options.provider, false);
  const engine = standIn(options, provider);
  const state = await engine.refresh({ skipPreview: true });
  throwFirst(engine, "refresh");
  return result(options.preview ? options.state : state, engine.steps);
}

/** The apply pass of `pulumi destroy` (its preview calls nothing). */
export async function destroyFleet(options: PhaseOptions & { state: EngineState }): Promise<PhaseResult> {
  const { provider, result } = instrument(options.provider, false);
  const engine = standIn(options, provider);
  const state = await engine.destroy();
  throwFirst(engine, "destroy");
  return result(state, engine.steps);
}
