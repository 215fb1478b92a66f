import { notificationSafety } from "../../provider/policies/notificationSafety";
import { UNKNOWN, validate } from "./engine";
import { goodMailbox } from "./fixtures";

const check = (overrides: Record<string, unknown>, config: object = {}) =>
  validate(notificationSafety, goodMailbox(overrides), { config });

describe("enswitch-mailbox-notification-safety", () => {
  it("accepts the defaults with an owner", async () => {
    expect(await check({})).toEqual([]);
  });

  describe("notifyOnly (messages are deleted after notifying)", () => {
    it("is fine with the default notifyEmail (owner_wav) and an owner", async () => {
      expect(await check({ notifyOnly: true })).toEqual([]);
    });

    it("is reported without any email notification", async () => {
      expect(await check({ notifyOnly: true, notifyEmail: "" })).toEqual([
        expect.stringContaining(
          "mailbox 2001 has notifyOnly, which deletes each message after notifying, without",
        ),
      ]);
    });

    it("needs the recording attached unless requireAttachment is false", async () => {
      expect(await check({ notifyOnly: true, notifyEmail: "owner" })).toEqual([
        expect.stringContaining("an email that carries the recording"),
      ]);
      expect(await check({ notifyOnly: true, notifyEmail: "owner" }, { requireAttachment: false })).toEqual(
        [],
      );
    });

    it("accepts a pager address that gets the attachment instead of the owner's email", async () => {
      const viaPager = { notifyOnly: true, notifyEmail: "", pager: "ops@example.com" };
      expect(await check({ ...viaPager, pagerAttach: true })).toEqual([]);
      expect(await check(viaPager)).toEqual([expect.stringContaining("Messages would be lost")]);
      expect(await check(viaPager, { requireAttachment: false })).toEqual([]);
    });

    it("is reported when notifyFor does not cover voicemail", async () => {
      expect(await check({ notifyOnly: true, notifyFor: "fax" })).toEqual([
        expect.stringContaining('notifyFor is "fax": voicemails would be deleted unseen'),
      ]);
      expect(await check({ notifyOnly: true, notifyFor: "voicemail" })).toEqual([]);
    });

    it("is not judged while the values it depends on are unknown", async () => {
      expect(await check({ notifyOnly: UNKNOWN.boolean, notifyEmail: "" })).toEqual([]);
      expect(await check({ notifyOnly: true, owner: UNKNOWN.number })).toEqual([]);
      expect(await check({ notifyOnly: true, notifyFor: UNKNOWN.string })).toEqual([]);
    });
  });

  describe("owner notifications", () => {
    it("reports the default owner email without an owner, naming it the default", async () => {
      expect(await check({ owner: 0 })).toEqual([
        expect.stringContaining(
          'notifyEmail "owner_wav" (the default), which emails the owner, but no owner',
        ),
      ]);
    });

    it("reports a text message to a missing owner", async () => {
      expect(await check({ owner: 0, notifyEmail: "", notifyMessage: "owner" })).toEqual([
        expect.stringContaining('notifyMessage "owner", which texts the owner, but no owner'),
      ]);
    });

    it("accepts no owner when owner notifications are off, and skips an unknown owner", async () => {
      expect(await check({ owner: 0, notifyEmail: "" })).toEqual([]);
      expect(await check({ owner: UNKNOWN.number, notifyMessage: "owner" })).toEqual([]);
    });
  });

  describe("pagerDomains", () => {
    const config = { pagerDomains: ["example.com", "*.example.org"] };

    it("reports a pager address outside the allowed domains", async () => {
      expect(await check({ pager: "someone@mail.invalid" }, config)).toEqual([
        expect.stringContaining('a pager address in "mail.invalid", which is not one of the allowed domains'),
      ]);
    });

    it("accepts allowed domains, case-insensitively, and subdomains only where a glob says so", async () => {
      expect(await check({ pager: "Ops@EXAMPLE.com" }, config)).toEqual([]);
      expect(await check({ pager: "ops@eu.example.org" }, config)).toEqual([]);
      expect(await check({ pager: "ops@eu.example.com" }, config)).toHaveLength(1);
    });

    it("allows any domain by default and skips an unknown pager", async () => {
      expect(await check({ pager: "someone@mail.invalid" })).toEqual([]);
      expect(await check({ pager: UNKNOWN.string }, config)).toEqual([]);
    });
  });

  it("is mandatory by default with high severity", () => {
    expect(notificationSafety).toMatchObject({ enforcementLevel: "mandatory", severity: "high" });
    expect(notificationSafety.configSchema?.properties).toMatchObject({
      requireAttachment: { default: true },
      pagerDomains: { default: [] },
    });
  });
});
