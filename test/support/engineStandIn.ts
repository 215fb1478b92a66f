/**
 * An engine stand-in: a `pulumi.runtime.setMocks` mocks object that replays what Pulumi's engine
 * (v3.248.0, the version this package pins) does with each registration, against a real provider
 * (normally a {@link ProviderHost} over gRPC). Each behaviour names the engine function it copies
 * (`pkg/resource/deploy/…` in pulumi/pulumi at tag v3.248.0); see the test file
 * `test/host/engineSequences.test.ts` for one test per sequence.
 *
 * ## API (kept stable for the benchmark, `test/bench`)
 * - `new EngineStandIn({ provider, project, stack, state?, preview?, registrations?, parallel?,
 *   continueOnError?, parallelDiff?, providerConfig? })`
 * - `newResource(args)`: one registration (`Mocks.newResource`); rejects when it fails or when the
 *   deployment stopped before reaching it (then its URN is in `skipped`, not in `errors`).
 * - `finish(programError?)`: the end of `pulumi up`: deletes (replaced and undeclared resources), unless
 *   the deployment stopped; returns the state. `state()`: the state now, without deleting.
 * - `refresh({ skipPreview? })`: `pulumi refresh` without `--run-program`; `destroy()`: `pulumi destroy`
 *   without `--run-program`. Both use the provider as configured by the caller: the engine configures
 *   it from the config stored in state at the last `up` (`EngineState.config`), see
 *   `Testbed.startHost(state.config)`.
 * - `steps`, `errors`, `skipped`, and `calls` (every provider call, in order, for sequence tests).
 *
 * ## What it replays
 * - **Check and Diff one resource at a time, Check then Diff.** The deployment executor handles one
 *   event at a time (`deploymentExecutor.Execute` → `handleSingleEvent`), and for one registration the
 *   step generator calls Check and then Diff inline before the next event
 *   (`stepGenerator.generateSteps` → `continueStepsFromImport` → `generateStepsFromDiff` → `diff`/
 *   `diffResource`), so the next resource's Check waits for this one's Diff and second Check. Diff moves
 *   to a step worker only with `PULUMI_PARALLEL_DIFF` (`parallelDiff`: `stepGenerator.diff` returns a
 *   `DiffStep`; the rest is a later `ContinueResourceDiffEvent`, again one at a time).
 * - **Steps on `parallel` workers; the hand-off blocks.** Create, Update, Delete and Read run on the
 *   step executor's workers (`stepExecutor.ExecuteSerial`/`executeChain`; `newStepExecutor` starts
 *   `DegreeOfParallelism()` workers; `defaultParallel` in pkg/cmd/pulumi/operations/up.go is
 *   4 × GOMAXPROCS). A resource's steps form one chain, run in order on one worker; the Check of the
 *   next resource overlaps them. `handleSingleEvent` hands the chain over with `ExecuteSerial`, whose
 *   send on `incomingChains` (unbuffered: `make(chan incomingChain)` in `newStepExecutor`) returns only
 *   when a worker takes it: with all workers busy, the generator (and so the next Check) waits.
 * - **Check**: `Check(old inputs, news)` for a known resource, `Check({}, news)` for a new one
 *   (`continueStepsFromImport`). `ignoreChanges` puts the old inputs back *before* Check
 *   (`processIgnoreChanges`, top-level paths).
 * - **Diff**: `Diff(id, old outputs, checked inputs, old inputs)`; `changes: undefined` (DIFF_UNKNOWN)
 *   compares old inputs with the new ones after `ignoreChanges` (`diffResource`). A resource whose last
 *   Create/Update failed to initialise gets an Update even without changes (`continueStepsFromDiff`).
 * - **Replacement is checked twice**: when Diff says replace, `continueStepsFromDiff` calls
 *   `Check({}, the program's inputs)` again (no olds, no `ignoreChanges`); its failures bail.
 * - **Create before delete, or delete before replace**: the `deleteBeforeReplace` resource option, when
 *   set (`deleteBeforeReplaceDefined`), overrides the provider's answer in both directions
 *   (`continueStepsFromDiff`: `if goal.DeleteBeforeReplace != nil`). Delete-before-replace is one chain
 *   [delete old, create new]; otherwise the old is deleted with the other deletes at the end
 *   (`GenerateDeletes`, run in parallel: `ScheduleDeletes` antichains).
 * - **Fail fast**: a Check failure (or a Diff error) bails the whole deployment, preview included
 *   (`result.BailErrorf("resource %s is invalid")`; `Execute` cancels on a step-generator error).
 *   A failed step cancels the rest (`stepExecutor.cancelDueToError` → `cancel()`): chains not started
 *   never start, a chain stops before its next step, no deletes run. With `continueOnError` the
 *   failure is recorded and the rest goes on (dependents are skipped by the program itself, whose
 *   outputs reject), and deletes still run (`performPostSteps`).
 * - **Preview**: nothing is created, updated or deleted. The dynamic provider host does not declare
 *   `supportsPreview`, so `provider.Create`/`Update` (sdk/go/common/resource/plugin/provider_plugin.go)
 *   answer a preview with the checked inputs as outputs, without calling the host.
 * - **Unknowns only in preview**: Check and Diff see the unknown sentinel only when
 *   `AllowUnknowns = DryRun`; in `up` every value is known (the stand-in throws if one is not).
 * - **Refresh** (`pulumi refresh`): previews first (`backend.PreviewThenPromptThenExecute`, unless
 *   `skipPreview`), and each pass is, per resource on a worker, `RefreshStep.Apply`: Read, then (since
 *   3.120, unless `PULUMI_ENABLE_LEGACY_REFRESH_DIFF`) `Diff(id, refreshed outputs, old inputs,
 *   refreshed inputs)`, i.e. the refreshed state as olds and the old inputs as news. A Read or Diff
 *   error fails the refresh. An empty id removes the resource.
 * - **Destroy** (`pulumi destroy`): deletes in parallel; its preview calls nothing (`DeleteStep.Apply`
 *   skips `Delete` when `DryRun`).
 *
 * The state is kept as JSON-able {@link EngineState}: feed a run's state into the next run to get a
 * second `pulumi up`. Secrets stay wrapped with their value in clear where the real engine would
 * encrypt the value; a scan for leaks must therefore skip wrapped values (see `secretScan.ts`).
 * Resources of other providers (components, the stack) are echoed and not stored. Runs inside a
 * program child (see `programRun.ts`), where `setMocks` is plain Node; never inside jest.
 *
 * @example
 * ```ts
 * const engine = new EngineStandIn({ provider: new ProviderClient(port), project: "p", stack: "dev", registrations: log });
 * await pulumi.runtime.setMocks(engine, "p", "dev");
 * require("./index.js");
 * await waitForRPCs();
 * const state = await engine.finish();
 * ```
 */
