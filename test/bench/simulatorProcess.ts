/**
 * The Enswitch simulator in a child process of its own, as the benchmark's switch. A real switch is
 * remote: run in the benchmark's process, the simulator's request handling would share the event loop
 * (and on a small machine the cores) with the engine stand-in and the bare loop, and delay their
 * timers. Here it runs in `simulatorChild.js`, which loads the BUILT simulator
 * (`dist/simulator/index.js`: build first, as `npm run bench` and `npm test` do) and answers over IPC.
 *
 * Messages (parent → child): `{ id, op: "requests" | "resetLog" }`; (child → parent): `{ type: "ready",
 * url, port }` once listening, `{ type: "failed", error }` when it cannot start, `{ id, ok, value?,
 * error? }` per operation. Closing the IPC channel (or the parent dying) makes the child close the
 * simulator and exit.
 *
 * Every started process is tracked: {@link closeAllSimulatorProcesses} (call it in `afterAll`) and a
 * process `exit` hook stop any a failing run left behind.
 */
import { ChildProcess, fork } from "node:child_process";
import * as path from "node:path";
import type { RecordedRequest } from "../../provider/simulator";
import { REPO_ROOT } from "../support/repoPaths";
import { processCpuMs } from "./processCpu";

/** The built simulator the child loads by default. */
export const BUILT_SIMULATOR = path.join(REPO_ROOT, "dist", "simulator", "index.js");

const CHILD_SCRIPT = path.join(REPO_ROOT, "test", "bench", "simulatorChild.js");

/** Safety net only: a healthy child listens within a second. */
const START_TIMEOUT_MS = 30_000;
/** Safety net only: a healthy child exits at once when its channel closes. */
const CLOSE_TIMEOUT_MS = 10_000;
/** How much of the child's stderr an error message quotes. */
const STDERR_TAIL = 4_000;

/** Options of {@link startSimulatorProcess}. */
export interface SimulatorProcessOptions {
  /** Latency the simulator adds to every API request, milliseconds. */
  latencyMs: number;
  /** The simulator module to load (must export `startSimulator`). Default {@link BUILT_SIMULATOR}. */
  simulatorModule?: string;
}

/** The simulator child could not start, failed an operation, or ended unexpectedly. */
export class SimulatorProcessError extends Error {
  constructor(
    message: string,
    /** The child's process id, when it was started. */
    readonly pid: number | undefined,
    /** The end of what the child wrote on stderr. */
    readonly stderr: string,
  ) {
    super(stderr.trim() === "" ? message : `${message}\nsimulator stderr:\n${stderr.trim()}`);
    this.name = "SimulatorProcessError";
  }
}

/** A simulator running in a child process. */
export interface SimulatorProcess {
  /** Base URL, `http://127.0.0.1:<port>/api/json/`. */
  readonly url: string;
  /** The child's process id. */
  readonly pid: number;
  /** Every API request as received since the last {@link resetLog}, exactly as `Simulator.requests`. */
  requests(): Promise<RecordedRequest[]>;
  /** Forgets the recorded requests. */
  resetLog(): Promise<void>;
  /** CPU milliseconds the child has used so far (`undefined` off Linux or once it is gone). */
  cpuMs(): number | undefined;
  /** Stops the simulator and resolves once the child has exited. Safe to call twice. */
  close(): Promise<void>;
}

type ChildMessage =
  | { type: "ready"; url: string; port: number }
  | { type: "failed"; error: string }
  | { id: number; ok: true; value?: unknown }
  | { id: number; ok: false; error: string };

/** Running children, with how to stop each. */
const live = new Map<ChildProcess, () => Promise<void>>();

/**
 * Forks a simulator with `latencyMs` of latency per request on 127.0.0.1 (a free port) and resolves
 * once it listens.
 *
 * @throws SimulatorProcessError when the child cannot start (e.g. no build: `Cannot find module`).
 *
 * @example
 * ```ts
 * const sim = await startSimulatorProcess({ latencyMs: 20 });
 * try {
 *   // … point the provider at sim.url …
 *   const calls = (await sim.requests()).length;
 * } finally {
 *   await sim.close();
 * }
 * ```
 */
