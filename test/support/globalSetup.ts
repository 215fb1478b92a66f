/**
 * Jest `globalSetup`: packs the repository once for the whole run (see `packedPackage.ts`) and passes
 * the tarball to every worker through the environment, which workers inherit.
 *
 * Wire it in `jest.config.js`: `globalSetup: "<rootDir>/test/support/globalSetup.ts"`.
 */
import * as fs from "node:fs";
import * as path from "node:path";
import { PACKED_ENV, packPackage } from "./packedPackage";
import { REPO_ROOT, removeStale } from "./repoPaths";

/** Packs the package once per test run; without a build, leaves it to the tests that need it to say so. */
export default async function globalSetup(): Promise<void> {
  for (const area of ["pack", "projects", "support-js"]) removeStale(area);
  if (!fs.existsSync(path.join(REPO_ROOT, "dist"))) return;
  process.env[PACKED_ENV] = JSON.stringify(packPackage());
}