import { availableParallelism } from "node:os";
import { DEFAULT_SECRET_CONFIG, type DiffResult, type ProviderOperations } from "./providerClient";
import { PropertyMap, PropertyValue, secret, UNKNOWN, unwrapSecrets, wrapSecrets } from "./propertyValues";
import type { Registration, RegistrationLog } from "./registrationLog";
import type { ResourceInitFailure } from "./resourceInitFailure";

/** One resource as the engine stores it. */
export interface StateResource {
  urn: string;
  type: string;
  name: string;
  id: string;
  /** Checked inputs; secret ones wrapped. */
  inputs: PropertyMap;
  /** Outputs; secret ones wrapped. */
  outputs: PropertyMap;
  /** Why the resource failed to initialise, when its last Create or Update said so. */
  initErrors?: string[];
}

/** The engine's state of a stack: what `pulumi stack export` would show, secrets wrapped. */
export interface EngineState {
  resources: StateResource[];
  /**
   * The provider configuration of the last `up` (the default provider's inputs in state, secret keys
   * wrapped as the engine encrypts them): what `pulumi refresh` and `pulumi destroy` without
   * `--run-program` configure the provider with. Read it with {@link storedConfig}.
   */
  config?: PropertyMap;
}

/** What happened to a resource in a run. */
export type StepOp = "create" | "update" | "same" | "replace" | "delete" | "refresh" | "gone";

