/**
 * The benchmark: a fleet of N mailboxes taken through its life — first deployment, a preview with
 * nothing changed, a preview and a deployment with 10 % changed, a refresh, a destroy — through the
 * real provider host (a fresh host per command, as the Pulumi CLI starts one per command), against a
 * simulator with injected per-request latency, at a given engine parallelism.
 *
 * Three kinds of process take part, as in a real deployment: this one is the engine (the engine
 * stand-in and its gRPC client), each host is a child of its own, and the switch is a simulator in a
 * child of its own too (`simulatorProcess.ts`), so its request handling never delays the engine's
 * event loop. The bare loop runs here, as the client, against a twin simulator child.
 *
 * Per scenario it measures wall time (first RPC to last answer), API calls by function (from the
 * simulator's request log), the floor (calls × latency ÷ parallelism) and efficiency (floor ÷ wall),
 * the same calls replayed by a bare undici loop on a twin simulator right after (and the ratio), the
 * state the engine would keep per mailbox, the host's peak RSS, and the CPU of host, engine and switch.
 */
import * as path from "node:path";
import type { RecordedRequest } from "../../provider/simulator";
import type { EngineState, Step } from "../support/engineStandIn";
import { ProviderHost, readPeakRssKb } from "../support/providerHost";
import type { PulumiProject } from "../support/pulumiProject";
import { chainsOf, replayBare, timeOneCall } from "./bareLoop";
import { profilingEnv, startProfiling } from "./cpuProfile";
import { Fleet, mailboxNumber } from "./fleet";
import { memoryProbeEnv, readHostMemory } from "./hostMemory";
import { mergeEnv } from "./hostPreload";
import { ownCpuMs, processCpuMs } from "./processCpu";
import { deployFleet, destroyFleet, PhaseResult, refreshFleet } from "./fleetEngine";
import { SimulatorProcess, startSimulatorProcess } from "./simulatorProcess";

/** The scenarios, in the order a fleet lives through them. */
export const SCENARIOS = ["deploy", "preview", "preview-10%", "deploy-10%", "refresh", "destroy"] as const;

/** One scenario. */
export type ScenarioName = (typeof SCENARIOS)[number];

/** What one scenario cost. */
export interface ScenarioFigures {
  scenario: ScenarioName;
  /** The provider variant measured (see `variants.ts`); `as built` for the package itself. */
  variant: string;
  parallelism: number;
  n: number;
  latencyMs: number;
  /** First RPC to last answer, milliseconds. */
  wallMs: number;
  /** Provider RPCs the engine made. */
  rpcs: number;
  /** What the engine did, per step kind (`create`, `same`, `update`, `refresh`, `delete`, …). */
  steps: Record<string, number>;
  /** API calls by function; dry runs are labelled `fn (validation)`. */
  calls: Record<string, number>;
  callsTotal: number;
  /** For the 10 % scenarios: API calls per changed mailbox and per unchanged one. */
  perChanged?: number;
  perUnchanged?: number;
  /** calls × latency ÷ parallelism. */
  floorMs: number;
  /** floor ÷ wall; `null` when there were no calls. */
  efficiency: number | null;
  /** The bare undici loop's time for the same calls, when run. */
  bareMs: number | null;
  /** wall ÷ bare. */
  ratio: number | null;
  /** Bare requests answered otherwise than recorded (0 when the twin is in step). */
  bareMismatches: number;
  /**
   * Refresh only: one `mailboxes/list` of the whole fleet, timed on the twin (what a refresh served
   * by one list per customer would wait for instead of N gets).
   */
  oneList?: { wallMs: number; bytes: number };
  /** Bytes of state per mailbox after the scenario (inputs + outputs + `__provider`), when any. */
  stateBytesPerMailbox: number | null;
  /** The host's peak resident memory, MiB. */
  peakRssMb: number | null;
  /** The host's peak resident memory once configured, before the first RPC, MiB (Pulumi's host alone). */
  idleRssMb: number | null;
  /**
   * The host's heap after two full collections when it was stopped, MiB: what it really keeps, as
   * against `peakRssMb`, which also counts garbage not yet collected (see `hostMemory.ts`).
   */
  retainedHeapMb: number | null;
  /** CPU milliseconds per mailbox the host used during the scenario. */
  hostCpuMsPerMailbox: number | null;
  /**
   * CPU milliseconds per mailbox of this process during the scenario: the engine stand-in and its gRPC
   * client (the simulators run in child processes; the bare loop runs after the scenario).
   */
  engineCpuMsPerMailbox: number;
  /** CPU milliseconds per mailbox the switch (the simulator's child process) used during the scenario. */
  switchCpuMsPerMailbox: number | null;
}

