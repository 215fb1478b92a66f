/**
 * The loader of mailbox files: YAML in, {@link MailboxDefinition}s and {@link DefinitionProblem}s out.
 *
 * ```yaml
 * customer: 1                # required: the customer every mailbox of this document belongs to
 * connection: eu             # optional: a profile of the enswitch:connections stack config
 * defaults:                  # optional: any mailbox field (and adopt), applied to every mailbox below
 *   owner: 101
 *   timezone: Europe/London
 * mailboxes:                 # required: one entry per mailbox, the same camelCase names as MailboxArgs
 *   - mailbox: "1001"
 *     description: Sales
 *   - mailbox: "1002"
 *     copyPin: "1001"
 * ```
 *
 * A file may hold several such documents separated by `---`. A PIN is never written in a file. The
 * fields are the schema's (`provider/mailbox/schema.ts`): every value is checked with it after the
 * file's defaults are merged in, and every mistake is reported with the `file:line:column` of the
 * offending value (or key), the field, and what the schema would accept. Loading never stops at the
 * first mistake: a pull request shows all of them at once.
 */
import { isUtf8 } from "node:buffer";
import * as fs from "node:fs";
import { Document, isAlias, isMap, isScalar, isSeq, LineCounter, parseAllDocuments, YAMLMap } from "yaml";
import { z } from "zod";
import { fieldName } from "../enswitch/names";
import type { MailboxArgs } from "../mailbox/args";
import { inputReference } from "../mailbox/reference";
import {
  isEnswitch4,
  MailboxFields,
  MailboxFieldsInput,
  mailboxSchemas,
  parseMailbox,
  resourceFieldSchemas,
  SchemaOptions,
  withoutDefault,
} from "../mailbox/schema";
import { WireKind, wireKinds } from "../mailbox/wire";
import { findMailboxFiles } from "./discover";
import { describeIdentity, identityKey, resourceName } from "./names";
import { DefinitionProblem, DefinitionsError, formatLocation, sortProblems, SourceLocation } from "./problem";

/** What a file declares for one mailbox: mailbox fields (never `pin`) after the file's defaults. */
export type DeclaredMailbox = Omit<MailboxFieldsInput, "pin" | "customer"> & {
  customer: number;
  mailbox: string;
};

/** One mailbox as declared in a file, checked by the schema. */
export interface MailboxDefinition {
  /** The customer, from the top of the document. */
  customer: number;
  /** The mailbox number, as text (leading zeros kept). */
  mailbox: string;
  /** The `enswitch:connections` profile of the document, if any. */
  connection?: string;
  /** Whether the mailbox may already exist on the switch and is taken over. */
  adopt: boolean;
  /** The stable Pulumi resource name, e.g. `c1-mb1001`. */
  resourceName: string;
  /** The fields as written (defaults merged), without schema defaults: what the `Mailbox` is given. */
  declared: DeclaredMailbox;
  /** The fields after the schema's defaults: what the switch should hold. `pin` is never set. */
  fields: MailboxFields;
  /** The mailbox's entry in its file. */
  location: SourceLocation;
  /** Where each declared field's value was written (in the entry or in the defaults block). */
  fieldLocations: Partial<Record<string, SourceLocation>>;
}

/**
 * The `Mailbox` inputs a definition declares, without a PIN: what the root program passes (with the
 * PIN) and what the policies of `enswitch validate` judge.
 */
export function mailboxInputs(definition: MailboxDefinition): MailboxArgs {
  const args: MailboxArgs = { ...definition.declared };
  if (definition.adopt) args.adopt = true;
  if (definition.connection) args.connection = definition.connection;
  return args;
}

/** Everything read from a set of files. */
export interface LoadResult {
  /** The files read, in order. */
  files: string[];
  /** The mailboxes without any problem, in file order. Duplicates are left out. */
  mailboxes: MailboxDefinition[];
  /** Every mistake found, sorted by location. */
  problems: DefinitionProblem[];
}

