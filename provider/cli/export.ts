/**
 * `enswitch export [--customer N] [--out DIR]`: writes the switch's existing mailboxes as mailbox files
 * with `adopt: true` and no PINs, to bring them under GitOps without retyping them. Deploying the
 * exported files changes nothing on the switch: adopted mailboxes keep their PINs, and every field is
 * written as the switch has it (fields at the schema's default are left out, which means the same).
 */
import * as fs from "node:fs";
import * as path from "node:path";
import { Command, InvalidArgumentError } from "commander";
import { Document, isMap, isSeq, YAMLMap } from "yaml";
import { EnswitchClient } from "../enswitch/client";
import { parseDefinitions } from "../definitions/load";
import { DefinitionProblem, formatProblem } from "../definitions/problem";
import { byNumber } from "../definitions/names";
import { mailboxFieldNames, MailboxFields, schemaDefault, SchemaOptions } from "../mailbox/schema";
import { fromWire } from "../mailbox/wire";
import { connectionOptions, settingOf, withClient } from "./environment";

/** Options of {@link exportMailboxes}. */
export interface ExportOptions extends SchemaOptions {
  /** Customers to export. Default: the customer of the login. */
  customers?: readonly number[];
  /** Written as `connection:` at the top of each file. */
  connection?: string;
}

/** One exported file. */
export interface ExportedFile {
  /** File name: `customer-<N>.yaml`. */
  name: string;
  customer: number;
  /** How many mailboxes it holds. */
  mailboxes: number;
  /** The YAML text. */
  text: string;
  /**
   * Values on the switch that the schema rejects (the switch holds data older or looser than the
   * schema): the file loads with these problems until they are fixed.
   */
  problems: DefinitionProblem[];
}

/**
 * Reads the customers' mailboxes and renders one file per customer.
 *
 * @example
 * ```ts
 * const [file] = await exportMailboxes(clientOf({}), { customers: [1] });
 * fs.writeFileSync(file.name, file.text);
 * ```
 */
export async function exportMailboxes(
  client: EnswitchClient,
  options: ExportOptions = {},
): Promise<ExportedFile[]> {
  const groups = new Map<number, Record<string, unknown>[]>();
  if (options.customers?.length) {
    for (const customer of options.customers) groups.set(customer, await client.listMailboxes(customer));
  } else {
    for (const row of await client.listMailboxes()) {
      const customer = Number(row.customer);
      if (!Number.isInteger(customer) || customer <= 0) {
        throw new Error("the switch's rows do not say their customer: give --customer N");
      }
      groups.set(customer, [...(groups.get(customer) ?? []), row]);
    }
  }
  return [...groups]
    .sort((a, b) => a[0] - b[0])
    .map(([customer, rows]) => {
      const name = `customer-${customer}.yaml`;
      const comment =
        `Exported by \`enswitch export\`: ${rows.length} mailbox(es) of customer ${customer}.\n` +
        "adopt: true takes them over as they are; PINs are never exported (adopted mailboxes keep theirs).";
      const mailboxes = rows.map((row) => fromWire(row, options));
      const text = renderMailboxFile(
        { customer, connection: options.connection, mailboxes, comment },
        options,
      );
      const { problems } = parseDefinitions(text, name, options);
      return { name, customer, mailboxes: rows.length, text, problems };
    });
}

/** What one exported document holds. */
export interface RenderInput {
  customer: number;
  connection?: string;
  /** Mailboxes as `fromWire` gives them; `pin` and `copyPin` are ignored. */
  mailboxes: readonly Partial<MailboxFields>[];
  /** A comment placed at the top of the file. */
  comment?: string;
}

/** Fields an export never writes: write-only, creation-only, or set at the top of the document. */
const NEVER_WRITTEN: ReadonlySet<string> = new Set(["pin", "copyPin", "customer"]);

