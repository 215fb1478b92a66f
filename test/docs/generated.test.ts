/**
 * The README's input table and `MailboxArgs` are rendered from the schema. When the schema changes and
 * nobody ran `npm run docs`, this fails and says so.
 */
import * as fs from "node:fs";
import * as path from "node:path";

const root = path.join(__dirname, "..", "..");
const { generatedFiles } = require(path.join(root, "scripts", "docs.js")) as {
  generatedFiles: () => Promise<{ file: string; content: string }[]>;
};

describe("generated documentation", () => {
  it.each(["provider/mailbox/args.ts", "README.md"])("%s is up to date with the code", async (file) => {
    const expected = (await generatedFiles()).find((f) => f.file === file);
    expect(expected).toBeDefined();
    const actual = fs.readFileSync(path.join(root, file), "utf8");
    if (actual !== expected?.content) {
      throw new Error(`${file} is stale: run \`npm run build && npm run docs\` and commit the result.`);
    }
  });

  it("lists every mailbox field of the seed in the README table", () => {
    const readme = fs.readFileSync(path.join(root, "README.md"), "utf8");
    for (const wire of [
      "notify_email",
      "copy_pin",
      "temporary_active",
      "callerid",
      "dtype",
      "saycid",
      "timezone",
    ]) {
      expect(readme).toContain(`\`${wire}\``);
    }
  });
});
