import { choosePin, derivePin, isWeakPin, PinSeedError } from "../../provider/definitions/pins";

const SEED = "0123456789abcdef0123456789abcdef";
const subject = { customer: 1, mailbox: "1001", resourceName: "c1-mb1001", adopt: false };

describe("derivePin", () => {
  it("is the same on every run for the same seed and mailbox", () => {
    expect(derivePin(SEED, subject)).toBe(derivePin(SEED, { customer: 1, mailbox: "1001" }));
  });

  it("has 8 digits by default, or the length asked for", () => {
    expect(derivePin(SEED, subject)).toMatch(/^[0-9]{8}$/);
    expect(derivePin(SEED, subject, 12)).toMatch(/^[0-9]{12}$/);
    expect(() => derivePin(SEED, subject, 3)).toThrow(RangeError);
  });

  it("differs per mailbox, per customer, per connection and per seed", () => {
    const pins = new Set([
      derivePin(SEED, { customer: 1, mailbox: "1001" }),
      derivePin(SEED, { customer: 1, mailbox: "1002" }),
      derivePin(SEED, { customer: 2, mailbox: "1001" }),
      derivePin(SEED, { connection: "eu", customer: 1, mailbox: "1001" }),
      derivePin(`${SEED}x`, { customer: 1, mailbox: "1001" }),
    ]);
    expect(pins.size).toBe(5);
  });

  it("never gives a weak PIN, over many mailboxes", () => {
    for (let n = 0; n < 2000; n++) {
      const pin = derivePin(SEED, { customer: 1, mailbox: String(n) }, 4);
      expect(isWeakPin(pin)).toBe(false);
    }
  });

  it("spreads digits evenly (no modulo bias)", () => {
    const counts = new Array<number>(10).fill(0);
    for (let n = 0; n < 1000; n++)
      for (const d of derivePin(SEED, { customer: 1, mailbox: String(n) }, 10)) counts[Number(d)]!++;
    // 10000 digits: each should be near 1000; bias towards 0-5 from a plain modulo would be ~2.4% more.
    for (const c of counts) expect(Math.abs(c - 1000)).toBeLessThan(120);
  });
});

describe("isWeakPin", () => {
  it.each(["0000", "111111", "1234", "123456", "7890", "9876", "3210"])("%s is weak", (pin) => {
    expect(isWeakPin(pin)).toBe(true);
  });
  it.each(["1357", "482913", "1123", "2468"])("%s is not", (pin) => {
    expect(isWeakPin(pin)).toBe(false);
  });
});

describe("choosePin", () => {
  it("takes an explicit PIN from stack config first", () => {
    expect(
      choosePin({ ...subject, copyPin: "1000" }, { pins: { "c1-mb1001": "482913" }, pinSeed: SEED }),
    ).toEqual({
      source: "config",
      pin: "482913",
    });
  });

  it("then copyPin, then adopt (the switch keeps its PIN), then the seed", () => {
    expect(choosePin({ ...subject, copyPin: "1000" }, { pinSeed: SEED })).toEqual({ source: "copyPin" });
    expect(choosePin({ ...subject, adopt: true }, { pinSeed: SEED })).toEqual({ source: "adopt" });
    expect(choosePin(subject, { pinSeed: SEED })).toEqual({
      source: "derived",
      pin: derivePin(SEED, subject),
    });
  });

  it("says missing when nothing gives a PIN", () => {
    expect(choosePin(subject, {})).toEqual({ source: "missing" });
  });

  it("refuses a short seed, without repeating it", () => {
    expect(() => choosePin(subject, { pinSeed: "short-seed" })).toThrow(PinSeedError);
    expect(() => choosePin(subject, { pinSeed: "short-seed" })).toThrow(/at least 16 characters/);
    try {
      choosePin(subject, { pinSeed: "short-seed" });
    } catch (e) {
      expect((e as Error).message).not.toContain("short-seed");
    }
  });
});
