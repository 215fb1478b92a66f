/**
 * Inputs as the provider sees them: the schema's defaults applied, unknown preview values tolerated,
 * and the comparison that decides between "no change", "update" and "replace".
 */
import { unknownValue } from "@pulumi/pulumi/runtime/rpc";
import { changedFields, checkInputs, replacedProperties } from "../../provider/mailbox/inputs";

describe("checkInputs", () => {
  it("applies the seed's defaults, per Enswitch version", () => {
    expect(checkInputs({ mailbox: "1", pin: "4821" }).inputs.notifyFor).toBe("voicemail_fax");
    expect(checkInputs({ mailbox: "1", pin: "4821" }, { enswitchVersion: "4.4" }).inputs.notifyFor).toBe(
      "all",
    );
  });

  it("needs a PIN to create, not to adopt nor to change a mailbox the deployment has", () => {
    expect(checkInputs({ mailbox: "1" }).failures.map((f) => f.property)).toEqual(["pin"]);
    expect(checkInputs({ mailbox: "1", adopt: true }).failures).toEqual([]);
    expect(checkInputs({ mailbox: "1" }, {}, { mailbox: "1" }).failures).toEqual([]);
    expect(checkInputs({ mailbox: "2" }, {}, { mailbox: "1" }).failures.map((f) => f.property)).toEqual([
      "pin",
    ]);
  });

  it("checks steering inputs too", () => {
    const r = checkInputs({ mailbox: "1", pin: "4821", adopt: "yes", connection: "no spaces" });
    expect(r.failures.map((f) => f.property).sort()).toEqual(["adopt", "connection"]);
  });

  it("keeps unknown values, judges the known ones, and skips rules across fields", () => {
    const r = checkInputs({ mailbox: "1", pin: unknownValue, copyPin: unknownValue, owner: 1.5 });
    expect(r.failures.map((f) => f.property)).toEqual(["owner"]);
    expect(r.inputs).toMatchObject({ pin: unknownValue, copyPin: unknownValue, saycid: true });
    expect(r.unknown.sort()).toEqual(["copyPin", "pin"]);
    expect(r.fields).toBeUndefined();
  });
});

describe("changedFields", () => {
  it("lists declared fields that differ, never the identity or copyPin, and not undeclared optional ones", () => {
    const current = { mailbox: "1", customer: 1, description: "a", timezone: "Europe/London", pin: "1111" };
    const wanted = { mailbox: "1", description: "", copyPin: "9", pin: "1111" };
    expect(changedFields(current, wanted)).toEqual({ description: "" });
    expect(changedFields(current, { ...wanted, pin: "2222" })).toEqual({ description: "", pin: "2222" });
  });
});

describe("replacedProperties", () => {
  it("replaces for a new number, a declared other customer, or another connection", () => {
    const current = { mailbox: "1", customer: 1 };
    expect(replacedProperties(current, { mailbox: "1" })).toEqual([]);
    expect(replacedProperties(current, { mailbox: "2" })).toEqual(["mailbox"]);
    expect(replacedProperties(current, { mailbox: "1", customer: 1 })).toEqual([]);
    expect(replacedProperties(current, { mailbox: "1", customer: 2 })).toEqual(["customer"]);
    expect(replacedProperties(current, { mailbox: "1", connection: "b" })).toEqual(["connection"]);
    expect(replacedProperties(current, { mailbox: unknownValue })).toEqual(["mailbox"]);
  });
});