/**
 * The YAML text of a mailbox file for one customer, the inverse of the loader; values every mailbox
 * shares (two or more) go to `defaults`.
 *
 * @example
 * ```ts
 * renderMailboxFile({ customer: 1, mailboxes: [fromWire(row)] });
 * // "customer: 1\ndefaults:\n  adopt: true\nmailboxes:\n  - mailbox: \"1001\"\n    owner: 101\n"
 * ```
 */
export function renderMailboxFile(input: RenderInput, options: SchemaOptions = {}): string {
  const fieldOrder = mailboxFieldNames(options).filter((f) => !NEVER_WRITTEN.has(f));
  const rows = [...input.mailboxes].sort(byNumber).map((m) => {
    const out: Record<string, unknown> = {};
    for (const field of fieldOrder) {
      const value = (m as Record<string, unknown>)[field];
      if (value === undefined) continue;
      if (schemaDefault(field, options) === value) continue;
      out[field] = value;
    }
    return out;
  });

  // `adopt: true` is what makes a round trip change nothing.
  const defaults: Record<string, unknown> = { adopt: true };
  if (rows.length >= 2) {
    for (const field of fieldOrder) {
      if (field === "mailbox") continue;
      const first = rows[0]![field];
      if (first !== undefined && rows.every((r) => r[field] === first)) defaults[field] = first;
    }
    for (const row of rows) for (const field of Object.keys(defaults)) delete row[field];
  }

  const body: Record<string, unknown> = { customer: input.customer };
  if (input.connection) body.connection = input.connection;
  body.defaults = defaults;
  body.mailboxes = rows;

  const doc = new Document(body);
  if (input.comment) doc.commentBefore = input.comment.replace(/^/gm, " ");
  // Block style (one field per line reviews best in a diff), except `[]` for an empty list.
  const list = isMap(doc.contents) ? (doc.contents as YAMLMap).get("mailboxes", true) : undefined;
  if (isSeq(list)) list.flow = rows.length === 0;
  return doc.toString({ lineWidth: 0 });
}

function customerId(value: string, previous: number[] = []): number[] {
  if (!/^[1-9][0-9]*$/.test(value))
    throw new InvalidArgumentError("must be a customer ID, a positive whole number.");
  return [...previous, Number(value)];
}

interface ExportFlags {
  customer?: number[];
  out?: string;
  force?: boolean;
  connection?: string;
}

/** The `export` subcommand. */
export function exportCommand(): Command {
  const command = new Command("export")
    .description(
      "Write the switch's existing mailboxes as mailbox files (adopt: true, no PINs), one per customer. " +
        "The switch from the flags below or ENSWITCH_* variables.",
    )
    .option("--customer <id>", "customer to export (repeatable; default: the login's customer)", customerId)
    .option("--out <dir>", "directory for customer-<N>.yaml files (default: print to stdout)")
    .option("--force", "overwrite existing files in --out")
    .option("--connection <name>", "write this connection profile into the files");
  return connectionOptions(command).action(async (flags: ExportFlags) => {
    const files = await withClient(flags, (client) =>
      exportMailboxes(client, {
        customers: flags.customer,
        connection: flags.connection,
        enswitchVersion: settingOf("version", flags),
      }),
    );
    for (const p of files.flatMap((file) => file.problems)) {
      process.stderr.write(`warning: ${formatProblem(p)} (the switch's value; fix it in the file)\n`);
    }
    if (files.length === 0) process.stderr.write("the switch has no mailboxes for this login's customer\n");
    if (!flags.out) {
      process.stdout.write(files.map((f) => f.text).join("---\n"));
      return;
    }
    fs.mkdirSync(flags.out, { recursive: true });
    const targets = files.map((file) => path.join(flags.out!, file.name));
    const existing = targets.find((target) => fs.existsSync(target));
    if (existing && !flags.force) throw new Error(`${existing} exists; use --force to overwrite it`);
    files.forEach((file, i) => {
      fs.writeFileSync(targets[i]!, file.text);
      process.stderr.write(`wrote ${targets[i]} (${file.mailboxes} mailboxes)\n`);
    });
  });
}
