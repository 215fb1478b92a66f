/**
 * The targets of the benchmark (issue 13), each judged from one run's figures: met or not, with the
 * figure it was judged on. Nothing is judged on a figure that was not measured.
 */
import type { ScenarioFigures } from "./benchmark";

/** One target's verdict. */
export interface Verdict {
  target: string;
  /** `undefined` when the run did not measure it. */
  met: boolean | undefined;
  figure: string;
}

const LIMIT = 1.1;

/**
 * A scenario's wall time taken apart: serial Check/Diff add Pulumi's own per-resource cost (the null
 * provider, same host, same engine model) to the switch's round trips (the bare loop), so what is left
 * is the provider's own (its CPU, its module loading, the protobuf work of its larger payloads).
 */
export interface Decomposition {
  /** wall − null − bare, milliseconds (bare 0 when the scenario makes no request). */
  oursMs: number;
  /** (wall − null) ÷ bare: the time beyond Pulumi's floor against the bare loop; `null` without requests. */
  beyondFloorRatio: number | null;
  /** Host and engine CPU per mailbox beyond the null provider's, milliseconds. */
  hostCpuMsPerMailbox: number | null;
  engineCpuMsPerMailbox: number | null;
}

/** The decomposition of one scenario; `undefined` when the null provider (or a needed bare loop) did not run. */
export function decompose(f: ScenarioFigures): Decomposition | undefined {
  const bare = f.bareMs ?? (f.callsTotal === 0 ? 0 : null);
  if (f.nullMs === null || bare === null) return undefined;
  const minus = (a: number | null, b: number | null) => (a === null || b === null ? null : a - b);
  return {
    oursMs: f.wallMs - f.nullMs - bare,
    beyondFloorRatio: bare > 0 ? (f.wallMs - f.nullMs) / bare : null,
    hostCpuMsPerMailbox: minus(f.hostCpuMsPerMailbox, f.nullHostCpuMsPerMailbox),
    engineCpuMsPerMailbox: minus(f.engineCpuMsPerMailbox, f.nullEngineCpuMsPerMailbox),
  };
}

