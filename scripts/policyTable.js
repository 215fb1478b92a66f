// The README's table of policies, generated from the policy objects themselves (run by docs.js, checked
// by test/policy/readme.test.ts). Options every policy takes (the include/exclude scope) are listed once.

/** @typedef {{ type?: unknown; items?: unknown; default?: unknown; description?: string }} OptionSchema */

function cell(text) {
  return text.replace(/\|/g, "\\|").replace(/\r?\n/g, " ");
}

/** @param {OptionSchema} schema */
function typeOf(schema) {
  const items = schema.items;
  if (schema.type === "array" && items && typeof items === "object" && !Array.isArray(items)) {
    return `${String(items.type)}[]`;
  }
  return String(schema.type ?? "any");
}

/** @param {string} name @param {OptionSchema} schema */
function option(name, schema) {
  const fallback = schema.default === undefined ? "" : `, default \`${JSON.stringify(schema.default)}\``;
  return `\`${name}\` (${typeOf(schema)}${fallback}): ${schema.description ?? ""}`;
}

/**
 * A markdown table of the policies: name, kind, default enforcement, severity, what it checks and its
 * options; the options every policy takes follow the table once.
 * @param {readonly import("@pulumi/policy").Policy[]} policies
 */
function policyTable(policies) {
  const optionsOf = (policy) => Object.entries(policy.configSchema?.properties ?? {});
  const shared = optionsOf(policies[0] ?? {}).filter(([name]) =>
    policies.every((p) => name in (p.configSchema?.properties ?? {})),
  );
  const lines = [
    "| Policy | Kind | Default enforcement | Severity | What it checks | Options |",
    "| --- | --- | --- | --- | --- | --- |",
  ];
  for (const policy of policies) {
    const kind = "validateStack" in policy ? "stack" : "resource";
    const options = optionsOf(policy)
      .filter(([name]) => !shared.some(([s]) => s === name))
      .map(([name, schema]) => option(name, schema));
    lines.push(
      `| \`${policy.name}\` | ${kind} | ${policy.enforcementLevel ?? "advisory"} | ${policy.severity ?? ""} | ` +
        `${cell(policy.description)} | ${options.map(cell).join("<br>") || "none"} |`,
    );
  }
  const common = shared.map(([name, schema]) => `- ${option(name, schema)}`);
  return [...lines, "", "Every policy also takes:", "", ...common, ""].join("\n");
}

/** The markers between which {@link withPolicyTable} keeps the table. */
const TABLE_MARKERS = { start: "<!-- policy-table -->", end: "<!-- /policy-table -->" };

/**
 * `markdown` with the text between the markers replaced by the table; throws when the markers are
 * missing, so the generator cannot silently drop the table.
 * @param {string} markdown
 * @param {readonly import("@pulumi/policy").Policy[]} policies
 */
function withPolicyTable(markdown, policies) {
  const start = markdown.indexOf(TABLE_MARKERS.start);
  const end = markdown.indexOf(TABLE_MARKERS.end);
  if (start < 0 || end < start) {
    throw new Error(`no ${TABLE_MARKERS.start} … ${TABLE_MARKERS.end} markers for the policy table`);
  }
  const before = markdown.slice(0, start + TABLE_MARKERS.start.length);
  return `${before}\n\n${policyTable(policies)}\n${markdown.slice(end)}`;
}

module.exports = { policyTable, withPolicyTable, TABLE_MARKERS };
