/**
 * The package as users get it: `npm pack` of the repository, done once per test run.
 *
 * Jest's `globalSetup` (see `globalSetup.ts`) packs before any test file runs and hands the tarball to
 * the workers through {@link PACKED_ENV}; a test run without that setup (a single file run by hand with
 * another config) packs on first use in its own process. Either way nothing is fetched from a
 * registry: the tarball holds exactly what `files` and `exports` in `package.json` let through, which
 * is the point of testing against it.
 */
import { execFileSync } from "node:child_process";
import * as fs from "node:fs";
import * as path from "node:path";
import { REPO_ROOT, uniqueStateDir } from "./repoPaths";

/** One packed tarball. */
export interface PackedPackage {
  /** Absolute path of the `.tgz`. */
  readonly tarball: string;
  /** Package name from its `package.json`, e.g. `pulumi-enswitch`. */
  readonly name: string;
  /** Package version. */
  readonly version: string;
}

/** Environment variable through which `globalSetup` passes the packed package (JSON) to workers. */
export const PACKED_ENV = "PULUMI_ENSWITCH_TEST_PACKED";

interface NpmPackEntry {
  filename: string;
  name: string;
  version: string;
}

/**
 * Runs `npm pack` on `root` into `destination` and returns the tarball. Lifecycle scripts are skipped:
 * the test command has already built `dist/`.
 *
 * @example
 * ```ts
 * const packed = packPackage(REPO_ROOT, stateDir("pack", "mine"));
 * ```
 */
export function packPackage(
  root: string = REPO_ROOT,
  destination: string = uniqueStateDir("pack", "run"),
): PackedPackage {
  if (root === REPO_ROOT && !fs.existsSync(path.join(root, "dist"))) {
    throw new Error(`${root}/dist is missing: run \`npm run build\` before the host tests`);
  }
  const out = execFileSync("npm", ["pack", "--json", "--ignore-scripts", "--pack-destination", destination], {
    cwd: root,
    encoding: "utf8",
    stdio: ["ignore", "pipe", "pipe"],
  });
  const entries = JSON.parse(out) as NpmPackEntry[];
  const entry = entries[0];
  if (!entry) throw new Error(`npm pack printed no package: ${out}`);
  return { tarball: path.join(destination, entry.filename), name: entry.name, version: entry.version };
}

let packedHere: PackedPackage | undefined;

/**
 * The tarball of this test run: the one `globalSetup` made, else one packed now (once per process).
 */
export function packedPackage(): PackedPackage {
  const fromSetup = process.env[PACKED_ENV];
  if (fromSetup) {
    const packed = JSON.parse(fromSetup) as PackedPackage;
    if (fs.existsSync(packed.tarball)) return packed;
  }
  packedHere ??= packPackage();
  return packedHere;
}
