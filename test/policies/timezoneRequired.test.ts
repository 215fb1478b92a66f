import { PolicyConfigError } from "../../provider/policies/policy";
import { timezoneRequired } from "../../provider/policies/timezoneRequired";
import { remediate, secretOf, UNKNOWN, validate } from "./engine";
import { goodMailbox, without } from "./fixtures";

describe("enswitch-mailbox-timezone-required", () => {
  it("accepts a real IANA zone", async () => {
    expect(await validate(timezoneRequired, goodMailbox())).toEqual([]);
  });

  it("reports a missing, empty or made-up timezone", async () => {
    expect(await validate(timezoneRequired, without(goodMailbox(), "timezone"))).toEqual([
      expect.stringContaining("mailbox 2001 has no timezone"),
    ]);
    expect(await validate(timezoneRequired, goodMailbox({ timezone: "" }))).toEqual([
      expect.stringContaining("has no timezone"),
    ]);
    expect(await validate(timezoneRequired, goodMailbox({ timezone: "Europe/Atlantis" }))).toEqual([
      expect.stringContaining('"Europe/Atlantis", which is not an IANA zone'),
    ]);
  });

  it("with allowedTimezones, reports a real zone outside the list", async () => {
    const config = { allowedTimezones: ["Europe/London", "Europe/Dublin"] };
    expect(
      await validate(timezoneRequired, goodMailbox({ timezone: "America/New_York" }), { config }),
    ).toEqual([expect.stringContaining('not one of the allowed zones "Europe/London", "Europe/Dublin"')]);
    expect(await validate(timezoneRequired, goodMailbox({ timezone: "Europe/Dublin" }), { config })).toEqual(
      [],
    );
  });

  it("skips a timezone that is unknown during preview", async () => {
    expect(await validate(timezoneRequired, goodMailbox({ timezone: UNKNOWN.string }))).toEqual([]);
  });

  it("remediates a missing timezone with defaultTimezone, keeping every other property as given", async () => {
    const props: Record<string, unknown> = {
      ...without(goodMailbox(), "timezone"),
      __provider: "exports.handler = …",
      owner: UNKNOWN.number,
    };
    const fixed = await remediate(timezoneRequired, props, { config: { defaultTimezone: "Europe/Paris" } });
    expect(fixed).toEqual({
      ...props,
      pin: secretOf(props.pin),
      timezone: "Europe/Paris",
    });
  });

  it("does not remediate a mailbox that has a timezone, one that is unknown, or without defaultTimezone", async () => {
    const config = { defaultTimezone: "Europe/Paris" };
    expect(await remediate(timezoneRequired, goodMailbox(), { config })).toBeUndefined();
    expect(
      await remediate(timezoneRequired, goodMailbox({ timezone: UNKNOWN.string }), { config }),
    ).toBeUndefined();
    expect(await remediate(timezoneRequired, without(goodMailbox(), "timezone"))).toBeUndefined();
  });

  it("does not remediate resources out of scope", async () => {
    const config = { defaultTimezone: "Europe/Paris", exclude: ["sales"] };
    expect(await remediate(timezoneRequired, without(goodMailbox(), "timezone"), { config })).toBeUndefined();
  });

  it("rejects options that name no real zone, or a default outside the allowed list", async () => {
    const props = goodMailbox();
    await expect(
      validate(timezoneRequired, props, { config: { allowedTimezones: ["Mars/Base"] } }),
    ).rejects.toThrow(PolicyConfigError);
    await expect(
      validate(timezoneRequired, props, { config: { defaultTimezone: "Mars/Base" } }),
    ).rejects.toThrow("option defaultTimezone");
    await expect(
      validate(timezoneRequired, props, {
        config: { allowedTimezones: ["Europe/London"], defaultTimezone: "Europe/Paris" },
      }),
    ).rejects.toThrow("must be one of allowedTimezones");
  });

  it("is advisory by default and declares defaultTimezone without a default", () => {
    expect(timezoneRequired).toMatchObject({ enforcementLevel: "advisory", severity: "low" });
    expect(timezoneRequired.configSchema?.properties.defaultTimezone).toEqual(
      expect.not.objectContaining({ default: expect.anything() }),
    );
  });
});
