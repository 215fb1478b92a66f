import { UNKNOWN_VALUES } from "../../provider/mailbox/engine";
import { mailboxSchemas, schemaDefault } from "../../provider/mailbox/schema";
import { globMatches, inScope, MailboxView, rawProps, SKIP } from "../../provider/policies/policy";

const proxy = require("@pulumi/policy/proxy") as { unknownCheckingProxy<T extends object>(props: T): T };

describe("MailboxView", () => {
  it("fills omitted fields with the schema's defaults", () => {
    const view = MailboxView.of({ mailbox: "2001" });
    const defaults = mailboxSchemas().create.parse({ mailbox: "2001", pin: "582947" });
    expect(view.effective("notifyEmail", "string")).toBe(defaults.notifyEmail);
    expect(view.effective("owner", "number")).toBe(defaults.owner);
    expect(view.effective("notifyOnly", "boolean")).toBe(defaults.notifyOnly);
    expect(view.effective("timezone", "string")).toBeUndefined();
  });

  it("tells given from effective", () => {
    const view = MailboxView.of({ mailbox: "2001" });
    expect(view.given("notifyEmail", "string")).toBeUndefined();
    expect(MailboxView.of({ notifyEmail: "" }).effective("notifyEmail", "string")).toBe("");
  });

  it("returns SKIP for unknown values and values of the wrong type", () => {
    const view = MailboxView.of({ owner: UNKNOWN_VALUES[1], timezone: 7 });
    expect(view.effective("owner", "number")).toBe(SKIP);
    expect(view.isUnknown("owner")).toBe(true);
    expect(view.given("timezone", "string")).toBe(SKIP);
  });

  it("has no default for required or optional fields", () => {
    expect(schemaDefault("mailbox")).toBeUndefined();
    expect(schemaDefault("customer")).toBeUndefined();
  });
});

describe("globMatches", () => {
  it("matches the whole name; * is any run (slashes too), ? one character", () => {
    expect(globMatches("sales-*", "sales-1234")).toBe(true);
    expect(globMatches("sales-*", "presales-1")).toBe(false);
    expect(globMatches("*", "team/sales")).toBe(true);
    expect(globMatches("sales-?", "sales-1")).toBe(true);
    expect(globMatches("sales-?", "sales-12")).toBe(false);
  });

  it("takes every other character literally", () => {
    expect(globMatches("a.b", "a.b")).toBe(true);
    expect(globMatches("a.b", "axb")).toBe(false);
    expect(globMatches("(x)+[y]", "(x)+[y]")).toBe(true);
  });
});

describe("inScope", () => {
  it("needs an include match and no exclude match", () => {
    expect(inScope("sales-1", { include: ["*"], exclude: [] })).toBe(true);
    expect(inScope("sales-1", { include: ["ops-*"], exclude: [] })).toBe(false);
    expect(inScope("sales-1", { include: ["*"], exclude: ["sales-*"] })).toBe(false);
    expect(inScope("sales-1", { include: [], exclude: [] })).toBe(false);
  });
});

describe("rawProps", () => {
  it("reads unknown values through the engine's unknown-checking proxy, which throws on a plain read", () => {
    const props = proxy.unknownCheckingProxy({ owner: UNKNOWN_VALUES[1], mailbox: "2001" } as Record<
      string,
      unknown
    >);
    expect(() => props.owner).toThrow("can't be known during preview");
    expect(rawProps(props)).toEqual({ owner: UNKNOWN_VALUES[1], mailbox: "2001" });
  });
});
