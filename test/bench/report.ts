/**
 * The benchmark's figures as text: a table for the terminal and the same as Markdown for
 * BENCHMARKS.md, the stacks-at-once table, the targets, and the CPU profile summary. `÷ bare` and
 * `÷ null` are the wall time over the bare loop's and over the null provider's. CPU columns: `host` is the provider host, `engine` the
 * benchmark process (engine stand-in and gRPC client), `switch` the simulator's child process.
 */
import type { ScenarioFigures } from "./benchmark";
import type { ShardFigures } from "./shards";
import type { ProfileSummary } from "./cpuProfile";
import type { PerCallFigures } from "./perCall";
import { decompose } from "./targets";

/** Short names of the API functions, for narrow tables. */
const SHORT: Record<string, string> = {
  "mailboxes/create (validation)": "create✓",
  "mailboxes/update (validation)": "update✓",
  "mailboxes/create": "create",
  "mailboxes/update": "update",
  "mailboxes/get": "get",
  "mailboxes/list": "list",
  "mailboxes/delete": "delete",
  "user/login": "login",
};

/** `create✓ 1 + create 1 + get 1` per mailbox (`0` for none). */
export function callsPerMailbox(f: ScenarioFigures): string {
  const parts = Object.entries(f.calls)
    .sort(([a], [b]) => order(a) - order(b))
    .map(([fn, count]) => `${SHORT[fn] ?? fn} ${round(count / f.n, 3)}`);
  return parts.length > 0 ? parts.join(" + ") : "0";
}

function order(fn: string): number {
  const i = Object.keys(SHORT).indexOf(fn);
  return i < 0 ? 99 : i;
}

function round(x: number, digits: number): string {
  return String(Number(x.toFixed(digits)));
}

function seconds(ms: number | null): string {
  return ms === null ? "–" : (ms / 1000).toFixed(2);
}

function ratio(x: number | null | undefined): string {
  return x === null || x === undefined ? "–" : x.toFixed(2);
}

/** The columns of a figures table. */
function rows(figures: readonly ScenarioFigures[]): string[][] {
  return figures.map((f) => [
    f.scenario,
    String(f.parallelism),
    String(f.n),
    seconds(f.wallMs),
    callsPerMailbox(f) +
      (f.perChanged !== undefined
        ? ` (changed ${round(f.perChanged, 2)}, unchanged ${round(f.perUnchanged ?? 0, 2)})`
        : ""),
    seconds(f.floorMs),
    seconds(f.bareMs),
    ratio(f.ratio),
    seconds(f.nullMs),
    ratio(f.nullRatio),
    f.stateBytesPerMailbox === null ? "–" : String(Math.round(f.stateBytesPerMailbox)),
    f.peakRssMb === null ? "–" : f.peakRssMb.toFixed(0),
    f.idleRssMb === null ? "–" : f.idleRssMb.toFixed(0),
    f.retainedHeapMb === null ? "–" : f.retainedHeapMb.toFixed(0),
    f.hostCpuMsPerMailbox === null ? "–" : f.hostCpuMsPerMailbox.toFixed(2),
    f.engineCpuMsPerMailbox.toFixed(2),
    f.switchCpuMsPerMailbox === null ? "–" : f.switchCpuMsPerMailbox.toFixed(2),
  ]);
}

const HEADER = [
  "scenario",
  "P",
  "N",
  "wall s",
  "API calls per mailbox",
  "floor s",
  "bare s",
  "÷ bare",
  "null s",
  "÷ null",
  "state B/mailbox",
  "host peak RSS MiB",
  "idle host MiB",
  "host heap kept MiB",
  "host CPU ms/mailbox",
  "engine CPU ms/mailbox",
  "switch CPU ms/mailbox",
];