/** One step of a run, in the order generated. */
export interface Step {
  urn: string;
  op: StepOp;
  /** For replace: the properties the provider said force it. */
  replaces?: string[];
  /** For replace: whether the old resource was deleted first. */
  deleteBeforeReplace?: boolean;
  /** For refresh: whether the refresh Diff found the resource drifted from its inputs. */
  drift?: boolean;
  /** For refresh: whether this was the preview pass. */
  preview?: boolean;
}

/** A registration or step that failed, with what the CLI would print. */
export interface RegistrationError {
  urn: string;
  message: string;
  /** Check failures, when the failure was a Check. */
  failures?: { property: string; reason: string }[];
  /** The reasons, when the resource was created but failed to initialise (it is then in the state). */
  initErrors?: string[];
}

/** One provider call, as sequence tests see it. */
export interface ProviderCall {
  method: "check" | "diff" | "create" | "read" | "update" | "delete";
  urn: string;
  /** For check: whether olds were empty (a new resource, or the second Check of a replacement). */
  emptyOlds?: boolean;
  /** Checks and Diffs already running when this call started (0 when they run one at a time). */
  checksAndDiffsInFlight?: number;
}

/** Options of {@link EngineStandIn}. */
export interface EngineStandInOptions {
  /** The provider to drive. */
  provider: ProviderOperations;
  project: string;
  stack: string;
  /** State of an earlier run; default empty (first deployment). */
  state?: EngineState;
  /** `pulumi preview`: check and diff only; state unchanged. */
  preview?: boolean;
  /**
   * Registrations log, for `additionalSecretOutputs`, `deleteBeforeReplace` and `ignoreChanges`
   * (see `registrationLog.ts`).
   */
  registrations?: RegistrationLog;
  /** Step workers (`--parallel`). Default 4 × available cores, as `defaultParallel`. */
  parallel?: number;
  /** `--continue-on-error`. */
  continueOnError?: boolean;
  /** `PULUMI_PARALLEL_DIFF=true`: Diff on the step workers. */
  parallelDiff?: boolean;
  /** The provider configuration of this run, kept in the state by `up` (see {@link EngineState.config}). */
  providerConfig?: Record<string, string>;
}

/** Arguments `setMocks` passes to `newResource` (structural copy of `MockResourceArgs`). */
export interface NewResourceArgs {
  type: string;
  name: string;
  inputs: Record<string, unknown>;
  provider?: string;
  custom?: boolean;
  id?: string;
}

const DYNAMIC_PREFIX = "pulumi-nodejs:dynamic/";

/** Why a registration failed; `bail` stops the deployment whatever `continueOnError` says. */
class StepFailure extends Error {
  constructor(
    readonly urn: string,
    override readonly cause: unknown,
    readonly bail: boolean,
    readonly failures?: { property: string; reason: string }[],
  ) {
    super(`${urn}: ${messageOf(cause)}`);
  }
}

/** One provider operation of a chain, run on a worker. */
type ChainStep = () => Promise<StateResource | undefined>;

/** A chain a worker has taken; `done` settles when it has run. */
interface Handed {
  done: Promise<StateResource | undefined>;
}

