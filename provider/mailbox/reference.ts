/**
 * The input reference, read off the schema: the README's table of `Mailbox` inputs and the TSDoc'd
 * `MailboxArgs` interface in `args.ts` are both rendered from here by `npm run docs`, and a test fails
 * when either is stale. Nothing in this file names a field.
 */
import { z } from "zod";
import { listed, mailboxSchemas, resourceFieldSchemas, SchemaOptions } from "./schema";
import { wireName } from "./wire";

/** One row of the input reference. */
export interface InputReference {
  /** The `MailboxArgs` property, e.g. `notifyEmail`. */
  name: string;
  /** The API parameter, e.g. `notify_email`; `""` for resource-only inputs. */
  wire: string;
  /** The TypeScript type of the input. */
  type: "string" | "boolean" | "number";
  /** Whether the input must be given. */
  required: boolean;
  /** The default as JSON text, or a sentence when the switch decides. */
  default: string;
  /** What values are accepted, in words. */
  allowed: string;
  /** The seed's description. */
  description: string;
  /** A field's fixed values, for its literal union type; `open` when any other string is taken too. */
  values?: { known: string[]; open: boolean };
}

interface JsonSchemaView {
  type?: string;
  enum?: unknown[];
  default?: unknown;
  description?: string;
  allowed?: string;
  defaultText?: string;
  known?: string[];
}

function allowedText(view: JsonSchemaView): string {
  if (view.allowed) return view.allowed;
  if (view.enum) return listed(view.enum);
  if (view.type === "boolean") return "true, false";
  if (view.type === "integer") return "whole number";
  return "text";
}

function valuesOf(view: JsonSchemaView): InputReference["values"] {
  if (view.enum) return { known: view.enum.map(String), open: false };
  return view.known ? { known: view.known, open: true } : undefined;
}

/**
 * Every `Mailbox` input with its API name, type, default, allowed values and description.
 *
 * @example
 * ```ts
 * inputReference().find((r) => r.name === "notifyEmail")?.default; // '"owner_wav"'
 * ```
 */
export function inputReference(options: SchemaOptions = {}): InputReference[] {
  // Mailbox fields and steering inputs alike: every column is read off the input's JSON Schema.
  const rows = (shape: Record<string, z.ZodType>, wire: (name: string) => string) =>
    Object.entries(shape).map(([name, schema]): InputReference => {
      const view = z.toJSONSchema(schema, { io: "input", unrepresentable: "any" }) as JsonSchemaView;
      const required = !schema.safeParse(undefined).success;
      const noDefault = view.defaultText ?? (required ? "(required)" : "(none)");
      return {
        name,
        wire: wire(name),
        type: view.type === "boolean" ? "boolean" : view.type === "integer" ? "number" : "string",
        required,
        default: view.default !== undefined ? JSON.stringify(view.default) : noDefault,
        allowed: allowedText(view),
        description: view.description ?? "",
        values: valuesOf(view),
      };
    });
  return [...rows(mailboxSchemas(options).fields, wireName), ...rows(resourceFieldSchemas(), () => "")];
}

function cell(text: string): string {
  return text.replace(/\|/g, "\\|");
}

/** The README table of inputs, as Markdown. */
export function inputTableMarkdown(): string {
  const lines = [
    "| Pulumi input | Enswitch parameter | Type | Default | Allowed values | Description |",
    "|---|---|---|---|---|---|",
  ];
  for (const row of inputReference()) {
    const wire = row.wire ? `\`${row.wire}\`` : "(provider only)";
    lines.push(
      `| \`${row.name}\` | ${wire} | ${row.type} | ${cell(row.default)} | ${cell(row.allowed)} | ${cell(row.description)} |`,
    );
  }
  return lines.join("\n");
}

/**
 * The TypeScript type of an input: a literal union where the values are fixed (those of every
 * Enswitch version, since the version is known only at run time), else its plain type.
 */
function typeOf(row: InputReference, later: InputReference | undefined): string {
  if (!row.values) return row.type;
  const known = [...new Set([...row.values.known, ...(later?.values?.known ?? [])])];
  const literals = known.map((v) => JSON.stringify(v));
  // `string & {}` keeps the known values as editor suggestions while any other string type-checks.
  return [...literals, ...(row.values.open ? ["(string & {})"] : [])].join(" | ");
}

/** The source of `args.ts`: `MailboxArgs` with TSDoc from the schema. */
export function mailboxArgsSource(): string {
  const v4 = new Map(inputReference({ enswitchVersion: "4.0" }).map((row) => [row.name, row]));
  const members = inputReference().map((row) => {
    const where = `Enswitch: ${row.wire ? `\`${row.wire}\`` : "not sent"}. Allowed: ${row.allowed}.`;
    const doc = [row.description, "", row.required ? where : `${where} Default: ${row.default}.`];
    const comment = [
      "  /**",
      ...doc.map((l) => (l ? `   * ${l.replace(/\*\//g, "*\\/")}` : "   *")),
      "   */",
    ];
    const type = typeOf(row, v4.get(row.name));
    return [...comment, `  ${row.name}${row.required ? "" : "?"}: pulumi.Input<${type}>;`].join("\n");
  });
  return [
    "// Generated from provider/mailbox/schema.ts by `npm run docs`. Do not edit: change the schema.",
    'import * as pulumi from "@pulumi/pulumi";',
    "",
    "/**",
    " * The inputs of a {@link Mailbox}: the parameters of `mailboxes/create` in camelCase, with the",
    ' * "1 to X, 0 not to" integers as booleans, plus the provider-only `adopt` and `connection`.',
    " *",
    " * @example",
    " * ```ts",
    ' * new enswitch.Mailbox("sales", { mailbox: "2001", pin: config.requireSecret("salesPin"), owner: 101 });',
    " * ```",
    " */",
    "export interface MailboxArgs {",
    members.join("\n"),
    "}",
    "",
  ].join("\n");
}
