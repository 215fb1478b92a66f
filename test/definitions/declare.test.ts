/**
 * Reading the PIN secrets of a stack (`enswitch:pins`, `enswitch:pinSeed`): malformed config is refused
 * with the command that fixes it, and never with the value, which holds every explicit PIN in clear.
 */
import * as pulumi from "@pulumi/pulumi";
import { pinSourcesFromConfig } from "../../provider/definitions/declare";
import { choosePin, PinConfigError, PinSeedError, SET_PIN_COMMAND } from "../../provider/definitions/pins";

/** A PIN anyone would spot in a message. */
const PIN = "48291357";

function readWith(config: Record<string, string>): ReturnType<typeof pinSourcesFromConfig> {
  pulumi.runtime.setAllConfig(config);
  return pinSourcesFromConfig(new pulumi.Config("enswitch"));
}

/** The error `read` throws; fails the test when it throws none. */
function errorOf(read: () => unknown): Error {
  try {
    read();
  } catch (e) {
    return e as Error;
  }
  throw new Error("expected an error");
}

afterEach(() => pulumi.runtime.setAllConfig({}));

describe("pinSourcesFromConfig", () => {
  it("reads the PIN map and the seed; a PIN set without --secret may be a JSON number", () => {
    expect(
      readWith({
        "enswitch:pins": JSON.stringify({ "c1-mb1001": PIN, "c1-mb1002": 582947 }),
        "enswitch:pinSeed": "0123456789abcdef0123",
      }),
    ).toEqual({ pins: { "c1-mb1001": PIN, "c1-mb1002": "582947" }, pinSeed: "0123456789abcdef0123" });
  });

  it("gives nothing when neither is set", () => {
    expect(readWith({})).toEqual({ pins: undefined, pinSeed: undefined });
  });

  it.each([
    ["not JSON", `{"c1-mb1001": ${PIN}`, /enswitch:pins is not valid JSON/],
    ["a JSON string", JSON.stringify(PIN), /must be a map from resource name to PIN/],
    ["a list", JSON.stringify([PIN]), /must be a map from resource name to PIN/],
  ])("refuses a value that is %s, saying how to set a PIN and never repeating the value", (_, text, why) => {
    const error = errorOf(() => readWith({ "enswitch:pins": text }));
    expect(error).toBeInstanceOf(PinConfigError);
    expect(error.message).toMatch(why);
    expect(error.message).toContain(SET_PIN_COMMAND);
    expect(error.message).not.toContain(PIN);
    expect(error.cause).toBeUndefined();
    expect(JSON.stringify(error)).not.toContain(PIN);
  });

  it("names the entries that are not PINs, and only them, without their values", () => {
    const error = errorOf(() =>
      readWith({
        // A 20-digit PIN set without --secret arrives as a number whose last digits are already lost.
        "enswitch:pins": `{"c1-mb1001": {"nested": "${PIN}"}, "c1-mb1002": 12345678901234567890, "c1-mb1003": "${PIN}", "c1-mb1004": true}`,
      }),
    );
    expect(error).toBeInstanceOf(PinConfigError);
    expect((error as PinConfigError).entries).toEqual(["c1-mb1001", "c1-mb1002", "c1-mb1004"]);
    expect(error.message).toContain("c1-mb1001, c1-mb1002, c1-mb1004");
    expect(error.message).not.toContain(PIN);
    expect(error.message).not.toMatch(/1234567890/);
  });

  it("reads the seed as text, so a malformed seed cannot throw an error quoting it", () => {
    const seed = `{"oops": ${PIN}`;
    expect(readWith({ "enswitch:pinSeed": seed }).pinSeed).toBe(seed);
    const short = readWith({ "enswitch:pinSeed": PIN }).pinSeed;
    const error = errorOf(() =>
      choosePin(
        { customer: 1, mailbox: "1001", resourceName: "c1-mb1001", adopt: false },
        { pinSeed: short },
      ),
    );
    expect(error).toBeInstanceOf(PinSeedError);
    expect(error.message).not.toContain(PIN);
  });
});
