/**
 * `enswitch validate <files or dirs>`: the checks a pull request needs before anything is deployed.
 *
 * 1. the files: YAML, structure, every field against the mailbox schema, no PINs, no duplicates;
 * 2. the policies of `pulumi-enswitch/policies` with the same `--policy-pack-config` file that
 *    `pulumi preview --policy-pack` uses (mandatory violations are errors);
 * 3. with `--remote`, the switch's own `validation=1` for every mailbox (credentials from
 *    `ENSWITCH_URL`, `ENSWITCH_USERNAME`, `ENSWITCH_PASSWORD`). This catches what no local schema can
 *    know: an owner who is a person of another customer, a number outside the customer's plan, a rate
 *    plan without voicemail. Nothing changes on the switch.
 *
 * Exit code 1 when there is any error. Output as text, `--format json` (a {@link ValidationReport})
 * or `--format sarif` (SARIF 2.1.0 for code-scanning annotations).
 */
import * as fs from "node:fs";
import { Command, Option } from "commander";
import { EnswitchClient } from "../enswitch/client";
import { EnswitchError } from "../enswitch/errors";
import { Semaphore } from "../enswitch/semaphore";
import { loadDefinitions, MailboxDefinition, mailboxInputs } from "../definitions/load";
import { compareLocations, DefinitionProblem, SourceLocation } from "../definitions/problem";
import { evaluatePolicies, Violation } from "../policies/evaluate";
import { askSwitch, dryRunMailbox } from "../mailbox/dryRun";
import { policies } from "../policies/index";
import { connectionOptions, forCli, otherSwitch, settingOf, withClient } from "./environment";
import { ProgressBar } from "./progress";
import {
  FindingSeverity,
  formatText,
  mailboxFinding,
  toSarif,
  ValidationFinding,
  ValidationReport,
} from "./validation-report";

/** Options of {@link validateFiles}. */
export interface ValidateOptions {
  /** Run the policies. Default true. */
  policies?: boolean;
  /** A parsed `--policy-pack-config` file. Default: every policy at its own default level. */
  policyConfig?: unknown;
  /** Ask this switch with `validation=1` (`--remote`). */
  remote?: EnswitchClient;
  /**
   * With `remote`: which mailboxes live on that switch, by their file's `connection`. Default: those
   * without a connection. Mailboxes of other connections are reported as not checked (a note).
   */
  connection?: string;
  /** The switch's Enswitch version (schema rules). */
  enswitchVersion?: string;
  /** With `remote`: send `mailboxes/update` dry runs (false for a switch without them). Default true. */
  dryRunUpdates?: boolean;
}

function fromProblem(problem: DefinitionProblem): ValidationFinding {
  const { kind, ...rest } = problem;
  return { rule: `enswitch/${kind}`, source: "file", severity: "error", ...rest };
}

const SEVERITY: Record<Violation["enforcementLevel"], FindingSeverity> = {
  mandatory: "error",
  advisory: "warning",
  remediate: "note",
};

function fromViolation(
  violation: Violation,
  byName: ReadonlyMap<string, MailboxDefinition>,
  fallback: SourceLocation,
): ValidationFinding {
  const definition = violation.resource === undefined ? undefined : byName.get(violation.resource);
  const head = {
    rule: `policy/${violation.policy}`,
    source: "policy",
    severity: SEVERITY[violation.enforcementLevel],
  } as const;
  const finding = definition
    ? mailboxFinding(head, definition, violation.message, violation.property)
    : {
        ...head,
        ...fallback,
        message: violation.message,
        ...(violation.property ? { field: violation.property } : {}),
      };
  return { ...finding, enforcementLevel: violation.enforcementLevel };
}

/** Envelope codes that concern one mailbox (or customer), not the whole run. */
const PER_MAILBOX_CODES = new Set(["400", "402", "403", "404", "500"]);

function concernsMailbox(error: unknown): error is EnswitchError {
  return error instanceof EnswitchError && PER_MAILBOX_CODES.has(error.code);
}

