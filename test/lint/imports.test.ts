/**
 * No import circles under provider/: eslint's `no-restricted-imports` (eslint.config.mjs) keeps each
 * folder to its layer, and this walks every import and `require` of a relative path, type imports
 * included, so that no file depends on itself through others.
 */
import * as fs from "node:fs";
import * as path from "node:path";
import * as ts from "typescript";
import { REPO_ROOT } from "../support/repoPaths";

const PROVIDER = path.join(REPO_ROOT, "provider");

/** Every .ts file under `dir`. */
function sources(dir: string): string[] {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const file = path.join(dir, entry.name);
    return entry.isDirectory() ? sources(file) : entry.name.endsWith(".ts") ? [file] : [];
  });
}

/** The files of this package that `file` imports (relative specifiers, resolved as TypeScript does). */
function imports(file: string): string[] {
  const { importedFiles } = ts.preProcessFile(fs.readFileSync(file, "utf8"), true, true);
  return importedFiles
    .filter(({ fileName }) => fileName.startsWith("."))
    .map(({ fileName }) => {
      const base = path.resolve(path.dirname(file), fileName);
      const found = [`${base}.ts`, path.join(base, "index.ts")].find((f) => fs.existsSync(f));
      if (!found) throw new Error(`${path.relative(REPO_ROOT, file)}: cannot resolve ${fileName}`);
      return found;
    });
}

/** Each circle of `graph` once, as the files along it (first file repeated at the end). */
function circles(graph: ReadonlyMap<string, readonly string[]>): string[][] {
  const found: string[][] = [];
  const done = new Set<string>();
  const visit = (node: string, trail: string[]): void => {
    const at = trail.indexOf(node);
    if (at >= 0) {
      found.push([...trail.slice(at), node]);
      return;
    }
    if (done.has(node)) return;
    for (const next of graph.get(node) ?? []) visit(next, [...trail, node]);
    done.add(node);
  };
  for (const node of graph.keys()) visit(node, []);
  return found;
}

describe("imports under provider/", () => {
  it("form no circle", () => {
    const graph = new Map(sources(PROVIDER).map((file) => [file, imports(file)]));
    expect(graph.size).toBeGreaterThan(50);
    const relative = circles(graph).map((circle) =>
      circle.map((f) => path.relative(PROVIDER, f)).join(" → "),
    );
    expect(relative).toEqual([]);
  });

  it("would be caught: the finder reports a circle and nothing for a chain", () => {
    const circle = new Map([
      ["a", ["b"]],
      ["b", ["c"]],
      ["c", ["a"]],
      ["d", ["a"]],
    ]);
    expect(circles(circle)).toEqual([["a", "b", "c", "a"]]);
    expect(
      circles(
        new Map([
          ["a", ["b"]],
          ["b", ["c"]],
          ["c", []],
        ]),
      ),
    ).toEqual([]);
  });
});
