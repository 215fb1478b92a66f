import { numberPlan } from "../../provider/policies/numberPlan";
import { UNKNOWN, validateStack } from "./engine";
import { goodMailbox } from "./fixtures";

const patterns = { "5": "1[0-9]{3}", "*": "[2-9][0-9]{3}" };

describe("enswitch-mailbox-number-plan", () => {
  it("checks nothing without patterns", async () => {
    expect(await validateStack(numberPlan, [{ name: "a", props: goodMailbox({ mailbox: "1" }) }])).toEqual(
      [],
    );
  });

  it("matches each customer's pattern against the whole number", async () => {
    const resources = [
      { name: "ok", props: goodMailbox({ customer: 5, mailbox: "1001" }) },
      { name: "long", props: goodMailbox({ customer: 5, mailbox: "10012" }) },
      { name: "other", props: goodMailbox({ customer: 5, mailbox: "2001" }) },
    ];
    expect(await validateStack(numberPlan, resources, { patterns })).toEqual([
      [
        expect.stringContaining("mailbox 10012 does not match the numbering plan of customer 5 (1[0-9]{3})"),
        expect.stringMatching(/::long$/),
      ],
      [expect.stringContaining("mailbox 2001 does not match"), expect.stringMatching(/::other$/)],
    ]);
  });

  it('uses "*" for other customers and for mailboxes without customer', async () => {
    const resources = [
      { name: "a", props: goodMailbox({ customer: 9, mailbox: "1001" }) },
      { name: "b", props: goodMailbox({ mailbox: "1001" }) },
      { name: "c", props: goodMailbox({ mailbox: "3001" }) },
    ];
    expect((await validateStack(numberPlan, resources, { patterns })).map(([m]) => m)).toEqual([
      expect.stringContaining("of customer 9"),
      expect.stringContaining("of the default customer"),
    ]);
  });

  it("skips unknown numbers and customers", async () => {
    const resources = [
      { name: "a", props: goodMailbox({ mailbox: UNKNOWN.string }) },
      { name: "b", props: goodMailbox({ customer: UNKNOWN.number, mailbox: "1" }) },
    ];
    expect(await validateStack(numberPlan, resources, { patterns })).toEqual([]);
  });

  it("honours exclude", async () => {
    const resources = [{ name: "legacy", props: goodMailbox({ mailbox: "1" }) }];
    expect(await validateStack(numberPlan, resources, { patterns, exclude: ["legacy"] })).toEqual([]);
  });

  it("rejects patterns keyed by anything but a customer ID or *, and bad regular expressions", async () => {
    const resources = [{ name: "a", props: goodMailbox() }];
    await expect(validateStack(numberPlan, resources, { patterns: { sales: "1" } })).rejects.toThrow(
      '"sales" is not a customer ID or "*"',
    );
    await expect(validateStack(numberPlan, resources, { patterns: { "*": "([0-9]" } })).rejects.toThrow(
      "is not a regular expression",
    );
  });

  it("is advisory by default", () => {
    expect(numberPlan).toMatchObject({ enforcementLevel: "advisory", severity: "medium" });
  });
});
