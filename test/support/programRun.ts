/**
 * Runs a Pulumi program in a child `node` process (never inside jest: see `child/programChild.ts`),
 * either recording what the engine would receive ({@link serializeInChild}) or deploying it through
 * the {@link EngineStandIn} against a running provider host ({@link runProgram}).
 *
 * A program is JavaScript in the project directory that loads the installed package by name
 * (`require("pulumi-enswitch")`); `transpileProgram` turns a TypeScript example into one, and
 * `mailboxProgram.ts` writes one from a list of mailboxes.
 */
import { spawn } from "node:child_process";
import * as fs from "node:fs";
import * as path from "node:path";
import { childOutput } from "./childClosed";
import { compiledSupport } from "./compiledSupport";
import type { EngineState } from "./engineStandIn";
import type { ProgramRequest, ProgramResult } from "./programProtocol";
import type { PulumiProject } from "./pulumiProject";

/** Options of {@link runProgram} and {@link serializeInChild}. */
export interface RunProgramOptions {
  /** The project holding the program and the installed package. */
  project: PulumiProject;
  /** The program's entry file, relative to the project directory or absolute. Default `index.js`. */
  program?: string;
  /** Stack name. Default `test`. */
  stack?: string;
  /**
   * Stack config the program itself reads with `new pulumi.Config()` (`"project:key"` → value).
   * Provider config goes to the host's `configure` instead.
   */
  config?: Record<string, string>;
  /** Extra environment of the child. `ENSWITCH_*` and `PULUMI_*` of this process are not passed on. */
  env?: Record<string, string>;
  /** Milliseconds before the child is killed. Default 60000. */
  timeoutMs?: number;
}

/** Options of {@link runProgram}. */
export interface DeployOptions extends RunProgramOptions {
  /** A running, configured provider host (anything with its `port`). */
  host: { port: number; configured?: Record<string, string> };
  /** State of an earlier run. Default: none (first deployment). */
  state?: EngineState;
  /** `pulumi preview`: check and diff only. */
  preview?: boolean;
  /** `pulumi refresh` of `state` (a preview pass, then the real one) before the program runs. */
  refresh?: boolean;
  /** `pulumi destroy` of `state` without `--run-program`: the program runs but nothing is deployed. */
  destroy?: boolean;
  /** `--parallel` (step workers). Default 4 × cores, as Pulumi. */
  parallel?: number;
  /** `--continue-on-error`. */
  continueOnError?: boolean;
  /** `PULUMI_PARALLEL_DIFF=true`. */
  parallelDiff?: boolean;
  /** The config the host was configured with, kept in the state as the engine keeps it. */
  providerConfig?: Record<string, string>;
}

/** A finished program child: its report plus its output. */
export interface ProgramRun extends ProgramResult {
  stdout: string;
  stderr: string;
  exitCode: number | null;
}

let runs = 0;

/**
 * Runs the program under `setMocks` with the {@link EngineStandIn} forwarding every registration to
 * `options.host`, i.e. `pulumi up` (or `preview`) without the CLI.
 *
 * @example
 * ```ts
 * const first = await runProgram({ project, host });
 * const second = await runProgram({ project, host, state: first.state });
 * expect(second.steps.every((s) => s.op === "same")).toBe(true);
 * ```
 */
export function runProgram(options: DeployOptions): Promise<ProgramRun> {
  return runChild(options, {
    mode: "engine",
    hostPort: options.host.port,
    state: options.state,
    preview: options.preview,
    refresh: options.refresh,
    destroy: options.destroy,
    parallel: options.parallel,
    continueOnError: options.continueOnError,
    parallelDiff: options.parallelDiff,
    providerConfig: options.providerConfig ?? options.host.configured,
  });
}

/**
 * Runs the program under `setMocks` with a recorder and returns the registrations as the engine would
 * receive them: type token, name, inputs in wire form (`__provider` a string, secrets wrapped) and
 * `additionalSecretOutputs`. This is how `__provider` is produced by the real `Mailbox` class.
 */
export function serializeInChild(options: RunProgramOptions): Promise<ProgramRun> {
  return runChild(options, { mode: "record" });
}

async function runChild(
  options: RunProgramOptions,
  request: Omit<ProgramRequest, "projectDir" | "program" | "project" | "stack" | "resultFile">,
): Promise<ProgramRun> {
  const { project } = options;
  const stack = options.stack ?? "test";
  const work = fs.mkdtempSync(path.join(project.dir, `.run-${++runs}-`));
  const requestFile = path.join(work, "request.json");
  const resultFile = path.join(work, "result.json");
  const full: ProgramRequest = {
    ...request,
    projectDir: project.dir,
    program: path.resolve(project.dir, options.program ?? "index.js"),
    project: project.name,
    stack,
    resultFile,
  };
  fs.writeFileSync(requestFile, JSON.stringify(full));

  const env: NodeJS.ProcessEnv = {};
  for (const [k, v] of Object.entries(process.env)) if (!/^(ENSWITCH_|PULUMI_)/.test(k)) env[k] = v;
  Object.assign(env, { PULUMI_CONFIG: JSON.stringify(options.config ?? {}) }, options.env);

  const child = spawn(
    process.execPath,
    [path.join(compiledSupport(), "child", "programChild.js"), requestFile],
    {
      cwd: project.dir,
      env,
      stdio: ["ignore", "pipe", "pipe"],
    },
  );
  const output = childOutput(child);
  const timer = setTimeout(() => child.kill("SIGKILL"), options.timeoutMs ?? 60_000);
  // Until 'close', not 'exit': the output is complete only then, and callers scan it for secrets.
  const { code: exitCode, stdout, stderr } = await output.finally(() => clearTimeout(timer));
  try {
    if (!fs.existsSync(resultFile)) {
      throw new Error(
        `program child wrote no result (exit ${exitCode})\nstdout:\n${stdout}\nstderr:\n${stderr}`,
      );
    }
    const result = JSON.parse(fs.readFileSync(resultFile, "utf8")) as ProgramResult;
    return { ...result, stdout, stderr, exitCode };
  } finally {
    fs.rmSync(work, { recursive: true, force: true });
  }
}
