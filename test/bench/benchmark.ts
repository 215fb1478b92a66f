/**
 * The benchmark: a fleet of N mailboxes taken through its life — first deployment, a preview with
 * nothing changed, a preview and a deployment with 10 % changed, a refresh, a destroy — through the
 * real provider host (a host per engine run, as the Pulumi CLI starts one per run), against a simulator
 * with injected per-request latency, on the engine's model (`fleetEngine.ts`: serial Check and Diff,
 * steps on P workers).
 *
 * Three kinds of process take part, as in a real deployment: this one is the engine (the engine model
 * and its gRPC client), each host is a child of its own, and the switch is a simulator in a child of
 * its own too (`simulatorProcess.ts`), so its request handling never delays the engine's event loop.
 *
 * Two baselines per scenario, in the same run: the same requests replayed in the same pattern by a
 * bare undici loop against a twin simulator (`bareLoop.ts`), and the same engine passes with the null
 * provider (`nullProvider.ts`) through the same host: Pulumi's own floor.
 */
import * as path from "node:path";
import type { RecordedRequest } from "../../provider/simulator";
import type { EngineState, Step } from "../support/engineStandIn";
import { ProviderHost, readPeakRssKb } from "../support/providerHost";
import type { PulumiProject } from "../support/pulumiProject";
import type { Registration } from "../support/registrationLog";
import { chainsOf, replayBare } from "./bareLoop";
import { profilingEnv, startProfiling } from "./cpuProfile";
import { Fleet, mailboxNumber } from "./fleet";
import { deployFleet, destroyFleet, PhaseResult, refreshFleet } from "./fleetEngine";
import { memoryProbeEnv, readHostMemory } from "./hostMemory";
import { mergeEnv } from "./hostPreload";
import { payloadOf, withNullProvider } from "./nullProvider";
import { ownCpuMs, processCpuMs } from "./processCpu";
import { SimulatorProcess, startSimulatorProcess } from "./simulatorProcess";

/** The scenarios of a fleet's life, in order. */
export const LIFECYCLE = ["deploy", "preview", "preview-10%", "deploy-10%", "refresh", "destroy"] as const;

/** Every scenario: the life of a fleet, and its first deployment with `enswitch:dryRunCreates false`. */
export const SCENARIOS = [...LIFECYCLE, "deploy-without-dry-run"] as const;

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
  /** Engine runs, each on a host of its own (2 for refresh: preview, then apply). */
  passes: number;
  /** First RPC to last answer, summed over the passes, milliseconds. */
  wallMs: number;
  /** Provider RPCs the engine made. */
  rpcs: number;
  /** Most Check/Diff RPCs of the step generator in flight at once (1: they are serial). */
  maxSerialInFlight: number;
  /** Most steps in flight at once (at most the parallelism). */
  maxStepsInFlight: number;
  /** What the engine did, per step kind (`create`, `same`, `update`, `refresh`, `delete`), all passes. */
  steps: Record<string, number>;
  /** API calls by function; dry runs are labelled `fn (validation)`. */
  calls: Record<string, number>;
  callsTotal: number;
  /** For the 10 % scenarios: API calls per changed mailbox and per unchanged one. */
  perChanged?: number;
  perUnchanged?: number;
  /** calls × latency ÷ parallelism: the network's floor if every call could run on the P workers. */
  floorMs: number;
  /** The bare undici loop's time for the same calls in the same pattern; `null` when not run or no calls. */
  bareMs: number | null;
  /** wall ÷ bare. */
  ratio: number | null;
  /** Bare requests answered otherwise than recorded (0 when the twin is in step). */
  bareMismatches: number;
  /** The null provider's time for the same engine passes, when run. */
  nullMs: number | null;
  /** wall ÷ null provider. */
  nullRatio: number | null;
  /** The null provider's host and engine CPU per mailbox in the same passes, when run. */
  nullHostCpuMsPerMailbox: number | null;
  nullEngineCpuMsPerMailbox: number | null;
  /** The null provider's host peak resident memory in the same passes, MiB: Pulumi's host with no provider work. */
  nullPeakRssMb: number | null;
  /** Bytes of state per mailbox after the scenario (inputs + outputs + `__provider`), when any. */
  stateBytesPerMailbox: number | null;
  /** The host's peak resident memory (highest of the passes), MiB. */
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
   * CPU milliseconds per mailbox of this process during the scenario: the engine model and its gRPC
   * client (the simulators run in child processes; the baselines run after the scenario).
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
  /** Run the null provider after each scenario. */
  nullProvider?: boolean;
  /**
   * `ours`: the null provider's check and create add what the mailbox provider's add (`payloadOf` its
   * first mailbox after `deploy`), so it moves the same bytes. Default `echo` (the null provider).
   */
  nullPayload?: "echo" | "ours";
  /** Provider config besides url/username/password, e.g. `{"enswitch:useToken": "true"}`. */
  config?: Record<string, string>;
  /** Where hosts write their memory figures (see `hostMemory.ts`). Default: inside the project. */
  memoryDir?: string;
  /** Write CPU profiles of the hosts into this directory. */
  profileDir?: string;
  /** Which scenarios of {@link LIFECYCLE} to run (in lifecycle order). Default all. */
  scenarios?: readonly ScenarioName[];
  /** Report a scenario under another name (e.g. `deploy` with dry runs off as `deploy-without-dry-run`). */
  label?: Partial<Record<ScenarioName, ScenarioName>>;
  /** Progress lines. */
  log?: (line: string) => void;
  /** The variant's name, for the figures. Default `as built`. */
  variant?: string;
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