/** Options of the loader. */
export type LoadOptions = SchemaOptions;

interface Entry {
  key: string;
  /** The value's YAML node, an alias (`*a`) replaced by the node it stands for. */
  node: unknown;
  value: unknown;
  keyAt: SourceLocation;
  valueAt: SourceLocation;
}

/** The keys of a document, in the order they are documented. */
const DOCUMENT_KEYS: readonly string[] = ["customer", "connection", "defaults", "mailboxes"];

/** Why a PIN may not be in a file, and what to do instead. */
const PIN_IN_FILE_MESSAGE =
  "a PIN must never be written in a mailbox file (files are reviewed and kept in git). Remove it and " +
  "either set it as a secret in stack config (pulumi config set --secret --path 'enswitch:pins.c<customer>-mb<mailbox>' <PIN>), " +
  'or copy it from another mailbox of the customer with copyPin: "<mailbox>", or let the program derive a ' +
  "random PIN from the secret enswitch:pinSeed (kept as a secret output)";

/** The mutable state of reading one file. */
class FileReader {
  readonly problems: DefinitionProblem[] = [];
  readonly mailboxes: MailboxDefinition[] = [];
  private readonly lines = new LineCounter();
  private readonly kinds: Readonly<Record<string, WireKind>>;
  private readonly allowed: Map<string, string>;
  private readonly mailboxFields: string[];
  /** Every key a defaults block or entry may hold (mailbox fields, then adopt and connection). */
  private readonly schemas: Record<string, z.ZodType>;
  /** The document being read: aliases are resolved against its anchors. */
  private doc: Document.Parsed | undefined;

  constructor(
    private readonly file: string,
    private readonly options: LoadOptions,
  ) {
    this.kinds = wireKinds(options);
    this.allowed = allowedValues(options);
    this.mailboxFields = Object.keys(mailboxSchemas(options).fields);
    this.schemas = { ...mailboxSchemas(options).fields, ...resourceFieldSchemas() };
  }

  /** Reads a file's bytes: UTF-8 only, or one problem at the line where it stops being UTF-8. */
  readBytes(bytes: Uint8Array): void {
    const decoded = decodeUtf8(bytes);
    if (typeof decoded === "string") return this.read(decoded);
    this.problem("yaml", { file: this.file, line: decoded.line, column: 1 }, "", decoded.message);
  }

  read(text: string): void {
    let list: Document.Parsed[];
    try {
      const documents = parseAllDocuments(text, { lineCounter: this.lines, prettyErrors: false });
      list = Array.isArray(documents) ? documents : [];
    } catch (error) {
      if (!(error instanceof RangeError)) throw error;
      return this.problem("yaml", this.at(0), "", TOO_DEEP);
    }
    if (list.length === 0 || list.every((doc) => doc.contents === null && doc.errors.length === 0)) {
      this.problem("structure", this.at(0), "", "the file is empty: expected customer and mailboxes");
      return;
    }
    for (const doc of list) {
      if (doc.errors.length > 0) {
        // A stack overflow is reported once per nesting level: say it once, where the nesting starts.
        const deep = doc.errors.filter((e) => /call stack/i.test(e.message));
        if (deep.length > 0)
          this.problem("yaml", this.at(Math.min(...deep.map((e) => e.pos[0]))), "", TOO_DEEP);
        for (const error of doc.errors.filter((e) => !deep.includes(e))) {
          // The parser's message repeats the position and a code frame; the location says it already.
          const message =
            error.code === "DUPLICATE_KEY"
              ? `the key ${/^("[^"\n]*"|'[^'\n]*'|[^:\n]*)/.exec(text.slice(error.pos[0]))![0].trim()} appears twice in this mapping: keep one`
              : error.message.replace(/ at line \d+, column \d+[\s\S]*$/, "");
          this.problem("yaml", this.at(error.pos[0]), "", message);
        }
        continue;
      }
      if (doc.contents === null) continue;
      this.doc = doc;
      const contents = this.resolve(doc.contents);
      if (contents !== undefined) this.readDocument(contents, this.at(doc.contents.range?.[0] ?? 0));
    }
  }

