import { DEFAULT_PIN_RULES, longestRun, pinWeaknesses } from "../../provider/mailbox/pinRules";
import { pinStrength } from "../../provider/policies/pinStrength";
import { UNKNOWN, validate } from "./engine";
import { goodMailbox, without } from "./fixtures";

const check = async (pin: unknown, config: object = {}, overrides: Record<string, unknown> = {}) => {
  const messages = await validate(pinStrength, goodMailbox({ pin, ...overrides }), { config });
  // Whatever the rule, the PIN itself never reaches a message.
  if (typeof pin === "string") for (const m of messages) expect(m).not.toContain(pin);
  return messages;
};

describe("longestRun", () => {
  it("measures runs of one digit and of consecutive digits up or down", () => {
    expect(longestRun("")).toBe(0);
    expect(longestRun("582947")).toBe(1);
    expect(longestRun("511147")).toBe(3);
    expect(longestRun("901234")).toBe(5);
    expect(longestRun("597654")).toBe(4);
    // 9 and 0 are not consecutive: keypads and people do not wrap around.
    expect(longestRun("478901")).toBe(3);
  });
});

describe("pinWeaknesses (the rules shared with derived PINs)", () => {
  it("finds nothing wrong with a long PIN without runs that is not the mailbox number", () => {
    expect(pinWeaknesses("582947", "1001")).toEqual([]);
    expect(pinWeaknesses("582947")).toEqual([]);
  });

  it("names every rule broken, in a fixed order, and only 'notDigits' for anything but digits", () => {
    expect(pinWeaknesses("1234", "1234")).toEqual(["tooShort", "run", "mailboxNumber"]);
    expect(pinWeaknesses("58294a", "1001")).toEqual(["notDigits"]);
    expect(pinWeaknesses("", "1001")).toEqual(["notDigits"]);
  });

  it("uses the policy's default options unless told otherwise", () => {
    expect(DEFAULT_PIN_RULES).toEqual({ minLength: 6, maxRun: 2 });
    expect(pinWeaknesses("581117")).toEqual(["run"]);
    expect(pinWeaknesses("581117", undefined, { minLength: 6, maxRun: 3 })).toEqual([]);
    expect(pinWeaknesses("58294", undefined, { minLength: 4, maxRun: 2 })).toEqual([]);
  });
});

describe("enswitch-mailbox-pin-strength", () => {
  it("accepts a long PIN without runs", async () => {
    expect(await check("582947")).toEqual([]);
  });

  it("reports a PIN with anything but digits, and nothing else about it", async () => {
    expect(await check("58294a")).toEqual([
      expect.stringContaining("the PIN of this mailbox must be digits only"),
    ]);
  });

  it("reports a PIN shorter than minLength (default 6)", async () => {
    expect(await check("58294")).toEqual([expect.stringContaining("shorter than 6 digits")]);
    expect(await check("58294", { minLength: 4 })).toEqual([]);
    expect(await check("582947", { minLength: 8 })).toEqual([
      expect.stringContaining("shorter than 8 digits"),
    ]);
  });

  it("reports repeated or consecutive runs longer than maxRun (default 2)", async () => {
    expect(await check("581117")).toEqual([
      expect.stringContaining("run of more than 2 repeated or consecutive digits"),
    ]);
    expect(await check("583217")).toHaveLength(1);
    expect(await check("123456")).toHaveLength(1);
    expect(await check("581117", { maxRun: 3 })).toEqual([]);
    expect(await check("582247", { maxRun: 1 })).toHaveLength(1);
  });

  it("reports 1234 on every count: too short and a run", async () => {
    expect(await check("1234")).toHaveLength(2);
  });

  it("reports a PIN equal to the mailbox number", async () => {
    expect(await check("582947", {}, { mailbox: "582947" })).toEqual([
      expect.stringContaining("the PIN of this mailbox is the mailbox number"),
    ]);
    expect(await check("582947", {}, { mailbox: "5829470" })).toEqual([]);
  });

  it("does not judge a mailbox without PIN (copyPin) or whose PIN is unknown", async () => {
    expect(await validate(pinStrength, without(goodMailbox({ copyPin: "2000" }), "pin"))).toEqual([]);
    expect(await check(UNKNOWN.string)).toEqual([]);
  });

  it("is mandatory by default with high severity", () => {
    expect(pinStrength).toMatchObject({ enforcementLevel: "mandatory", severity: "high" });
    expect(pinStrength.configSchema?.properties).toMatchObject({
      minLength: { default: 6 },
      maxRun: { default: 2 },
    });
    // One source: derived PINs are made to pass exactly these defaults.
    expect(pinStrength.configSchema?.properties).toMatchObject({
      minLength: { default: DEFAULT_PIN_RULES.minLength },
      maxRun: { default: DEFAULT_PIN_RULES.maxRun },
    });
  });

  it("rejects options below their schema minimum", async () => {
    await expect(check("582947", { minLength: 0 })).rejects.toThrow(
      "option minLength: must be a whole number of at least 1",
    );
    await expect(check("582947", { maxRun: "2" })).rejects.toThrow("option maxRun");
  });
});
