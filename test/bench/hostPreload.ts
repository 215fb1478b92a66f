/**
 * Code of the benchmark's own that runs inside the provider host. The host is Pulumi's script, started
 * by the harness, so the only way in is a preload: `NODE_OPTIONS=--require <file>` (flags such as
 * `--cpu-prof` or `--expose-gc` are not allowed there). The CPU profile and the memory probe are two.
 */
import * as fs from "node:fs";
import * as path from "node:path";

/**
 * Writes `source` as `<dir>/<name>` and returns the host environment that preloads it, with
 * `dirVariable` telling the preload where to write what it measures.
 */
export function preloadEnv(
  dir: string,
  name: string,
  source: string,
  dirVariable: string,
): Record<string, string> {
  fs.mkdirSync(dir, { recursive: true });
  const preload = path.join(dir, name);
  fs.writeFileSync(preload, source);
  return { NODE_OPTIONS: `--require ${preload}`, [dirVariable]: dir };
}

/**
 * Environments merged for one host: `NODE_OPTIONS` values are joined (each preload keeps its
 * `--require`, in the order given), other keys are taken as given.
 */
export function mergeEnv(...envs: (Record<string, string> | undefined)[]): Record<string, string> {
  const merged: Record<string, string> = {};
  for (const env of envs) {
    for (const [key, value] of Object.entries(env ?? {})) {
      merged[key] = key === "NODE_OPTIONS" && merged[key] ? `${merged[key]} ${value}` : value;
    }
  }
  return merged;
}
