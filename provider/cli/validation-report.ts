/**
 * The result of `enswitch validate`, the same for every output format: `--format json` prints exactly
 * a {@link ValidationReport} (its shape is part of the command's contract, version 1), `text` one line
 * per finding, `sarif` a SARIF 2.1.0 log for code-scanning uploads that annotate pull requests at the
 * exact line and column.
 */
import * as fs from "node:fs";
import * as path from "node:path";
import { pathToFileURL } from "node:url";
import type { Log, ReportingDescriptor, Result } from "sarif";
import type { MailboxDefinition } from "../definitions/load";
import { DefinitionProblem, describeProblem, formatLocation, SourceLocation } from "../definitions/problem";

/** How serious a finding is. Any `error` makes the command exit 1. */
export type FindingSeverity = "error" | "warning" | "note";

/** Which check found it. */
export type FindingSource = "file" | "policy" | "remote";

/**
 * One thing `validate` reports, always with a location in a file: a {@link DefinitionProblem}'s
 * fields, its kind turned into a rule. Its message never contains a PIN or a credential.
 */
export interface ValidationFinding extends Omit<DefinitionProblem, "kind" | "field"> {
  /**
   * A stable identifier: `enswitch/yaml`, `enswitch/structure`, `enswitch/field`, `enswitch/pin`,
   * `enswitch/duplicate`, `enswitch/remote`, or `policy/<policy name>`.
   */
  rule: string;
  source: FindingSource;
  severity: FindingSeverity;
  /** The camelCase field at fault, when known. */
  field?: string;
  /** The resource name (`c1-mb1001`). */
  resource?: string;
  /** For policy findings: the level the policy ran at. */
  enforcementLevel?: "advisory" | "mandatory" | "remediate";
}

/** Everything `validate` found. */
export interface ValidationReport {
  /** The version of this shape. */
  version: 1;
  /** False when there is any `error` (a mandatory policy violation is an error). */
  ok: boolean;
  /** The files read. */
  files: string[];
  /** How many mailboxes the files declare without a problem. */
  mailboxes: number;
  /** Whether the policies ran. */
  policies: boolean;
  /** Whether the switch was asked (`--remote`), and how many mailboxes it checked. */
  remote: { checked: number } | null;
  /** Every finding, sorted by file, line and column. */
  findings: ValidationFinding[];
  /** Counts per severity. */
  summary: Record<FindingSeverity, number>;
}

/**
 * A finding about one declared mailbox: at the value of its `field` when the file wrote one, else at
 * its entry.
 */
export function mailboxFinding(
  head: Pick<ValidationFinding, "rule" | "source" | "severity">,
  definition: MailboxDefinition,
  message: string,
  field?: string,
): ValidationFinding {
  return {
    ...head,
    ...((field && definition.fieldLocations[field]) || definition.location),
    message,
    ...(field ? { field } : {}),
    customer: definition.customer,
    mailbox: definition.mailbox,
    resource: definition.resourceName,
  };
}

function plural(n: number, word: string, words = `${word}s`): string {
  return `${n} ${n === 1 ? word : words}`;
}

/**
 * The readable form: one line per finding (`file:line:column: severity field: message`), then a
 * summary line.
 *
 * @example
 * ```text
 * mailboxes/sales.yaml:7:18: error notifyEmail: must be one of "owner", "owner_wav", "" [enswitch/field]
 * 1 error, 0 warnings in 2 files (14 mailboxes)
 * ```
 */
export function formatText(report: ValidationReport): string {
  const lines = report.findings.map(
    (f) => `${formatLocation(f)}: ${f.severity} ${describeProblem(f)} [${f.rule}]`,
  );
  const checks = ["schema", ...(report.policies ? ["policies"] : []), ...(report.remote ? ["switch"] : [])];
  lines.push(
    `${plural(report.summary.error, "error")}, ${plural(report.summary.warning, "warning")} in ` +
      `${plural(report.files.length, "file")} (${plural(report.mailboxes, "mailbox", "mailboxes")}; checked: ${checks.join(", ")})`,
  );
  return lines.join("\n") + "\n";
}

