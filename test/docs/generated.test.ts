/**
 * The README's tables and `MailboxArgs` are rendered from the code (the schema, the policies). When
 * the code changes and nobody ran `npm run docs`, this fails and says what to run.
 */
import { spawnSync } from "node:child_process";
import * as fs from "node:fs";
import * as path from "node:path";
import { mailboxFieldNames } from "../../provider/mailbox/schema";
import { wireName } from "../../provider/mailbox/wire";

const root = path.join(__dirname, "..", "..");

describe("generated documentation", () => {
  it("README.md and provider/mailbox/args.ts are up to date with the code", () => {
    // A child process: prettier (which formats args.ts) cannot load inside jest's module system.
    const run = spawnSync(process.execPath, [path.join(root, "scripts", "docs.js"), "--check"], {
      encoding: "utf8",
    });
    expect(run.stderr).toBe("");
    expect(run.status).toBe(0);
  });

  it("lists every mailbox field in the README table, by its Pulumi and its Enswitch name", () => {
    const readme = fs.readFileSync(path.join(root, "README.md"), "utf8");
    for (const field of mailboxFieldNames()) {
      expect(readme).toContain(`| \`${field}\` | \`${wireName(field)}\` |`);
    }
  });
});
