/**
 * The ready pack in policy/, run as Pulumi runs it (a child process spoken to over gRPC), fed the props
 * the Mailbox class registers. Needs the built package (`npm run build` runs first in `npm test`).
 */
import * as pulumi from "@pulumi/pulumi";
import * as analyzer from "@pulumi/pulumi/proto/analyzer_pb";
import * as fs from "node:fs";
import * as path from "node:path";
import { policies } from "../../provider/policies";
import { REPO_ROOT } from "../support/repoPaths";
import { LEVEL, RunningPack, type SentResource } from "./analyzer";
import { mailboxProps } from "./mailboxProps";
import type { MailboxArgs } from "../../provider/mailbox/args";

const exampleConfig = JSON.parse(
  fs.readFileSync(path.join(REPO_ROOT, "policy", "policy-config.json"), "utf8"),
);
const packVersion = JSON.parse(
  fs.readFileSync(path.join(REPO_ROOT, "policy", "package.json"), "utf8"),
).version;
/** An input whose value is not known during preview (it would come from another resource). */
function unknown<T>(): pulumi.Output<T> {
  return pulumi.output(pulumi.unknown) as unknown as pulumi.Output<T>;
}

const compliant = {
  mailbox: "2001",
  pin: "582947",
  owner: 17,
  timezone: "Europe/London",
  description: "Sales team, main line",
};

async function mailbox(name: string, args: MailboxArgs): Promise<SentResource> {
  const { type, inputs } = await mailboxProps(name, args);
  return { name, type, props: inputs };
}

let pack: RunningPack | undefined;

beforeAll(async () => {
  pack = RunningPack.launch();
  await pack.ready;
});

afterAll(async () => {
  await pack?.stop();
});

function running(): RunningPack {
  if (!pack) throw new Error("the policy pack did not start");
  return pack;
}

