/**
 * `npm run bench`: the fleet benchmark from the command line (see `benchmark.ts`). Prints every
 * scenario against its baselines, K stacks at once, the targets' verdicts, writes every figure as
 * JSON, and with `--profile` summarises CPU profiles of the host.
 *
 * @example
 * ```sh
 * npm run bench                                  # N = 1000, 20 ms, parallelism 10, K = 1,2,4 stacks
 * npm run bench -- -n 200 --latency 5 --shards ""
 * npm run bench -- --linearity 100,1000,5000     # first deployment at each N (5000 takes a while)
 * npm run bench -- --token --profile
 * ```
 */
import { Command } from "commander";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { PACKED_ENV, packedPackage } from "../support/packedPackage";
import { createPulumiProject } from "../support/pulumiProject";
import { stateDir, uniqueStateDir } from "../support/repoPaths";
import { LIFECYCLE, runPass, ScenarioFigures, ScenarioName } from "./benchmark";
import { summariseProfiles } from "./cpuProfile";
import { buildFleet } from "./fleet";
import { measurePerCall, PerCallFigures } from "./perCall";
import {
  decompositionTable,
  markdownTable,
  perCallTable,
  profileText,
  shardTable,
  textTable,
  variantTable,
} from "./report";
import { runShards, ShardFigures } from "./shards";
import { verdicts, verdictText } from "./targets";
import { applyVariant, variantNamed, VARIANTS } from "./variants";

/** Mailboxes of the unmeasured warm-up pass. */
const WARM_UP_MAILBOXES = 100;

/** The options of a run, after defaults. */
export interface BenchOptions {
  n: number;
  latencyMs: number;
  parallelism: number[];
  /** Extra first-deployment runs at these N (parallelism: the first of `parallelism`). */
  linearity: number[];
  token: boolean;
  bare: boolean;
  /** Run the null provider beside each scenario. */
  nullProvider: boolean;
  /** The null provider's payload: its own inputs (`echo`) or as large as the mailbox provider's (`ours`). */
  nullPayload: "echo" | "ours";
  /** Numbers of stacks to run at once (the fleet split between them). */
  shards: number[];
  profile: boolean;
  /** The scenarios of the profile pass (each beside the null provider). */
  profileScenarios: ScenarioName[];
  json: string;
  markdown: boolean;
  /** Variants (see `variants.ts`) measured beside the package as built. */
  compare: string[];
  /** Also time the handlers in-process (as built and every patching variant of `compare`, or all). */
  perCall: boolean;
}

function numbers(text: string): number[] {
  return text
    .split(",")
    .filter((s) => s.trim() !== "")
    .map((s) => {
      const n = Number(s);
      if (!Number.isInteger(n) || n <= 0) throw new Error(`not a positive whole number: ${s}`);
      return n;
    });
}

