/**
 * A throwaway Pulumi project with the packed package installed, as a user's project would have it.
 *
 * The project lives under `.state/projects/`, so the package's own dependencies (and
 * `@pulumi/pulumi`, its peer) resolve by walking up to the repository's `node_modules`, as they would
 * from a user's `node_modules`. The package itself is the extracted tarball, a real directory inside
 * `node_modules/` (not a symlink): Pulumi's closure serializer decides "capture by reference" from a
 * `node_modules` segment in the module's path, and the host resolves the serialized `require()` from
 * the project directory.
 */
import { execFileSync } from "node:child_process";
import * as fs from "node:fs";
import * as path from "node:path";
import type { PackedPackage } from "./packedPackage";
import { uniqueStateDir } from "./repoPaths";

/** A created project. */
export interface PulumiProject {
  /** The project directory: cwd of the provider host and of program children. */
  readonly dir: string;
  /** The Pulumi project name (`Pulumi.yaml` `name`). */
  readonly name: string;
  /** Where the package was extracted: `<dir>/node_modules/<package name>`. */
  readonly packageDir: string;
  /** Writes a file relative to the project directory and returns its absolute path. */
  writeFile(relative: string, content: string): string;
  /** Deletes the project directory. */
  remove(): void;
}

/** Options of {@link createPulumiProject}. */
export interface PulumiProjectOptions {
  /** The package tarball to install (see `packedPackage()`). */
  packed: PackedPackage;
  /** Project name; default `enswitch-test`. */
  name?: string;
  /** Extra files, path relative to the project → content. */
  files?: Record<string, string>;
}

/**
 * Creates a project directory with `Pulumi.yaml`, `package.json` and the extracted package.
 *
 * @example
 * ```ts
 * const project = createPulumiProject({ packed: packedPackage() });
 * afterAll(() => project.remove());
 * ```
 */
export function createPulumiProject(options: PulumiProjectOptions): PulumiProject {
  const name = options.name ?? "enswitch-test";
  const dir = uniqueStateDir("projects", name);
  const packageDir = path.join(dir, "node_modules", options.packed.name);
  fs.mkdirSync(packageDir, { recursive: true });
  execFileSync("tar", ["-xzf", options.packed.tarball, "-C", packageDir, "--strip-components=1"]);

  const writeFile = (relative: string, content: string): string => {
    const file = path.join(dir, relative);
    fs.mkdirSync(path.dirname(file), { recursive: true });
    fs.writeFileSync(file, content);
    return file;
  };
  writeFile(
    "Pulumi.yaml",
    `name: ${name}\nruntime: nodejs\ndescription: created by the pulumi-enswitch test harness\n`,
  );
  writeFile(
    "package.json",
    JSON.stringify(
      {
        name,
        private: true,
        main: "index.js",
        dependencies: { [options.packed.name]: options.packed.version },
      },
      null,
      2,
    ) + "\n",
  );
  for (const [relative, content] of Object.entries(options.files ?? {})) writeFile(relative, content);

  return {
    dir,
    name,
    packageDir,
    writeFile,
    remove: () => fs.rmSync(dir, { recursive: true, force: true }),
  };
}
