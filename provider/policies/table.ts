/** The README's table of policies, generated from the policy objects themselves. */
import type { Policies } from "@pulumi/policy";
import type { PolicyConfigJSONSchema } from "@pulumi/policy/schema";
import { policies as allPolicies } from "./all";
import { scopeOptions } from "./scope";

function cell(text: string): string {
  return text.replace(/\|/g, "\\|").replace(/\r?\n/g, " ");
}

function typeOf(schema: PolicyConfigJSONSchema): string {
  const items = schema.items;
  if (schema.type === "array" && items && typeof items === "object" && !Array.isArray(items)) {
    return `${String(items.type)}[]`;
  }
  return String(schema.type ?? "any");
}

function option(name: string, schema: PolicyConfigJSONSchema): string {
  const fallback = schema.default === undefined ? "" : `, default \`${JSON.stringify(schema.default)}\``;
  return `\`${name}\` (${typeOf(schema)}${fallback}): ${schema.description ?? ""}`;
}

/**
 * A markdown table of the policies: name, kind, default enforcement, severity, what it checks and
 * its options (the `include`/`exclude` scope options every policy takes are listed once, below).
 *
 * @example
 * ```ts
 * readme = readme.replace(/<!-- policies -->[\s\S]*<!-- \/policies -->/, `<!-- policies -->\n${policyTable()}<!-- /policies -->`);
 * ```
 */
export function policyTable(policies: Policies = allPolicies): string {
  const scope = Object.keys(scopeOptions());
  const lines = [
    "| Policy | Kind | Default enforcement | Severity | What it checks | Options |",
    "| --- | --- | --- | --- | --- | --- |",
  ];
  for (const policy of policies) {
    const kind = "validateStack" in policy ? "stack" : "resource";
    const options = Object.entries(policy.configSchema?.properties ?? {})
      .filter(([name]) => !scope.includes(name))
      .map(([name, schema]) => option(name, schema));
    lines.push(
      `| \`${policy.name}\` | ${kind} | ${policy.enforcementLevel ?? "advisory"} | ${policy.severity ?? ""} | ` +
        `${cell(policy.description)} | ${options.map(cell).join("<br>") || "none"} |`,
    );
  }
  const shared = Object.entries(scopeOptions()).map(([name, schema]) => `- ${option(name, schema)}`);
  return [...lines, "", "Every policy also takes:", "", ...shared, ""].join("\n");
}

/** The markers between which {@link withPolicyTable} keeps the table. */
export const TABLE_MARKERS = { start: "<!-- policy-table -->", end: "<!-- /policy-table -->" } as const;

/**
 * `markdown` with the text between the {@link TABLE_MARKERS} replaced by {@link policyTable}; throws
 * when the markers are missing, so a README generator cannot silently drop the table.
 *
 * @example
 * ```ts
 * fs.writeFileSync("README.md", withPolicyTable(fs.readFileSync("README.md", "utf8")));
 * ```
 */
export function withPolicyTable(markdown: string, policies: Policies = allPolicies): string {
  const start = markdown.indexOf(TABLE_MARKERS.start);
  const end = markdown.indexOf(TABLE_MARKERS.end);
  if (start < 0 || end < start) {
    throw new Error(`no ${TABLE_MARKERS.start} … ${TABLE_MARKERS.end} markers for the policy table`);
  }
  const before = markdown.slice(0, start + TABLE_MARKERS.start.length);
  return `${before}\n\n${policyTable(policies)}\n${markdown.slice(end)}`;
}