  private readDocument(contents: unknown, start: SourceLocation): void {
    if (!isMap(contents)) {
      this.problem("structure", start, "", `expected a mapping with the keys ${DOCUMENT_KEYS.join(", ")}`);
      return;
    }
    const top = new Map<string, Entry>();
    for (const pair of contents.items) {
      const entry = this.entry(pair.key, pair.value, undefined);
      if (!entry) continue;
      if (DOCUMENT_KEYS.includes(entry.key)) {
        top.set(entry.key, entry);
        continue;
      }
      const hint = this.mailboxFields.includes(entry.key)
        ? " (mailbox fields go under defaults or mailboxes)"
        : "";
      this.problem("structure", entry.keyAt, entry.key, `is not a key of a mailbox file${hint}`, {
        valid: DOCUMENT_KEYS.join(", "),
      });
    }

    if (!top.has("customer")) {
      this.problem("structure", start, "customer", "is missing: every mailbox file names its customer", {
        valid: this.allowed.get("customer"),
      });
    }
    const customer = this.check(top.get("customer"), "customer") as number | undefined;
    const connection = this.check(top.get("connection"), "connection") as string | undefined;
    const defaults = this.readDefaults(top.get("defaults"));
    const items = top.get("mailboxes");
    if (!items) {
      this.problem("structure", start, "mailboxes", "is missing: add mailboxes: with one entry per mailbox");
      return;
    }
    if (!isSeq(items.node)) {
      if (items.value === null) return; // `mailboxes:` with nothing under it: a customer with no mailboxes yet
      this.problem(
        "structure",
        items.valueAt,
        "mailboxes",
        "must be a list of mailboxes (entries starting with -)",
      );
      return;
    }
    for (const written of items.node.items) {
      const at = this.at(rangeStart(written));
      const item = this.resolve(written);
      if (item === undefined) continue;
      if (!isMap(item)) {
        this.problem("structure", at, "mailboxes", 'each entry must be a mapping such as mailbox: "1001"');
        continue;
      }
      this.readMailbox(item, at, customer, connection, defaults);
    }
  }

  /**
   * Validates one value with its field's schema (without default: a value written is checked as
   * written); reports and returns undefined when it fails or there is no entry.
   */
  private check(entry: Entry | undefined, field: string): unknown {
    if (!entry) return undefined;
    const result = withoutDefault(this.schemas[field]!).safeParse(entry.value);
    if (result.success) return result.data;
    for (const issue of result.error.issues) {
      this.problem("field", entry.valueAt, field, issue.message, { valid: this.allowed.get(field) });
    }
    return undefined;
  }

  /** The defaults block: each field checked on its own, so a bad default is reported once. */
  private readDefaults(entry: Entry | undefined): Map<string, Entry> {
    const valid = new Map<string, Entry>();
    if (!entry || entry.value === null) return valid;
    if (!isMap(entry.node)) {
      this.problem(
        "structure",
        entry.valueAt,
        "defaults",
        "must be a mapping of mailbox fields, e.g. owner: 101",
      );
      return valid;
    }
    for (const item of this.fieldEntries(entry.node, "defaults")) {
      if (item.key === "mailbox") {
        this.problem(
          "structure",
          item.keyAt,
          "mailbox",
          "cannot have a default: each mailbox declares its own number",
        );
      } else if (this.check(item, item.key) !== undefined) {
        valid.set(item.key, item);
      }
    }
    return valid;
  }

