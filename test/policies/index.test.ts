import * as library from "../../provider/policies";

describe("pulumi-enswitch/policies", () => {
  it("exports every policy in the list and by name, with unique names", () => {
    const named = [
      library.ownerRequired,
      library.timezoneRequired,
      library.notificationSafety,
      library.pinStrength,
      library.descriptionRequired,
      library.mailboxUnique,
      library.numberPlan,
    ];
    expect(library.policies).toEqual(named);
    expect(new Set(library.policies.map((p) => p.name)).size).toBe(named.length);
  });

  it("gives every policy the metadata the engine and the README show", () => {
    for (const policy of library.policies) {
      expect(policy.name).toMatch(/^enswitch-mailbox-[a-z-]+$/);
      expect(policy.description.length).toBeGreaterThan(20);
      expect(policy.severity).toMatch(/^(low|medium|high|critical)$/);
      expect(policy.remediationSteps?.length).toBeGreaterThan(20);
      expect(Object.keys(policy.configSchema?.properties ?? {})).toEqual(
        expect.arrayContaining(["include", "exclude"]),
      );
    }
  });
});
