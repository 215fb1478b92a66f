/**
 * Past one stack: the fleet split into K stacks deployed side by side, as a CI matrix runs one job per
 * customer directory (examples/gitops). K engines and K provider hosts at once (here: K engine models
 * in this process, each with a host of its own) against one switch. Each stack is the engine's model
 * on its own (`fleetEngine.ts`), so within a stack Check and Diff stay serial; the stacks overlap.
 */
import type { EngineState } from "../support/engineStandIn";
import { ProviderHost } from "../support/providerHost";
import type { PulumiProject } from "../support/pulumiProject";
import type { Registration } from "../support/registrationLog";
import type { Fleet } from "./fleet";
import { deployFleet, PhaseResult } from "./fleetEngine";
import { startSimulatorProcess } from "./simulatorProcess";

/** One command run on K stacks at once. */
export interface ShardFigures {
  /** Stacks run at once. */
  k: number;
  scenario: "deploy" | "preview";
  /** Mailboxes over all stacks. */
  n: number;
  parallelism: number;
  latencyMs: number;
  /** From the first RPC of any stack to the last answer of all, milliseconds. */
  wallMs: number;
  /** The slowest and fastest stack, milliseconds. */
  slowestStackMs: number;
  fastestStackMs: number;
  /** n ÷ wall. */
  mailboxesPerSecond: number;
  /** API calls over all stacks. */
  callsTotal: number;
}

/** Splits `items` into `k` contiguous shards of sizes differing by at most one. */
export function shard<T>(items: readonly T[], k: number): T[][] {
  const out: T[][] = [];
  let start = 0;
  for (let i = 0; i < k; i++) {
    const size = Math.floor(items.length / k) + (i < items.length % k ? 1 : 0);
    out.push(items.slice(start, start + size));
    start += size;
  }
  return out;
}

/**
 * For each K: a fresh switch, the fleet split into K stacks, a first deployment of all K at once, then
 * a preview with nothing changed of all K at once. Every host and simulator started is stopped.
 */
export async function runShards(options: {
  project: PulumiProject;
  fleet: Fleet;
  ks: readonly number[];
  parallelism: number;
  latencyMs: number;
  log?: (line: string) => void;
}): Promise<ShardFigures[]> {
  const figures: ShardFigures[] = [];
  for (const k of options.ks) {
    const sim = await startSimulatorProcess({ latencyMs: options.latencyMs });
    try {
      const config = { "enswitch:url": sim.url, "enswitch:username": "admin", "enswitch:password": "admin" };
      const stacks = shard(options.fleet.registrations, k);
      let states: EngineState[] = stacks.map(() => ({ resources: [] }));
      const command = async (
        scenario: ShardFigures["scenario"],
        run: (
          host: ProviderHost,
          registrations: readonly Registration[],
          state: EngineState,
        ) => Promise<PhaseResult>,
      ) => {
        const hosts = await Promise.all(
          stacks.map((_, i) =>
            ProviderHost.start({ projectDir: options.project.dir, stack: `shard-${i + 1}` }),
          ),
        );
        try {
          await Promise.all(hosts.map((h) => h.configure(config)));
          await sim.resetLog();
          const started = performance.now();
          const each = await Promise.all(
            stacks.map(async (registrations, i) => {
              const result = await run(hosts[i] as ProviderHost, registrations, states[i] as EngineState);
              return { result, ms: performance.now() - started };
            }),
          );
          const wallMs = performance.now() - started;
          states = each.map((e) => e.result.state);
          const n = options.fleet.registrations.length;
          const row: ShardFigures = {
            k,
            scenario,
            n,
            parallelism: options.parallelism,
            latencyMs: options.latencyMs,
            wallMs,
            slowestStackMs: Math.max(...each.map((e) => e.ms)),
            fastestStackMs: Math.min(...each.map((e) => e.ms)),
            mailboxesPerSecond: n / (wallMs / 1000),
            callsTotal: (await sim.requests()).length,
          };
          figures.push(row);
          options.log?.(
            `  K=${k} ${scenario}: ${Math.round(wallMs)} ms, ${row.mailboxesPerSecond.toFixed(0)} mailboxes/s`,
          );
        } finally {
          await Promise.all(hosts.map((h) => h.close()));
        }
      };
      const parallelism = options.parallelism;
      await command("deploy", (provider, registrations) =>
        deployFleet({ provider, parallelism, registrations }),
      );
      await command("preview", (provider, registrations, state) =>
        deployFleet({ provider, parallelism, registrations, state, preview: true }),
      );
    } finally {
      await sim.close();
    }
  }
  return figures;
}