  private readMailbox(
    node: YAMLMap,
    at: SourceLocation,
    customer: number | undefined,
    connection: string | undefined,
    defaults: Map<string, Entry>,
  ): void {
    const before = this.problems.length;
    const own = this.fieldEntries(node, "mailbox");
    const merged = new Map(defaults);
    for (const item of own) merged.set(item.key, item);
    const number = merged.get("mailbox")?.value;
    const label = typeof number === "string" ? number : undefined;

    // A default adopt was checked with the defaults; a bad one of the entry is reported here.
    this.check(
      own.find((e) => e.key === "adopt"),
      "adopt",
    );
    const adopt = merged.get("adopt")?.value === true;
    merged.delete("adopt");

    const input: Record<string, unknown> = {};
    for (const [key, item] of merged) input[key] = item.value;
    if (customer !== undefined) input.customer = customer;
    // The PIN never comes from a file (stack config, copyPin or the derived PIN supply it): the
    // schema's "adopt" variant is the create rules without "pin is required".
    const parsed = parseMailbox(input, "adopt", this.options);
    for (const failure of parsed.ok ? [] : parsed.failures) {
      const item = merged.get(failure.property);
      const fromDefaults = item !== undefined && !own.includes(item);
      const message = fromDefaults
        ? `${failure.reason} (the value comes from defaults; applied to the mailbox at ${formatLocation(at)})`
        : failure.reason;
      this.problem("field", item?.valueAt ?? at, failure.property, message, {
        valid: this.allowed.get(failure.property),
        customer,
        mailbox: label,
        related: fromDefaults ? [at] : undefined,
      });
    }
    if (this.problems.length > before || !parsed.ok || customer === undefined || label === undefined) return;

    this.mailboxes.push({
      customer,
      mailbox: label,
      connection,
      adopt,
      resourceName: resourceName({ connection, customer, mailbox: label }),
      declared: input as DeclaredMailbox,
      fields: parsed.value,
      location: at,
      fieldLocations: Object.fromEntries([...merged].map(([key, item]) => [key, item.valueAt])),
    });
  }

  /**
   * The entries of a defaults block or a mailbox entry, with keys that are not fields, PINs and keys that
   * belong at the top of the document reported and left out.
   */
  private fieldEntries(node: YAMLMap, where: "defaults" | "mailbox"): Entry[] {
    const out: Entry[] = [];
    for (const pair of node.items) {
      const kind = isScalar(pair.key) ? this.kinds[String(pair.key.value)] : undefined;
      const entry = this.entry(pair.key, pair.value, kind);
      if (!entry) continue;
      if (entry.key === "pin") {
        this.problem("pin", entry.keyAt, "pin", PIN_IN_FILE_MESSAGE);
      } else if (entry.key === "customer" || entry.key === "connection") {
        this.problem(
          "structure",
          entry.keyAt,
          entry.key,
          `is set once, at the top of the file, not in ${where === "defaults" ? "defaults" : "a mailbox entry"}`,
        );
      } else if (!Object.hasOwn(this.schemas, entry.key)) {
        this.problem("field", entry.keyAt, entry.key, `is not a mailbox field${this.suggest(entry.key)}`, {
          valid: [...this.mailboxFields.filter((f) => f !== "pin" && f !== "customer"), "adopt"].join(", "),
        });
      } else {
        out.push(entry);
      }
    }
    return out;
  }

  private suggest(key: string): string {
    const known = Object.keys(this.schemas);
    const camel = fieldName(key.toLowerCase());
    const match =
      known.find((f) => f === camel) ??
      known.find((f) => f.toLowerCase() === key.replace(/[_-]/g, "").toLowerCase());
    return match ? `; did you mean ${match}?` : "";
  }

  /**
   * A key/value pair with its locations (where written, also for an alias); reports keys that are not
   * plain text and aliases without an anchor.
   */
  private entry(keyWritten: unknown, valueWritten: unknown, kind: WireKind | undefined): Entry | undefined {
    const keyAt = this.at(rangeStart(keyWritten));
    const keyNode = this.resolve(keyWritten);
    if (keyNode === undefined) return undefined;
    if (!isScalar(keyNode) || (typeof keyNode.value !== "string" && typeof keyNode.value !== "number")) {
      this.problem("structure", keyAt, "", "keys must be plain names such as description");
      return undefined;
    }
    const valueAt = valueWritten ? this.at(rangeStart(valueWritten)) : keyAt;
    const node = this.resolve(valueWritten);
    if (node === undefined) return undefined;
    return { key: String(keyNode.value), node, value: this.plainValue(node, kind), keyAt, valueAt };
  }