/** The engine stand-in; see the module documentation. */
export class EngineStandIn {
  /** Steps, in the order generated. */
  readonly steps: Step[] = [];
  /** Registrations and steps that failed. */
  readonly errors: RegistrationError[] = [];
  /** URNs registered after the deployment stopped: never checked nor operated on. */
  readonly skipped: string[] = [];
  /** Every provider call, in the order made. */
  readonly calls: ProviderCall[] = [];
  private readonly resources = new Map<string, StateResource>();
  private readonly seen = new Set<string>();
  private readonly pendingDeletes: StateResource[] = [];
  /** The step generator's queue: one event at a time. */
  private generator: Promise<unknown> = Promise.resolve();
  private readonly workers: { free: number; waiting: (() => void)[] };
  /** Set when the deployment stopped (bail or cancellation). */
  private stopped: string | undefined;
  private readonly provider: ProviderOperations;
  private config: PropertyMap | undefined;

  constructor(private readonly options: EngineStandInOptions) {
    this.config = options.state?.config;
    for (const r of options.state?.resources ?? []) this.resources.set(r.urn, r);
    this.workers = { free: options.parallel ?? 4 * availableParallelism(), waiting: [] };
    this.provider = recording(options.provider, this.calls);
  }

  private get preview(): boolean {
    return this.options.preview ?? false;
  }

  /** `Mocks.call`: this project's programs call no provider functions. */
  call(args: { token: string }): Record<string, unknown> {
    throw new Error(`the engine stand-in does not implement invokes (${args.token})`);
  }

  /** `Mocks.newResource`: one registration, handled as `pulumi up` (or preview) would. */
  async newResource(
    args: NewResourceArgs,
  ): Promise<{ id: string | undefined; state: Record<string, unknown> }> {
    if (!args.type.startsWith(DYNAMIC_PREFIX)) {
      return { id: args.custom ? `${args.name}-id` : undefined, state: args.inputs };
    }
    const registration = this.options.registrations?.find(args.type, args.name);
    const urn = registration?.urn ?? this.urnOf(args.type, args.name);
    try {
      const stored = await (await this.generate(urn, args, registration)).done;
      if (!stored) throw new Error(`${urn}: no state after its steps`);
      return { id: stored.id, state: stored.outputs };
    } catch (error) {
      this.fail(urn, error);
      throw error;
    }
  }

  /** Records a failure and stops the deployment unless `continueOnError` lets it go on. */
  private fail(urn: string, error: unknown): void {
    if (error instanceof Cancelled) return;
    const failure = error instanceof StepFailure ? error : new StepFailure(urn, error, false);
    if (!this.errors.some((e) => e.urn === urn)) {
      const initErrors = initFailureOf(failure.cause)?.reasons;
      this.errors.push({
        urn,
        message: messageOf(failure.cause),
        ...(failure.failures ? { failures: failure.failures } : {}),
        ...(initErrors ? { initErrors } : {}),
      });
    }
    if (failure.bail || !this.options.continueOnError) this.stop(failure.message);
  }

  /** `cancel()` of the deployment: nothing new starts (waiting chains give up when they get a worker). */
  private stop(reason: string): void {
    this.stopped ??= reason;
  }

  /** Runs `fn` in the step generator's queue, after every earlier event. */
  private serially<T>(urn: string, fn: () => Promise<T>): Promise<T> {
    const run = this.generator.then(async () => {
      if (this.stopped !== undefined) throw new Cancelled(urn, this.stopped, this.skipped);
      try {
        return await fn();
      } catch (error) {
        this.fail(urn, error); // before the next event: the executor bails at once
        throw error;
      }
    });
    this.generator = run.catch(() => undefined);
    return run;
  }

  /**
   * Waits for a free step worker and takes it. In the generator this is `ExecuteSerial`'s send on the
   * unbuffered `incomingChains`: it returns only once a worker receives the chain.
   */
  private async takeWorker(): Promise<void> {
    // A released worker is handed straight to the next waiting chain.
    if (this.workers.free === 0) await new Promise<void>((wake) => this.workers.waiting.push(wake));
    else this.workers.free--;
  }

