/**
 * What the loader reports about a mailbox file: one {@link DefinitionProblem} per mistake, each with
 * its location, the field, and what would be valid. Loading never throws for a mistake in a file; a
 * caller that wants an exception uses {@link DefinitionsError}. The location lets a terminal, a JSON
 * consumer and a pull-request annotation all point at the exact character.
 */

/** A position in a file: 1-based line and column, as editors and SARIF count them. */
export interface SourceLocation {
  /** The file's path as it was given (relative paths stay relative). */
  file: string;
  /** 1-based line. */
  line: number;
  /** 1-based column. */
  column: number;
}

/**
 * `file:line:column`, the form editors and terminals turn into links.
 *
 * @example
 * ```ts
 * formatLocation({ file: "mailboxes/sales.yaml", line: 4, column: 18 }); // "mailboxes/sales.yaml:4:18"
 * ```
 */
export function formatLocation(location: SourceLocation): string {
  return `${location.file}:${location.line}:${location.column}`;
}

/** Orders locations by file, then line, then column. */
export function compareLocations(a: SourceLocation, b: SourceLocation): number {
  if (a.file !== b.file) return a.file < b.file ? -1 : 1;
  return a.line - b.line || a.column - b.column;
}

/**
 * The kinds of mistake, each a stable rule identifier for JSON and SARIF consumers.
 *
 * - `yaml`: the file is not valid YAML (bad indentation, duplicate key, unclosed bracket…);
 * - `structure`: valid YAML, but not the shape of a mailbox file (missing `customer`, unknown top-level
 *   key, `mailboxes` not a list…);
 * - `field`: a mailbox field the schema rejects, or a field that is not a mailbox field;
 * - `pin`: a PIN written in a file, which is never allowed;
 * - `duplicate`: the same mailbox of the same customer declared twice.
 */
export type DefinitionProblemKind = "yaml" | "structure" | "field" | "pin" | "duplicate";

/** One mistake in a mailbox file. */
export interface DefinitionProblem extends SourceLocation {
  /** What kind of mistake. */
  kind: DefinitionProblemKind;
  /** The camelCase field (`notifyEmail`), a top-level key (`customer`), or `""` for the file as a whole. */
  field: string;
  /** What is wrong, in a sentence. */
  message: string;
  /** What would be valid, when the schema can say (e.g. `"owner", "owner_wav", ""`). */
  valid?: string;
  /** The customer of the mailbox concerned, when known. */
  customer?: number;
  /** The mailbox number concerned, when known. */
  mailbox?: string;
  /** Other places involved (also named in the message): the other declarations of a duplicate, the mailbox a bad default was applied to. */
  related?: SourceLocation[];
}

/**
 * One line per problem: `file:line:column: field: message (valid: ...)`.
 *
 * @example
 * ```ts
 * formatProblem(p); // "mailboxes/sales.yaml:7:18: notifyEmail: must be one of ... (valid: "owner", "owner_wav", "")"
 * ```
 */
export function formatProblem(problem: DefinitionProblem): string {
  return `${formatLocation(problem)}: ${describeProblem(problem)}`;
}

/** A problem's (or a `validate` finding's) text without its location: `field: message (valid: …)`. */
export function describeProblem(p: { field?: string; message: string; valid?: string }): string {
  return `${p.field ? `${p.field}: ` : ""}${p.message}${p.valid ? ` (valid: ${p.valid})` : ""}`;
}

/** Sorts problems by location, so output does not depend on the order files were read in. */
export function sortProblems<T extends DefinitionProblem>(problems: readonly T[]): T[] {
  return [...problems].sort(compareLocations);
}

/**
 * Thrown by {@link requireDefinitions} (and the root program) when files have mistakes. Its message
 * lists every problem, one per line, so `pulumi up` shows all of them at once.
 */
export class DefinitionsError extends Error {
  override name = "DefinitionsError";
  /** Every problem found, sorted by location. */
  readonly problems: readonly DefinitionProblem[];

  constructor(problems: readonly DefinitionProblem[]) {
    const sorted = sortProblems(problems);
    const count = sorted.length === 1 ? "1 problem" : `${sorted.length} problems`;
    super(`mailbox files have ${count}:\n${sorted.map((p) => `  ${formatProblem(p)}`).join("\n")}`);
    this.problems = sorted;
  }
}
