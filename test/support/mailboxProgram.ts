/**
 * Writes small Pulumi programs that declare mailboxes with the installed package, for tests that need
 * "the real `Mailbox` class" without an example file.
 */
import { serializeInChild } from "./programRun";
import type { PulumiProject } from "./pulumiProject";
import type { Registration } from "./registrationLog";

/** One `new enswitch.Mailbox(name, args, opts)`. */
export interface MailboxDeclaration {
  name: string;
  /** Mailbox inputs as plain JSON values (the class itself wraps `pin` as a secret). */
  args: Record<string, unknown>;
  /** Resource options as plain JSON values, e.g. `{ deleteBeforeReplace: true }`. */
  opts?: Record<string, unknown>;
}

/**
 * The JavaScript source of a program declaring `mailboxes`.
 *
 * @example
 * ```ts
 * project.writeFile("index.js", mailboxProgram([{ name: "sales", args: { mailbox: "4100", pin: "2468" } }]));
 * ```
 */
export function mailboxProgram(mailboxes: MailboxDeclaration[], packageName = "pulumi-enswitch"): string {
  const lines = [`"use strict";`, `const enswitch = require(${JSON.stringify(packageName)});`];
  for (const m of mailboxes) {
    const opts = m.opts ? `, ${JSON.stringify(m.opts)}` : "";
    lines.push(`new enswitch.Mailbox(${JSON.stringify(m.name)}, ${JSON.stringify(m.args)}${opts});`);
  }
  return lines.join("\n") + "\n";
}

let programs = 0;

/**
 * Declares `mailboxes` in a fresh program of `project`, runs it in a recording child and returns the
 * registrations by resource name: what the engine would receive from the real `Mailbox` class.
 * Throws if the program itself failed.
 *
 * @example
 * ```ts
 * const { sales } = await recordMailboxes(project, [{ name: "sales", args: { mailbox: "4100", pin: "2468" } }]);
 * await host.check(sales.urn, {}, sales.inputs);
 * ```
 */
export async function recordMailboxes(
  project: PulumiProject,
  mailboxes: MailboxDeclaration[],
  packageName?: string,
): Promise<Record<string, Registration>> {
  const program = `mailboxes-${++programs}.js`;
  project.writeFile(program, mailboxProgram(mailboxes, packageName));
  const run = await serializeInChild({ project, program });
  if (run.programErrors.length > 0 || run.exitCode !== 0) {
    throw new Error(`the program failed: ${run.programErrors.join("; ")}\n${run.stderr}`);
  }
  const byName: Record<string, Registration> = {};
  for (const r of run.registrations) byName[r.name] = r;
  return byName;
}
