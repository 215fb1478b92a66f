/**
 * The harness as plain JavaScript, for child processes: every `test/support/**\/*.ts` (tests aside) transpiled
 * (no type check; `tsc --noEmit` does that) into `.state/support-js/<content hash>/` with the same
 * layout, so relative imports keep working and bare imports resolve to the repository's
 * `node_modules` by walking up. Written once per content; concurrent jest workers write to a temporary
 * directory and rename, so they never see a half-written copy.
 */
import { createHash } from "node:crypto";
import * as fs from "node:fs";
import * as path from "node:path";
import * as ts from "typescript";
import { stateDir } from "./repoPaths";

/** Compiler options of every transpiled harness or program file. */
export const TRANSPILE_OPTIONS: ts.CompilerOptions = {
  module: ts.ModuleKind.CommonJS,
  target: ts.ScriptTarget.ES2020,
  esModuleInterop: true,
};

function sourcesUnder(dir: string): string[] {
  return fs
    .readdirSync(dir, { withFileTypes: true })
    .flatMap((e) =>
      e.isDirectory()
        ? sourcesUnder(path.join(dir, e.name))
        : e.name.endsWith(".ts") && !e.name.endsWith(".test.ts")
          ? [path.join(dir, e.name)]
          : [],
    );
}

let compiled: string | undefined;

/**
 * The directory holding the transpiled harness; `path.join(compiledSupport(), "child/programChild.js")`
 * is the program child entry.
 */
export function compiledSupport(): string {
  if (compiled && fs.existsSync(compiled)) return compiled;
  const sources = sourcesUnder(__dirname).sort();
  const hash = createHash("sha256");
  for (const file of sources) hash.update(file).update(fs.readFileSync(file));
  const target = path.join(stateDir("support-js"), hash.digest("hex").slice(0, 16));
  if (!fs.existsSync(target)) {
    const temporary = `${target}.${process.pid}.tmp`;
    for (const file of sources) {
      const out = path.join(temporary, path.relative(__dirname, file)).replace(/\.ts$/, ".js");
      fs.mkdirSync(path.dirname(out), { recursive: true });
      const js = ts.transpileModule(fs.readFileSync(file, "utf8"), {
        compilerOptions: TRANSPILE_OPTIONS,
        fileName: file,
      });
      fs.writeFileSync(out, js.outputText);
    }
    try {
      fs.renameSync(temporary, target);
    } catch {
      fs.rmSync(temporary, { recursive: true, force: true }); // another worker won the race
    }
  }
  // Keep it fresh for `removeStale` in globalSetup while a run uses it.
  const now = new Date();
  fs.utimesSync(target, now, now);
  compiled = target;
  return target;
}

/**
 * Transpiles the TypeScript files of a program directory (not recursive, `*.d.ts` and tests skipped)
 * into `destination`, e.g. `examples/basic` into a project directory. Returns the written files.
 */
export function transpileProgram(sourceDir: string, destination: string): string[] {
  const written: string[] = [];
  for (const name of fs.readdirSync(sourceDir)) {
    if (!name.endsWith(".ts") || name.endsWith(".d.ts") || name.endsWith(".test.ts")) continue;
    const file = path.join(sourceDir, name);
    const js = ts.transpileModule(fs.readFileSync(file, "utf8"), {
      compilerOptions: TRANSPILE_OPTIONS,
      fileName: file,
    });
    const out = path.join(destination, name.replace(/\.ts$/, ".js"));
    fs.writeFileSync(out, js.outputText);
    written.push(out);
  }
  return written;
}