describe("the enswitch-mailboxes policy pack, over gRPC", () => {
  it("describes itself and every library policy with its default level, severity and config schema", async () => {
    const info = await running().info();
    expect(info.getName()).toBe("enswitch-mailboxes");
    expect(info.getVersion()).toBe(packVersion);
    expect(info.getSupportsconfig()).toBe(true);
    const served = info.getPoliciesList();
    expect(served.map((p) => p.getName())).toEqual(policies.map((p) => p.name));
    for (const [i, policy] of policies.entries()) {
      const p = served[i];
      expect(p?.getEnforcementlevel()).toBe(LEVEL[policy.enforcementLevel ?? "advisory"]);
      expect(p?.getSeverity()).not.toBe(analyzer.PolicySeverity.POLICY_SEVERITY_UNSPECIFIED);
      expect(p?.getRemediationSteps()).toBe(policy.remediationSteps);
      expect(p?.getConfigschema()?.getProperties()?.toJavaScript()).toEqual(policy.configSchema?.properties);
    }
  });

  it("finds nothing wrong with a compliant mailbox under the example config", async () => {
    await running().configure(exampleConfig);
    expect(await running().analyze(await mailbox("sales", compliant))).toEqual([]);
  });

  it("reports each broken rule with the configured level, and never the PIN", async () => {
    await running().configure(exampleConfig);
    const { timezone: _omitted, ...rest } = compliant;
    const resource = await mailbox("sales", { ...rest, owner: 0, pin: "4321" });
    const found = await running().analyze(resource);
    expect(found.map((d) => [d.policy, d.level])).toEqual([
      ["enswitch-mailbox-owner-required", LEVEL.mandatory],
      // remediate: a violation that is still there when validating is mandatory
      ["enswitch-mailbox-timezone-required", LEVEL.mandatory],
      ["enswitch-mailbox-notification-safety", LEVEL.mandatory],
      ["enswitch-mailbox-pin-strength", LEVEL.mandatory],
      ["enswitch-mailbox-pin-strength", LEVEL.mandatory],
    ]);
    expect(found[0]?.message).toMatch(/^Mailboxes must have an owner.*\nmailbox 2001 has no owner/s);
    expect(found[3]?.severity).toBe(analyzer.PolicySeverity.POLICY_SEVERITY_HIGH);
    for (const d of found) expect(d.message).not.toContain("4321");
  });

  it("uses each policy's default level without config, and drops disabled policies", async () => {
    await running().configure({});
    const resource = await mailbox("sales", { ...compliant, owner: 0, notifyEmail: "" });
    expect((await running().analyze(resource)).map((d) => [d.policy, d.level])).toEqual([
      ["enswitch-mailbox-owner-required", LEVEL.advisory],
    ]);
    await running().configure({ "enswitch-mailbox-owner-required": { enforcementLevel: "disabled" } });
    expect(await running().analyze(resource)).toEqual([]);
  });

  it("passes options through Configure", async () => {
    await running().configure({ "enswitch-mailbox-pin-strength": { minLength: 8 } });
    expect((await running().analyze(await mailbox("sales", compliant))).map((d) => d.message)).toEqual([
      expect.stringContaining("shorter than 8 digits"),
    ]);
  });

  it("leaves other resource types alone, reporting the mailbox policies as not applicable", async () => {
    await running().configure(exampleConfig);
    const bucket = { name: "logs", type: "aws:s3/bucket:Bucket", props: { owner: 0 } };
    expect(await running().analyze(bucket)).toEqual([]);
    expect(await running().notApplicable(bucket)).toEqual(
      policies.filter((p) => !("validateStack" in p)).map((p) => p.name),
    );
  });

  it("skips unknown values during preview instead of failing or warning", async () => {
    await running().configure(exampleConfig);
    const resource = await mailbox("sales", {
      ...compliant,
      owner: unknown(),
      timezone: unknown(),
    });
    expect(resource.props.owner).toMatch(/^[0-9a-f-]{36}$/); // the engine's unknown value
    expect(await running().analyze(resource)).toEqual([]);
  });

  it("remediates a missing timezone and returns every property it was given, secrets still secret", async () => {
    await running().configure(exampleConfig);
    const { timezone: _omitted, ...rest } = compliant;
    const resource = await mailbox("sales", rest);
    expect(resource.props.pin).toEqual(expect.objectContaining({ value: compliant.pin })); // a secret
    expect(typeof resource.props.__provider).toBe("string");
    expect(await running().remediate(resource)).toEqual([
      {
        policy: "enswitch-mailbox-timezone-required",
        properties: { ...resource.props, timezone: "Europe/London" },
        diagnostic: "",
      },
    ]);
  });

  it("does not remediate unless the level is remediate", async () => {
    await running().configure({ "enswitch-mailbox-timezone-required": { defaultTimezone: "Europe/London" } });
    const { timezone: _omitted, ...rest } = compliant;
    expect(await running().remediate(await mailbox("sales", rest))).toEqual([]);
  });

  it("reports duplicate mailboxes across the stack on each resource", async () => {
    await running().configure(exampleConfig);
    const a = await mailbox("sales", compliant);
    const b = await mailbox("sales-copy", compliant);
    const c = await mailbox("support", { ...compliant, mailbox: "2002" });
    const found = await running().analyzeStack([a, b, c]);
    expect(found.map((d) => [d.policy, d.level, d.urn])).toEqual([
      ["enswitch-mailbox-unique", LEVEL.mandatory, RunningPack.urn(a)],
      ["enswitch-mailbox-unique", LEVEL.mandatory, RunningPack.urn(b)],
    ]);
    expect(found[0]?.message).toContain(
      "mailbox 2001 of the default customer is declared by 2 resources (sales, sales-copy)",
    );
  });

  it("applies the numbering plan from the config", async () => {
    await running().configure({
      "enswitch-mailbox-number-plan": { enforcementLevel: "mandatory", patterns: { "*": "1[0-9]{3}" } },
    });
    const found = await running().analyzeStack([await mailbox("sales", compliant)]);
    expect(found.map((d) => [d.policy, d.level])).toEqual([
      ["enswitch-mailbox-number-plan", LEVEL.mandatory],
    ]);
  });
});