  /**
   * Hands `chain` to a worker (blocking until one takes it), then lets it run there without waiting
   * (`handleSingleEvent` → `ExecuteSerial`). Wrapped so that awaiting the hand-off does not await the run.
   */
  private async handOff(urn: string, chain: ChainStep[]): Promise<Handed> {
    await this.takeWorker();
    return { done: this.runChain(urn, chain) };
  }

  /** Takes a worker and runs a chain on it (`ExecuteParallel`'s steps: refresh, deletes). */
  private async onWorker(urn: string, chain: ChainStep[]): Promise<StateResource | undefined> {
    await this.takeWorker();
    return this.runChain(urn, chain);
  }

  /** Runs a chain on the worker taken for it, one step after the other (`executeChain`), then frees it. */
  private async runChain(urn: string, chain: ChainStep[]): Promise<StateResource | undefined> {
    try {
      let last: StateResource | undefined;
      for (const step of chain) {
        if (this.stopped !== undefined) throw new Cancelled(urn, this.stopped, this.skipped);
        try {
          last = await step();
        } catch (error) {
          this.fail(urn, error); // before this worker goes to the next chain (`cancelDueToError`)
          throw error;
        }
      }
      return last;
    } finally {
      const next = this.workers.waiting.shift();
      if (next) next();
      else this.workers.free++;
    }
  }

  /**
   * The step generator's work for one registration, as one event (`generateSteps`): Check, Diff, the
   * second Check, then the hand-off of the chain to a worker. Resolves once a worker took the chain;
   * `done` settles when the chain has run.
   */
  private async generate(
    urn: string,
    args: NewResourceArgs,
    registration: Registration | undefined,
  ): Promise<Handed> {
    const p = this.provider;
    const { values: goal, secretKeys } = unwrapSecrets(args.inputs as PropertyMap);
    if (!this.preview) assertKnown(urn, goal);
    const old = this.resources.get(urn);
    const oldInputs = old ? unwrapSecrets(old.inputs).values : undefined;
    const oldOutputs = old ? unwrapSecrets(old.outputs).values : {};
    const ignore = registration?.ignoreChanges ?? [];
    // processIgnoreChanges: the old values of ignored properties replace the program's before Check.
    const news = oldInputs ? ignoreChanges(goal, oldInputs, ignore) : goal;
    const secretOutputs = new Set([...secretKeys, ...(registration?.additionalSecretOutputs ?? [])]);
    const keep = (inputs: PropertyMap, id: string, outputs: PropertyMap): StateResource => ({
      urn,
      type: args.type,
      name: args.name,
      id,
      inputs: wrapSecrets(inputs, secretKeys),
      outputs: wrapSecrets(outputs, secretOutputs),
    });

    /** `continueStepsFromDiff`: the second Check of a replacement, and the chain to run. */
    const fromDiff = async (
      checked: PropertyMap,
      { replaces, deleteBeforeReplace, changes }: DiffResult,
    ): Promise<ChainStep[]> => {
      if (!old) throw new Error(`${urn}: no old state`);
      if (replaces.length > 0) {
        // The replacement is checked again, as new, with the program's inputs.
        const replacement = await this.check(urn, {}, goal);
        const dbr = registration?.deleteBeforeReplaceDefined
          ? registration.deleteBeforeReplace
          : deleteBeforeReplace;
        this.steps.push({ urn, op: "replace", replaces, deleteBeforeReplace: dbr });
        const create = this.createStep(urn, replacement, keep);
        if (this.preview) return [create];
        if (!dbr) {
          this.pendingDeletes.push(old);
          return [create];
        }
        return [async () => (await this.deleteStep(old), undefined), create];
      }
      const compared =
        changes ?? !sameValue(oldInputs ?? {}, ignoreChanges(checked, oldInputs ?? {}, ignore));
      if (!compared && (old.initErrors ?? []).length === 0) {
        this.steps.push({ urn, op: "same" });
        return [async () => this.store({ ...old, inputs: wrapSecrets(checked, secretKeys) })];
      }
      this.steps.push({ urn, op: "update" });
      if (this.preview) return [async () => keep(checked, old.id, checked)];
      return [
        async () => {
          const updated = await this.keepInitFailed(
            urn,
            p.update(urn, old.id, oldOutputs, checked, oldInputs),
            (failed) => keep(checked, failed.id, failed.properties),
          );
          return this.store(keep(checked, old.id, updated.properties));
        },
      ];
    };

    return this.serially(urn, async () => {
      this.seen.add(urn);
      const checked = await this.check(urn, oldInputs ?? {}, news);
      if (!old) {
        this.steps.push({ urn, op: "create" });
        return this.handOff(urn, [this.createStep(urn, checked, keep)]);
      }
      // A Diff error is a step-generator error: it bails (`continueStepsFromDiff` returns it).
      const diffed = () =>
        p.diff(urn, old.id, oldOutputs, checked, oldInputs).catch((error: unknown) => {
          throw new StepFailure(urn, error, true);
        });
      if (!this.options.parallelDiff) return this.handOff(urn, await fromDiff(checked, await diffed()));
      // PULUMI_PARALLEL_DIFF: the DiffStep goes to a worker; when it is done, the rest is a new event.
      let diff: DiffResult | undefined;
      const diffing = await this.handOff(urn, [async () => ((diff = await diffed()), undefined)]);
      const rest = diffing.done.then(() =>
        this.serially(urn, async () => {
          if (!diff) throw new Error(`${urn}: no diff`);
          return this.handOff(urn, await fromDiff(checked, diff));
        }),
      );
      return { done: rest.then((handed) => handed.done) };
    });
  }

