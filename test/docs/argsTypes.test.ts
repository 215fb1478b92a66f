/**
 * `MailboxArgs` (generated into provider/mailbox/args.ts) types every field with fixed values as a
 * union of its literals, so that a typo fails `tsc` in the user's program instead of at the switch.
 * Checked with the TypeScript compiler on a small program, per field read off the schema.
 */
import * as path from "node:path";
import ts from "typescript";
import { inputReference } from "../../provider/mailbox/reference";

const root = path.join(__dirname, "..", "..");
const probe = path.join(root, "test", "docs", "argsTypesProbe.ts");

/** The diagnostics of `source` as a file beside this test, importing the real `args.ts`. */
function diagnostics(source: string): string[] {
  const options: ts.CompilerOptions = {
    strict: true,
    noEmit: true,
    skipLibCheck: true,
    target: ts.ScriptTarget.ES2022,
    module: ts.ModuleKind.CommonJS,
    moduleResolution: ts.ModuleResolutionKind.Node10,
    types: [],
  };
  const host = ts.createCompilerHost(options);
  const read = host.getSourceFile;
  host.getSourceFile = (file, version, ...rest) =>
    path.resolve(file) === probe
      ? ts.createSourceFile(file, source, version)
      : read.call(host, file, version, ...rest);
  const program = ts.createProgram([probe], options, host);
  return ts.getPreEmitDiagnostics(program).map((d) => ts.flattenDiagnosticMessageText(d.messageText, "\n"));
}

const header = 'import { MailboxArgs } from "../../provider/mailbox/args";\n';
const fixed = inputReference({ enswitchVersion: "4.0" }).filter((row) => row.values);

describe("MailboxArgs types", () => {
  it("reads the fields with fixed values off the schema", () => {
    expect(fixed.filter((row) => !row.values?.open).map((row) => row.name)).toEqual(
      expect.arrayContaining(["notifyEmail", "notifyFor", "notifyLtype", "notifyMessage", "play"]),
    );
    expect(fixed.filter((row) => row.values?.open).map((row) => row.name)).toEqual(["dtype"]);
  });

  it("takes every fixed value (of any Enswitch version) and any dtype, and refuses a typo in each fixed field", () => {
    const lines = [header];
    for (const row of fixed) {
      for (const value of row.values!.known) {
        lines.push(`({ mailbox: "1", ${row.name}: ${JSON.stringify(value)} }) satisfies MailboxArgs;`);
      }
      if (!row.values!.open) lines.push("// @ts-expect-error a typo in a fixed value");
      lines.push(`({ mailbox: "1", ${row.name}: "bogus" }) satisfies MailboxArgs;`);
    }
    expect(diagnostics(lines.join("\n"))).toEqual([]);
  });

  it('fails tsc on notifyEmail: "bogus", naming the value', () => {
    const errors = diagnostics(
      `${header}const args: MailboxArgs = { mailbox: "1", notifyEmail: "bogus" };\n`,
    );
    expect(errors).toEqual([expect.stringContaining('"bogus"')]);
  });
});
