import { isUnknownValue, rawProps, UNKNOWN_SENTINELS } from "../../provider/policies/unknown";

const proxy = require("@pulumi/policy/proxy") as Record<string, unknown> & {
  unknownCheckingProxy<T extends object>(props: T): T;
};

describe("unknown values", () => {
  it("are exactly the sentinels @pulumi/policy knows", () => {
    const theirs = Object.entries(proxy)
      .filter(([name]) => /^unknown[A-Z][a-z]+Value$/.test(name))
      .map(([, value]) => value);
    expect([...UNKNOWN_SENTINELS].sort()).toEqual([...theirs].sort());
  });

  it("are recognised, and nothing else is", () => {
    for (const sentinel of UNKNOWN_SENTINELS) expect(isUnknownValue(sentinel)).toBe(true);
    for (const value of ["", "1234", 0, undefined, null, {}]) expect(isUnknownValue(value)).toBe(false);
  });

  it("can be read through the engine's unknown-checking proxy, which throws on a plain read", () => {
    const props = proxy.unknownCheckingProxy({ owner: UNKNOWN_SENTINELS[1], mailbox: "2001" } as Record<
      string,
      unknown
    >);
    expect(() => props.owner).toThrow("can't be known during preview");
    expect(rawProps(props)).toEqual({ owner: UNKNOWN_SENTINELS[1], mailbox: "2001" });
  });
});
