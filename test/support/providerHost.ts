/**
 * The dynamic provider host, started the way the Pulumi engine starts it, and driven over gRPC.
 *
 * The engine runs `node <project>/node_modules/@pulumi/pulumi/cmd/dynamic-provider/index.js
 * <engine-address>` with the project directory as cwd and `PULUMI_NODEJS_PROJECT`/`_STACK` in the
 * environment; the host binds 127.0.0.1:0 and prints its port alone on stdout. It never dials the
 * engine address, so a dummy one works. This class does the same, then offers the provider operations
 * of {@link ProviderClient} as promises.
 *
 * Every started host is tracked: {@link closeAllHosts} (call it in `afterAll`) and a process `exit`
 * hook kill any host a failing test left behind.
 */
import { ChildProcess, spawn } from "node:child_process";
import * as fs from "node:fs";
import * as path from "node:path";
import { ChildEnd, childClosed } from "./childClosed";
import { ProviderClient } from "./providerClient";

/** Options of {@link ProviderHost.start}. */
export interface ProviderHostOptions {
  /** The Pulumi project directory: cwd of the host, where the serialized `require()`s resolve. */
  projectDir: string;
  /** Pulumi project name, exported as `PULUMI_NODEJS_PROJECT`. Default: the directory's `Pulumi.yaml` name. */
  project?: string;
  /** Stack name, exported as `PULUMI_NODEJS_STACK`. Default `test`. */
  stack?: string;
  /**
   * Extra environment. The host starts from this process's environment minus every `ENSWITCH_*` and
   * `PULUMI_*` variable, so a test decides explicitly whether the env fallback is in play.
   */
  env?: Record<string, string>;
  /** Milliseconds allowed for the host to print its port. Default 20000. */
  startTimeoutMs?: number;
}

const DUMMY_ENGINE = "127.0.0.1:1";
const live = new Set<ProviderHost>();

/**
 * A running provider host.
 *
 * @example
 * ```ts
 * const host = await ProviderHost.start({ projectDir: project.dir });
 * afterAll(() => closeAllHosts());
 * await host.configure({ "enswitch:url": sim.url, "enswitch:username": "admin", "enswitch:password": "admin" });
 * const created = await host.create(urn, checked.inputs);
 * ```
 */
export class ProviderHost extends ProviderClient {
  private stdoutText = "";
  private stderrText = "";
  private exitInfo: { code: number | null; signal: NodeJS.Signals | null } | undefined;
  private readonly exited: Promise<void>;
  private peakRss: number | undefined;

  private constructor(
    private readonly child: ChildProcess,
    closed: Promise<ChildEnd>,
    port: number,
    early: { stdout: string; stderr: string },
  ) {
    super(port);
    this.stdoutText = early.stdout;
    this.stderrText = early.stderr;
    child.stdout?.on("data", (d: Buffer) => (this.stdoutText += d.toString()));
    child.stderr?.on("data", (d: Buffer) => (this.stderrText += d.toString()));
    // Settles on 'close' (pipes drained), so output() after kill()/close() holds everything.
    this.exited = closed.then((end) => {
      this.exitInfo = end;
    });
  }

  /** Starts a host for `projectDir` and resolves once it listens. */
  static async start(options: ProviderHostOptions): Promise<ProviderHost> {
    const script = require.resolve("@pulumi/pulumi/cmd/dynamic-provider/index.js", {
      paths: [options.projectDir],
    });
    const env: NodeJS.ProcessEnv = {};
    for (const [k, v] of Object.entries(process.env)) {
      if (!/^(ENSWITCH_|PULUMI_)/.test(k)) env[k] = v;
    }
    Object.assign(env, {
      PULUMI_NODEJS_PROJECT: options.project ?? projectNameOf(options.projectDir),
      PULUMI_NODEJS_STACK: options.stack ?? "test",
      PULUMI_NODEJS_ROOT_DIRECTORY: options.projectDir,
      ...options.env,
    });
    const child = spawn(process.execPath, [script, DUMMY_ENGINE], {
      cwd: options.projectDir,
      env,
      stdio: ["ignore", "pipe", "pipe"],
    });
    const closed = childClosed(child);
    const { port, ...early } = await readPort(child, closed, options.startTimeoutMs ?? 20_000);
    const host = new ProviderHost(child, closed, port, early);
    live.add(host);
    return host;
  }

