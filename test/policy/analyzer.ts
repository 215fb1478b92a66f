/**
 * Runs the `policy/` pack as the Pulumi CLI does, without the CLI: the pack is installed into a scratch
 * directory (its `pulumi-enswitch` dependency linked to this repository, as `npm install` does for
 * `file:..`), started with `@pulumi/pulumi/cmd/run-policy-pack` (which compiles `index.ts` with
 * type checking), and spoken to over gRPC on the port it prints.
 */
import * as grpc from "@grpc/grpc-js";
import { AnalyzerClient } from "@pulumi/pulumi/proto/analyzer_grpc_pb";
import * as analyzer from "@pulumi/pulumi/proto/analyzer_pb";
import { spawn, type ChildProcess } from "node:child_process";
import * as fs from "node:fs";
import * as path from "node:path";
import { Empty } from "google-protobuf/google/protobuf/empty_pb";
import { Struct, type JavaScriptValue } from "google-protobuf/google/protobuf/struct_pb";
import { MAILBOX_TYPE } from "../../provider/mailbox/engine";
import { REPO_ROOT, uniqueStateDir } from "../support/repoPaths";

/** The files that make up the pack, as a user would copy them. */
export const PACK_FILES = ["PulumiPolicy.yaml", "package.json", "tsconfig.json", "index.ts"];

/** Enforcement levels by name, as the proto numbers them. */
export const LEVEL = {
  advisory: analyzer.EnforcementLevel.ADVISORY,
  mandatory: analyzer.EnforcementLevel.MANDATORY,
  remediate: analyzer.EnforcementLevel.REMEDIATE,
  disabled: analyzer.EnforcementLevel.DISABLED,
} as const;

/** A diagnostic as plain data. */
export interface Diagnostic {
  policy: string;
  level: number;
  message: string;
  urn: string;
  severity: number;
}

/** A resource to send: its name and its props as the engine holds them. */
export interface SentResource {
  name: string;
  props: Record<string, unknown>;
  type?: string;
}

function unary<Req, Res>(
  method: (req: Req, callback: (err: grpc.ServiceError | null, res: Res) => void) => grpc.ClientUnaryCall,
  req: Req,
): Promise<Res> {
  return new Promise((resolve, reject) => method(req, (err, res) => (err ? reject(err) : resolve(res))));
}

function urnOf(resource: SentResource): string {
  return `urn:pulumi:dev::mailboxes::${resource.type ?? MAILBOX_TYPE}::${resource.name}`;
}

function struct(props: Record<string, unknown>): Struct {
  return Struct.fromJavaScript(props as Record<string, JavaScriptValue>);
}

function analyzeRequest(resource: SentResource): analyzer.AnalyzeRequest {
  const req = new analyzer.AnalyzeRequest();
  req.setType(resource.type ?? MAILBOX_TYPE);
  req.setName(resource.name);
  req.setUrn(urnOf(resource));
  req.setProperties(struct(resource.props));
  req.setOptions(new analyzer.AnalyzerResourceOptions());
  return req;
}

function diagnostics(res: analyzer.AnalyzeResponse): Diagnostic[] {
  return res.getDiagnosticsList().map((d) => ({
    policy: d.getPolicyname(),
    level: d.getEnforcementlevel(),
    message: d.getMessage(),
    urn: d.getUrn(),
    severity: d.getSeverity(),
  }));
}

/** A running pack and the calls the engine makes. */
export class RunningPack {
  private client: AnalyzerClient | undefined;

  private constructor(
    private readonly child: ChildProcess,
    private readonly dir: string,
    /** Resolves once the pack listens; rejects if it exits first. */
    readonly ready: Promise<void>,
  ) {}

  /**
   * Installs and starts the pack. Returns at once so that `stop()` can end the child whatever
   * happens; await `ready` before calling it.
   *
   * @example
   * ```ts
   * const pack = RunningPack.launch(); // in beforeAll
   * await pack.ready;
   * await pack.stop(); // in afterAll
   * ```
   */
  static launch(): RunningPack {
    if (!fs.existsSync(path.join(REPO_ROOT, "dist", "policies", "index.js"))) {
      throw new Error("dist/policies is missing: build first (npx tsc -p tsconfig.build.json)");
    }
    const dir = uniqueStateDir("policy-pack", "pack");
    for (const file of PACK_FILES) {
      fs.copyFileSync(path.join(REPO_ROOT, "policy", file), path.join(dir, file));
    }
    fs.mkdirSync(path.join(dir, "node_modules"));
    fs.symlinkSync(REPO_ROOT, path.join(dir, "node_modules", "pulumi-enswitch"), "dir");

    const runner = require.resolve("@pulumi/pulumi/cmd/run-policy-pack/index.js", { paths: [REPO_ROOT] });
    // The engine address is required but only used for logging, which this pack does not do.
    const child = spawn(process.execPath, [runner, "127.0.0.1:1", dir], {
      cwd: dir,
      stdio: ["ignore", "pipe", "pipe"],
    });
    let stderr = "";
    child.stderr?.on("data", (chunk: Buffer) => (stderr += chunk.toString()));
    const port = new Promise<string>((resolve, reject) => {
      let stdout = "";
      child.stdout?.on("data", (chunk: Buffer) => {
        stdout += chunk.toString();
        if (stdout.includes("\n")) resolve((stdout.split("\n")[0] ?? "").trim());
      });
      child.once("exit", (code) =>
        reject(new Error(`policy pack exited with ${code} before listening:\n${stderr}`)),
      );
      child.once("error", reject);
    });
    let pack: RunningPack | undefined = undefined;
    const ready = port.then((printed) => {
      if (!/^[0-9]+$/.test(printed)) {
        throw new Error(`policy pack printed ${JSON.stringify(printed)} instead of a port`);
      }
      if (pack) pack.client = new AnalyzerClient(`127.0.0.1:${printed}`, grpc.credentials.createInsecure());
    });
    pack = new RunningPack(child, dir, ready);
    return pack;
  }