/** The switch's verdict on one mailbox. */
const REMOTE = { rule: "enswitch/remote", source: "remote", severity: "error" } as const;

/**
 * Checks every definition on the switch with the dry run the provider's `check` would make, stand-in
 * PINs included (`mailbox/dryRun.ts`). Errors that concern a mailbox become findings at its location;
 * anything else (authentication, an unreachable switch) rejects, since then nothing could be checked.
 */
async function validateOnSwitch(
  definitions: readonly MailboxDefinition[],
  client: EnswitchClient,
  options: ValidateOptions,
): Promise<ValidationFinding[]> {
  const customers = [...new Set(definitions.map((d) => d.customer))].sort((a, b) => a - b);
  const bar = new ProgressBar(customers.length + definitions.length, { label: "checking on the switch" });
  const gate = new Semaphore(8);
  const each = <T, R>(items: readonly T[], work: (item: T) => Promise<R>) =>
    Promise.all(items.map((item) => gate.run(() => work(item))));
  const existing = new Map<number, Set<string> | EnswitchError>();
  await each(customers, async (customer) => {
    try {
      const rows = await client.listMailboxes(customer);
      existing.set(customer, new Set(rows.map((row) => String(row.mailbox))));
    } catch (error) {
      if (!concernsMailbox(error)) throw error;
      existing.set(customer, error);
    } finally {
      bar.tick();
    }
  });

  const declared = new Set(definitions.map((d) => `${d.customer}/${d.mailbox}`));
  try {
    const perMailbox = await each(definitions, async (definition) => {
      try {
        const known = existing.get(definition.customer);
        if (known instanceof EnswitchError) {
          const message = `cannot list the mailboxes of customer ${definition.customer}: ${known.message}`;
          return [mailboxFinding(REMOTE, definition, message)];
        }
        const failures = await dryRunMailbox(
          {
            fields: { ...definition.fields, customer: definition.customer },
            // Kept: checked as an update with every declared field.
            current: known?.has(definition.mailbox) ? {} : undefined,
            // Absent from the switch but declared in the same files: the program creates it first.
            copySourceComesLater: (source) =>
              !known?.has(source) && declared.has(`${definition.customer}/${source}`),
          },
          async (request) =>
            request.fn === "mailboxes/update" && options.dryRunUpdates === false
              ? []
              : askSwitch(client, request, options),
          options,
        );
        return failures.map((f) =>
          mailboxFinding(REMOTE, definition, `the switch rejects it: ${f.reason}`, f.property || undefined),
        );
      } catch (error) {
        if (!concernsMailbox(error)) throw error;
        // Not about one parameter (rights, rate plan, a server error): one finding.
        return [mailboxFinding(REMOTE, definition, `the switch refuses it: ${forCli(error.message)}`)];
      } finally {
        bar.tick();
      }
    });
    return perMailbox.flat();
  } finally {
    bar.done();
  }
}

/**
 * Validates mailbox files and returns the report; never prints. Throws only when the check itself
 * cannot run: a missing path, an unusable policy config, an unreachable switch or refused login.
 *
 * @example
 * ```ts
 * const report = await validateFiles(["examples/gitops/mailboxes"], { policyConfig });
 * process.exitCode = report.ok ? 0 : 1;
 * ```
 */