  /**
   * The node an alias (`*a`) stands for, or any other node as it is. An alias whose anchor (`&a`) is not
   * defined before it in the same document is reported, and gives undefined.
   */
  private resolve(node: unknown): unknown {
    if (!isAlias(node)) return node;
    const target = this.doc ? node.resolve(this.doc) : undefined;
    if (target === undefined) {
      this.problem(
        "yaml",
        this.at(rangeStart(node)),
        "",
        `the alias *${node.source} has no anchor &${node.source} before it in this document`,
      );
    }
    return target;
  }

  /**
   * The JavaScript value of a YAML node. For a field the schema keeps as text, a plain scalar that YAML
   * reads as a number or boolean is taken as written: `mailbox: 0101` is the mailbox "0101", not 101.
   * Aliases inside a list or mapping are resolved.
   */
  private plainValue(node: unknown, kind: WireKind | undefined): unknown {
    if (node === null || node === undefined) return null;
    if (isScalar(node)) {
      const typed = typeof node.value === "number" || typeof node.value === "boolean";
      if (kind === "string" && typed && typeof node.source === "string" && node.type === "PLAIN")
        return node.source;
      return node.value;
    }
    if ((isMap(node) || isSeq(node)) && this.doc) {
      try {
        return node.toJS(this.doc);
      } catch {
        // Too many aliases (the parser's guard against "billion laughs"): no field takes a list or
        // mapping anyway, so the unresolved shape is enough for the schema to report it.
      }
    }
    return (node as { toJSON(): unknown }).toJSON();
  }

  private at(offset: number): SourceLocation {
    const pos = this.lines.linePos(offset);
    return { file: this.file, line: pos.line, column: pos.col };
  }

  private problem(
    kind: DefinitionProblem["kind"],
    at: SourceLocation,
    field: string,
    message: string,
    extra: Partial<Pick<DefinitionProblem, "valid" | "customer" | "mailbox" | "related">> = {},
  ): void {
    // Enum reasons already list the valid values; saying them twice is noise.
    if (extra.valid !== undefined && message.includes(extra.valid)) extra = { ...extra, valid: undefined };
    const given = Object.entries(extra).filter(([, value]) => value !== undefined);
    const problem: DefinitionProblem = { kind, ...at, field, message, ...Object.fromEntries(given) };
    this.problems.push(problem);
  }
}

const TOO_DEEP = "nesting too deep: no mailbox field takes nested lists or mappings";

/**
 * The text of a file's bytes, or where and why it is not UTF-8. A UTF-16 file (byte order mark, or the
 * NUL bytes of ASCII text in UTF-16) is named as such; otherwise the first line with a byte sequence that
 * is not UTF-8 is given (a UTF-8 sequence never contains a newline byte, so lines can be checked apart).
 */
function decodeUtf8(bytes: Uint8Array): string | { line: number; message: string } {
  const b = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const utf16 =
    (b[0] === 0xff && b[1] === 0xfe) || (b[0] === 0xfe && b[1] === 0xff) || (b.length > 1 && b.includes(0));
  if (utf16) return { line: 1, message: "the file is UTF-16 (or binary), not UTF-8: save it as UTF-8" };
  if (isUtf8(b)) return new TextDecoder("utf-8").decode(b);
  let line = 1;
  for (let start = 0, end = b.indexOf(0x0a); end !== -1 && isUtf8(b.subarray(start, end)); line++) {
    start = end + 1;
    end = b.indexOf(0x0a, start);
  }
  return {
    line,
    message: "not UTF-8: this line has bytes of another encoding (Latin-1?); save the file as UTF-8",
  };
}

const allowedCache = new Map<boolean, Map<string, string>>();

