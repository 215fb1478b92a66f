/**
 * What the engine receives when a program registers a resource, captured at the `RegisterResource`
 * request itself: `setMocks` hands a mocks object only the type, name and deserialized inputs, but
 * the request also carries `additionalSecretOutputs` and the inputs in their wire form (secrets
 * wrapped, `__provider` as a string), which is what the engine stores.
 */
import type { PropertyMap } from "./propertyValues";

/** One `RegisterResource` request as the engine would receive it. */
export interface Registration {
  /** Type token, e.g. `pulumi-nodejs:dynamic/enswitch:Mailbox`. */
  type: string;
  /** Logical name. */
  name: string;
  /** URN the engine assigns (`urn:pulumi:<stack>::<project>::<type>::<name>`, parent types prefixed). */
  urn: string;
  /** Whether a provider manages it (false for components). */
  custom: boolean;
  /** Parent URN, `""` for none. */
  parent: string;
  /** Inputs in wire form: secrets wrapped, `__provider` a string. */
  inputs: PropertyMap;
  /** The `additionalSecretOutputs` resource option. */
  additionalSecretOutputs: string[];
  /** The `deleteBeforeReplace` resource option. */
  deleteBeforeReplace: boolean;
  /** Whether the program set `deleteBeforeReplace` at all (then it overrides the provider's answer). */
  deleteBeforeReplaceDefined: boolean;
  /** The `ignoreChanges` resource option. */
  ignoreChanges: string[];
}

/** The part of a `RegisterResourceRequest` this log reads (typed structurally: no proto import needed). */
interface RegisterResourceRequestLike {
  getType(): string;
  getName(): string;
  getCustom(): boolean;
  getParent(): string;
  getObject(): { toJavaScript(): unknown } | undefined;
  getAdditionalsecretoutputsList(): string[];
  getDeletebeforereplace(): boolean;
  getDeletebeforereplacedefined(): boolean;
  getIgnorechangesList(): string[];
}

/** The shape of `@pulumi/pulumi/runtime/mocks`'s `MockMonitor` class that gets patched. */
export interface MockMonitorClass {
  prototype: { registerResource(req: unknown, callback: unknown): Promise<void> };
}

/**
 * A log of registrations, filled by patching `MockMonitor.prototype.registerResource` of the
 * `@pulumi/pulumi` instance the program uses (load it from the project directory).
 *
 * @example
 * ```ts
 * const log = new RegistrationLog("test", "my-project");
 * log.attach(projectRequire("@pulumi/pulumi/runtime/mocks").MockMonitor);
 * ```
 */
export class RegistrationLog {
  /** Every registration, in order. */
  readonly all: Registration[] = [];

  constructor(
    private readonly stack: string,
    private readonly project: string,
  ) {}

  /** Starts recording; call before `setMocks`. Returns a function that undoes the patch. */
  attach(monitor: MockMonitorClass): () => void {
    const original = monitor.prototype.registerResource;
    // eslint-disable-next-line @typescript-eslint/no-this-alias
    const log = this;
    monitor.prototype.registerResource = function (this: unknown, req: unknown, callback: unknown) {
      log.record(req as RegisterResourceRequestLike);
      return original.call(this, req, callback);
    };
    return () => {
      monitor.prototype.registerResource = original;
    };
  }

  /** The registration of `type`/`name` (the latest, if several). */
  find(type: string, name: string): Registration | undefined {
    for (let i = this.all.length - 1; i >= 0; i--) {
      const r = this.all[i];
      if (r && r.type === type && r.name === name) return r;
    }
    return undefined;
  }

  private record(req: RegisterResourceRequestLike): void {
    const type = req.getType();
    const name = req.getName();
    const parent = req.getParent();
    this.all.push({
      type,
      name,
      urn: this.urnOf(parent, type, name),
      custom: req.getCustom(),
      parent,
      inputs: (req.getObject()?.toJavaScript() ?? {}) as PropertyMap,
      additionalSecretOutputs: req.getAdditionalsecretoutputsList(),
      deleteBeforeReplace: req.getDeletebeforereplace(),
      deleteBeforeReplaceDefined: req.getDeletebeforereplacedefined(),
      ignoreChanges: req.getIgnorechangesList(),
    });
  }

  /** The URN rule of the engine (and of `MockMonitor`). */
  urnOf(parent: string, type: string, name: string): string {
    let qualified = type;
    if (parent) {
      const parentType = (parent.split("::")[2] ?? "").split("$").pop();
      qualified = `${parentType}$${type}`;
    }
    return `urn:pulumi:${this.stack}::${this.project}::${qualified}::${name}`;
  }
}
