/**
 * The benchmark's variants as a specification: each one still finds the code it changes in the built
 * package, so `npm run bench -- --compare all` measures every variant instead of failing half-way
 * through a long run, and a variant whose code was changed in the source is noticed here, in CI.
 */
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { REPO_ROOT } from "../support/repoPaths";
import { applyVariant, VARIANTS, variantNamed } from "./variants";

/** A throwaway copy of the built files a variant patches, laid out as in the installed package. */
function copyOfBuiltFiles(files: readonly string[]): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "bench-variant-"));
  for (const file of files) {
    fs.mkdirSync(path.join(dir, path.dirname(file)), { recursive: true });
    fs.copyFileSync(path.join(REPO_ROOT, file), path.join(dir, file));
  }
  return dir;
}

describe("benchmark variants", () => {
  it.each(VARIANTS.filter((v) => v.patches.length > 0).map((v) => [v.name, v] as const))(
    "%s applies to the package as built, and changes what it says it changes",
    (_name, variant) => {
      const files = [...new Set(variant.patches.map((p) => p.file))];
      const dir = copyOfBuiltFiles(files);
      try {
        applyVariant(dir, variant);
        for (const patch of variant.patches) {
          const patched = fs.readFileSync(path.join(dir, patch.file), "utf8");
          expect(patched).toContain(patch.replace);
          expect(patched).not.toContain(patch.find);
        }
      } finally {
        fs.rmSync(dir, { recursive: true, force: true });
      }
    },
  );

  it("refuses a patch whose text is gone, naming the variant and the file", () => {
    const variant = variantNamed("without-wire-table-cache");
    const dir = copyOfBuiltFiles(["dist/mailbox/wire.js"]);
    try {
      applyVariant(dir, variant);
      expect(() => applyVariant(dir, variant)).toThrow(
        "variant without-wire-table-cache does not apply to dist/mailbox/wire.js",
      );
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});