/** "What would be valid" per field, in words, from the input reference; computed once per schema version. */
function allowedValues(options: SchemaOptions): Map<string, string> {
  const v4 = isEnswitch4(options.enswitchVersion);
  if (!allowedCache.has(v4)) {
    allowedCache.set(v4, new Map(inputReference(options).map((row) => [row.name, row.allowed])));
  }
  return allowedCache.get(v4)!;
}

function rangeStart(node: unknown): number {
  const range = (node as { range?: [number, number, number] } | null)?.range;
  return range ? range[0] : 0;
}

/** Where a mailbox's number is written: what a duplicate points at. */
function numberLocation(definition: MailboxDefinition): SourceLocation {
  return definition.fieldLocations.mailbox ?? definition.location;
}

/**
 * Reads one file's text. `file` is only used in locations. Duplicates are only detected across the
 * mailboxes of this text; {@link loadDefinitions} detects them across files.
 *
 * @example
 * ```ts
 * const { mailboxes, problems } = parseDefinitions("customer: 1\nmailboxes:\n  - mailbox: \"1001\"\n", "inline.yaml");
 * mailboxes[0].resourceName; // "c1-mb1001"
 * ```
 */
export function parseDefinitions(
  text: string,
  file: string,
  options: LoadOptions = {},
): Omit<LoadResult, "files"> {
  const reader = new FileReader(file, options);
  reader.read(text);
  return markDuplicates([reader]);
}

/**
 * The mailboxes and problems of the files read, with every declaration of a mailbox declared more
 * than once moved from the mailboxes to the problems.
 */
function markDuplicates(readers: readonly FileReader[]): Omit<LoadResult, "files"> {
  const groups = new Map<string, MailboxDefinition[]>();
  for (const definition of readers.flatMap((r) => r.mailboxes)) {
    const key = identityKey(definition);
    groups.set(key, [...(groups.get(key) ?? []), definition]);
  }
  const kept: MailboxDefinition[] = [];
  const all = readers.flatMap((r) => r.problems);
  for (const group of groups.values()) {
    if (group.length === 1) {
      kept.push(group[0]!);
      continue;
    }
    for (const definition of group) {
      const others = group.filter((d) => d !== definition).map(numberLocation);
      all.push({
        kind: "duplicate",
        ...numberLocation(definition),
        field: "mailbox",
        message: `${describeIdentity(definition)} is declared ${group.length} times; also at ${others.map(formatLocation).join(", ")}`,
        customer: definition.customer,
        mailbox: definition.mailbox,
        related: others,
      });
    }
  }
  // Groups keep the order of their first declaration, so the kept singletons are in file order.
  return { mailboxes: kept, problems: sortProblems(all) };
}

/**
 * Loads every mailbox file under `paths` (files, or directories searched for `.yaml`/`.yml`). Mistakes
 * are returned, never thrown; a missing path throws `MailboxFilesNotFoundError`.
 *
 * @example
 * ```ts
 * const result = loadDefinitions(["examples/gitops/mailboxes"]);
 * for (const p of result.problems) console.error(formatProblem(p));
 * ```
 */
export function loadDefinitions(paths: string | readonly string[], options: LoadOptions = {}): LoadResult {
  const files = findMailboxFiles(typeof paths === "string" ? [paths] : paths);
  const readers = files.map((file) => {
    const reader = new FileReader(file, options);
    reader.readBytes(fs.readFileSync(file));
    return reader;
  });
  return { files, ...markDuplicates(readers) };
}

/**
 * Like {@link loadDefinitions}, but throws a {@link DefinitionsError} listing every problem when there is
 * any: what a Pulumi program wants, since deploying half a directory is never right.
 */
export function requireDefinitions(
  paths: string | readonly string[],
  options: LoadOptions = {},
): MailboxDefinition[] {
  const result = loadDefinitions(paths, options);
  if (result.problems.length > 0) throw new DefinitionsError(result.problems);
  return result.mailboxes;
}
