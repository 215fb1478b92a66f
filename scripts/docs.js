#!/usr/bin/env node
// Regenerates what is derived from the code, after `npm run build`:
// - provider/mailbox/args.ts: MailboxArgs with TSDoc, from the mailbox schema;
// - the README tables between <!-- name:start --> and <!-- name:end --> markers.
// test/docs/generated.test.ts fails when any of them is stale.
const fs = require("node:fs");
const path = require("node:path");
const prettier = require("prettier");

const root = path.join(__dirname, "..");

/** The README sections rendered from code, by marker name. */
function readmeSections() {
  const sections = { inputs: require(path.join(root, "dist/mailbox/reference.js")).inputTableMarkdown() };
  const policyTable = path.join(root, "dist/policies/table.js");
  if (fs.existsSync(policyTable)) sections.policies = require(policyTable).policyTable();
  return sections;
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
  return [
    { file: "provider/mailbox/args.ts", content: args },
    { file: "README.md", content: readme },
  ];
}

async function main() {
  for (const { file, content } of await generatedFiles()) {
    const target = path.join(root, file);
    const before = fs.existsSync(target) ? fs.readFileSync(target, "utf8") : "";
    if (before !== content) {
      fs.writeFileSync(target, content);
      console.log(`updated ${file}`);
    }
  }
}

module.exports = { generatedFiles };

if (require.main === module) {
  main().catch((err) => {
    console.error(err.message);
    process.exitCode = 1;
  });
}
