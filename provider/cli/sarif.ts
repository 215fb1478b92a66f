/**
 * SARIF 2.1.0 output of `enswitch validate`, for code-scanning uploads that annotate pull requests
 * at the exact line and column.
 */
import * as fs from "node:fs";
import * as path from "node:path";
import { pathToFileURL } from "node:url";
import type { Log, ReportingDescriptor, Result } from "sarif";
import type { FindingSeverity, ValidationFinding, ValidationReport } from "./validation-report";

/** What each built-in rule checks. Policy rules take their description from the finding. */
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

const LEVEL: Record<FindingSeverity, Result.level> = { error: "error", warning: "warning", note: "note" };

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
      defaultConfiguration: { level: LEVEL[example.severity] },
    };
  });
  const location = (f: { file: string; line: number; column: number }) => ({
    physicalLocation: {
      artifactLocation: { uri: artifactUri(f.file, root), uriBaseId: "%SRCROOT%" },
      region: { startLine: f.line, startColumn: f.column },
    },
  });
  const results: Result[] = report.findings.map((f: ValidationFinding) => {
    const result: Result = {
      ruleId: f.rule,
      ruleIndex: ruleIds.indexOf(f.rule),
      level: LEVEL[f.severity],
      message: {
        text: `${f.field ? `${f.field}: ` : ""}${f.message}${f.valid ? ` (valid: ${f.valid})` : ""}`,
      },
      locations: [location(f)],
    };
    if (f.related?.length) result.relatedLocations = f.related.map((r, id) => ({ id, ...location(r) }));
    const properties: Record<string, unknown> = {};
    for (const key of ["field", "customer", "mailbox", "resource", "enforcementLevel"] as const) {
      if (f[key] !== undefined) properties[key] = f[key];
    }
    if (Object.keys(properties).length > 0) result.properties = properties;
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
