/**
 * Turns the paths a user gives (files and directories) into the list of mailbox files to read.
 */
import * as fs from "node:fs";
import * as path from "node:path";

/** The extensions a directory is searched for. A file named explicitly is read whatever its name. */
const MAILBOX_FILE_EXTENSIONS = [".yaml", ".yml"] as const;

/** A path that does not exist, or a directory without any mailbox file. Nothing was read. */
export class MailboxFilesNotFoundError extends Error {
  override name = "MailboxFilesNotFoundError";
  /** The path as given. */
  readonly path: string;
  constructor(given: string, reason: string) {
    super(`${given}: ${reason}`);
    this.path = given;
  }
}

function walk(dir: string, out: string[]): void {
  const entries = fs.readdirSync(dir, { withFileTypes: true }).sort((a, b) => (a.name < b.name ? -1 : 1));
  for (const entry of entries) {
    // Hidden folders (.git, .state) and installed packages never hold a user's mailbox files.
    if (entry.name.startsWith(".") || entry.name === "node_modules") continue;
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) walk(full, out);
    else if (entry.isFile() && MAILBOX_FILE_EXTENSIONS.some((ext) => entry.name.endsWith(ext)))
      out.push(full);
  }
}

/**
 * The mailbox files under `paths`: files as given, directories searched recursively for `.yaml` and
 * `.yml` files in name order. Each file appears once. Throws {@link MailboxFilesNotFoundError} for a
 * missing path or a directory without mailbox files, because validating nothing must not pass.
 *
 * @example
 * ```ts
 * findMailboxFiles(["examples/gitops/mailboxes"]); // ["examples/gitops/mailboxes/customer-1/sales.yaml", ...]
 * ```
 */
export function findMailboxFiles(paths: readonly string[]): string[] {
  const found: string[] = [];
  for (const given of paths) {
    let stat: fs.Stats;
    try {
      stat = fs.statSync(given);
    } catch {
      throw new MailboxFilesNotFoundError(given, "no such file or directory");
    }
    if (stat.isDirectory()) {
      const before = found.length;
      walk(given, found);
      if (found.length === before) {
        throw new MailboxFilesNotFoundError(
          given,
          `no ${MAILBOX_FILE_EXTENSIONS.join(" or ")} files in this directory`,
        );
      }
    } else {
      found.push(given);
    }
  }
  const seen = new Set<string>();
  return found.filter((file) => {
    const key = path.resolve(file);
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}
