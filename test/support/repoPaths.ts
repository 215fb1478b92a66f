/**
 * Where the test harness finds the repository and keeps its scratch files.
 *
 * Everything the harness writes goes under `<repo>/.state/` (gitignored): a Pulumi project created
 * there finds the repository's `node_modules` by walking up, exactly as an installed package finds
 * its dependencies in a user's project.
 */
import * as fs from "node:fs";
import * as path from "node:path";

/**
 * The repository root: the nearest ancestor holding both `package.json` and `tsconfig.json`. Found by
 * walking up rather than by a fixed `../..` because the harness also runs as a transpiled copy under
 * `.state/` (see `compiledSupport.ts`).
 */
export const REPO_ROOT: string = findRepoRoot(__dirname);

function findRepoRoot(start: string): string {
  for (let dir = start; ; dir = path.dirname(dir)) {
    if (fs.existsSync(path.join(dir, "package.json")) && fs.existsSync(path.join(dir, "tsconfig.json")))
      return dir;
    if (path.dirname(dir) === dir) throw new Error(`no repository root above ${start}`);
  }
}

/**
 * The gitignored scratch directory of the harness. `ENSWITCH_TEST_STATE_DIR` moves it: the support
 * matrix (`.ci/matrix.sh`) puts it beside a `node_modules` with another `@pulumi/pulumi`, which the
 * projects created there then find first.
 */
export const STATE_DIR: string = process.env.ENSWITCH_TEST_STATE_DIR || path.join(REPO_ROOT, ".state");

/**
 * A directory under {@link STATE_DIR}, created if needed.
 *
 * @example
 * ```ts
 * const dir = stateDir("projects"); // <repo>/.state/projects
 * ```
 */
export function stateDir(...segments: string[]): string {
  const dir = path.join(STATE_DIR, ...segments);
  fs.mkdirSync(dir, { recursive: true });
  return dir;
}

/**
 * A fresh, empty directory under `.state/<area>/` with a unique name; the caller removes it.
 */
export function uniqueStateDir(area: string, prefix: string): string {
  return fs.mkdtempSync(path.join(stateDir(area), `${prefix}-`));
}

/**
 * Removes entries of `.state/<area>/` not modified for `maxAgeMs` (default one hour): leftovers of
 * earlier runs. Several test runs may share the repository at once, so only stale entries go.
 */
export function removeStale(area: string, maxAgeMs = 60 * 60 * 1000): void {
  const dir = stateDir(area);
  for (const name of fs.readdirSync(dir)) {
    const full = path.join(dir, name);
    if (Date.now() - fs.statSync(full).mtimeMs > maxAgeMs) fs.rmSync(full, { recursive: true, force: true });
  }
}
