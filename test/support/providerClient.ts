/**
 * A gRPC client of a resource provider, with the engine's manners: every call takes plain property
 * maps, secrets are unwrapped before they leave (the dynamic provider host answers
 * `acceptSecrets=false`, so the engine never sends it a wrapped secret), and answers come back as
 * plain maps.
 *
 * `ProviderHost` (which starts the host process) is the usual way to get one; connect directly with
 * `new ProviderClient(port)` to a host someone else started (e.g. from a program child).
 */
import * as grpc from "@grpc/grpc-js";
import { ResourceProviderClient } from "@pulumi/pulumi/proto/provider_grpc_pb";
import * as proto from "@pulumi/pulumi/proto/provider_pb";
import { fromStruct, PropertyMap, secret, toStruct, unwrapDeep } from "./propertyValues";
import { initFailureOf, ResourceInitFailure } from "./resourceInitFailure";

/** Result of `Check`. */
export interface CheckResult {
  /** The inputs the provider will be called with (defaults applied), `__provider` included. */
  inputs: PropertyMap;
  /** Per-property failures; any failure blocks the operation. */
  failures: { property: string; reason: string }[];
}

/** Result of `Diff`. `changes` is `undefined` when the provider left the comparison to the engine. */
export interface DiffResult {
  changes: boolean | undefined;
  replaces: string[];
  deleteBeforeReplace: boolean;
}

/** Result of `Read`. An empty `id` means the resource is gone. */
export interface ReadResult {
  id: string;
  properties: PropertyMap;
  /** The inputs the provider wants stored after a refresh, when it returned any. */
  inputs: PropertyMap | undefined;
}

/** The provider operations the engine performs, as promises. */
export interface ProviderOperations {
  configure(
    config: Record<string, string>,
    options?: { secretKeys?: string[] },
  ): Promise<{ acceptSecrets: boolean }>;
  check(urn: string, olds: PropertyMap, news: PropertyMap): Promise<CheckResult>;
  diff(
    urn: string,
    id: string,
    olds: PropertyMap,
    news: PropertyMap,
    oldInputs?: PropertyMap,
  ): Promise<DiffResult>;
  create(urn: string, properties: PropertyMap): Promise<{ id: string; properties: PropertyMap }>;
  read(urn: string, id: string, properties: PropertyMap, inputs?: PropertyMap): Promise<ReadResult>;
  update(
    urn: string,
    id: string,
    olds: PropertyMap,
    news: PropertyMap,
    oldInputs?: PropertyMap,
  ): Promise<{ properties: PropertyMap }>;
  delete(urn: string, id: string, properties: PropertyMap, oldInputs?: PropertyMap): Promise<void>;
}

/**
 * A provider call that failed; `details` is the message the provider sent (what the user would see).
 * `initFailed` is set when the provider created the resource but it failed to initialise (the engine
 * then keeps it in state: see `resourceInitFailure.ts`).
 */
export class ProviderCallError extends Error {
  constructor(
    /** The RPC, e.g. `Create`. */
    readonly method: string,
    /** gRPC status code. */
    readonly code: number,
    /** The provider's message. */
    readonly details: string,
    /** The resource that exists despite the failure, when the provider said so. */
    readonly initFailed?: ResourceInitFailure,
  ) {
    super(`${method} failed: ${details}`);
    this.name = "ProviderCallError";
  }
}

/** `urn:pulumi:<stack>::<project>::<type>::<name>` → type and name (the engine sends both). */
export function splitUrn(urn: string): { type: string; name: string } {
  const parts = urn.split("::");
  const qualifiedType = parts[2] ?? "";
  return { type: qualifiedType.split("$").pop() ?? "", name: parts.slice(3).join("::") };
}

/** Default config keys sent wrapped as secrets by {@link ProviderClient.configure}. */
export const DEFAULT_SECRET_CONFIG = /password|secret|token|connections/i;

/** Milliseconds one RPC may take before it fails instead of hanging the test. */
const DEFAULT_DEADLINE_MS = 30_000;

type Unary<Req, Res> = (
  request: Req,
  metadata: grpc.Metadata,
  options: Partial<grpc.CallOptions>,
  callback: (error: grpc.ServiceError | null, response: Res) => void,
) => grpc.ClientUnaryCall;

/**
 * A connected provider client.
 *
 * @example
 * ```ts
 * const client = new ProviderClient(port);
 * await client.configure({ "enswitch:url": url, "enswitch:username": "admin", "enswitch:password": "admin" });
 * const { inputs, failures } = await client.check(urn, {}, news);
 * client.close();
 * ```
 */
export class ProviderClient implements ProviderOperations {
  private readonly rpc: ResourceProviderClient;
  /** The config of the last `configure` (what the engine would keep in state at `up`). */
  configured: Record<string, string> | undefined;

  constructor(
    /** The host's port on 127.0.0.1. */
    readonly port: number,
    private readonly deadlineMs: number = DEFAULT_DEADLINE_MS,
  ) {
    this.rpc = new ResourceProviderClient(`127.0.0.1:${port}`, grpc.credentials.createInsecure());
  }

  private call<Req, Res>(method: string, fn: Unary<Req, Res>, request: Req): Promise<Res> {
    return new Promise((resolve, reject) => {
      const deadline = new Date(Date.now() + this.deadlineMs);
      fn.call(this.rpc, request, new grpc.Metadata(), { deadline }, (error, response) => {
        if (error) {
          const details = error.details || error.message;
          reject(new ProviderCallError(method, error.code, details, initFailureOf(error.metadata)));
        } else resolve(response);
      });
    });
  }

