import type { ResourceValidationPolicy, StackValidationPolicy } from "@pulumi/policy";
import { policies } from "../../provider/policies/index";
import { evaluatePolicies, resolvePackConfig } from "../../provider/policies/evaluate";
import { PolicyConfigError } from "../../provider/policies/policy";
import { goodMailbox, without } from "./fixtures";

const exampleConfig = require("../../policy/policy-config.json") as object;

describe("evaluatePolicies", () => {
  it("returns nothing for compliant mailboxes", async () => {
    expect(await evaluatePolicies([{ name: "sales", props: goodMailbox() }], undefined, policies)).toEqual(
      [],
    );
  });

  it("reports each finding with policy, level, severity, resource, property and message", async () => {
    const violations = await evaluatePolicies(
      [{ name: "sales", props: goodMailbox({ owner: 0, pin: "1234" }) }],
      undefined,
      policies,
    );
    expect(violations).toEqual([
      {
        policy: "enswitch-mailbox-owner-required",
        enforcementLevel: "advisory",
        severity: "medium",
        resource: "sales",
        property: "owner",
        message: expect.stringContaining("has no owner"),
      },
      expect.objectContaining({ policy: "enswitch-mailbox-notification-safety", property: "notifyEmail" }),
      expect.objectContaining({
        policy: "enswitch-mailbox-pin-strength",
        enforcementLevel: "mandatory",
        property: "pin",
      }),
      expect.objectContaining({
        policy: "enswitch-mailbox-pin-strength",
        enforcementLevel: "mandatory",
        property: "pin",
      }),
    ]);
    expect(JSON.stringify(violations)).not.toContain("1234");
  });

  it("applies the example config: owner mandatory, timezone remediated before validation", async () => {
    const violations = await evaluatePolicies(
      [{ name: "sales", props: without(goodMailbox({ owner: 0, notifyEmail: "" }), "timezone") }],
      exampleConfig,
      policies,
    );
    expect(violations).toEqual([
      expect.objectContaining({
        policy: "enswitch-mailbox-timezone-required",
        enforcementLevel: "remediate",
        property: "timezone",
        message: "remediated: set timezone",
      }),
      expect.objectContaining({ policy: "enswitch-mailbox-owner-required", enforcementLevel: "mandatory" }),
    ]);
  });

  it("reports a violation that remediation cannot fix as mandatory", async () => {
    const violations = await evaluatePolicies(
      [{ name: "sales", props: goodMailbox({ timezone: "Mars/Base" }) }],
      exampleConfig,
      policies,
    );
    expect(violations).toEqual([
      expect.objectContaining({
        policy: "enswitch-mailbox-timezone-required",
        enforcementLevel: "mandatory",
      }),
    ]);
  });

  it("runs stack policies over all resources and skips disabled policies", async () => {
    const twins = [
      { name: "a", props: goodMailbox() },
      { name: "b", props: goodMailbox() },
    ];
    expect((await evaluatePolicies(twins, undefined, policies)).map((v) => [v.policy, v.resource])).toEqual([
      ["enswitch-mailbox-unique", "a"],
      ["enswitch-mailbox-unique", "b"],
    ]);
    expect(await evaluatePolicies(twins, { "enswitch-mailbox-unique": "disabled" }, policies)).toEqual([]);
  });

  it("runs policies not built by this library through the @pulumi/policy API", async () => {
    const custom: ResourceValidationPolicy = {
      name: "no-lab",
      description: "No lab mailboxes.",
      enforcementLevel: "mandatory",
      configSchema: { properties: { prefix: { type: "string", default: "lab" } } },
      validateResource: (args, report) => {
        // The schema's default arrives through getConfig, as the CLI fills it in.
        if (args.name.startsWith(args.getConfig<{ prefix: string }>().prefix)) {
          report(`lab mailbox ${String(args.props.mailbox)}`);
        }
      },
    };
    const stack: StackValidationPolicy = {
      name: "at-most-one",
      description: "At most one mailbox.",
      validateStack: (args, report) => {
        if (args.resources.length > 1) report("too many", args.resources[1]?.urn);
      },
    };
    const resources = [
      { name: "lab-1", props: goodMailbox() },
      { name: "sales", props: goodMailbox({ mailbox: "2002" }) },
    ];
    expect(await evaluatePolicies(resources, {}, [custom, stack])).toEqual([
      { policy: "no-lab", enforcementLevel: "mandatory", resource: "lab-1", message: "lab mailbox 2001" },
      { policy: "at-most-one", enforcementLevel: "advisory", resource: "sales", message: "too many" },
    ]);
  });

  it("rejects an unusable config before evaluating", async () => {
    await expect(evaluatePolicies([], { "no-such-policy": "mandatory" }, policies)).rejects.toThrow(
      "is not a policy of this pack",
    );
  });
});

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
