/**
 * Variants of the installed package, for before/after figures measured side by side in one run: each
 * variant is the packed package with a small, named change applied to its built files in the
 * benchmark's own project (never to the repository), or a different provider config.
 *
 * Two kinds: `without-*` switch off an optimisation the provider has, to show what it buys;
 * `with-*` try a change the figures suggest, to show what it would buy before anyone makes it in
 * the source. A patch that no longer finds its text fails loudly instead of measuring nothing.
 */
import * as fs from "node:fs";
import * as path from "node:path";

/** One textual change to a built file of the package. */
interface Patch {
  /** Path inside the package, e.g. `dist/mailbox/provider.js`. */
  file: string;
  find: string;
  replace: string;
}

/** A variant of the provider under test. */
export interface Variant {
  name: string;
  /** What differs from the package as built. */
  description: string;
  patches: Patch[];
  /** Extra provider config (stack config keys). */
  config?: Record<string, string>;
}

/** The variants this benchmark knows. */
export const VARIANTS: readonly Variant[] = [
  {
    name: "with-token",
    description:
      "enswitch:useToken true: one user/login per host, then auth_token instead of the password on every call",
    patches: [],
    config: { "enswitch:useToken": "true" },
  },
  {
    name: "without-resource-schema-cache",
    description:
      "resourceFieldSchemas() builds its zod schemas on every call again, as before they were cached (two builds per check)",
    patches: [
      {
        file: "dist/mailbox/schema.js",
        find: "return (resourceFields ?? (resourceFields = buildResourceFields()));",
        replace: "return buildResourceFields();",
      },
    ],
  },
  {
    name: "without-wire-table-cache",
    description:
      "the wire table (each field's kind) derived from the schema on every toWire/fromWire again, as before it was cached",
    patches: [
      {
        file: "dist/mailbox/wire.js",
        find: "let kinds = tables.get(schemas);",
        replace: "let kinds = undefined;",
      },
    ],
  },
  {
    name: "without-lazy-client",
    description:
      "the client module (and undici) loaded with the provider, as before it was loaded on the first request: a preview that asks nothing loads it too",
    patches: [
      {
        file: "dist/mailbox/provider.js",
        find: 'const loadClient = () => require("../enswitch/client");',
        replace: 'const eagerClient = require("../enswitch/client");\nconst loadClient = () => eagerClient;',
      },
    ],
  },
  {
    name: "with-client-concurrency-64",
    description: "the client's default maxConcurrency 16 → 64 and the pool's connections 32 → 64",
    patches: [
      { file: "dist/enswitch/settings.js", find: "maxConcurrency: 16,", replace: "maxConcurrency: 64," },
      {
        file: "dist/enswitch/pool.js",
        find: "exports.POOL_CONNECTIONS = 32;",
        replace: "exports.POOL_CONNECTIONS = 64;",
      },
    ],
  },
];

/** The variant called `name`. @throws Error naming the known ones. */
export function variantNamed(name: string): Variant {
  const found = VARIANTS.find((v) => v.name === name);
  if (!found) throw new Error(`unknown variant ${name}; known: ${VARIANTS.map((v) => v.name).join(", ")}`);
  return found;
}

/**
 * Applies a variant's patches to an installed package directory.
 *
 * @throws Error when a patch's text is not found exactly once (the code changed: update the variant).
 */
export function applyVariant(packageDir: string, variant: Variant): void {
  for (const patch of variant.patches) {
    const file = path.join(packageDir, patch.file);
    const text = fs.readFileSync(file, "utf8");
    const at = text.indexOf(patch.find);
    if (at < 0 || text.indexOf(patch.find, at + 1) >= 0) {
      throw new Error(
        `variant ${variant.name} does not apply to ${patch.file}: update test/bench/variants.ts`,
      );
    }
    fs.writeFileSync(file, text.slice(0, at) + patch.replace + text.slice(at + patch.find.length));
  }
}
