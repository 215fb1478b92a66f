/**
 * CPU profiles of the provider host, summarised as self time per function and per area (our package,
 * Pulumi's runtime, gRPC, protobuf, undici, zod, Node itself, GC, idle).
 *
 * The host is Pulumi's own script and `--cpu-prof` is not allowed in `NODE_OPTIONS`, so a preload
 * (`--require`, which is) starts V8's sampling profiler through the in-process inspector and, when
 * the host is stopped with SIGTERM, writes the profile (the same `.cpuprofile` format `--cpu-prof`
 * writes) before exiting.
 */
import * as fs from "node:fs";
import * as path from "node:path";
import { preloadEnv } from "./hostPreload";

/** The environment that makes a provider host write its CPU profile into `dir`. */
export function profilingEnv(dir: string): Record<string, string> {
  return preloadEnv(dir, "profile-preload.js", PRELOAD, "BENCH_CPU_PROFILE_DIR");
}

/**
 * Runs inside the host: start profiling on SIGUSR2 (sent once the host is configured, so that module
 * loading at start-up stays out of the profile), write `<pid>.cpuprofile` on SIGTERM, then exit.
 */
const PRELOAD = `"use strict";
const inspector = require("node:inspector");
const fs = require("node:fs");
const path = require("node:path");
const session = new inspector.Session();
session.connect();
process.on("SIGUSR2", () => {
  session.post("Profiler.enable", () => session.post("Profiler.setSamplingInterval", { interval: 500 }, () => session.post("Profiler.start")));
});
process.on("SIGTERM", () => {
  session.post("Profiler.stop", (error, result) => {
    if (!error) fs.writeFileSync(path.join(process.env.BENCH_CPU_PROFILE_DIR, process.pid + ".cpuprofile"), JSON.stringify(result.profile));
    process.exit(0);
  });
});
`;

/**
 * Starts the profiler of a host started with {@link profilingEnv}. The signal is handled
 * asynchronously; the short pause lets the profiler start before the first RPC (profiles only).
 */
export async function startProfiling(pid: number | undefined): Promise<void> {
  if (pid === undefined) return;
  process.kill(pid, "SIGUSR2");
  await new Promise((resolve) => setTimeout(resolve, 200));
}

/** The `.cpuprofile` format, as far as it is read here. */
interface CpuProfile {
  nodes: {
    id: number;
    callFrame: { functionName: string; url: string; lineNumber: number };
    hitCount?: number;
    children?: number[];
  }[];
  startTime: number;
  endTime: number;
  samples?: number[];
}

/** One row of a summary. */
export interface ProfileRow {
  /** Function (`name file:line`) or area. */
  name: string;
  /** Self time in milliseconds. */
  selfMs: number;
  /** Share of the profile's busy (non-idle) time. */
  share: number;
}

/** A summary of one or more profiles. */
export interface ProfileSummary {
  /** Profiles read. */
  files: number;
  /** Wall time covered, milliseconds. */
  totalMs: number;
  /** Time not idle, milliseconds. */
  busyMs: number;
  /** Self time per area, largest first. */
  areas: ProfileRow[];
  /** Self time per function, largest first (`top` of them). */
  functions: ProfileRow[];
  /**
   * Time by what it was done for (the stack, not the frame): loading modules (`require`, compiling),
   * and, by area, the self time of everything called from the provider's own frames (its handlers).
   */
  stacks: ProfileRow[];
}

const MODULE_LOADING = new Set(["Module._load", "wrapSafe", "compileForInternalLoader"]);

