import fc from "fast-check";
import { redactor } from "../../provider/enswitch/redact";

describe("redactor", () => {
  it("removes secrets raw and encoded, longest first", () => {
    const redact = redactor(["p@ss w;rd&x", undefined, "tok.en"]);
    expect(redact("a p@ss w;rd&x b")).toBe("a [redacted] b");
    expect(redact("auth_password=p%40ss+w%3Brd%26x")).toBe("auth_password=[redacted]");
    expect(redact("p%40ss%20w%3Brd%26x and tok.en")).toBe("[redacted] and [redacted]");
  });

  it("leaves text alone when there is nothing to hide", () => {
    expect(redactor(["", undefined])("ab cd")).toBe("ab cd");
  });

  it("hides a very short secret (a 2-digit PIN the switch refuses) where it stands alone, not inside words", () => {
    const redact = redactor(["12", "7"]);
    expect(redact("PIN 12 is too short; 7 digits")).toBe("PIN [redacted] is too short; [redacted] digits");
    expect(redact("mailbox 1234 at 17:00")).toBe("mailbox 1234 at 17:00");
  });
});

describe("redactor, for any secret", () => {
  // The redactor skips the encoded forms when the text holds no "%" or "+": this checks that no
  // form of any secret slips through that shortcut.
  it("leaves no raw, URL-encoded or form-encoded copy of it in any text", () => {
    const encodings = [
      (s: string) => s,
      (s: string) => encodeURIComponent(s),
      (s: string) => new URLSearchParams({ s }).toString().slice(2),
    ];
    fc.assert(
      fc.property(
        fc.string({ minLength: 3, maxLength: 24 }),
        fc.string({ maxLength: 20 }),
        fc.string({ maxLength: 20 }),
        fc.integer({ min: 0, max: 2 }),
        (secret, before, after, which) => {
          const encoded = (encodings[which] as (s: string) => string)(secret);
          const out = redactor([secret])(`${before}${encoded}${after}`);
          expect(out).toContain("[redacted]");
          expect(out.includes(encoded) && !"[redacted]".includes(encoded)).toBe(false);
        },
      ),
    );
  });
});
