/**
 * The mailbox schema is the seed page in code: 24 mailbox fields (27 parameters less the two auth
 * parameters and `validation`), the seed's defaults, "pin unless copy_pin", and the 4.x notify_for.
 */
import { mailboxFieldNames, mailboxSchemas, parseMailbox } from "../../provider/mailbox/schema";
import { wireName } from "../../provider/mailbox/wire";

const SEED_PARAMETERS = [
  "mailbox", "pin", "callerid", "copy_pin", "customer", "description", "dtype", "dnumber", "envelope",
  "notify_dnumber", "notify_email", "notify_for", "notify_ltype", "notify_message", "notify_only", "owner",
  "pager", "pager_attach", "panel", "play", "saycid", "sayduration", "temporary_active", "timezone",
]; // prettier-ignore

function failuresOf(input: unknown, mode: "create" | "adopt" | "update" = "create") {
  const result = parseMailbox(input, mode as "create");
  if (result.ok) throw new Error("expected a failure");
  return result.failures;
}

describe("mailbox schema", () => {
  it("declares exactly the seed's mailbox parameters, in the seed's order", () => {
    expect(mailboxFieldNames().map(wireName)).toEqual(SEED_PARAMETERS);
  });

  it("applies the seed's defaults", () => {
    const result = parseMailbox({ mailbox: "1234", pin: "567890" }, "create");
    expect(result).toEqual({
      ok: true,
      value: {
        mailbox: "1234", pin: "567890", callerid: "", copyPin: "", description: "", dtype: "hangup",
        envelope: false, notifyDnumber: "", notifyEmail: "owner_wav", notifyFor: "voicemail_fax",
        notifyLtype: "voicemailbox", notifyMessage: "", notifyOnly: false, owner: 0, pager: "",
        pagerAttach: false, panel: false, play: "oldest", saycid: true, sayduration: true, temporaryActive: true,
      },
    }); // prettier-ignore
  });

  it("keeps leading zeros of the mailbox number", () => {
    const result = parseMailbox({ mailbox: "0042", pin: "1111" }, "create");
    expect(result.ok && result.value.mailbox).toBe("0042");
  });

  it("requires a PIN unless copyPin names another mailbox", () => {
    expect(failuresOf({ mailbox: "1234" })).toEqual([
      expect.objectContaining({ property: "pin", reason: expect.stringContaining("copyPin") }),
    ]);
    expect(parseMailbox({ mailbox: "1234", copyPin: "1000" }, "create").ok).toBe(true);
  });

  it.each(["create", "adopt"] as const)(
    "refuses pin together with copyPin (%s), naming both: the switch would not set that PIN",
    (mode) => {
      expect(failuresOf({ mailbox: "1234", pin: "4821", copyPin: "1000" }, mode)).toEqual([
        { property: "copyPin", reason: expect.stringMatching(/together with pin.*pin .* or copyPin/) },
      ]);
    },
  );

  it("leaves the seed's default of dnumber (None) to the switch: unset is not filled in", () => {
    const result = parseMailbox({ mailbox: "1234", pin: "1111" }, "create");
    expect(result.ok && "dnumber" in result.value).toBe(false);
  });

  it.each([
    ["europe/london", "Europe/London"],
    ["utc", "UTC"],
    ["AMERICA/NEW_YORK", "America/New_York"],
    ["Europe/London", "Europe/London"],
  ])("stores time zone %s in its one spelling, %s", (typed, stored) => {
    const result = parseMailbox({ mailbox: "1234", pin: "1111", timezone: typed }, "create");
    expect(result.ok && result.value.timezone).toBe(stored);
    expect(parseMailbox({ timezone: typed }, "update")).toEqual({ ok: true, value: { timezone: stored } });
  });

  // Rules no published page states are the switch's verdict (validation=1) or a policy's.
  it.each([
    { mailbox: "12a4" },
    { mailbox: "1234", pin: "12" },
    { mailbox: "1234", pin: "12 34" },
    { mailbox: "1234", copyPin: "1234" },
    { mailbox: "1234", description: "a\nb" },
    { mailbox: "1234", description: "x".repeat(1000) },
    { mailbox: "1234", dtype: "Hang Up" },
    { mailbox: "1234", pager: "not-an-address" },
    { mailbox: "1234", callerid: "x".repeat(200), dnumber: "x".repeat(200), notifyDnumber: "x".repeat(200) },
    { mailbox: "1234", owner: -1, customer: 0 },
  ])("accepts %j: no page forbids it", (input) => {
    const withPin = "pin" in input || "copyPin" in input ? input : { ...input, pin: "1111" };
    expect(parseMailbox(withPin, "create")).toMatchObject({ ok: true });
  });

  it("lets adopt omit the PIN (the switch keeps its own)", () => {
    expect(parseMailbox({ mailbox: "1234" }, "adopt").ok).toBe(true);
  });

  it.each([
    [{ mailbox: 5006, pin: "1111" }, "mailbox", 'must be text: quote it, e.g. "1234"'],
    [{ mailbox: "", pin: "1111" }, "mailbox", "is required"],
    [{ mailbox: "1234", pin: 4821 }, "pin", "must be text"],
    [{ mailbox: "1234", pin: "1111", notifyEmail: "always" }, "notifyEmail", '"owner", "owner_wav", ""'],
    [
      { mailbox: "1234", pin: "1111", notifyFor: "all" },
      "notifyFor",
      '"voicemail", "fax", "voicemail_fax", ""',
    ],
    [{ mailbox: "1234", pin: "1111", play: "random" }, "play", '"oldest", "newest"'],
    [{ mailbox: "1234", pin: "1111", owner: 1.5 }, "owner", "whole number"],
    [{ mailbox: "1234", pin: "1111", customer: "2" }, "customer", "whole number"],
    [{ mailbox: "1234", pin: "1111", envelope: 1 }, "envelope", "true or false"],
    [{ mailbox: "1234", pin: "1111", timezone: "Mars/Olympus" }, "timezone", "IANA"],
    [{ mailbox: "1234", pin: "1111", notifyEmal: "owner" }, "notifyEmal", "valid fields are"],
  ])("rejects %j on %s, saying what is valid", (input, property, hint) => {
    expect(failuresOf(input)).toEqual([
      expect.objectContaining({ property, reason: expect.stringContaining(hint) }),
    ]);
  });

  it("reports every bad field at once", () => {
    const properties = failuresOf({ mailbox: 1, pin: 2, play: "z" }).map((f) => f.property);
    expect(properties).toEqual(["mailbox", "pin", "play"]);
  });

  it("never puts the PIN into a failure", () => {
    const secret = "98765zz";
    for (const input of [
      { mailbox: "1234", pin: secret, copyPin: "1000" },
      { mailbox: "1234", pin: secret, play: secret },
    ]) {
      expect(JSON.stringify(failuresOf(input))).not.toContain(secret);
    }
  });

  it("accepts Enswitch 4.x notifyFor values, default all, only when told the version", () => {
    const v4 = parseMailbox({ mailbox: "1", pin: "1111" }, "create", { enswitchVersion: "4.4" });
    expect(v4.ok && v4.value.notifyFor).toBe("all");
    expect(
      parseMailbox({ mailbox: "1", pin: "1111", notifyFor: "text" }, "create", { enswitchVersion: "4.1" }).ok,
    ).toBe(true);
    expect(parseMailbox({ mailbox: "1", pin: "1111", notifyFor: "text" }, "create").ok).toBe(false);
  });

  describe("update variant", () => {
    it("takes any subset of fields and adds no defaults (an omitted field keeps its value)", () => {
      expect(parseMailbox({ owner: 102 }, "update")).toEqual({ ok: true, value: { owner: 102 } });
      expect(parseMailbox({ description: "" }, "update")).toEqual({ ok: true, value: { description: "" } });
    });

    it("does not take copyPin, which only applies at creation", () => {
      expect(failuresOf({ copyPin: "1000" }, "update")).toEqual([
        expect.objectContaining({ property: "copyPin" }),
      ]);
    });

    it("validates what it is given", () => {
      expect(failuresOf({ play: "loud" }, "update")).toEqual([expect.objectContaining({ property: "play" })]);
    });
  });

  it("builds each version's schemas once and reuses them", () => {
    expect(mailboxSchemas()).toBe(mailboxSchemas({ enswitchVersion: "3.13" }));
    expect(mailboxSchemas({ enswitchVersion: "4.0" })).not.toBe(mailboxSchemas());
  });
});