export async function startSimulatorProcess(options: SimulatorProcessOptions): Promise<SimulatorProcess> {
  const modulePath = options.simulatorModule ?? BUILT_SIMULATOR;
  const child = fork(CHILD_SCRIPT, [modulePath, JSON.stringify({ latencyMs: options.latencyMs })], {
    // A plain Node: none of the parent's flags (jest's, an inspector's).
    execArgv: [],
    stdio: ["ignore", "inherit", "pipe", "ipc"],
  });
  let stderr = "";
  child.stderr?.on("data", (d: Buffer) => (stderr = (stderr + d.toString()).slice(-STDERR_TAIL)));
  let exitInfo: string | undefined;
  let markExited = (): void => undefined;
  const exited = new Promise<void>((resolve) => (markExited = resolve));
  const onEnd = (info: string) => {
    exitInfo ??= info;
    live.delete(child);
    markExited();
  };
  child.once("exit", (code, signal) => onEnd(signal ? `signal ${signal}` : `code ${code}`));
  const error = (message: string) => new SimulatorProcessError(message, child.pid, stderr);

  const pending = new Map<number, { resolve: (value: unknown) => void; reject: (e: Error) => void }>();
  let nextId = 1;
  let ready: { url: string } | undefined;
  let failure: string | undefined;
  let onReady: (() => void) | undefined;
  child.on("message", (message: ChildMessage) => {
    if ("type" in message) {
      if (message.type === "ready") ready = { url: message.url };
      else failure = message.error;
      onReady?.();
      return;
    }
    const waiter = pending.get(message.id);
    pending.delete(message.id);
    if (!waiter) return;
    if (message.ok) waiter.resolve(message.value);
    else waiter.reject(error(`simulator operation failed: ${message.error}`));
  });
  child.on("error", (e) => {
    failure ??= e.message;
    // A child that never started emits no 'exit'.
    if (child.pid === undefined) onEnd(`not started: ${e.message}`);
    onReady?.();
  });
  void exited.then(() => {
    onReady?.();
    for (const waiter of pending.values()) {
      waiter.reject(error(`simulator process ${child.pid} ended (${exitInfo}) before answering`));
    }
    pending.clear();
  });

  const stop = async (): Promise<void> => {
    if (exitInfo === undefined) {
      if (child.connected) child.disconnect();
      else child.kill("SIGTERM");
      const timer = setTimeout(() => child.kill("SIGKILL"), CLOSE_TIMEOUT_MS);
      await exited;
      clearTimeout(timer);
    }
  };
  live.set(child, stop);

  // Startup: ready, or failed/ended (rejected once the child is gone), or the safety-net timeout.
  let timedOut = false;
  await new Promise<void>((resolve) => {
    const timer = setTimeout(() => {
      timedOut = true;
      resolve();
    }, START_TIMEOUT_MS);
    onReady = () => {
      clearTimeout(timer);
      resolve();
    };
    if (ready || failure || exitInfo !== undefined) onReady();
  });
  onReady = undefined;
  if (!ready || failure) {
    await stop();
    const hint =
      modulePath === BUILT_SIMULATOR && failure?.includes("Cannot find module")
        ? " (build first: npx tsc -p tsconfig.build.json)"
        : "";
    const why = failure
      ? `could not start${hint}: ${failure}`
      : timedOut
        ? `did not listen within ${START_TIMEOUT_MS} ms`
        : `ended (${exitInfo}) before it listened`;
    throw error(`simulator process (${modulePath}) ${why}`);
  }

  const pid = child.pid as number;
  const call = (op: "requests" | "resetLog"): Promise<unknown> => {
    if (exitInfo !== undefined || !child.connected) {
      return Promise.reject(error(`simulator process ${pid} is not running (${exitInfo ?? "disconnected"})`));
    }
    const id = nextId++;
    return new Promise((resolve, reject) => {
      pending.set(id, { resolve, reject });
      child.send({ id, op }, (e) => {
        if (!e) return;
        pending.delete(id);
        reject(error(`could not reach simulator process ${pid}: ${e.message}`));
      });
    });
  };
  const url = ready.url;
  return {
    url,
    pid,
    requests: async () => (await call("requests")) as RecordedRequest[],
    resetLog: async () => {
      await call("resetLog");
    },
    cpuMs: () => (exitInfo === undefined ? processCpuMs(pid) : undefined),
    close: stop,
  };
}

/** Stops every simulator process still running from this process; call from `afterAll`. */
export async function closeAllSimulatorProcesses(): Promise<void> {
  await Promise.all([...live.values()].map((stop) => stop()));
}

process.once("exit", () => {
  for (const child of live.keys()) child.kill("SIGKILL");
});