  /** The host's process id. */
  get pid(): number | undefined {
    return this.child.pid;
  }

  /** Everything the host wrote to stdout and stderr so far (for leak scans and failure messages). */
  output(): { stdout: string; stderr: string } {
    return { stdout: this.stdoutText, stderr: this.stderrText };
  }

  /** How the host exited, once it has. */
  get exit(): { code: number | null; signal: NodeJS.Signals | null } | undefined {
    return this.exitInfo;
  }

  /** Peak resident memory of the host in KiB (`VmHWM`), sampled now or, after `close`, at close. */
  peakRssKb(): number | undefined {
    return this.exitInfo ? this.peakRss : (readPeakRssKb(this.child.pid) ?? this.peakRss);
  }

  /** Sends `signal` to the host (e.g. to test a crash mid-deployment) and waits for it to exit. */
  async kill(signal: NodeJS.Signals = "SIGKILL"): Promise<void> {
    this.peakRss = readPeakRssKb(this.child.pid) ?? this.peakRss;
    super.close();
    if (!this.exitInfo) this.child.kill(signal);
    await this.exited;
    live.delete(this);
  }

  /** Closes the channel, samples peak RSS and stops the host. Safe to call twice. */
  override async close(): Promise<void> {
    await this.kill("SIGTERM");
  }
}

/** Stops every host still running in this process; call from `afterAll`. */
export async function closeAllHosts(): Promise<void> {
  await Promise.all([...live].map((h) => h.close()));
}

process.once("exit", () => {
  for (const host of live) if (host.pid) tryKill(host.pid);
});

function tryKill(pid: number): void {
  try {
    process.kill(pid, "SIGKILL");
  } catch {
    // already gone
  }
}

function projectNameOf(dir: string): string {
  const yaml = fs.readFileSync(path.join(dir, "Pulumi.yaml"), "utf8");
  const match = /^name:\s*(\S+)/m.exec(yaml);
  if (!match?.[1]) throw new Error(`${dir}/Pulumi.yaml has no name`);
  return match[1];
}

/** `VmHWM` from /proc (Linux), in KiB. */
export function readPeakRssKb(pid: number | undefined): number | undefined {
  if (pid === undefined) return undefined;
  try {
    const status = fs.readFileSync(`/proc/${pid}/status`, "utf8");
    const match = /^VmHWM:\s+(\d+)\s+kB/m.exec(status);
    return match?.[1] ? Number(match[1]) : undefined;
  } catch {
    return undefined;
  }
}

/** Reads the first stdout line (the port); fails with the host's stderr if it ends or times out first. */
function readPort(
  child: ChildProcess,
  closed: Promise<ChildEnd>,
  timeoutMs: number,
): Promise<{ port: number; stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    let stdout = "";
    let stderr = "";
    let done = false;
    const fail = (why: string) => {
      if (done) return;
      cleanup();
      if (child.exitCode === null) child.kill("SIGKILL");
      reject(new Error(`provider host did not start: ${why}\n${stderr}`));
    };
    const onOut = (d: Buffer) => {
      stdout += d.toString();
      const newline = stdout.indexOf("\n");
      if (newline < 0) return;
      const port = Number(stdout.slice(0, newline).trim());
      if (!Number.isInteger(port) || port <= 0)
        return fail(`unexpected first line ${JSON.stringify(stdout.slice(0, newline))}`);
      cleanup();
      resolve({ port, stdout, stderr });
    };
    const onErr = (d: Buffer) => (stderr += d.toString());
    const timer = setTimeout(() => fail(`no port within ${timeoutMs} ms`), timeoutMs);
    const cleanup = () => {
      done = true;
      clearTimeout(timer);
      child.stdout?.off("data", onOut);
      child.stderr?.off("data", onErr);
    };
    child.stdout?.on("data", onOut);
    child.stderr?.on("data", onErr);
    // On 'close', so the failure message carries the host's whole stderr.
    void closed.then(({ code, signal }) => fail(`exited with ${code ?? signal}`));
  });
}