  /** A Check whose failures bail the deployment. */
  private async check(urn: string, olds: PropertyMap, news: PropertyMap): Promise<PropertyMap> {
    let result;
    try {
      result = await this.provider.check(urn, olds, news);
    } catch (error) {
      throw new StepFailure(urn, error, true);
    }
    if (result.failures.length > 0) {
      const message = result.failures.map((f) => `${f.property}: ${f.reason}`).join("; ");
      throw new StepFailure(urn, new Error(`check failed: ${message}`), true, result.failures);
    }
    return result.inputs;
  }

  private createStep(
    urn: string,
    inputs: PropertyMap,
    keep: (inputs: PropertyMap, id: string, outputs: PropertyMap) => StateResource,
  ): ChainStep {
    // provider_plugin.go `Create`: a provider without supportsPreview previews as its checked inputs.
    if (this.preview) return async () => keep(inputs, "", inputs);
    return async () => {
      const created = await this.keepInitFailed(urn, this.provider.create(urn, inputs), (failed) =>
        keep(inputs, failed.id, failed.properties),
      );
      return this.store(keep(inputs, created.id, created.properties));
    };
  }

  private async deleteStep(r: StateResource): Promise<void> {
    const outputs = unwrapSecrets(r.outputs).values;
    await this.provider.delete(r.urn, r.id, outputs, unwrapSecrets(r.inputs).values);
    if (this.resources.get(r.urn) === r) this.resources.delete(r.urn);
  }

  /**
   * A Create or Update whose init failure (the resource exists but failed to initialise) keeps the
   * resource in the state with `initErrors` before failing, as `CreateStep.Apply` does.
   */
  private async keepInitFailed<T>(
    urn: string,
    operation: Promise<T>,
    kept: (failed: ResourceInitFailure) => StateResource,
  ): Promise<T> {
    try {
      return await operation;
    } catch (error) {
      const failed = initFailureOf(error);
      if (failed) this.store({ ...kept(failed), initErrors: failed.reasons });
      throw new StepFailure(urn, error, false);
    }
  }