export async function validateFiles(
  paths: readonly string[],
  options: ValidateOptions = {},
): Promise<ValidationReport> {
  const loaded = loadDefinitions(paths, options);
  const findings: ValidationFinding[] = loaded.problems.map(fromProblem);
  const byName = new Map(loaded.mailboxes.map((m) => [m.resourceName, m]));
  const start: SourceLocation = { file: loaded.files[0] ?? paths[0] ?? ".", line: 1, column: 1 };

  const runPolicies = options.policies ?? true;
  if (runPolicies) {
    const resources = loaded.mailboxes.map((m) => ({ name: m.resourceName, props: { ...mailboxInputs(m) } }));
    const violations = await evaluatePolicies(resources, options.policyConfig, policies);
    findings.push(...violations.map((v) => fromViolation(v, byName, start)));
  }

  let remote: ValidationReport["remote"] = null;
  if (options.remote) {
    const here = loaded.mailboxes.filter((m) => m.connection === options.connection);
    for (const other of loaded.mailboxes.filter((m) => m.connection !== options.connection)) {
      const { of, flag } = otherSwitch(other.connection);
      const message = `not checked on the switch: it belongs to ${of}; run validate --remote ${flag} with that switch's credentials`;
      findings.push(mailboxFinding({ ...REMOTE, severity: "note" }, other, message));
    }
    findings.push(...(await validateOnSwitch(here, options.remote, options)));
    remote = { checked: here.length };
  }

  findings.sort((a, b) => compareLocations(a, b) || (a.rule < b.rule ? -1 : a.rule > b.rule ? 1 : 0));
  const summary: Record<FindingSeverity, number> = { error: 0, warning: 0, note: 0 };
  for (const finding of findings) summary[finding.severity]++;
  return {
    version: 1,
    ok: summary.error === 0,
    summary,
    files: loaded.files,
    mailboxes: loaded.mailboxes.length,
    policies: runPolicies,
    remote,
    findings,
  };
}

/** The report in the chosen format, as printed on stdout. */
export function renderReport(report: ValidationReport, format: ValidateFormat): string {
  if (format === "json") return `${JSON.stringify(report, null, 2)}\n`;
  if (format === "sarif") {
    const descriptions = Object.fromEntries(policies.map((p) => [`policy/${p.name}`, p.description]));
    return `${JSON.stringify(toSarif(report, process.cwd(), descriptions), null, 2)}\n`;
  }
  return formatText(report);
}

/** The output formats of `validate`. */
export type ValidateFormat = "text" | "json" | "sarif";

interface ValidateFlags {
  policyPackConfig?: string;
  policies: boolean;
  remote?: boolean;
  connection?: string;
  format: ValidateFormat;
}

/** Reads a `--policy-pack-config` file; a clear error names the file and what is wrong. */
function readPolicyConfig(file: string): unknown {
  let text: string;
  try {
    text = fs.readFileSync(file, "utf8");
  } catch (error) {
    throw new Error(`--policy-pack-config ${file}: cannot read the file`, { cause: error });
  }
  try {
    return JSON.parse(text) as unknown;
  } catch (error) {
    throw new Error(`--policy-pack-config ${file}: not valid JSON (${(error as Error).message})`, {
      cause: error,
    });
  }
}

/** The `validate` subcommand. */
export function validateCommand(): Command {
  const command = new Command("validate")
    .description(
      "Check declarative mailbox files: YAML and schema (file:line:column), policies, and with --remote the " +
        "switch's own validation=1. Exit code 1 on any error or mandatory policy violation.",
    )
    .argument("<paths...>", "mailbox files, or directories searched for .yaml/.yml files")
    .option(
      "--policy-pack-config <file>",
      "policy config JSON, the same file as pulumi preview --policy-pack-config",
    )
    .option("--no-policies", "skip the policies")
    .option(
      "--remote",
      "also ask the switch (validation=1): the switch from the flags below or ENSWITCH_* variables",
    )
    .option(
      "--connection <name>",
      "with --remote: check the files of this connection profile (default: files without one)",
    )
    .addOption(
      new Option("--format <format>", "output format").choices(["text", "json", "sarif"]).default("text"),
    );
  return connectionOptions(command).action(async (paths: string[], flags: ValidateFlags) => {
    const policyConfig = flags.policyPackConfig ? readPolicyConfig(flags.policyPackConfig) : undefined;
    const run = (client?: EnswitchClient) =>
      validateFiles(paths, {
        policies: flags.policies,
        policyConfig,
        remote: client,
        connection: flags.connection,
        enswitchVersion: settingOf("version", flags),
        dryRunUpdates: client ? (settingOf("dryRunUpdates", flags) ?? true) : undefined,
      });
    const report = await (flags.remote ? withClient(flags, run) : run());
    process.stdout.write(renderReport(report, flags.format));
    process.exitCode = report.ok ? 0 : 1;
  });
}
