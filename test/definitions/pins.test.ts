import * as path from "node:path";
import { loadDefinitions } from "../../provider/definitions/load";
import { choosePin, DERIVED_PIN_LENGTHS, derivePin, PinSeedError } from "../../provider/definitions/pins";
import { longestRun, pinWeaknesses } from "../../provider/mailbox/pinRules";
import { evaluatePolicies } from "../../provider/policies/evaluate";
import { pinStrength } from "../../provider/policies/pinStrength";
import { REPO_ROOT } from "../support/repoPaths";

const SEED = "0123456789abcdef0123456789abcdef";
const subject = { customer: 1, mailbox: "1001", resourceName: "c1-mb1001", adopt: false };

describe("derivePin", () => {
  it("is the same on every run for the same seed and mailbox", () => {
    expect(derivePin(SEED, subject)).toBe(derivePin(SEED, { customer: 1, mailbox: "1001" }));
  });

  it("has 8 digits by default, or the length asked for, from the policy's minimum to the schema's maximum", () => {
    expect(DERIVED_PIN_LENGTHS).toEqual({ min: 6, max: 20 });
    expect(derivePin(SEED, subject)).toMatch(/^[0-9]{8}$/);
    expect(derivePin(SEED, subject, 6)).toMatch(/^[0-9]{6}$/);
    expect(derivePin(SEED, subject, 20)).toMatch(/^[0-9]{20}$/);
    for (const bad of [5, 21, 7.5]) expect(() => derivePin(SEED, subject, bad)).toThrow(RangeError);
  });

  it("keeps the PIN it gave before when that PIN already met the rules (no needless rotation)", () => {
    // Pinned, as derived before the PIN rules were shared: a change to the derivation would rotate every
    // derived PIN on the next `pulumi up`.
    expect(derivePin(SEED, subject)).toBe("02874315");
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

  it("never gives a PIN the pin-strength rules reject, over many mailboxes, seeds and lengths", () => {
    const rejected: string[] = [];
    for (let n = 0; n < 3000; n++) {
      const mailbox = String(1000 + (n % 100));
      const length = DERIVED_PIN_LENGTHS.min + (n % 4);
      const pin = derivePin(`${SEED}/${Math.floor(n / 100)}`, { customer: 1 + (n % 3), mailbox }, length);
      if (pinWeaknesses(pin, mailbox).length > 0 || longestRun(pin) > 2) rejected.push(`#${n}`);
    }
    // About one in seven candidates breaks a rule: without the rules, hundreds would be listed here.
    expect(rejected).toEqual([]);
  });

  it("gives every mailbox of the gitops example PINs the mandatory policy accepts, whatever the seed", async () => {
    const { mailboxes, problems } = loadDefinitions(path.join(REPO_ROOT, "examples", "gitops", "mailboxes"));
    expect(problems).toEqual([]);
    const resources = [];
    for (let s = 0; s < 60; s++) {
      const seed = `random-seed-number-${s}-0123456789abcdef`;
      for (const m of mailboxes) {
        // Twice: the same PIN each time, as on every preview and update.
        const pin = derivePin(seed, m);
        expect(derivePin(seed, m)).toBe(pin);
        resources.push({ name: `${s}-${m.resourceName}`, props: { ...m.fields, pin } });
      }
    }
    expect(await evaluatePolicies(resources, undefined, [pinStrength])).toEqual([]);
  });

  it("spreads digits evenly (no modulo bias)", () => {
    const counts = new Array<number>(10).fill(0);
    for (let n = 0; n < 1000; n++)
      for (const d of derivePin(SEED, { customer: 1, mailbox: String(n) }, 10)) counts[Number(d)]!++;
    // 10000 digits: each should be near 1000; bias towards 0-5 from a plain modulo would be ~2.4% more.
    for (const c of counts) expect(Math.abs(c - 1000)).toBeLessThan(120);
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
