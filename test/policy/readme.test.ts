import * as fs from "node:fs";
import * as path from "node:path";
import type { Policies } from "@pulumi/policy";
import { policies } from "../../provider/policies";
import { REPO_ROOT } from "../support/repoPaths";

const { withPolicyTable } = require("../../scripts/policyTable") as {
  withPolicyTable(markdown: string, policies: Policies): string;
};
const readme = fs.readFileSync(path.join(REPO_ROOT, "README.md"), "utf8");

describe("README.md, Policy as code", () => {
  it("carries the current table of policies (regenerate with npm run docs)", () => {
    expect(readme).toBe(withPolicyTable(readme, policies));
  });

  it("tells how to run the pack with the example config", () => {
    expect(readme).toContain(
      "pulumi preview --policy-pack policy --policy-pack-config policy/policy-config.json",
    );
    expect(fs.existsSync(path.join(REPO_ROOT, "policy", "policy-config.json"))).toBe(true);
  });
});

describe("withPolicyTable", () => {
  it("refuses markdown without the markers", () => {
    expect(() => withPolicyTable("# README\n", policies)).toThrow("markers");
  });
});
