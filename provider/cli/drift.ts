/**
 * `enswitch drift <files or dirs>`: what deploying the files would do to the switch as it is now, per
 * mailbox: create, update (which fields, old → new), unchanged, or on the switch but in no file.
 * Read-only (only `mailboxes/list`), so a pipeline can run it every night. PINs are never compared or
 * shown: the switch does not return them. The comparison itself ({@link compareWithSwitch}) is pure.
 */
import { Command, Option } from "commander";
import { EnswitchClient } from "../enswitch/client";
import { Semaphore } from "../enswitch/semaphore";
import { loadDefinitions, type MailboxDefinition } from "../definitions/load";
import { byNumber, describeIdentity, resourceName } from "../definitions/names";
import { DefinitionsError, formatLocation, type SourceLocation } from "../definitions/problem";
import { changedFields } from "../mailbox/inputs";
import { MailboxField, MailboxFields, SchemaOptions } from "../mailbox/schema";
import { fromWire } from "../mailbox/wire";
import { connectionOptions, otherSwitch, settingOf, withClient } from "./environment";

/** One field that differs: the switch's value and the file's. */
export interface FieldChange {
  field: MailboxField;
  /** What the switch has now. */
  old: string | number | boolean;
  /** What the files declare (schema defaults applied). */
  new: string | number | boolean;
}

/** What would happen to one mailbox. */
export type DriftStatus = "create" | "update" | "unchanged" | "unmanaged";

/** The verdict on one mailbox. */
export interface DriftEntry {
  status: DriftStatus;
  customer: number;
  mailbox: string;
  /** The resource name (also for `unmanaged`: the name it would get if declared). */
  resourceName: string;
  /** Where the file declares it; absent for `unmanaged`. */
  location?: SourceLocation;
  /** For `update`: each differing field, in schema order. */
  changes?: FieldChange[];
  /** Whether the file adopts it (for `create`: it does not exist yet, so adopting will create it). */
  adopt?: boolean;
}

/** The whole comparison. */
export interface DriftReport {
  /** Declared mailboxes in file order, then unmanaged ones by customer and number. */
  entries: DriftEntry[];
  /** How many entries of each status. */
  summary: Record<DriftStatus, number>;
}

/**
 * The fields of `declared` that differ from the switch's row: what an update would send, less the
 * fields the row lacks (the PIN is write-only, never in a row). Fields the row lacks are not judged.
 */
export function fieldChanges(
  declared: MailboxFields,
  row: Record<string, unknown>,
  options: SchemaOptions = {},
): FieldChange[] {
  const actual = fromWire(row, options) as Record<string, unknown>;
  return Object.entries(changedFields(actual, declared, options))
    .filter(([field]) => actual[field] !== undefined)
    .map(([field, wanted]) => ({
      field: field as MailboxField,
      old: actual[field] as FieldChange["old"],
      new: wanted as FieldChange["new"],
    }));
}

/**
 * Compares definitions with the switch's rows, given per customer. Every customer present in `rows` is
 * checked for mailboxes no file declares, so pass the customers the files cover.
 *
 * @example
 * ```ts
 * const rows = new Map([[1, await client.listMailboxes(1)]]);
 * compareWithSwitch(loadDefinitions("mailboxes/").mailboxes, rows).summary; // { create: 1, update: 0, ... }
 * ```
 */
export function compareWithSwitch(
  definitions: readonly MailboxDefinition[],
  rows: ReadonlyMap<number, readonly Record<string, unknown>[]>,
  options: SchemaOptions = {},
): DriftReport {
  const entries: DriftEntry[] = [];
  // The switch's rows by customer and number; what no definition takes is unmanaged.
  const left = new Map<string, [number, Record<string, unknown>]>();
  for (const [customer, list] of rows) {
    for (const row of list) left.set(`${customer}/${String(row.mailbox)}`, [customer, row]);
  }
  for (const definition of definitions) {
    const key = `${definition.customer}/${definition.mailbox}`;
    const row = left.get(key)?.[1];
    left.delete(key);
    const base = {
      customer: definition.customer,
      mailbox: definition.mailbox,
      resourceName: definition.resourceName,
      location: definition.location,
      ...(definition.adopt ? { adopt: true } : {}),
    };
    const changes = row ? fieldChanges(definition.fields, row, options) : [];
    const status = !row ? "create" : changes.length > 0 ? "update" : "unchanged";
    entries.push({ status, ...base, ...(changes.length > 0 ? { changes } : {}) });
  }
  const unmanaged = [...left.values()].map(([customer, row]): DriftEntry => {
    const mailbox = String(row.mailbox);
    return { status: "unmanaged", customer, mailbox, resourceName: resourceName({ customer, mailbox }) };
  });
  unmanaged.sort((a, b) => a.customer - b.customer || byNumber(a, b));
  entries.push(...unmanaged);
  const summary: Record<DriftStatus, number> = { create: 0, update: 0, unchanged: 0, unmanaged: 0 };
  for (const entry of entries) summary[entry.status]++;
  return { entries, summary };
}

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