/** One engine pass, given the provider host it runs against. */
type Pass = (provider: ProviderHost) => Promise<PhaseResult>;

/** What the passes of one scenario cost, summed over their hosts. */
interface HostRun {
  wallMs: number;
  results: PhaseResult[];
  /** The switch's request log of each pass (empty without a switch). */
  requests: RecordedRequest[][];
  hostCpuMs?: number;
  switchCpuMs?: number;
  engineCpuMs: number;
  peakKb?: number;
  idleKb?: number;
  retainedHeapMb?: number;
}

/** Runs `passes` one after another, each on a host of its own (the CLI starts one per engine run). */
async function runOnHosts(
  passes: readonly Pass[],
  options: {
    project: PulumiProject;
    stack: string;
    config: Record<string, string>;
    sim?: SimulatorProcess;
    /** Where hosts write their memory figures; none when undefined. */
    memoryDir?: string;
    /** Where hosts write CPU profiles; none when undefined. */
    profileDir?: string;
  },
): Promise<HostRun> {
  const run: HostRun = { wallMs: 0, results: [], requests: [], engineCpuMs: 0 };
  const add = (key: "hostCpuMs" | "switchCpuMs", before?: number, after?: number) => {
    if (before !== undefined && after !== undefined) run[key] = (run[key] ?? 0) + after - before;
  };
  for (const [i, pass] of passes.entries()) {
    // The memory probe first: it measures at SIGTERM before the profiler's handler exits the host.
    const env = mergeEnv(
      options.memoryDir ? memoryProbeEnv(options.memoryDir) : undefined,
      options.profileDir ? profilingEnv(path.join(options.profileDir, `pass${i + 1}`)) : undefined,
    );
    const host = await ProviderHost.start({ projectDir: options.project.dir, stack: options.stack, env });
    try {
      await host.configure(options.config);
      if (options.profileDir) await startProfiling(host.pid);
      const idle = readPeakRssKb(host.pid);
      if (i === 0 && idle !== undefined) run.idleKb = idle;
      await options.sim?.resetLog();
      const hostBefore = processCpuMs(host.pid);
      const switchBefore = options.sim?.cpuMs();
      const engineBefore = ownCpuMs();
      const started = performance.now();
      run.results.push(await pass(host));
      run.wallMs += performance.now() - started;
      run.engineCpuMs += ownCpuMs() - engineBefore;
      add("hostCpuMs", hostBefore, processCpuMs(host.pid));
      add("switchCpuMs", switchBefore, options.sim?.cpuMs());
      const peak = host.peakRssKb();
      if (peak !== undefined) run.peakKb = Math.max(run.peakKb ?? 0, peak);
    } finally {
      await host.close();
    }
    const memory = options.memoryDir ? readHostMemory(options.memoryDir, host.pid) : undefined;
    if (memory) run.retainedHeapMb = Math.max(run.retainedHeapMb ?? 0, memory.retainedHeapMb);
    run.requests.push(options.sim ? await options.sim.requests() : []);
    await options.sim?.resetLog();
  }
  return run;
}