/** A fixed-width table for the terminal. */
export function textTable(figures: readonly ScenarioFigures[]): string {
  const all = [HEADER, ...rows(figures)];
  const widths = HEADER.map((_, c) => Math.max(...all.map((r) => (r[c] ?? "").length)));
  return all
    .map((r) =>
      r
        .map((cell, c) => (c === 4 || c === 0 ? cell.padEnd(widths[c] ?? 0) : cell.padStart(widths[c] ?? 0)))
        .join("  "),
    )
    .join("\n");
}

/** The same as a Markdown table. */
export function markdownTable(figures: readonly ScenarioFigures[]): string {
  const align = HEADER.map((_, c) => (c === 0 || c === 4 ? ":--" : "--:"));
  return [HEADER, align, ...rows(figures)].map((r) => `| ${r.join(" | ")} |`).join("\n");
}

const DECOMPOSITION_HEADER = [
  "scenario",
  "wall s",
  "null s",
  "bare s",
  "ours s (wall − null − bare)",
  "ours ms/mailbox",
  "(wall − null) ÷ bare",
  "host CPU ms/mailbox beyond null",
  "engine CPU ms/mailbox beyond null",
];

/**
 * Each scenario taken apart (see `decompose`): Pulumi's floor (null provider), the switch's round
 * trips (bare loop), and what is left, ours; scenarios without the null provider are left out.
 */
export function decompositionTable(figures: readonly ScenarioFigures[], markdown: boolean): string {
  const body = figures.flatMap((f) => {
    const d = decompose(f);
    if (!d) return [];
    const ms = (x: number | null) => (x === null ? "–" : x.toFixed(2));
    return [
      [
        f.scenario,
        seconds(f.wallMs),
        seconds(f.nullMs),
        seconds(f.bareMs ?? 0),
        seconds(d.oursMs),
        ms(d.oursMs / f.n),
        ratio(d.beyondFloorRatio),
        ms(d.hostCpuMsPerMailbox),
        ms(d.engineCpuMsPerMailbox),
      ],
    ];
  });
  const all = [DECOMPOSITION_HEADER, ...body];
  if (markdown) {
    const align = DECOMPOSITION_HEADER.map((_, c) => (c === 0 ? ":--" : "--:"));
    return [DECOMPOSITION_HEADER, align, ...body].map((r) => `| ${r.join(" | ")} |`).join("\n");
  }
  const widths = DECOMPOSITION_HEADER.map((_, c) => Math.max(...all.map((r) => (r[c] ?? "").length)));
  return all
    .map((r) =>
      r.map((cell, c) => (c === 0 ? cell.padEnd(widths[c] ?? 0) : cell.padStart(widths[c] ?? 0))).join("  "),
    )
    .join("\n");
}

/** The CPU profile summary: areas, then the top functions. */
export function profileText(summary: ProfileSummary): string {
  const lines = [
    `CPU profile of ${summary.files} host process(es): ${(summary.totalMs / 1000).toFixed(1)} s wall, ${(summary.busyMs / 1000).toFixed(1)} s busy`,
    "By area (self time, share of busy time):",
    ...summary.areas.map(
      (r) =>
        `  ${(r.share * 100).toFixed(1).padStart(5)} %  ${(r.selfMs / 1000).toFixed(2).padStart(6)} s  ${r.name}`,
    ),
    "By what it was done for (stack):",
    ...summary.stacks.map(
      (r) =>
        `  ${(r.share * 100).toFixed(1).padStart(5)} %  ${(r.selfMs / 1000).toFixed(2).padStart(6)} s  ${r.name}`,
    ),
    "Top functions:",
    ...summary.functions.map(
      (r) =>
        `  ${(r.share * 100).toFixed(1).padStart(5)} %  ${(r.selfMs / 1000).toFixed(2).padStart(6)} s  ${r.name}`,
    ),
  ];
  return lines.join("\n");
}

/**
 * Each variant beside the package as built, scenario by scenario at the same parallelism: API calls
 * per mailbox, wall time and host CPU per mailbox, as `as built → variant`.
 */