/** How to run one pass (one parallelism). */
export interface PassOptions {
  project: PulumiProject;
  stack: string;
  fleet: Fleet;
  parallelism: number;
  latencyMs: number;
  /** Run the bare undici loop after each scenario. */
  bare: boolean;
  /** Provider config besides url/username/password, e.g. `{"enswitch:useToken": "true"}`. */
  config?: Record<string, string>;
  /** Where hosts write their memory figures (see `hostMemory.ts`). Default: inside the project. */
  memoryDir?: string;
  /** Write CPU profiles of the hosts into this directory. */
  profileDir?: string;
  /** Which scenarios to run (in lifecycle order). Default all. */
  scenarios?: readonly ScenarioName[];
  /** Progress lines. */
  log?: (line: string) => void;
  /** The variant's name, for the figures. Default `as built`. */
  variant?: string;
  /** Model the engine's serial `Check` (see `PhaseOptions.serialCheck`). */
  serialCheck?: boolean;
}

/** The label of a recorded request in the figures. */
export function callLabel(r: RecordedRequest): string {
  return r.params.validation === "1" ? `${r.fn} (validation)` : r.fn;
}

/** Calls by label. */
export function countCalls(requests: readonly RecordedRequest[]): Record<string, number> {
  const out: Record<string, number> = {};
  for (const r of requests) out[callLabel(r)] = (out[callLabel(r)] ?? 0) + 1;
  return out;
}

/** Steps by kind. */
function countSteps(steps: readonly Step[]): Record<string, number> {
  const out: Record<string, number> = {};
  for (const s of steps) out[s.op] = (out[s.op] ?? 0) + 1;
  return out;
}

/** Bytes the engine would keep per mailbox: each resource's URN, type, id, inputs and outputs as JSON. */
export function stateBytesPerMailbox(state: EngineState): number | null {
  if (state.resources.length === 0) return null;
  let bytes = 0;
  for (const r of state.resources) {
    bytes += Buffer.byteLength(
      JSON.stringify({ urn: r.urn, type: r.type, id: r.id, inputs: r.inputs, outputs: r.outputs }),
    );
  }
  return bytes / state.resources.length;
}

/**
 * Runs the scenarios for one parallelism on fresh simulators (each in a child process) and returns their
 * figures. Every host and simulator it starts is stopped before it returns, also on failure.
 */