/** Verdicts for the figures of one parallelism, the first deployments at several N, and `__provider`'s size. */
export function verdicts(
  figures: readonly ScenarioFigures[],
  linearity: readonly ScenarioFigures[],
  providerBytes: number | undefined,
): Verdict[] {
  const out: Verdict[] = [];
  const at = (scenario: string) => figures.find((f) => f.scenario === scenario && f.variant === "as built");
  const judge = (target: string, met: boolean | undefined, figure: string) =>
    out.push({ target, met, figure });
  for (const f of figures.filter((x) => x.variant === "as built")) {
    if (f.ratio !== null) {
      judge(
        `${f.scenario} ≤ ${LIMIT} × its bare loop`,
        f.ratio <= LIMIT,
        `${f.ratio.toFixed(2)} (${s(f.wallMs)} against ${s(f.bareMs)})`,
      );
    } else if (f.callsTotal === 0) {
      judge(
        `${f.scenario} ≤ ${LIMIT} × its bare loop`,
        undefined,
        "no API call: the bare loop has nothing to send",
      );
    }
  }
  const preview = at("preview");
  if (preview?.nullRatio != null) {
    judge(
      `preview ≤ ${LIMIT} × the null provider`,
      preview.nullRatio <= LIMIT,
      `${preview.nullRatio.toFixed(2)} (${s(preview.wallMs)} against ${s(preview.nullMs)})`,
    );
  }
  // Beside the targets above, not instead of them: the same bare loop, measured beyond Pulumi's floor.
  for (const f of figures.filter((x) => x.variant === "as built")) {
    const d = decompose(f);
    if (d?.beyondFloorRatio == null) continue;
    judge(
      `${f.scenario}: (wall − null provider) ≤ ${LIMIT} × its bare loop`,
      d.beyondFloorRatio <= LIMIT,
      `${d.beyondFloorRatio.toFixed(2)} ((${s(f.wallMs)} − ${s(f.nullMs)}) against ${s(f.bareMs)}; ours ≈ ${s(d.oursMs)})`,
    );
  }
  const perMailbox = (f: ScenarioFigures | undefined) => (f ? f.callsTotal / f.n : undefined);
  const calls = (target: string, value: number | undefined, ok: (v: number) => boolean) =>
    judge(
      target,
      value === undefined ? undefined : ok(value),
      value === undefined ? "not run" : String(+value.toFixed(3)),
    );
  calls("requests per created mailbox ≤ 3", perMailbox(at("deploy")), (v) => v <= 3);
  calls(
    "requests per created mailbox ≤ 2 without create dry runs",
    perMailbox(at("deploy-without-dry-run")),
    (v) => v <= 2,
  );
  calls("requests per updated mailbox ≤ 3", at("deploy-10%")?.perChanged, (v) => v <= 3);
  const unchanged = [
    perMailbox(at("preview")),
    at("preview-10%")?.perUnchanged,
    at("deploy-10%")?.perUnchanged,
  ];
  calls(
    "requests per unchanged mailbox = 0",
    unchanged.some((v) => v === undefined) ? undefined : Math.max(...(unchanged as number[])),
    (v) => v === 0,
  );
  const refresh = at("refresh");
  calls(
    "requests per mailbox per refresh pass = 1",
    refresh ? refresh.callsTotal / refresh.n / refresh.passes : undefined,
    (v) => v === 1,
  );
  const state = figures.map((f) => f.stateBytesPerMailbox).filter((b): b is number => b !== null);
  calls("state ≤ 3 KB per mailbox", state.length > 0 ? Math.max(...state) : undefined, (v) => v <= 3072);
  judge(
    "__provider < 1 KB",
    providerBytes === undefined ? undefined : providerBytes < 1024,
    providerBytes === undefined ? "not run" : `${providerBytes} B`,
  );
  const rss = figures.filter((f) => f.variant === "as built" && f.peakRssMb !== null && f.idleRssMb !== null);
  if (rss.length > 0) {
    const worst = rss.reduce((a, b) =>
      (a.peakRssMb ?? 0) / (a.idleRssMb ?? 1) >= (b.peakRssMb ?? 0) / (b.idleRssMb ?? 1) ? a : b,
    );
    const r = (worst.peakRssMb ?? 0) / (worst.idleRssMb ?? 1);
    // Pulumi's host under the null provider, same passes: how much of the peak is the host's own.
    const floor =
      worst.nullPeakRssMb === null
        ? ""
        : `; the null provider's host: ${(worst.nullPeakRssMb / (worst.idleRssMb ?? 1)).toFixed(2)} (${worst.nullPeakRssMb.toFixed(0)} MiB)`;
    judge(
      `host peak RSS ≤ 1.2 × the idle host (N = ${worst.n})`,
      r <= 1.2,
      `${r.toFixed(2)} in ${worst.scenario} (${worst.peakRssMb?.toFixed(0)} against ${worst.idleRssMb?.toFixed(0)} MiB)${floor}`,
    );
  }
  const sorted = [...linearity].sort((a, b) => a.n - b.n);
  const first = sorted[0];
  const last = sorted[sorted.length - 1];
  if (first && last && first !== last && first.retainedHeapMb !== null && last.retainedHeapMb !== null) {
    const growth = last.retainedHeapMb / first.retainedHeapMb;
    judge(
      `heap kept flat from N = ${first.n} to ${last.n} (≤ ${LIMIT} ×)`,
      growth <= LIMIT,
      sorted.map((f) => `${f.retainedHeapMb?.toFixed(1)} MiB`).join(" / "),
    );
    // Linear: no N costs more per mailbox than a smaller N did (the smallest N also pays the start-up).
    const per = sorted.map((f) => f.wallMs / f.n);
    const worst = Math.max(...per.slice(1).map((p, i) => p / Math.min(...per.slice(0, i + 1))));
    judge(
      `linear in N from ${first.n} to ${last.n} (wall per mailbox ≤ ${LIMIT} × that of any smaller N)`,
      worst <= LIMIT,
      per.map((p) => `${p.toFixed(1)} ms`).join(" / ") + " per mailbox",
    );
  }
  return out;
}

function s(ms: number | null | undefined): string {
  return ms === null || ms === undefined ? "–" : `${(ms / 1000).toFixed(2)} s`;
}

/** The verdicts as lines (or a Markdown table). */
export function verdictText(list: readonly Verdict[], markdown: boolean): string {
  const mark = (v: Verdict) => (v.met === undefined ? "n/a" : v.met ? "met" : "NOT met");
  if (markdown) {
    return [
      "| target | status | figure |",
      "| :-- | :-- | :-- |",
      ...list.map((v) => `| ${v.target} | ${mark(v)} | ${v.figure} |`),
    ].join("\n");
  }
  return list.map((v) => `  ${mark(v).padEnd(7)} ${v.target}: ${v.figure}`).join("\n");
}
