/** The engine's property encodings as the harness reproduces them. */
import {
  fromStruct,
  isSecret,
  secret,
  toStruct,
  unwrapSecrets,
  UNKNOWN,
  wrapSecrets,
} from "./propertyValues";

describe("secrets", () => {
  it("unwraps as the engine does for a provider that does not accept secrets, remembering which keys were secret", () => {
    const { values, secretKeys } = unwrapSecrets({
      pin: secret("1234"),
      list: ["a", secret("b")],
      mailbox: "100",
    });
    expect(values).toEqual({ pin: "1234", list: ["a", "b"], mailbox: "100" });
    expect(secretKeys).toEqual(["pin", "list"]);
  });

  it("wraps the listed keys, once", () => {
    const wrapped = wrapSecrets({ pin: "1234", mailbox: "100" }, ["pin", "absent"]);
    expect(isSecret(wrapped.pin)).toBe(true);
    expect(wrapped.mailbox).toBe("100");
    expect(wrapped).not.toHaveProperty("absent");
    expect(secret(wrapped.pin!)).toEqual(wrapped.pin);
  });
});

describe("Struct conversion", () => {
  it("round-trips property maps, drops undefined members and keeps the unknown sentinel", () => {
    const map = { a: 1, b: "x", c: [true, null], d: { e: UNKNOWN }, f: undefined };
    expect(fromStruct(toStruct(map))).toEqual({ a: 1, b: "x", c: [true, null], d: { e: UNKNOWN } });
  });

  it("refuses values the engine cannot carry", () => {
    expect(() => toStruct({ n: Number.NaN })).toThrow(/properties\.n/);
  });
});