/** The stack category of a profile node: module loading, under the provider's frames, or none. */
function stackCategories(profile: CpuProfile): (id: number) => string | undefined {
  const byId = new Map(profile.nodes.map((n) => [n.id, n]));
  const parent = new Map<number, number>();
  for (const n of profile.nodes) for (const c of n.children ?? []) parent.set(c, n.id);
  const known = new Map<number, string | undefined>();
  return (id) => {
    if (known.has(id)) return known.get(id);
    let loading = false;
    let ours = false;
    for (let at: number | undefined = id; at !== undefined; at = parent.get(at)) {
      const frame = byId.get(at)?.callFrame;
      loading ||= MODULE_LOADING.has(frame?.functionName ?? "");
      ours ||= /pulumi-enswitch[\\/]dist/.test(frame?.url ?? "");
    }
    const frame = byId.get(id)?.callFrame ?? { functionName: "", url: "" };
    const category = loading
      ? "module loading (require, compile)"
      : ours
        ? `under the provider's handlers: ${areaOf(frame.url, frame.functionName)}`
        : undefined;
    known.set(id, category);
    return category;
  };
}

/** The area a script URL belongs to. */
export function areaOf(url: string, functionName: string): string {
  if (functionName === "(idle)") return "idle";
  if (functionName === "(garbage collector)") return "garbage collector";
  if (functionName === "(program)" || url === "") return "V8 / native";
  if (/pulumi-enswitch[\\/]dist/.test(url)) return "pulumi-enswitch (provider code)";
  if (url.includes("@grpc")) return "@grpc/grpc-js";
  if (url.includes("google-protobuf") || url.includes("_pb.js")) return "protobuf";
  if (url.includes("@pulumi")) return "@pulumi/pulumi (host, closure deserialization)";
  if (url.includes("undici")) return "undici";
  if (url.includes("zod")) return "zod";
  if (url.startsWith("node:") || !url.includes("/")) return "Node.js core";
  return "other dependencies";
}

/** Summarises every `.cpuprofile` in `dir`. */
export function summariseProfiles(dir: string, top = 15): ProfileSummary {
  // Recursive: a scenario of several engine runs keeps one directory per run.
  const files = (fs.readdirSync(dir, { recursive: true }) as string[]).filter((f) =>
    f.endsWith(".cpuprofile"),
  );
  const byFunction = new Map<string, number>();
  const byArea = new Map<string, number>();
  const byStack = new Map<string, number>();
  let totalMs = 0;
  for (const file of files) {
    const profile = JSON.parse(fs.readFileSync(path.join(dir, file), "utf8")) as CpuProfile;
    const samples = profile.samples?.length ?? profile.nodes.reduce((s, n) => s + (n.hitCount ?? 0), 0);
    const durationMs = (profile.endTime - profile.startTime) / 1000;
    totalMs += durationMs;
    const msPerSample = samples > 0 ? durationMs / samples : 0;
    const categoryOf = stackCategories(profile);
    for (const node of profile.nodes) {
      const hits = node.hitCount ?? 0;
      if (hits === 0) continue;
      const { functionName, url, lineNumber } = node.callFrame;
      const ms = hits * msPerSample;
      const label = `${functionName || "(anonymous)"} ${shortUrl(url)}${url ? `:${lineNumber + 1}` : ""}`;
      byFunction.set(label, (byFunction.get(label) ?? 0) + ms);
      const area = areaOf(url, functionName);
      byArea.set(area, (byArea.get(area) ?? 0) + ms);
      const category = categoryOf(node.id);
      if (category) byStack.set(category, (byStack.get(category) ?? 0) + ms);
    }
  }
  const busyMs = totalMs - (byArea.get("idle") ?? 0);
  const rows = (m: Map<string, number>) =>
    [...m.entries()]
      .filter(([name]) => !name.startsWith("(idle)") && name !== "idle")
      .map(([name, selfMs]) => ({ name, selfMs, share: busyMs > 0 ? selfMs / busyMs : 0 }))
      .sort((a, b) => b.selfMs - a.selfMs);
  return {
    files: files.length,
    totalMs,
    busyMs,
    areas: rows(byArea),
    functions: rows(byFunction).slice(0, top),
    stacks: rows(byStack),
  };
}

function shortUrl(url: string): string {
  const marker = url.lastIndexOf("node_modules/");
  const rest = marker >= 0 ? url.slice(marker + "node_modules/".length) : url;
  return rest.replace(/^file:\/\//, "");
}
