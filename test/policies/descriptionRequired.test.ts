import { descriptionRequired } from "../../provider/policies/descriptionRequired";
import { UNKNOWN, validate } from "./engine";
import { goodMailbox, without } from "./fixtures";

describe("enswitch-mailbox-description-required", () => {
  it("accepts a description", async () => {
    expect(await validate(descriptionRequired, goodMailbox())).toEqual([]);
  });

  it("reports an omitted, empty or blank description", async () => {
    for (const props of [without(goodMailbox(), "description"), goodMailbox({ description: "   " })]) {
      expect(await validate(descriptionRequired, props)).toEqual([
        expect.stringContaining("mailbox 2001 has no description"),
      ]);
    }
  });

  it("with minLength, reports a description that is too short", async () => {
    const config = { minLength: 10 };
    expect(await validate(descriptionRequired, goodMailbox({ description: "Sales" }), { config })).toEqual([
      expect.stringContaining("shorter than 10 characters"),
    ]);
    expect(
      await validate(descriptionRequired, goodMailbox({ description: "Sales team" }), { config }),
    ).toEqual([]);
  });

  it("skips an unknown description", async () => {
    expect(await validate(descriptionRequired, goodMailbox({ description: UNKNOWN.string }))).toEqual([]);
  });

  it("is advisory by default with low severity", () => {
    expect(descriptionRequired).toMatchObject({ enforcementLevel: "advisory", severity: "low" });
  });
});
