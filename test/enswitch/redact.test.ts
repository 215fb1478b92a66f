import { redactor } from "../../provider/enswitch/redact";

describe("redactor", () => {
  it("removes secrets raw and encoded, longest first", () => {
    const redact = redactor(["p@ss w;rd&x", undefined, "tok.en"]);
    expect(redact("a p@ss w;rd&x b")).toBe("a [redacted] b");
    expect(redact("auth_password=p%40ss+w%3Brd%26x")).toBe("auth_password=[redacted]");
    expect(redact("p%40ss%20w%3Brd%26x and tok.en")).toBe("[redacted] and [redacted]");
  });

  it("leaves text alone when there is nothing to hide, and ignores tiny values", () => {
    expect(redactor(["", "ab"])("ab cd")).toBe("ab cd");
  });
});