/** The registrations of a fleet, as declared and with 10 % changed. */
interface Declared {
  original: readonly Registration[];
  changed: readonly Registration[];
}

/** The figures of a step count over every pass. */
function stepsOf(results: readonly PhaseResult[]): Step[] {
  return results.flatMap((r) => r.steps);
}

/**
 * Runs the scenarios for one parallelism on fresh simulators (each in a child process), with the null
 * provider beside each when asked, and returns their figures. Every host and simulator it starts is
 * stopped before it returns, also on failure.
 */
export async function runPass(options: PassOptions): Promise<ScenarioFigures[]> {
  const { fleet, parallelism, latencyMs } = options;
  const wanted = new Set(options.scenarios ?? LIFECYCLE);
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
    const hostOptions = { project: options.project, stack: options.stack, config };
    let state: EngineState = { resources: [] };
    let nullState: EngineState = { resources: [] };

    const real: Declared = { original: fleet.registrations, changed: fleet.changed };
    let nulled: Declared = {
      original: withNullProvider(fleet.registrations),
      changed: withNullProvider(fleet.changed),
    };

    const measure = async (
      scenario: ScenarioName,
      passes: (current: EngineState, declared: Declared) => Pass[],
    ): Promise<void> => {
      if (!wanted.has(scenario)) return;
      const label = options.label?.[scenario] ?? scenario;
      const memoryDir = options.memoryDir ?? path.join(options.project.dir, ".bench-memory");
      const profileDir = options.profileDir
        ? path.join(options.profileDir, `p${parallelism}-${label.replace("%", "pct")}`)
        : undefined;
      const run = await runOnHosts(passes(state, real), { ...hostOptions, sim, memoryDir, profileDir });
      const requests = run.requests.flat();
      const calls = countCalls(requests);
      const callsTotal = requests.length;
      const floorMs = (callsTotal * latencyMs) / parallelism;
      const last = run.results[run.results.length - 1] as PhaseResult;
      const row: ScenarioFigures = {
        scenario: label,
        variant: options.variant ?? "as built",
        parallelism,
        n,
        latencyMs,
        passes: run.results.length,
        wallMs: run.wallMs,
        rpcs: run.results.reduce((sum, r) => sum + r.rpcs, 0),
        maxSerialInFlight: Math.max(...run.results.map((r) => r.maxSerialInFlight)),
        maxStepsInFlight: Math.max(...run.results.map((r) => r.maxStepsInFlight)),
        steps: countSteps(stepsOf(run.results)),
        calls,
        callsTotal,
        floorMs,
        bareMs: null,
        ratio: null,
        bareMismatches: 0,
        nullMs: null,
        nullRatio: null,
        nullHostCpuMsPerMailbox: null,
        nullEngineCpuMsPerMailbox: null,
        nullPeakRssMb: null,
        stateBytesPerMailbox: stateBytesPerMailbox(last.state),
        peakRssMb: run.peakKb === undefined ? null : run.peakKb / 1024,
        idleRssMb: run.idleKb === undefined ? null : run.idleKb / 1024,
        retainedHeapMb: run.retainedHeapMb ?? null,
        hostCpuMsPerMailbox: run.hostCpuMs === undefined ? null : run.hostCpuMs / n,
        engineCpuMsPerMailbox: run.engineCpuMs / n,
        switchCpuMsPerMailbox: run.switchCpuMs === undefined ? null : run.switchCpuMs / n,
      };
      if (scenario === "preview-10%" || scenario === "deploy-10%") {
        const changed = requests.filter((r) => changedNumbers.has(r.params.mailbox ?? "")).length;
        row.perChanged = changed / Math.max(1, changedNumbers.size);
        row.perUnchanged = (callsTotal - changed) / Math.max(1, n - changedNumbers.size);
      }
      if (twin) {
        const bare = await replayBare(run.requests, twin.url, parallelism);
        row.bareMs = bare.calls > 0 ? bare.wallMs : null;
        row.ratio = bare.calls > 0 ? run.wallMs / bare.wallMs : null;
        row.bareMismatches = bare.mismatches;
        // The twin's own log is never read: forget it, so the child does not grow with every scenario.
        await twin.resetLog();
      }
      state = last.state;
      if (options.nullProvider) {
        const first = state.resources[0];
        if (options.nullPayload === "ours" && scenario === "deploy" && first) {
          const fill = payloadOf(first);
          nulled = {
            original: withNullProvider(fleet.registrations, fill),
            changed: withNullProvider(fleet.changed, fill),
          };
        }
        const nullRun = await runOnHosts(passes(nullState, nulled), {
          ...hostOptions,
          profileDir: profileDir ? `${profileDir}-null` : undefined,
        });
        row.nullMs = nullRun.wallMs;
        row.nullRatio = run.wallMs / nullRun.wallMs;
        row.nullHostCpuMsPerMailbox = nullRun.hostCpuMs === undefined ? null : nullRun.hostCpuMs / n;
        row.nullEngineCpuMsPerMailbox = nullRun.engineCpuMs / n;
        row.nullPeakRssMb = nullRun.peakKb === undefined ? null : nullRun.peakKb / 1024;
        nullState = (nullRun.results[nullRun.results.length - 1] as PhaseResult).state;
      }
      figures.push(row);
      log(
        `  ${row.variant} p=${parallelism} ${label}: ${Math.round(run.wallMs)} ms` +
          (row.bareMs !== null ? `, bare ${Math.round(row.bareMs)} ms` : "") +
          (row.nullMs !== null ? `, null provider ${Math.round(row.nullMs)} ms` : "") +
          `, ${callsTotal} calls in ${chainsOf(requests).length} chains`,
      );
    };
    const common = { parallelism };
    await measure("deploy", (_, d) => [
      (provider) => deployFleet({ ...common, provider, registrations: d.original }),
    ]);
    if (state.resources.length === 0) return figures;
    await measure("preview", (current, d) => [
      (provider) =>
        deployFleet({ ...common, provider, registrations: d.original, state: current, preview: true }),
    ]);
    await measure("preview-10%", (current, d) => [
      (provider) =>
        deployFleet({ ...common, provider, registrations: d.changed, state: current, preview: true }),
    ]);
    await measure("deploy-10%", (current, d) => [
      (provider) => deployFleet({ ...common, provider, registrations: d.changed, state: current }),
    ]);
    // `pulumi refresh` previews first (each pass a host of its own), then applies.
    await measure("refresh", (current) => [
      (provider) => refreshFleet({ ...common, provider, state: current, preview: true }),
      (provider) => refreshFleet({ ...common, provider, state: current }),
    ]);
    await measure("destroy", (current) => [
      (provider) => destroyFleet({ ...common, provider, state: current }),
    ]);
    return figures;
  } finally {
    await Promise.all([sim.close(), twin?.close()]);
  }
}
