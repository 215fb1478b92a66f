/**
 * What the provider host keeps, as against what it has merely not collected yet. Peak RSS mixes the
 * two: V8 lets garbage pile up until its heap limit says otherwise, and the compiler's scratch memory
 * comes and goes. So, when the host is stopped (SIGTERM), a preload forces two full collections and
 * writes the heap before and after them, and V8's peak of malloc'ed memory, to `<pid>.memory.json`.
 * A heap that stays the same after collection whatever N is the proof that nothing accumulates.
 *
 * Like the CPU profile it enters the host as a preload (`hostPreload.ts`); `--expose-gc` is not allowed
 * in `NODE_OPTIONS`, so the preload turns it on with `v8.setFlagsFromString`.
 */
import * as fs from "node:fs";
import * as path from "node:path";
import { preloadEnv } from "./hostPreload";

/** The host's memory when it was stopped, MiB. */
export interface HostMemory {
  /** Resident set when stopped, before the collection. */
  rssMb: number;
  /** Heap in use when stopped: live objects plus uncollected garbage. */
  heapUsedMb: number;
  /** Heap in use after two full collections: what the host really keeps. */
  retainedHeapMb: number;
  /** Heap reserved after the collections (V8 keeps room to grow). */
  retainedHeapTotalMb: number;
  /** V8's peak of malloc'ed memory (compiler zones and the like, outside the heap). */
  peakMallocMb: number;
}

/** The environment that makes a host write its memory into `dir` when stopped. */
export function memoryProbeEnv(dir: string): Record<string, string> {
  return preloadEnv(dir, "memory-preload.js", PRELOAD, "BENCH_MEMORY_DIR");
}

/**
 * Measures and writes synchronously, then exits unless another SIGTERM handler (the CPU profile's,
 * which exits once its profile is written) is still to run.
 */
const PRELOAD = `"use strict";
const fs = require("node:fs");
const path = require("node:path");
const v8 = require("node:v8");
const vm = require("node:vm");
v8.setFlagsFromString("--expose-gc");
const gc = vm.runInNewContext("gc");
const MiB = 1024 * 1024;
process.once("SIGTERM", () => {
  const before = process.memoryUsage();
  gc();
  gc();
  const after = process.memoryUsage();
  const figures = {
    rssMb: before.rss / MiB,
    heapUsedMb: before.heapUsed / MiB,
    retainedHeapMb: after.heapUsed / MiB,
    retainedHeapTotalMb: after.heapTotal / MiB,
    peakMallocMb: v8.getHeapStatistics().peak_malloced_memory / MiB,
  };
  fs.writeFileSync(path.join(process.env.BENCH_MEMORY_DIR, process.pid + ".memory.json"), JSON.stringify(figures));
  if (process.listenerCount("SIGTERM") === 0) process.exit(0);
});
`;

/** The figures the host `pid` wrote into `dir`, or `undefined` when it wrote none (killed, or not Linux). */
export function readHostMemory(dir: string, pid: number | undefined): HostMemory | undefined {
  if (pid === undefined) return undefined;
  try {
    return JSON.parse(fs.readFileSync(path.join(dir, `${pid}.memory.json`), "utf8")) as HostMemory;
  } catch {
    return undefined;
  }
}
