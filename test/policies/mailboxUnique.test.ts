import { mailboxUnique } from "../../provider/policies/mailboxUnique";
import { UNKNOWN, validateStack } from "./engine";
import { goodMailbox } from "./fixtures";

const urn = (name: string) => `urn:pulumi:dev::p::pulumi-nodejs:dynamic/enswitch:Mailbox::${name}`;

describe("enswitch-mailbox-unique", () => {
  it("accepts distinct mailboxes", async () => {
    const resources = [
      { name: "a", props: goodMailbox({ mailbox: "2001" }) },
      { name: "b", props: goodMailbox({ mailbox: "2002" }) },
    ];
    expect(await validateStack(mailboxUnique, resources)).toEqual([]);
  });

  it("reports every resource that declares the same mailbox of the same customer", async () => {
    const resources = [
      { name: "a", props: goodMailbox({ customer: 5 }) },
      { name: "b", props: goodMailbox({ customer: 5 }) },
      { name: "c", props: goodMailbox({ customer: 6 }) },
    ];
    expect(await validateStack(mailboxUnique, resources)).toEqual([
      [expect.stringContaining("mailbox 2001 of customer 5 is declared by 2 resources (a, b)"), urn("a")],
      [expect.stringContaining("mailbox 2001 of customer 5 is declared by 2 resources (a, b)"), urn("b")],
    ]);
  });

  it("tells customers and connections apart; an omitted customer is the default one", async () => {
    const resources = [
      { name: "a", props: goodMailbox() },
      { name: "b", props: goodMailbox({ customer: 5 }) },
      { name: "c", props: goodMailbox({ connection: "eu" }) },
      { name: "d", props: goodMailbox() },
    ];
    expect(await validateStack(mailboxUnique, resources)).toEqual([
      [
        expect.stringContaining("mailbox 2001 of the default customer is declared by 2 resources (a, d)"),
        urn("a"),
      ],
      [expect.anything(), urn("d")],
    ]);
  });

  it("skips mailboxes whose number or customer is unknown, and other resource types", async () => {
    const resources = [
      { name: "a", props: goodMailbox() },
      { name: "b", props: goodMailbox({ customer: UNKNOWN.number }) },
      { name: "c", props: goodMailbox({ mailbox: UNKNOWN.string }) },
      { name: "d", props: goodMailbox(), type: "random:index/randomPet:RandomPet" },
    ];
    expect(await validateStack(mailboxUnique, resources)).toEqual([]);
  });

  it("honours include and exclude", async () => {
    const resources = [
      { name: "team-a", props: goodMailbox() },
      { name: "legacy-a", props: goodMailbox() },
    ];
    expect(await validateStack(mailboxUnique, resources, { exclude: ["legacy-*"] })).toEqual([]);
    expect(await validateStack(mailboxUnique, resources, { include: ["team-*"] })).toEqual([]);
    expect(await validateStack(mailboxUnique, resources)).toHaveLength(2);
  });

  it("is mandatory by default with critical severity", () => {
    expect(mailboxUnique).toMatchObject({ enforcementLevel: "mandatory", severity: "critical" });
  });
});