  /**
   * `Configure` with stack config (`"enswitch:url"` → value). Keys matching `secretKeys` (default
   * {@link DEFAULT_SECRET_CONFIG}) travel wrapped as secrets, as the engine sends secret config.
   */
  async configure(
    config: Record<string, string>,
    options: { secretKeys?: string[] } = {},
  ): Promise<{ acceptSecrets: boolean }> {
    this.configured = { ...config };
    const isSecretKey = (k: string) =>
      options.secretKeys ? options.secretKeys.includes(k) : DEFAULT_SECRET_CONFIG.test(k);
    const req = new proto.ConfigureRequest();
    const args: PropertyMap = {};
    for (const [k, v] of Object.entries(config)) {
      req.getVariablesMap().set(k, v);
      args[k] = isSecretKey(k) ? secret(v) : v;
    }
    req.setArgs(toStruct(args));
    req.setAcceptsecrets(true);
    req.setAcceptresources(true);
    const res = await this.call(
      "Configure",
      this.rpc.configure as Unary<proto.ConfigureRequest, proto.ConfigureResponse>,
      req,
    );
    return { acceptSecrets: res.getAcceptsecrets() };
  }

  /** `Check(olds, news)`: `olds` are the stored inputs (`{}` for a new resource). */
  async check(urn: string, olds: PropertyMap, news: PropertyMap): Promise<CheckResult> {
    const req = addressed(new proto.CheckRequest(), urn).setOlds(struct(olds)).setNews(struct(news));
    const res = await this.call(
      "Check",
      this.rpc.check as Unary<proto.CheckRequest, proto.CheckResponse>,
      req,
    );
    return {
      inputs: fromStruct(res.getInputs()),
      failures: res.getFailuresList().map((f) => ({ property: f.getProperty(), reason: f.getReason() })),
    };
  }

  /** `Diff(id, olds, news)`: `olds` are the stored outputs, `news` the checked inputs. */
  async diff(
    urn: string,
    id: string,
    olds: PropertyMap,
    news: PropertyMap,
    oldInputs?: PropertyMap,
  ): Promise<DiffResult> {
    const req = addressed(new proto.DiffRequest(), urn).setId(id).setOlds(struct(olds)).setNews(struct(news));
    if (oldInputs) req.setOldInputs(struct(oldInputs));
    const res = await this.call("Diff", this.rpc.diff as Unary<proto.DiffRequest, proto.DiffResponse>, req);
    const changes = res.getChanges();
    return {
      changes:
        changes === proto.DiffResponse.DiffChanges.DIFF_SOME
          ? true
          : changes === proto.DiffResponse.DiffChanges.DIFF_NONE
            ? false
            : undefined,
      replaces: res.getReplacesList(),
      deleteBeforeReplace: res.getDeletebeforereplace(),
    };
  }

  /** `Create(properties)` with the checked inputs; returns the id and the complete outputs. */
  async create(urn: string, properties: PropertyMap): Promise<{ id: string; properties: PropertyMap }> {
    const req = addressed(new proto.CreateRequest(), urn).setProperties(struct(properties));
    const res = await this.call(
      "Create",
      this.rpc.create as Unary<proto.CreateRequest, proto.CreateResponse>,
      req,
    );
    return { id: res.getId(), properties: fromStruct(res.getProperties()) };
  }

  /** `Read(id, properties, inputs)`: what `pulumi refresh` does per resource. */
  async read(urn: string, id: string, properties: PropertyMap, inputs?: PropertyMap): Promise<ReadResult> {
    const req = addressed(new proto.ReadRequest(), urn).setId(id).setProperties(struct(properties));
    if (inputs) req.setInputs(struct(inputs));
    const res = await this.call("Read", this.rpc.read as Unary<proto.ReadRequest, proto.ReadResponse>, req);
    return {
      id: res.getId(),
      properties: fromStruct(res.getProperties()),
      inputs: res.hasInputs() ? fromStruct(res.getInputs()) : undefined,
    };
  }

  /** `Update(id, olds, news)`: `olds` are the stored outputs; returns the complete new outputs. */
  async update(
    urn: string,
    id: string,
    olds: PropertyMap,
    news: PropertyMap,
    oldInputs?: PropertyMap,
  ): Promise<{ properties: PropertyMap }> {
    const req = addressed(new proto.UpdateRequest(), urn)
      .setId(id)
      .setOlds(struct(olds))
      .setNews(struct(news));
    if (oldInputs) req.setOldInputs(struct(oldInputs));
    const res = await this.call(
      "Update",
      this.rpc.update as Unary<proto.UpdateRequest, proto.UpdateResponse>,
      req,
    );
    return { properties: fromStruct(res.getProperties()) };
  }

  /** `Delete(id, properties)`: `properties` are the stored outputs. */
  async delete(urn: string, id: string, properties: PropertyMap, oldInputs?: PropertyMap): Promise<void> {
    const req = addressed(new proto.DeleteRequest(), urn).setId(id).setProperties(struct(properties));
    if (oldInputs) req.setOldInputs(struct(oldInputs));
    await this.call("Delete", this.rpc.delete as Unary<proto.DeleteRequest, unknown>, req);
  }

  /** Closes the channel (the host keeps running). */
  close(): void {
    this.rpc.close();
  }
}

/** The setters every resource request has: the URN, and the type and name the engine sends beside it. */
interface ResourceRequest<R> {
  setUrn(value: string): R;
  setName(value: string): R;
  setType(value: string): R;
}

/** `request` with its URN, type and name set. */
function addressed<R extends ResourceRequest<R>>(request: R, urn: string): R {
  const { type, name } = splitUrn(urn);
  return request.setUrn(urn).setName(name).setType(type);
}

/** A property map as the engine sends it to this host: secrets unwrapped, as a `Struct`. */
function struct(map: PropertyMap) {
  return toStruct(unwrapDeep(map) as PropertyMap);
}
