// Lint runs in CI (`npm run lint`): typescript-eslint's recommended rules, no `any` at boundaries.
import js from "@eslint/js";
import tseslint from "typescript-eslint";

export default tseslint.config(
  {
    ignores: [
      "dist/**",
      "node_modules/**",
      "**/node_modules/**",
      "coverage/**",
      ".state/**",
      "**/*.js",
      "**/*.mjs",
    ],
  },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    rules: {
      "@typescript-eslint/no-explicit-any": "error",
      "@typescript-eslint/no-require-imports": "off",
      "@typescript-eslint/no-unused-vars": ["error", { argsIgnorePattern: "^_", varsIgnorePattern: "^_" }],
    },
  },
  // The layering of provider/ (ARCHITECTURE.md): each folder may import only the layers below it.
  // Import circles are caught by test/lint/imports.test.ts.
  layer("provider/enswitch/**", "the client imports nothing of this package, nor Pulumi", [
    "../*",
    "@pulumi/*",
  ]),
  layer("provider/simulator/**", "the simulator is an independent reading of the pages", ["../mailbox/*"]),
  layer("provider/mailbox/**", "mailbox is below policies, definitions and cli", [
    "../policies/*",
    "../definitions/*",
    "../cli/*",
  ]),
  layer("provider/policies/**", "policies use only the mailbox schema layer", [
    "../*",
    "!../mailbox",
    "../mailbox/*",
    "!../mailbox/schema",
    "!../mailbox/pinRules",
    "!../mailbox/engine",
  ]),
);

/** A flat-config block: files matching `files` may not import what `patterns` name (gitignore-style). */
function layer(files, why, patterns) {
  return {
    files: [files],
    rules: { "no-restricted-imports": ["error", { patterns: [{ group: patterns, message: why }] }] },
  };
}
