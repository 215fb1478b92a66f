import type { Policies } from "@pulumi/policy";
import { policies } from "../../provider/policies/index";

const { policyTable } = require("../../scripts/policyTable") as { policyTable(policies: Policies): string };

describe("policyTable", () => {
  const table = policyTable(policies);
  const rows = table.split("\n").filter((l) => l.startsWith("| `"));

  it("has one row per policy with kind, default enforcement, severity and description", () => {
    expect(rows).toHaveLength(policies.length);
    for (const [i, policy] of policies.entries()) {
      const kind = "validateStack" in policy ? "stack" : "resource";
      expect(rows[i]).toContain(
        `| \`${policy.name}\` | ${kind} | ${policy.enforcementLevel} | ${policy.severity} |`,
      );
      expect(rows[i]).toContain(policy.description);
    }
  });

  it("lists each policy's own options with type and default, and the shared scope options once", () => {
    expect(rows.find((r) => r.includes("pin-strength"))).toContain("`minLength` (integer, default `6`)");
    expect(rows.find((r) => r.includes("owner-required"))).toContain(
      "`allowedOwners` (integer[], default `[]`)",
    );
    expect(rows.find((r) => r.includes("mailbox-unique"))).toMatch(/\| none \|$/);
    expect(rows.join("\n")).not.toContain("`include`");
    expect(table).toContain('- `include` (string[], default `["*"]`)');
  });

  it("keeps table cells on one line without stray pipes", () => {
    for (const row of rows) expect(row.split(/(?<!\\)\|/)).toHaveLength(8);
  });
});
