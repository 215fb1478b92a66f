/** The leak finder the secrets tests rely on: it must find clear text and only clear text. */
import { secret } from "./propertyValues";
import { findLeaks, redactWrapped } from "./secretScan";

describe("findLeaks", () => {
  it("finds a secret in text and names the place and the secret, never the value", () => {
    expect(findLeaks({ PIN: "7391" }, { log: "sent pin=7391", other: "nothing" })).toEqual([
      { where: "log", secret: "PIN" },
    ]);
  });

  it("finds a secret in clear anywhere in a blob", () => {
    expect(findLeaks({ PIN: "7391" }, { state: { outputs: { note: ["x", { deep: "a7391b" }] } } })).toEqual([
      { where: "state", secret: "PIN" },
    ]);
  });

  it("accepts a secret inside the engine's secret wrapper", () => {
    expect(findLeaks({ PIN: "7391" }, { state: { outputs: { pin: secret("7391") } } })).toEqual([]);
  });

  it("ignores empty secrets", () => {
    expect(findLeaks({ none: "" }, { log: "anything" })).toEqual([]);
  });
});

describe("redactWrapped", () => {
  it("replaces wrapped values at any depth and keeps the rest", () => {
    expect(redactWrapped({ a: [secret("x"), "y"], b: { c: secret({ d: 1 }) } })).toEqual({
      a: ["[secret]", "y"],
      b: { c: "[secret]" },
    });
  });
});
