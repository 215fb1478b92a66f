import { mailboxSchemas } from "../../provider/mailbox/schema";
import { MailboxView, schemaDefault, SKIP } from "../../provider/policies/mailboxView";
import { UNKNOWN_SENTINELS } from "../../provider/policies/unknown";

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
    const view = MailboxView.of({ owner: UNKNOWN_SENTINELS[1], timezone: 7 });
    expect(view.effective("owner", "number")).toBe(SKIP);
    expect(view.isUnknown("owner")).toBe(true);
    expect(view.given("timezone", "string")).toBe(SKIP);
  });

  it("has no default for required or optional fields", () => {
    expect(schemaDefault("mailbox")).toBeUndefined();
    expect(schemaDefault("customer")).toBeUndefined();
  });
});
