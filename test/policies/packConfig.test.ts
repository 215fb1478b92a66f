import { PolicyConfigError } from "../../provider/policies/config";
import { policies } from "../../provider/policies/all";
import { resolvePackConfig } from "../../provider/policies/packConfig";

const levels = (raw: unknown) =>
  Object.fromEntries([...resolvePackConfig(raw, policies)].map(([name, c]) => [name, c.enforcementLevel]));

describe("resolvePackConfig", () => {
  it("gives every policy its default level without config", () => {
    expect(levels(undefined)).toEqual(Object.fromEntries(policies.map((p) => [p.name, p.enforcementLevel])));
  });

  it("takes a level as a string or in an object, with options beside it", () => {
    const resolved = resolvePackConfig(
      {
        "enswitch-mailbox-owner-required": "mandatory",
        "enswitch-mailbox-pin-strength": { enforcementLevel: "advisory", minLength: 8 },
      },
      policies,
    );
    expect(resolved.get("enswitch-mailbox-owner-required")).toEqual({
      enforcementLevel: "mandatory",
      options: {},
    });
    expect(resolved.get("enswitch-mailbox-pin-strength")).toEqual({
      enforcementLevel: "advisory",
      options: { minLength: 8 },
    });
  });

  it('lets "all" set every level that a policy entry does not', () => {
    const resolved = levels({
      all: "disabled",
      "enswitch-mailbox-unique": { enforcementLevel: "mandatory" },
    });
    expect(resolved["enswitch-mailbox-unique"]).toBe("mandatory");
    expect(resolved["enswitch-mailbox-pin-strength"]).toBe("disabled");
    expect(levels({ all: { enforcementLevel: "advisory" } })["enswitch-mailbox-unique"]).toBe("advisory");
  });

  it("rejects unknown policies, unknown options, bad levels and options of the wrong type", () => {
    expect(() => resolvePackConfig({ "enswitch-mailbox-owner": "mandatory" }, policies)).toThrow(
      /enswitch-mailbox-owner: is not a policy of this pack; known: enswitch-mailbox-owner-required/,
    );
    expect(() => resolvePackConfig({ "enswitch-mailbox-pin-strength": { minLen: 8 } }, policies)).toThrow(
      "option minLen: is not an option",
    );
    expect(() => resolvePackConfig({ "enswitch-mailbox-pin-strength": "strict" }, policies)).toThrow(
      "option enforcementLevel: must be one of advisory, mandatory, remediate, disabled",
    );
    expect(() =>
      resolvePackConfig({ "enswitch-mailbox-pin-strength": { minLength: "8" } }, policies),
    ).toThrow(PolicyConfigError);
    expect(() => resolvePackConfig([], policies)).toThrow("must be a JSON object");
  });
});