export async function runPass(options: PassOptions): Promise<ScenarioFigures[]> {
  const { fleet, parallelism, latencyMs } = options;
  const wanted = new Set(options.scenarios ?? SCENARIOS);
  const log = options.log ?? (() => undefined);
  const sim = await startSimulatorProcess({ latencyMs });
  let twin: SimulatorProcess | undefined;
  const figures: ScenarioFigures[] = [];
  try {
    if (options.bare) twin = await startSimulatorProcess({ latencyMs });
    const config = {
      "enswitch:url": sim.url,
      "enswitch:username": "admin",
      "enswitch:password": "admin",
      ...options.config,
    };
    const n = fleet.registrations.length;
    const changedNumbers = new Set([...fleet.changedIndices].map(mailboxNumber));
    const common = {
      project: options.project.name,
      stack: options.stack,
      parallelism,
      serialCheck: options.serialCheck,
    };
    let state: EngineState = { resources: [] };

    const measure = async (
      scenario: ScenarioName,
      phase: (host: ProviderHost) => Promise<PhaseResult>,
    ): Promise<void> => {
      const memoryDir = options.memoryDir ?? path.join(options.project.dir, ".bench-memory");
      // The memory probe first: it measures at SIGTERM before the profiler's handler exits the host.
      const env = mergeEnv(
        memoryProbeEnv(memoryDir),
        options.profileDir
          ? profilingEnv(path.join(options.profileDir, `p${parallelism}-${scenario.replace("%", "pct")}`))
          : undefined,
      );
      const host = await ProviderHost.start({ projectDir: options.project.dir, stack: options.stack, env });
      let result: PhaseResult;
      let wallMs: number;
      let peakKb: number | undefined;
      let idleKb: number | undefined;
      let hostCpu: number | undefined;
      let switchCpu: number | undefined;
      let engineCpu: number;
      try {
        await host.configure(config);
        if (options.profileDir) await startProfiling(host.pid);
        idleKb = readPeakRssKb(host.pid);
        await sim.resetLog();
        const hostCpuBefore = processCpuMs(host.pid);
        const switchCpuBefore = sim.cpuMs();
        const engineCpuBefore = ownCpuMs();
        const started = performance.now();
        result = await phase(host);
        wallMs = performance.now() - started;
        engineCpu = ownCpuMs() - engineCpuBefore;
        const hostCpuAfter = processCpuMs(host.pid);
        const switchCpuAfter = sim.cpuMs();
        if (hostCpuBefore !== undefined && hostCpuAfter !== undefined) hostCpu = hostCpuAfter - hostCpuBefore;
        if (switchCpuBefore !== undefined && switchCpuAfter !== undefined) {
          switchCpu = switchCpuAfter - switchCpuBefore;
        }
        peakKb = host.peakRssKb();
      } finally {
        await host.close();
      }
      const memory = readHostMemory(memoryDir, host.pid);
      const requests = await sim.requests();
      await sim.resetLog();
      const calls = countCalls(requests);
      const callsTotal = requests.length;
      const floorMs = (callsTotal * latencyMs) / parallelism;
      const row: ScenarioFigures = {
        scenario,
        variant: options.variant ?? "as built",
        parallelism,
        n,
        latencyMs,
        wallMs,
        rpcs: result.rpcs,
        steps: countSteps(result.steps),
        calls,
        callsTotal,
        floorMs,
        efficiency: callsTotal > 0 ? floorMs / wallMs : null,
        bareMs: null,
        ratio: null,
        bareMismatches: 0,
        stateBytesPerMailbox: stateBytesPerMailbox(result.state),
        peakRssMb: peakKb === undefined ? null : peakKb / 1024,
        idleRssMb: idleKb === undefined ? null : idleKb / 1024,
        retainedHeapMb: memory?.retainedHeapMb ?? null,
        hostCpuMsPerMailbox: hostCpu === undefined ? null : hostCpu / n,
        engineCpuMsPerMailbox: engineCpu / n,
        switchCpuMsPerMailbox: switchCpu === undefined ? null : switchCpu / n,
      };
      if (scenario === "preview-10%" || scenario === "deploy-10%") {
        const changed = requests.filter((r) => changedNumbers.has(r.params.mailbox ?? "")).length;
        row.perChanged = changed / Math.max(1, changedNumbers.size);
        row.perUnchanged = (callsTotal - changed) / Math.max(1, n - changedNumbers.size);
      }
      if (twin) {
        const bare = await replayBare(requests, twin.url, parallelism);
        row.bareMs = bare.wallMs;
        row.ratio = bare.calls > 0 ? wallMs / bare.wallMs : null;
        row.bareMismatches = bare.mismatches;
        // The twin's own log is never read: forget it, so the child does not grow with every scenario.
        await twin.resetLog();
        if (scenario === "refresh") {
          const list = await timeOneCall(twin.url, "mailboxes/list", {
            auth_username: config["enswitch:username"],
            auth_password: config["enswitch:password"],
          });
          row.oneList = { wallMs: list.wallMs, bytes: list.bytes };
        }
      }
      state = result.state;
      figures.push(row);
      log(
        `  ${options.variant ?? "as built"} p=${parallelism} ${scenario}: ${Math.round(wallMs)} ms, ${callsTotal} calls in ${chainsOf(requests).length} chains`,
      );
    };

    const run = async (scenario: ScenarioName, phase: (host: ProviderHost) => Promise<PhaseResult>) => {
      if (wanted.has(scenario)) await measure(scenario, phase);
    };
    const original = fleet.log("original");
    const changed = fleet.log("changed");
    await run("deploy", (provider) =>
      deployFleet({ ...common, provider, registrations: fleet.registrations, log: original }),
    );
    if (state.resources.length === 0) return figures;
    await run("preview", (provider) =>
      deployFleet({
        ...common,
        provider,
        registrations: fleet.registrations,
        log: original,
        state,
        preview: true,
      }),
    );
    await run("preview-10%", (provider) =>
      deployFleet({ ...common, provider, registrations: fleet.changed, log: changed, state, preview: true }),
    );
    await run("deploy-10%", (provider) =>
      deployFleet({ ...common, provider, registrations: fleet.changed, log: changed, state }),
    );
    await run("refresh", (provider) => refreshFleet({ ...common, provider, state }));
    await run("destroy", (provider) => destroyFleet({ ...common, provider, state }));
    return figures;
  } finally {
    await Promise.all([sim.close(), twin?.close()]);
  }
}
