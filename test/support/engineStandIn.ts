/**
 * An engine stand-in: a `pulumi.runtime.setMocks` mocks object that does what `pulumi up` does with
 * each registration, against a real provider (normally a {@link ProviderHost} over gRPC).
 *
 * Per dynamic resource (`pulumi-nodejs:dynamic/...`):
 * 1. unwrap secrets (the host does not accept them) and remember which inputs were secret;
 * 2. `Check(stored inputs or {}, news)`; failures fail the registration, as they fail `pulumi up`;
 * 3. new URN → `Create`; known URN → `Diff(id, stored outputs, checked)`:
 *    `changes: false` → same; `replaces` → create the replacement, delete the old one at the end
 *    (or first, with `deleteBeforeReplace`); `changes: undefined` → compare inputs as the engine does;
 *    otherwise `Update(id, stored outputs, checked)`;
 * 4. store `{id, inputs, outputs}`; outputs whose input was secret or that are listed in
 *    `additionalSecretOutputs` are stored and returned secret-wrapped.
 *
 * A Create or Update that fails with an init failure (`ProviderCallError.initFailed`: the resource
 * exists but failed to initialise) fails the registration, but the resource is stored as the engine
 * stores it: with the id and outputs the provider sent and `initErrors`. On the next run such a resource
 * gets an Update after its Diff even when the Diff finds no change, as the engine's step generator does
 * ("if resource was unchanged, but there were initialization errors, generate an empty update step",
 * pkg/resource/deploy/step_generator.go); a successful Update clears `initErrors`.
 * {@link EngineStandIn.finish} then deletes what the program no longer declares (and the replaced
 * resources) and returns the final state. In preview mode nothing is created, updated or deleted.
 *
 * The state is kept as JSON-able {@link EngineState}: feed a run's state into the next run to get a
 * second `pulumi up`. Secrets stay wrapped with their value in clear where the real engine would
 * encrypt the value; a scan for leaks must therefore skip wrapped values (see `secretScan.ts`).
 * Resources of other providers (components, the stack) are echoed and not stored.
 *
 * Runs inside a program child (see `programRun.ts`), where `setMocks` is plain Node; never inside jest.
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
import type { ProviderOperations } from "./providerClient";
import { PropertyMap, PropertyValue, unwrapSecrets, wrapSecrets } from "./propertyValues";
import type { RegistrationLog } from "./registrationLog";
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
}

/** What happened to a resource in a run. */
export type StepOp = "create" | "update" | "same" | "replace" | "delete" | "refresh" | "gone";

/** One step of a run, in the order performed. */
export interface Step {
  urn: string;
  op: StepOp;
  /** For replace: the properties the provider said force it. */
  replaces?: string[];
}

/** A registration that failed, with what `pulumi up` would print. */
export interface RegistrationError {
  urn: string;
  message: string;
  /** Check failures, when the failure was a Check. */
  failures?: { property: string; reason: string }[];
  /** The reasons, when the resource was created but failed to initialise (it is then in the state). */
  initErrors?: string[];
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
  /** Registrations log, for `additionalSecretOutputs` and `deleteBeforeReplace` (see `registrationLog.ts`). */
  registrations?: RegistrationLog;
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

/** The engine stand-in; see the module documentation. */
export class EngineStandIn {
  /** Steps performed, in order. */
  readonly steps: Step[] = [];
  /** Registrations that failed. */
  readonly errors: RegistrationError[] = [];
  private readonly resources = new Map<string, StateResource>();
  private readonly seen = new Set<string>();
  private readonly pendingDeletes: StateResource[] = [];

  constructor(private readonly options: EngineStandInOptions) {
    for (const r of options.state?.resources ?? []) this.resources.set(r.urn, r);
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
      const stored = await this.deploy(
        urn,
        args,
        registration?.additionalSecretOutputs ?? [],
        registration?.deleteBeforeReplace ?? false,
      );
      return { id: stored.id, state: stored.outputs };
    } catch (error) {
      if (!this.errors.some((e) => e.urn === urn)) {
        const initErrors = initFailureOf(error)?.reasons;
        this.errors.push({ urn, message: messageOf(error), ...(initErrors ? { initErrors } : {}) });
      }
      throw error;
    }
  }

