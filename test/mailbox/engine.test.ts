import { unknownValue } from "@pulumi/pulumi/runtime/rpc";
import { isUnknown, UNKNOWN_VALUES } from "../../provider/mailbox/engine";

const proxy = require("@pulumi/policy/proxy") as Record<string, unknown>;

describe("unknown values", () => {
  it("are exactly the sentinels @pulumi/policy knows, the provider host's among them", () => {
    const theirs = Object.entries(proxy)
      .filter(([name]) => /^unknown[A-Z][a-z]+Value$/.test(name))
      .map(([, value]) => value);
    expect([...UNKNOWN_VALUES].sort()).toEqual([...theirs].sort());
    expect(UNKNOWN_VALUES).toContain(unknownValue);
  });

  it("are recognised, and nothing else is", () => {
    for (const sentinel of UNKNOWN_VALUES) expect(isUnknown(sentinel)).toBe(true);
    for (const value of ["", "1234", 0, undefined, null, {}]) expect(isUnknown(value)).toBe(false);
  });
});
