/**
 * `enswitch drift <files or dirs>`: what deploying the files would do to the switch as it is now, per
 * mailbox: create, update (which fields, old → new), unchanged, or on the switch but in no file.
 * Read-only (only `mailboxes/list`), so a pipeline can run it every night. PINs are never compared or
 * shown.
 */
import { Command, Option } from "commander";
import { EnswitchClient } from "../enswitch/client";
import { Semaphore } from "../enswitch/semaphore";
import { compareWithSwitch, DriftEntry, DriftReport } from "../definitions/drift";
import { loadDefinitions } from "../definitions/load";
import { describeIdentity } from "../definitions/names";
import { DefinitionsError, formatLocation } from "../definitions/problem";
import { connectionOptions, otherSwitch, settingOf, withClient } from "./environment";

/** Options of {@link driftOfFiles}. */
export interface DriftOptions {
  /** Compare the files of this connection profile (default: files without one). */
  connection?: string;
  /** The switch's Enswitch version. */
  enswitchVersion?: string;
}

/** Files left out because they belong to another connection profile. */
export interface SkippedFile {
  file: string;
  /** Their `connection`, or `undefined` for the default switch. */
  connection: string | undefined;
  mailboxes: number;
}

/** `--format json` prints this: the comparison plus the files read and those skipped. */
export interface DriftOutput extends DriftReport {
  version: 1;
  files: string[];
  skipped: SkippedFile[];
}

/**
 * Loads the files and compares them with the switch. Throws {@link DefinitionsError} when the files
 * have problems (run `validate` for the report), and the client's errors when the switch cannot be read.
 *
 * @example
 * ```ts
 * const drift = await driftOfFiles(["mailboxes/"], clientOf({}));
 * drift.summary.update; // mailboxes whose fields differ
 * ```
 */
export async function driftOfFiles(
  paths: readonly string[],
  client: EnswitchClient,
  options: DriftOptions = {},
): Promise<DriftOutput> {
  const schema = { enswitchVersion: options.enswitchVersion };
  const loaded = loadDefinitions(paths, schema);
  if (loaded.problems.length > 0) throw new DefinitionsError(loaded.problems);
  const definitions = loaded.mailboxes.filter((m) => m.connection === options.connection);
  const skipped: SkippedFile[] = [];
  for (const { location, connection } of loaded.mailboxes.filter(
    (m) => m.connection !== options.connection,
  )) {
    const same = skipped.find((s) => s.file === location.file && s.connection === connection);
    if (same) same.mailboxes++;
    else skipped.push({ file: location.file, connection, mailboxes: 1 });
  }
  const customers = [...new Set(definitions.map((d) => d.customer))].sort((a, b) => a - b);
  const gate = new Semaphore(4);
  const lists = await Promise.all(customers.map((c) => gate.run(() => client.listMailboxes(c))));
  const rows = new Map(customers.map((customer, i) => [customer, lists[i]!]));
  return {
    version: 1,
    files: loaded.files,
    skipped,
    ...compareWithSwitch(definitions, rows, schema),
  };
}

function line(entry: DriftEntry): string[] {
  const what = `${entry.resourceName} (${describeIdentity(entry)})`;
  const where = entry.location ? ` at ${formatLocation(entry.location)}` : "";
  const head = `${entry.status.padEnd(10)}${what}`;
  if (entry.status === "unmanaged") return [`${head}: on the switch but in no file`];
  const lines = [
    `${head}${where}${entry.status === "create" && entry.adopt ? " (adopt: not on the switch yet)" : ""}`,
  ];
  for (const change of entry.changes ?? []) {
    lines.push(`            ${change.field}: ${JSON.stringify(change.old)} → ${JSON.stringify(change.new)}`);
  }
  return lines;
}

/**
 * The readable report: one line per mailbox (changed fields indented below it), then a summary.
 *
 * @example
 * ```text
 * update    c1-mb1001 (mailbox 1001 of customer 1) at mailboxes/sales.yaml:6:5
 *             description: "Sales (old)" → "Sales"
 * unmanaged c1-mb1099 (mailbox 1099 of customer 1): on the switch but in no file
 * 0 to create, 1 to update, 0 unchanged, 1 on the switch only
 * ```
 */
export function formatDrift(report: DriftReport & { skipped?: SkippedFile[] }): string {
  const lines = report.entries.flatMap(line);
  for (const skip of report.skipped ?? []) {
    const { of, flag } = otherSwitch(skip.connection);
    const run = skip.connection === undefined ? flag : `with ${flag}`;
    lines.push(
      `skipped   ${skip.file}: ${skip.mailboxes} mailbox(es) of ${of}, not compared; run drift ${run} and that switch's credentials`,
    );
  }
  const s = report.summary;
  lines.push(
    `${s.create} to create, ${s.update} to update, ${s.unchanged} unchanged, ${s.unmanaged} on the switch only`,
  );
  return lines.join("\n") + "\n";
}

interface DriftFlags {
  format: "text" | "json";
  connection?: string;
  failOnDrift?: boolean;
}

/** The `drift` subcommand. */
export function driftCommand(): Command {
  const command = new Command("drift")
    .description(
      "Compare mailbox files with the switch (read-only): create / update (old → new) / unchanged / on the " +
        "switch but in no file. The switch from the flags below or ENSWITCH_* variables.",
    )
    .argument("<paths...>", "mailbox files, or directories searched for .yaml/.yml files")
    .addOption(new Option("--format <format>", "output format").choices(["text", "json"]).default("text"))
    .option(
      "--connection <name>",
      "compare the files of this connection profile (default: files without one)",
    )
    .option("--fail-on-drift", "exit with code 3 when anything would change (for scheduled pipelines)");
  return connectionOptions(command).action(async (paths: string[], flags: DriftFlags) => {
    const report = await withClient(flags, (client) =>
      driftOfFiles(paths, client, {
        connection: flags.connection,
        enswitchVersion: settingOf("version", flags),
      }),
    );
    process.stdout.write(
      flags.format === "json" ? `${JSON.stringify(report, null, 2)}\n` : formatDrift(report),
    );
    const drifted = report.summary.create + report.summary.update + report.summary.unmanaged > 0;
    if (flags.failOnDrift && drifted) process.exitCode = 3;
  });
}