  private async deploy(
    urn: string,
    args: NewResourceArgs,
    additionalSecretOutputs: string[],
    deleteBeforeReplace: boolean,
  ): Promise<StateResource> {
    const p = this.options.provider;
    this.seen.add(urn);
    const { values: news, secretKeys } = unwrapSecrets(args.inputs as PropertyMap);
    const old = this.resources.get(urn);
    const checked = await p.check(urn, old ? unwrapSecrets(old.inputs).values : {}, news);
    if (checked.failures.length > 0) {
      const message = checked.failures.map((f) => `${f.property}: ${f.reason}`).join("; ");
      this.errors.push({ urn, message, failures: checked.failures });
      throw new Error(`${urn}: check failed: ${message}`);
    }
    const secretOutputs = new Set([...secretKeys, ...additionalSecretOutputs]);
    const keep = (id: string, outputs: PropertyMap): StateResource => ({
      urn,
      type: args.type,
      name: args.name,
      id,
      inputs: wrapSecrets(checked.inputs, secretKeys),
      outputs: wrapSecrets(outputs, secretOutputs),
    });
    const preview = this.options.preview ?? false;
    /** Runs a Create or Update; an init failure stores the resource before failing the registration. */
    const keepInitFailed = async <T>(operation: Promise<T>): Promise<T> => {
      try {
        return await operation;
      } catch (error) {
        const failed = initFailureOf(error);
        if (failed) this.store({ ...keep(failed.id, failed.properties), initErrors: failed.reasons });
        throw error;
      }
    };

    if (!old) {
      this.steps.push({ urn, op: "create" });
      if (preview) return keep("", checked.inputs);
      const created = await keepInitFailed(p.create(urn, checked.inputs));
      return this.store(keep(created.id, created.properties));
    }

    const oldOutputs = unwrapSecrets(old.outputs).values;
    const oldInputs = unwrapSecrets(old.inputs).values;
    const diff = await p.diff(urn, old.id, oldOutputs, checked.inputs, oldInputs);
    if (diff.replaces.length > 0) {
      this.steps.push({ urn, op: "replace", replaces: diff.replaces });
      if (preview) return keep("", checked.inputs);
      if (diff.deleteBeforeReplace || deleteBeforeReplace) {
        await p.delete(urn, old.id, oldOutputs, oldInputs);
      } else {
        this.pendingDeletes.push(old);
      }
      const created = await keepInitFailed(p.create(urn, checked.inputs));
      return this.store(keep(created.id, created.properties));
    }
    const hasInitErrors = (old.initErrors ?? []).length > 0;
    const changed = (diff.changes ?? !sameValue(oldInputs, checked.inputs)) || hasInitErrors;
    if (!changed) {
      this.steps.push({ urn, op: "same" });
      return this.store({ ...old, inputs: wrapSecrets(checked.inputs, secretKeys) });
    }
    this.steps.push({ urn, op: "update" });
    if (preview) return keep(old.id, { ...oldOutputs, ...checked.inputs });
    const updated = await keepInitFailed(p.update(urn, old.id, oldOutputs, checked.inputs, oldInputs));
    return this.store(keep(old.id, updated.properties));
  }

  /** Records `resource` in the state, unless previewing. */
  private store(resource: StateResource): StateResource {
    if (!this.options.preview) this.resources.set(resource.urn, resource);
    return resource;
  }

  /**
   * Ends the run as the engine ends `pulumi up`: deletes resources replaced during the run and those
   * in the state that the program did not register, then returns the state. Call after the program's
   * registrations have settled.
   */
  async finish(): Promise<EngineState> {
    const p = this.options.provider;
    const preview = this.options.preview ?? false;
    const gone = [...this.resources.values()].filter((r) => !this.seen.has(r.urn)).reverse();
    for (const r of gone) {
      this.steps.push({ urn: r.urn, op: "delete" });
      if (preview) continue;
      await p.delete(r.urn, r.id, unwrapSecrets(r.outputs).values, unwrapSecrets(r.inputs).values);
      this.resources.delete(r.urn);
    }
    if (!preview) {
      for (const r of this.pendingDeletes.splice(0)) {
        await p.delete(r.urn, r.id, unwrapSecrets(r.outputs).values, unwrapSecrets(r.inputs).values);
      }
    }
    return this.state();
  }

  /**
   * `pulumi refresh`: `Read` every stored resource; a resource the provider reports gone leaves the
   * state, others take the outputs (and inputs, when returned) the provider read. Secret outputs stay
   * secret.
   */
  async refresh(): Promise<EngineState> {
    for (const r of [...this.resources.values()]) {
      const outputs = unwrapSecrets(r.outputs);
      const inputs = unwrapSecrets(r.inputs);
      const read = await this.options.provider.read(r.urn, r.id, outputs.values, inputs.values);
      if (!read.id) {
        this.steps.push({ urn: r.urn, op: "gone" });
        this.resources.delete(r.urn);
        continue;
      }
      this.steps.push({ urn: r.urn, op: "refresh" });
      // A successful read clears init errors, as the engine's refresh step does.
      const { initErrors: _cleared, ...rest } = r;
      this.resources.set(r.urn, {
        ...rest,
        id: read.id,
        outputs: wrapSecrets(read.properties, outputs.secretKeys),
        inputs: read.inputs ? wrapSecrets(read.inputs, inputs.secretKeys) : r.inputs,
      });
    }
    return this.state();
  }

  /** The current state (a copy). */
  state(): EngineState {
    return JSON.parse(JSON.stringify({ resources: [...this.resources.values()] })) as EngineState;
  }

  private urnOf(type: string, name: string): string {
    return `urn:pulumi:${this.options.stack}::${this.options.project}::${type}::${name}`;
  }
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
  if (error === null || typeof error !== "object" || !("initFailed" in error)) return undefined;
  return (error as { initFailed?: ResourceInitFailure }).initFailed;
}

function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