/** What each built-in rule checks, for SARIF. Policy rules take their description from the pack. */
const RULE_TEXT: Record<string, string> = {
  "enswitch/yaml": "Mailbox files must be valid YAML.",
  "enswitch/structure":
    "Mailbox files have customer, an optional connection and defaults, and a list of mailboxes.",
  "enswitch/field": "Every mailbox field must be valid according to the mailbox schema.",
  "enswitch/pin": "PINs are never written in mailbox files.",
  "enswitch/duplicate": "Each mailbox of a customer is declared once.",
  "enswitch/remote": "The switch accepts the mailbox (validation=1).",
};

/** This package's version, from its package.json (two levels up from `dist/cli/` and `provider/cli/`). */
export function packageVersion(): string {
  try {
    const file = path.join(__dirname, "..", "..", "package.json");
    return (JSON.parse(fs.readFileSync(file, "utf8")) as { version?: string }).version ?? "0.0.0";
  } catch {
    return "0.0.0";
  }
}

/** A path relative to `root` with forward slashes: what code-scanning tools match against the repository. */
function artifactUri(file: string, root: string): string {
  const relative = path.relative(root, path.resolve(root, file));
  return relative.split(path.sep).map(encodeURIComponent).join("/");
}

/**
 * The report as a SARIF 2.1.0 log with one run. Locations are relative to `root` (default: the current
 * directory, which in CI is the repository root) under the base id `%SRCROOT%`.
 *
 * @example
 * ```ts
 * fs.writeFileSync("validate.sarif", JSON.stringify(toSarif(report), null, 2));
 * ```
 */
export function toSarif(
  report: ValidationReport,
  root: string = process.cwd(),
  ruleDescriptions: Readonly<Record<string, string>> = {},
): Log {
  const ruleIds = [...new Set(report.findings.map((f) => f.rule))].sort();
  const rules: ReportingDescriptor[] = ruleIds.map((id) => {
    const example = report.findings.find((f) => f.rule === id)!;
    return {
      id,
      name: id.replace(/[^A-Za-z0-9]+/g, "-"),
      shortDescription: {
        text: RULE_TEXT[id] ?? ruleDescriptions[id] ?? `Policy ${id.replace(/^policy\//, "")}.`,
      },
      defaultConfiguration: { level: example.severity },
    };
  });
  const location = (f: SourceLocation) => ({
    physicalLocation: {
      artifactLocation: { uri: artifactUri(f.file, root), uriBaseId: "%SRCROOT%" },
      region: { startLine: f.line, startColumn: f.column },
    },
  });
  const results: Result[] = report.findings.map((f: ValidationFinding) => {
    const result: Result = {
      ruleId: f.rule,
      ruleIndex: ruleIds.indexOf(f.rule),
      level: f.severity,
      message: { text: describeProblem(f) },
      locations: [location(f)],
    };
    if (f.related?.length) result.relatedLocations = f.related.map((r, id) => ({ id, ...location(r) }));
    const keys = (["field", "customer", "mailbox", "resource", "enforcementLevel"] as const).filter(
      (k) => f[k] !== undefined,
    );
    if (keys.length > 0) result.properties = Object.fromEntries(keys.map((k) => [k, f[k]]));
    return result;
  });
  const rootUri = pathToFileURL(path.resolve(root)).href;
  return {
    $schema: "https://json.schemastore.org/sarif-2.1.0.json",
    version: "2.1.0",
    runs: [
      {
        tool: {
          driver: {
            name: "enswitch-validate",
            version: packageVersion(),
            rules,
          },
        },
        originalUriBaseIds: { "%SRCROOT%": { uri: rootUri.endsWith("/") ? rootUri : `${rootUri}/` } },
        results,
      },
    ],
  };
}