  /** Records `resource` in the state, unless previewing. */
  private store(resource: StateResource): StateResource {
    if (!this.preview) this.resources.set(resource.urn, resource);
    return resource;
  }

  /**
   * Ends `pulumi up` (`performPostSteps`): unless the deployment stopped (or `programError` says the
   * program failed), deletes in parallel the resources replaced during the run and those the program no
   * longer declares, then returns the state, with this run's provider config.
   */
  async finish(programError?: string): Promise<EngineState> {
    await this.generator;
    if (programError !== undefined) this.stop(programError);
    if (this.stopped === undefined) {
      const gone = [...this.resources.values()].filter((r) => !this.seen.has(r.urn)).reverse();
      for (const r of gone) this.steps.push({ urn: r.urn, op: "delete" });
      if (!this.preview) {
        await Promise.all(
          [...gone, ...this.pendingDeletes.splice(0)].map((r) =>
            this.onWorker(r.urn, [async () => (await this.deleteStep(r), undefined)]).catch((error) =>
              this.fail(r.urn, new StepFailure(r.urn, error, false)),
            ),
          ),
        );
      }
    }
    const config = this.options.providerConfig;
    if (!this.preview && config) {
      this.config = Object.fromEntries(
        Object.entries(config).map(([k, v]) => [k, DEFAULT_SECRET_CONFIG.test(k) ? secret(v) : v]),
      );
    }
    return this.state();
  }

  /**
   * `pulumi refresh` without `--run-program`: a preview pass (unless `skipPreview`), then the real one;
   * see the module documentation. Returns the state.
   */
  async refresh(options: { skipPreview?: boolean } = {}): Promise<EngineState> {
    if (!this.preview && !options.skipPreview) {
      await this.refreshPass(true);
      if (this.stopped !== undefined) return this.state();
    }
    await this.refreshPass(this.preview);
    return this.state();
  }

  private async refreshPass(preview: boolean): Promise<void> {
    const p = this.provider;
    const resources = [...this.resources.values()];
    await Promise.all(
      resources.map((r) =>
        this.onWorker(r.urn, [
          async () => {
            const outputs = unwrapSecrets(r.outputs);
            const inputs = unwrapSecrets(r.inputs);
            const read = await p.read(r.urn, r.id, outputs.values, inputs.values);
            if (!read.id) {
              this.steps.push({ urn: r.urn, op: "gone", ...(preview ? { preview } : {}) });
              if (!preview) this.resources.delete(r.urn);
              return undefined;
            }
            const refreshedInputs = read.inputs ?? inputs.values;
            // RefreshStep.Apply: diffResource(refreshed inputs/outputs as olds, old inputs as news).
            const diff = await p.diff(r.urn, read.id, read.properties, inputs.values, refreshedInputs);
            const drift = diff.changes ?? !sameValue(refreshedInputs, inputs.values);
            this.steps.push({ urn: r.urn, op: "refresh", drift, ...(preview ? { preview } : {}) });
            if (preview) return undefined;
            // A successful read clears init errors, as the refresh step does.
            const { initErrors: _cleared, ...rest } = r;
            return this.store({
              ...rest,
              id: read.id,
              outputs: wrapSecrets(read.properties, outputs.secretKeys),
              inputs: wrapSecrets(refreshedInputs, inputs.secretKeys),
            });
          },
        ]).catch((error) => this.fail(r.urn, error)),
      ),
    );
  }

  /** `pulumi destroy` without `--run-program`: every resource deleted, in parallel. Returns the state. */
  async destroy(): Promise<EngineState> {
    const resources = [...this.resources.values()].reverse();
    for (const r of resources) this.steps.push({ urn: r.urn, op: "delete" });
    if (!this.preview) {
      await Promise.all(
        resources.map((r) =>
          this.onWorker(r.urn, [async () => (await this.deleteStep(r), undefined)]).catch((error) =>
            this.fail(r.urn, error),
          ),
        ),
      );
    }
    return this.state();
  }

