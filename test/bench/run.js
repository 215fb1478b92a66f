#!/usr/bin/env node
// `npm run bench` entry: runs the TypeScript benchmark (test/bench/main.ts) without a separate build
// step, by transpiling every `.ts` file on require with the repository's own `typescript` (no type
// check here: `tsc --noEmit` does that), the way test/support/compiledSupport.ts transpiles the harness.
"use strict";
const fs = require("node:fs");
const ts = require("typescript");

const options = { module: ts.ModuleKind.CommonJS, target: ts.ScriptTarget.ES2020, esModuleInterop: true };
require.extensions[".ts"] = (module, filename) => {
  const js = ts.transpileModule(fs.readFileSync(filename, "utf8"), {
    compilerOptions: options,
    fileName: filename,
  });
  module._compile(js.outputText, filename);
};

require("./main.ts")
  .main(process.argv.slice(2))
  .then(
    (code) => process.exit(code),
    (error) => {
      // --help and --version end the program through commander's exitOverride: not a failure.
      if (error && error.code === "commander.helpDisplayed") process.exit(0);
      if (error && typeof error.code === "string" && error.code.startsWith("commander.")) process.exit(2);
      console.error(error instanceof Error ? error.stack : String(error));
      process.exit(1);
    },
  );
