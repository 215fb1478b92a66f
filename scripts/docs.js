#!/usr/bin/env node
// Regenerates what is derived from the code, after `npm run build`:
// - provider/mailbox/args.ts: MailboxArgs with TSDoc, from the mailbox schema;
// - the README's input table (between <!-- inputs:start/end -->) and policy table (<!-- policy-table -->).
// `node scripts/docs.js --check` (run by test/docs/generated.test.ts) fails when any of them is stale.
const fs = require("node:fs");
const path = require("node:path");
const prettier = require("prettier");

const root = path.join(__dirname, "..");

/** The README sections rendered from code, by marker name. */
function readmeSections() {
  return { inputs: require(path.join(root, "dist/mailbox/reference.js")).inputTableMarkdown() };
}

function replaceSection(text, name, body) {
  const pattern = new RegExp(`(<!-- ${name}:start -->\\n)[\\s\\S]*?(<!-- ${name}:end -->)`);
  if (!pattern.test(text))
    throw new Error(`README.md has no <!-- ${name}:start --> ... <!-- ${name}:end --> markers`);
  return text.replace(pattern, (_, start, end) => `${start}${body}\n${end}`);
}

/** Every generated file with the content it should have: [{ file, content }]. */
async function generatedFiles() {
  const options = {
    ...(await prettier.resolveConfig(path.join(root, "provider/mailbox/args.ts"))),
    parser: "typescript",
  };
  const args = await prettier.format(
    require(path.join(root, "dist/mailbox/reference.js")).mailboxArgsSource(),
    options,
  );
  let readme = fs.readFileSync(path.join(root, "README.md"), "utf8");
  for (const [name, body] of Object.entries(readmeSections())) readme = replaceSection(readme, name, body);
  readme = require("./policyTable").withPolicyTable(
    readme,
    require(path.join(root, "dist/policies")).policies,
  );
  return [
    { file: "provider/mailbox/args.ts", content: args },
    { file: "README.md", content: readme },
  ];
}

/** Writes the generated files; with `--check`, writes nothing and exits 1 naming the stale ones. */
async function main(check) {
  const stale = [];
  for (const { file, content } of await generatedFiles()) {
    const target = path.join(root, file);
    const before = fs.existsSync(target) ? fs.readFileSync(target, "utf8") : "";
    if (before === content) continue;
    stale.push(file);
    if (!check) fs.writeFileSync(target, content);
  }
  if (check && stale.length > 0) {
    console.error(`stale: ${stale.join(", ")}: run \`npm run build && npm run docs\` and commit the result`);
    process.exitCode = 1;
  } else if (!check) {
    for (const file of stale) console.log(`updated ${file}`);
  }
}

main(process.argv.includes("--check")).catch((err) => {
  console.error(err.message);
  process.exitCode = 1;
});