  /** The current state (a copy). */
  state(): EngineState {
    const resources = [...this.resources.values()];
    return JSON.parse(
      JSON.stringify({ resources, ...(this.config ? { config: this.config } : {}) }),
    ) as EngineState;
  }

  private urnOf(type: string, name: string): string {
    return `urn:pulumi:${this.options.stack}::${this.options.project}::${type}::${name}`;
  }
}

/** The provider config stored in `state` at the last `up`, in clear, for `Testbed.startHost`. */
export function storedConfig(state: EngineState): Record<string, string> | undefined {
  if (!state.config) return undefined;
  return Object.fromEntries(
    Object.entries(unwrapSecrets(state.config).values).map(([k, v]) => [k, String(v)]),
  );
}

/** A registration the deployment never reached because it had stopped. */
class Cancelled extends Error {
  constructor(urn: string, reason: string, skipped: string[]) {
    super(`${urn}: not deployed: the deployment stopped (${reason})`);
    if (!skipped.includes(urn)) skipped.push(urn);
  }
}

/** The provider, with every call logged and, per call, how many Checks and Diffs were in flight. */
function recording(provider: ProviderOperations, calls: ProviderCall[]): ProviderOperations {
  let checksAndDiffs = 0;
  const logged = <T>(call: ProviderCall, run: () => Promise<T>): Promise<T> => {
    const judging = call.method === "check" || call.method === "diff";
    calls.push({ ...call, checksAndDiffsInFlight: checksAndDiffs });
    if (judging) checksAndDiffs++;
    return run().finally(() => {
      if (judging) checksAndDiffs--;
    });
  };
  return {
    configure: (config, options) => provider.configure(config, options),
    check: (urn, olds, news) =>
      logged({ method: "check", urn, emptyOlds: Object.keys(olds).length === 0 }, () =>
        provider.check(urn, olds, news),
      ),
    diff: (urn, ...rest) => logged({ method: "diff", urn }, () => provider.diff(urn, ...rest)),
    create: (urn, ...rest) => logged({ method: "create", urn }, () => provider.create(urn, ...rest)),
    read: (urn, ...rest) => logged({ method: "read", urn }, () => provider.read(urn, ...rest)),
    update: (urn, ...rest) => logged({ method: "update", urn }, () => provider.update(urn, ...rest)),
    delete: (urn, ...rest) => logged({ method: "delete", urn }, () => provider.delete(urn, ...rest)),
  };
}

/** `processIgnoreChanges` for top-level paths: the old value (or its absence) wins. */
function ignoreChanges(news: PropertyMap, olds: PropertyMap, paths: readonly string[]): PropertyMap {
  if (paths.length === 0) return news;
  const out = { ...news };
  for (const path of paths) {
    if (path in olds) out[path] = olds[path] as PropertyValue;
    else delete out[path];
  }
  return out;
}

/** During `up` the engine never sends an unknown value (`AllowUnknowns: DryRun`). */
function assertKnown(urn: string, inputs: PropertyMap): void {
  const unknown = Object.keys(inputs).filter((k) => inputs[k] === UNKNOWN);
  if (unknown.length > 0) throw new Error(`${urn}: unknown values outside preview: ${unknown.join(", ")}`);
}

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

/** The init failure a provider call failed with, if any (see `ProviderCallError.initFailed`). */
function initFailureOf(error: unknown): ResourceInitFailure | undefined {
  const cause = error instanceof StepFailure ? error.cause : error;
  if (cause === null || typeof cause !== "object" || !("initFailed" in cause)) return undefined;
  return (cause as { initFailed?: ResourceInitFailure }).initFailed;
}

function messageOf(error: unknown): string {
  if (error instanceof StepFailure) return messageOf(error.cause);
  return error instanceof Error ? error.message : String(error);
}