export function variantTable(figures: readonly ScenarioFigures[], markdown: boolean): string {
  const header = ["variant", "scenario", "P", "API calls/mailbox", "wall s", "host CPU ms/mailbox"];
  const body: string[][] = [];
  for (const f of figures) {
    if (f.variant === "as built") continue;
    const base = figures.find(
      (b) =>
        b.variant === "as built" &&
        b.scenario === f.scenario &&
        b.parallelism === f.parallelism &&
        b.n === f.n,
    );
    if (!base) continue;
    const arrow = (a: string, b: string) => (a === b ? a : `${a} → ${b}`);
    const cpu = (x: ScenarioFigures) =>
      x.hostCpuMsPerMailbox === null ? "–" : x.hostCpuMsPerMailbox.toFixed(2);
    body.push([
      f.variant,
      f.scenario,
      String(f.parallelism),
      arrow(round(base.callsTotal / base.n, 3), round(f.callsTotal / f.n, 3)),
      `${seconds(base.wallMs)} → ${seconds(f.wallMs)}`,
      `${cpu(base)} → ${cpu(f)}`,
    ]);
  }
  if (markdown) {
    return [header, header.map((_, c) => (c < 2 ? ":--" : "--:")), ...body]
      .map((r) => `| ${r.join(" | ")} |`)
      .join("\n");
  }
  const all = [header, ...body];
  const widths = header.map((_, c) => Math.max(...all.map((r) => (r[c] ?? "").length)));
  return all.map((r) => r.map((cell, c) => cell.padEnd(widths[c] ?? 0)).join("  ")).join("\n");
}

/** Microseconds per handler call, one column per package, with the change against the first. */
export function perCallTable(figures: PerCallFigures, markdown: boolean): string {
  const labels = Object.keys(figures.microseconds);
  const base = labels[0] ?? "";
  const ops = Object.keys(figures.microseconds[base] ?? {});
  const header = ["operation (µs per call, median of rounds)", ...labels];
  const body = ops.map((op) => [
    op,
    ...labels.map((label) => {
      const us = figures.microseconds[label]?.[op] ?? 0;
      const ref = figures.microseconds[base]?.[op] ?? 0;
      const change =
        label === base || ref === 0
          ? ""
          : ` (${us >= ref ? "+" : ""}${(((us - ref) / ref) * 100).toFixed(0)} %)`;
      return `${us.toFixed(0)}${change}`;
    }),
  ]);
  if (markdown) {
    return [header, header.map((_, c) => (c === 0 ? ":--" : "--:")), ...body]
      .map((r) => `| ${r.join(" | ")} |`)
      .join("\n");
  }
  const all = [header, ...body];
  const widths = header.map((_, c) => Math.max(...all.map((r) => (r[c] ?? "").length)));
  return all.map((r) => r.map((cell, c) => cell.padEnd(widths[c] ?? 0)).join("  ")).join("\n");
}

/** Runs of K stacks at once, as a table. */
export function shardTable(figures: readonly ShardFigures[], markdown: boolean): string {
  const header = [
    "K stacks",
    "command",
    "N (all stacks)",
    "wall s",
    "slowest stack s",
    "fastest stack s",
    "mailboxes/s",
    "API calls",
  ];
  const body = figures.map((f) => [
    String(f.k),
    f.scenario,
    String(f.n),
    seconds(f.wallMs),
    seconds(f.slowestStackMs),
    seconds(f.fastestStackMs),
    f.mailboxesPerSecond.toFixed(1),
    String(f.callsTotal),
  ]);
  if (markdown) {
    return [header, header.map((_, c) => (c === 1 ? ":--" : "--:")), ...body]
      .map((r) => `| ${r.join(" | ")} |`)
      .join("\n");
  }
  const all = [header, ...body];
  const widths = header.map((_, c) => Math.max(...all.map((r) => (r[c] ?? "").length)));
  return all.map((r) => r.map((cell, c) => cell.padStart(widths[c] ?? 0)).join("  ")).join("\n");
}