/** Parses the command line. */
export function parseOptions(argv: string[]): BenchOptions {
  const program = new Command("bench")
    .description("Fleet benchmark of the Mailbox provider through the real provider host")
    .option("-n, --mailboxes <n>", "mailboxes in the fleet", "1000")
    .option("--latency <ms>", "latency the simulator adds to every API request", "20")
    .option("--parallelism <list>", "engine parallelism(s) (--parallel), comma-separated", "10")
    .option("--shards <list>", "also run the fleet split into K stacks at once, for each K", "1,2,4")
    .option("--linearity <list>", "also time the first deployment at these N (e.g. 100,1000,5000)", "")
    .option("--token", "log in once with enswitch:useToken instead of sending the password on every call")
    .option("--no-bare", "skip the bare undici loop")
    .option("--no-null", "skip the null provider")
    .option(
      "--null-payload <kind>",
      "echo: the null provider returns its inputs; ours: it adds what the mailbox provider adds (same bytes)",
      "echo",
    )
    .option("--profile", "write CPU profiles of the host at the highest parallelism and summarise them")
    .option(
      "--profile-scenarios <list>",
      "the scenarios of the profile pass (deploy always first)",
      "deploy,preview",
    )
    .option("--json <file>", "where to write the figures", path.join(stateDir("bench"), "last.json"))
    .option("--markdown", "print the tables as Markdown (for BENCHMARKS.md)")
    .option(
      "--compare <list>",
      `also measure these variants at each parallelism: ${VARIANTS.map((v) => v.name).join(", ")}, or all`,
      "",
    )
    .option("--per-call", "also time each handler in-process, as built and with each patching variant")
    .option("--per-call-only", "only the in-process handler timing (no fleet passes)")
    .exitOverride();
  program.parse(argv, { from: "user" });
  const o = program.opts<{
    mailboxes: string;
    latency: string;
    parallelism: string;
    linearity: string;
    token?: boolean;
    bare: boolean;
    null: boolean;
    nullPayload: string;
    shards: string;
    profile?: boolean;
    profileScenarios: string;
    json: string;
    markdown?: boolean;
    compare: string;
    perCall?: boolean;
    perCallOnly?: boolean;
  }>();
  if (o.nullPayload !== "echo" && o.nullPayload !== "ours") throw new Error("--null-payload: echo or ours");
  for (const s of o.profileScenarios.split(",").filter((x) => x !== "")) {
    if (!(LIFECYCLE as readonly string[]).includes(s))
      throw new Error(`not a scenario: ${s} (${LIFECYCLE.join(", ")})`);
  }
  const compare =
    o.compare === "all" ? VARIANTS.map((v) => v.name) : o.compare.split(",").filter((s) => s !== "");
  compare.forEach(variantNamed);
  return {
    n: numbers(o.mailboxes)[0] ?? 1000,
    latencyMs: Number(o.latency),
    parallelism: o.perCallOnly ? [] : numbers(o.parallelism),
    linearity: numbers(o.linearity),
    token: o.token ?? false,
    bare: o.bare,
    nullProvider: o.null,
    nullPayload: o.nullPayload,
    shards: o.perCallOnly ? [] : numbers(o.shards),
    profile: o.profile ?? false,
    // The fleet's first deployment always comes first: every later scenario needs the mailboxes.
    profileScenarios: [
      "deploy",
      ...o.profileScenarios.split(",").filter((x) => x !== "" && x !== "deploy"),
    ] as ScenarioName[],
    json: o.json,
    markdown: o.markdown ?? false,
    compare,
    perCall: (o.perCall ?? false) || (o.perCallOnly ?? false),
  };
}

/** The machine, for the record. */
export function machine(): string {
  const cpus = os.cpus();
  return `${cpus.length} × ${cpus[0]?.model ?? "unknown CPU"}, ${(os.totalmem() / 2 ** 30).toFixed(0)} GiB, Node ${process.version}, ${os.platform()} ${os.release()}, load ${os
    .loadavg()
    .map((l) => l.toFixed(2))
    .join(" ")} at start`;
}

function highestParallelism(options: BenchOptions): number {
  return Math.max(...options.parallelism);
}

