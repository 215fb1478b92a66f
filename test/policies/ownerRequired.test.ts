import { ownerRequired } from "../../provider/policies/ownerRequired";
import { UNKNOWN, validate } from "./engine";
import { goodMailbox, without } from "./fixtures";

describe("enswitch-mailbox-owner-required", () => {
  it("accepts a mailbox with an owner", async () => {
    expect(await validate(ownerRequired, goodMailbox())).toEqual([]);
  });

  it("reports owner 0 and an omitted owner (the schema's default is 0)", async () => {
    for (const props of [goodMailbox({ owner: 0 }), without(goodMailbox(), "owner")]) {
      const messages = await validate(ownerRequired, props);
      expect(messages).toHaveLength(1);
      expect(messages[0]).toContain("mailbox 2001 has no owner");
    }
  });

  it("with allowedOwners, reports an owner outside the list and accepts one inside", async () => {
    const config = { allowedOwners: [3, 5] };
    expect(await validate(ownerRequired, goodMailbox({ owner: 17 }), { config })).toEqual([
      expect.stringContaining("owner 17, which is not one of the allowed owners 3, 5"),
    ]);
    expect(await validate(ownerRequired, goodMailbox({ owner: 5 }), { config })).toEqual([]);
  });

  it("skips an owner that is unknown during preview, without failing", async () => {
    expect(await validate(ownerRequired, goodMailbox({ owner: UNKNOWN.number }))).toEqual([]);
  });

  it("honours include and exclude on the resource name", async () => {
    const props = goodMailbox({ owner: 0 });
    expect(await validate(ownerRequired, props, { name: "lab-1", config: { include: ["sales-*"] } })).toEqual(
      [],
    );
    expect(
      await validate(ownerRequired, props, { name: "sales-1", config: { include: ["sales-*"] } }),
    ).toHaveLength(1);
    expect(
      await validate(ownerRequired, props, { name: "sales-1", config: { exclude: ["sales-?"] } }),
    ).toEqual([]);
  });

  it("ignores resources of other types", async () => {
    expect(await validate(ownerRequired, { owner: 0 }, { type: "aws:s3/bucket:Bucket" })).toEqual([]);
  });

  it("declares its metadata: advisory by default, a severity, remediation steps, options with defaults", () => {
    expect(ownerRequired).toMatchObject({ enforcementLevel: "advisory", severity: "medium" });
    expect(ownerRequired.remediationSteps).toContain("owner");
    expect(ownerRequired.configSchema?.properties).toMatchObject({
      allowedOwners: { default: [] },
      include: { default: ["*"] },
      exclude: { default: [] },
    });
  });
});