  /** Stops the child (started or not) and removes the scratch directory. */
  async stop(): Promise<void> {
    this.client?.close();
    if (this.child.exitCode === null && this.child.signalCode === null) {
      const exited = new Promise((resolve) => this.child.once("exit", resolve));
      this.child.kill();
      await exited;
    }
    fs.rmSync(this.dir, { recursive: true, force: true });
  }

  private get rpc(): AnalyzerClient {
    if (!this.client) throw new Error("the policy pack is not listening yet: await ready");
    return this.client;
  }

  /** `GetAnalyzerInfo`. */
  info(): Promise<analyzer.AnalyzerInfo> {
    return unary(this.rpc.getAnalyzerInfo.bind(this.rpc), new Empty());
  }

  /**
   * `Configure` the way the CLI does from a `--policy-pack-config` file: every policy gets an entry, with
   * the file's level or else the policy's default, and the file's options over the schema's defaults.
   */
  async configure(
    file: Record<string, { enforcementLevel?: keyof typeof LEVEL } & Record<string, unknown>>,
  ): Promise<void> {
    const req = new analyzer.ConfigureAnalyzerRequest();
    for (const policy of (await this.info()).getPoliciesList()) {
      const { enforcementLevel, ...options } = file[policy.getName()] ?? {};
      const schema = (policy.getConfigschema()?.getProperties()?.toJavaScript() ?? {}) as Record<
        string,
        { default?: unknown }
      >;
      const defaults = Object.fromEntries(
        Object.entries(schema)
          .filter(([, property]) => property.default !== undefined)
          .map(([name, property]) => [name, property.default]),
      );
      const config = new analyzer.PolicyConfig();
      config.setEnforcementlevel(
        enforcementLevel === undefined ? policy.getEnforcementlevel() : LEVEL[enforcementLevel],
      );
      config.setProperties(struct({ ...defaults, ...options }));
      req.getPolicyconfigMap().set(policy.getName(), config);
    }
    await unary(this.rpc.configure.bind(this.rpc), req);
  }

  /** `Analyze` one resource's inputs (the engine leaves `__provider` out). */
  async analyze(resource: SentResource): Promise<Diagnostic[]> {
    const { __provider: _provider, ...props } = resource.props;
    return diagnostics(await unary(this.rpc.analyze.bind(this.rpc), analyzeRequest({ ...resource, props })));
  }

  /** The policies `Analyze` reports as not applicable to the resource. */
  async notApplicable(resource: SentResource): Promise<string[]> {
    const { __provider: _provider, ...props } = resource.props;
    const res = await unary<analyzer.AnalyzeRequest, analyzer.AnalyzeResponse>(
      this.rpc.analyze.bind(this.rpc),
      analyzeRequest({ ...resource, props }),
    );
    return res.getNotApplicableList().map((n) => n.getPolicyName());
  }

  /** `Remediate` one resource's inputs (`__provider` included, as the engine sends them). */
  async remediate(
    resource: SentResource,
  ): Promise<{ policy: string; properties?: Record<string, unknown>; diagnostic: string }[]> {
    const res = await unary<analyzer.AnalyzeRequest, analyzer.RemediateResponse>(
      this.rpc.remediate.bind(this.rpc),
      analyzeRequest(resource),
    );
    return res.getRemediationsList().map((r) => ({
      policy: r.getPolicyname(),
      properties: r.getProperties()?.toJavaScript(),
      diagnostic: r.getDiagnostic(),
    }));
  }

  /** `AnalyzeStack` over resources' outputs. */
  async analyzeStack(resources: SentResource[]): Promise<Diagnostic[]> {
    const req = new analyzer.AnalyzeStackRequest();
    req.setResourcesList(
      resources.map((resource) => {
        const r = new analyzer.AnalyzerResource();
        r.setType(resource.type ?? MAILBOX_TYPE);
        r.setName(resource.name);
        r.setUrn(urnOf(resource));
        r.setProperties(struct(resource.props));
        r.setOptions(new analyzer.AnalyzerResourceOptions());
        return r;
      }),
    );
    return diagnostics(await unary(this.rpc.analyzeStack.bind(this.rpc), req));
  }

  /** The URN this harness gives a resource. */
  static urn(resource: SentResource): string {
    return urnOf(resource);
  }
}
