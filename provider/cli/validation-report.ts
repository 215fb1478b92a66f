/**
 * The result of `enswitch validate`, the same for every output format. `--format json` prints exactly
 * a {@link ValidationReport}; its shape is part of the command's contract (version 1).
 */
import type { SourceLocation } from "../definitions/location";

/** How serious a finding is. Any `error` makes the command exit 1. */
export type FindingSeverity = "error" | "warning" | "note";

/** Which check found it. */
export type FindingSource = "file" | "policy" | "remote";

/** One thing `validate` reports, always with a location in a file. */
export interface ValidationFinding extends SourceLocation {
  /**
   * A stable identifier: `enswitch/yaml`, `enswitch/structure`, `enswitch/field`, `enswitch/pin`,
   * `enswitch/duplicate`, `enswitch/remote`, or `policy/<policy name>`.
   */
  rule: string;
  source: FindingSource;
  severity: FindingSeverity;
  /** What is wrong. Never contains a PIN or a credential. */
  message: string;
  /** The camelCase field at fault, when known. */
  field?: string;
  /** What would be valid, when known. */
  valid?: string;
  customer?: number;
  mailbox?: string;
  /** The resource name (`c1-mb1001`). */
  resource?: string;
  /** For policy findings: the level the policy ran at. */
  enforcementLevel?: "advisory" | "mandatory" | "remediate";
  /** Other places involved. */
  related?: SourceLocation[];
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

/** The summary and `ok` of a list of findings. */
export function summarize(findings: readonly ValidationFinding[]): Pick<ValidationReport, "ok" | "summary"> {
  const summary: Record<FindingSeverity, number> = { error: 0, warning: 0, note: 0 };
  for (const finding of findings) summary[finding.severity]++;
  return { ok: summary.error === 0, summary };
}

function plural(n: number, word: string): string {
  return `${n} ${word}${n === 1 ? "" : "s"}`;
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
  const lines = report.findings.map((f) => {
    const field = f.field ? `${f.field}: ` : "";
    const valid = f.valid ? ` (valid: ${f.valid})` : "";
    return `${f.file}:${f.line}:${f.column}: ${f.severity} ${field}${f.message}${valid} [${f.rule}]`;
  });
  const checks = ["schema", ...(report.policies ? ["policies"] : []), ...(report.remote ? ["switch"] : [])];
  lines.push(
    `${plural(report.summary.error, "error")}, ${plural(report.summary.warning, "warning")} in ` +
      `${plural(report.files.length, "file")} (${plural(report.mailboxes, "mailbox").replace(
        "mailboxs",
        "mailboxes",
      )}; checked: ${checks.join(", ")})`,
  );
  return lines.join("\n") + "\n";
}
