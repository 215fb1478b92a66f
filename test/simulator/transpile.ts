/**
 * Transpiles `provider/cli/main.ts` and every local module it imports into a temporary directory, so
 * CLI tests can start a child `node` quickly without a prior build (no type check: tsc does that).
 */
import * as fs from "node:fs";
import * as path from "node:path";
import * as ts from "typescript";

const root = path.resolve(__dirname, "../..");

function resolveLocal(from: string, specifier: string): string | undefined {
  const base = path.resolve(path.dirname(from), specifier);
  for (const candidate of [`${base}.ts`, path.join(base, "index.ts"), base]) {
    if (fs.existsSync(candidate) && fs.statSync(candidate).isFile()) return candidate;
  }
  return undefined;
}

/**
 * Writes the JavaScript of `entry` (relative to the repository) and its local imports under `outDir`,
 * mirroring the source tree, and returns the path of the entry's `.js`. Run it with
 * `NODE_PATH=<repo>/node_modules` so that packages resolve from outside the repository.
 */
export function transpileTree(entry: string, outDir: string): string {
  const seen = new Set<string>();
  const queue = [path.join(root, entry)];
  while (queue.length > 0) {
    const file = queue.pop() as string;
    if (seen.has(file)) continue;
    seen.add(file);
    const source = fs.readFileSync(file, "utf8");
    if (!file.endsWith(".ts")) {
      // A JSON or JavaScript file imported by path: copy it where the transpiled code will look.
      const copy = path.join(outDir, path.relative(root, file));
      fs.mkdirSync(path.dirname(copy), { recursive: true });
      fs.writeFileSync(copy, source);
      continue;
    }
    for (const imported of ts.preProcessFile(source, true, true).importedFiles) {
      if (!imported.fileName.startsWith(".")) continue;
      const target = resolveLocal(file, imported.fileName);
      if (target) queue.push(target);
    }
    const output = ts.transpileModule(source, {
      compilerOptions: {
        module: ts.ModuleKind.CommonJS,
        target: ts.ScriptTarget.ES2020,
        esModuleInterop: true,
      },
      fileName: file,
    });
    const out = path.join(outDir, path.relative(root, file)).replace(/\.ts$/, ".js");
    fs.mkdirSync(path.dirname(out), { recursive: true });
    fs.writeFileSync(out, output.outputText);
  }
  return path.join(outDir, entry).replace(/\.ts$/, ".js");
}