/** Runs the benchmark; resolves with the process exit code. */
export async function main(argv: string[]): Promise<number> {
  const options = parseOptions(argv);
  const log = (line: string) => process.stderr.write(`${line}\n`);
  const stack = "bench";
  const started = new Date();
  log(`machine: ${machine()}`);
  const packed = packedPackage();
  const project = createPulumiProject({ packed, name: "bench" });
  const profileDir = options.profile ? uniqueStateDir("bench", "profile") : undefined;
  const config = options.token ? { "enswitch:useToken": "true" } : undefined;
  const figures: ScenarioFigures[] = [];
  const linearity: ScenarioFigures[] = [];
  const shards: ShardFigures[] = [];
  let providerBytes: number | undefined;
  let perCall: PerCallFigures | undefined;
  try {
    const fleets = new Map<number, Awaited<ReturnType<typeof buildFleet>>>();
    const fleetOf = async (n: number) => {
      let fleet = fleets.get(n);
      if (!fleet) fleets.set(n, (fleet = await buildFleet(project, stack, n)));
      return fleet;
    };
    const highest = Math.max(...options.parallelism);
    // The first pass would otherwise also pay for compiling the engine stand-in, its gRPC client and
    // the bare loop in this process, which the passes after it (variants included) do not: a small,
    // unmeasured pass first makes the package as built and its variants comparable.
    if (options.parallelism.length > 0) {
      log(`warm-up: N=${WARM_UP_MAILBOXES}, parallelism ${highest} (not measured)`);
      await runPass({
        project,
        stack,
        fleet: await fleetOf(WARM_UP_MAILBOXES),
        parallelism: highest,
        latencyMs: options.latencyMs,
        bare: options.bare,
        config,
      });
    }
    for (const parallelism of options.parallelism) {
      log(`N=${options.n}, latency ${options.latencyMs} ms, parallelism ${parallelism}`);
      const pass = {
        project,
        stack,
        fleet: await fleetOf(options.n),
        parallelism,
        latencyMs: options.latencyMs,
        bare: options.bare,
        nullProvider: options.nullProvider,
        nullPayload: options.nullPayload,
        log,
      };
      figures.push(...(await runPass({ ...pass, config })));
      // The first deployment again, on a fresh switch, with check asking nothing about new mailboxes.
      figures.push(
        ...(await runPass({
          ...pass,
          config: { ...config, "enswitch:dryRunCreates": "false" },
          scenarios: ["deploy"],
          label: { deploy: "deploy-without-dry-run" },
        })),
      );
    }
    for (const name of options.compare) {
      const variant = variantNamed(name);
      const patched = createPulumiProject({ packed, name: "bench" });
      try {
        applyVariant(patched.packageDir, variant);
        for (const parallelism of options.parallelism) {
          log(`variant ${name}: N=${options.n}, parallelism ${parallelism}`);
          figures.push(
            ...(await runPass({
              project: patched,
              stack,
              fleet: await fleetOf(options.n),
              parallelism,
              latencyMs: options.latencyMs,
              // The bare loop measures the calls, not the provider: once, beside the package as built.
              bare: false,
              config: { ...config, ...variant.config },
              variant: name,
              log,
            })),
          );
        }
      } finally {
        patched.remove();
      }
    }
    if (options.perCall) {
      const names = options.compare.length > 0 ? options.compare : VARIANTS.map((v) => v.name);
      const patching = names.map(variantNamed).filter((v) => v.patches.length > 0);
      const dirs: Record<string, string> = { "as built": project.packageDir };
      const extra = patching.map((variant) => {
        const p = createPulumiProject({ packed, name: "bench" });
        applyVariant(p.packageDir, variant);
        dirs[variant.name] = p.packageDir;
        return p;
      });
      try {
        log(`per-call timing: ${Object.keys(dirs).join(", ")}`);
        const fleet = await fleetOf(options.n);
        const template = fleet.registrations[0];
        if (!template) throw new Error("empty fleet");
        perCall = await measurePerCall(dirs, template);
      } finally {
        for (const p of extra) p.remove();
      }
    }
    if (profileDir) {
      // A pass of its own, so that the profiler's overhead touches none of the figures above: the
      // first deployment and the preview, each beside the null provider (Pulumi's host alone).
      log(`CPU profile: N=${options.n}, parallelism ${highest}`);
      await runPass({
        project,
        stack,
        fleet: await fleetOf(options.n),
        parallelism: highest,
        latencyMs: options.latencyMs,
        bare: false,
        nullProvider: true,
        scenarios: options.profileScenarios,
        config,
        profileDir,
        log,
      });
    }
    const linearP = options.parallelism[0] ?? 10;
    for (const n of options.linearity) {
      const known = figures.find((f) => f.scenario === "deploy" && f.n === n && f.parallelism === linearP);
      if (known) {
        linearity.push(known);
        continue;
      }
      log(`linearity: first deployment of N=${n} at parallelism ${linearP}`);
      linearity.push(
        ...(await runPass({
          project,
          stack,
          fleet: await fleetOf(n),
          parallelism: linearP,
          latencyMs: options.latencyMs,
          // Only the provider's own time: the baselines of N = 5000 would double the run.
          bare: false,
          config,
          scenarios: ["deploy"],
          log,
        })),
      );
    }
    for (const k of options.shards) {
      log(`K=${k} stacks at once: N=${options.n} in all, parallelism ${linearP} per stack`);
      shards.push(
        ...(await runShards({
          project,
          fleet: await fleetOf(options.n),
          ks: [k],
          parallelism: linearP,
          latencyMs: options.latencyMs,
          log,
        })),
      );
    }
    const provider = (await fleetOf(options.n)).registrations[0]?.inputs.__provider;
    providerBytes = typeof provider === "string" ? Buffer.byteLength(provider) : 0;
  } finally {
    project.remove();
    // The tarball packed for this run (not one a test run's globalSetup handed over).
    if (!process.env[PACKED_ENV]) fs.rmSync(path.dirname(packed.tarball), { recursive: true, force: true });
  }

  const table = options.markdown ? markdownTable : textTable;
  const out: string[] = [
    `pulumi-enswitch fleet benchmark — ${started.toISOString()}`,
    `machine: ${machine()}`,
    `N = ${options.n}, latency ${options.latencyMs} ms per request, auth ${options.token ? "token (enswitch:useToken)" : "username + password"}, null provider ${options.nullPayload === "ours" ? "with the mailbox provider's payload (--null-payload ours)" : "echoing its inputs"}`,
  ];
  for (const variant of [...new Set(figures.map((f) => f.variant))]) {
    const description = VARIANTS.find((v) => v.name === variant)?.description ?? "the package as built";
    out.push("", `${variant}: ${description}`, "", table(figures.filter((f) => f.variant === variant)));
  }
  const decomposition = decompositionTable(
    figures.filter((f) => f.variant === "as built"),
    options.markdown,
  );
  if (decomposition.split("\n").length > (options.markdown ? 2 : 1)) {
    out.push(
      "",
      "Where the time goes: wall ≈ null provider (Pulumi's floor) + bare loop (the switch) + ours:",
      "",
      decomposition,
    );
  }
  if (options.compare.length > 0) {
    out.push(
      "",
      "Variants beside the package as built (as built → variant):",
      "",
      variantTable(figures, options.markdown),
    );
  }
  if (perCall) {
    out.push("", "Handler CPU per call, in-process, no I/O:", "", perCallTable(perCall, options.markdown));
  }
  if (linearity.length > 0) {
    out.push("", "First deployment against N (linearity):", "", table(linearity.sort((a, b) => a.n - b.n)));
    const perMailbox = linearity.map((f) => `N=${f.n}: ${(f.wallMs / f.n).toFixed(2)} ms/mailbox`).join(", ");
    out.push("", `wall time per mailbox: ${perMailbox}`);
  }
  if (shards.length > 0) {
    out.push(
      "",
      "K stacks at once, one switch (the fleet split between them):",
      "",
      shardTable(shards, options.markdown),
    );
  }
  const judged = verdicts(
    figures.filter((f) => f.parallelism === (options.parallelism[0] ?? 10)),
    linearity,
    providerBytes,
  );
  out.push("", "Targets:", "", verdictText(judged, options.markdown));
  let profile: ReturnType<typeof summariseProfiles> | undefined;
  const profiles: Record<string, ReturnType<typeof summariseProfiles>> = {};
  if (profileDir) {
    const dirs = fs.readdirSync(profileDir).map((d) => path.join(profileDir, d));
    profile = summariseProfiles(dirs.find((d) => d.endsWith("deploy")) ?? profileDir);
    out.push(
      "",
      `Host CPU profile, first deployment at parallelism ${highestParallelism(options)}:`,
      profileText(profile),
    );
    for (const dir of dirs) {
      const s = (profiles[path.basename(dir)] = summariseProfiles(dir, 5));
      out.push("", `${path.basename(dir)}:`, profileText(s));
    }
  }
  process.stdout.write(out.join("\n") + "\n");
  fs.mkdirSync(path.dirname(options.json), { recursive: true });
  fs.writeFileSync(
    options.json,
    JSON.stringify(
      {
        started: started.toISOString(),
        machine: machine(),
        options,
        figures,
        linearity,
        shards,
        targets: judged,
        providerBytes,
        profile,
        profiles,
        perCall,
      },
      null,
      2,
    ),
  );
  log(`figures written to ${options.json}`);
  return 0;
}
