/**
 * Where something is in a mailbox file. Every problem the loader reports carries one, so that a
 * terminal, a JSON consumer and a pull-request annotation can all point at the exact character.
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
