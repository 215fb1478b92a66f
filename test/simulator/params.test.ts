/** Parameter decoding, Enswitch (Perl CGI) style. */
import { MalformedRequestError, decodeParams } from "../../provider/simulator/params";

describe("decodeParams", () => {
  it("splits on ; and &, decodes + and %XX, keeps the first occurrence", () => {
    expect(decodeParams("a=1;b=x+y&c=%3B%26%3D%25%2B&a=2&flag")).toEqual({
      a: "1",
      b: "x y",
      c: ";&=%+",
      flag: "",
    });
  });

  it("decodes UTF-8 and newlines", () => {
    expect(decodeParams("d=%C3%A9%0A%F0%9F%98%80")).toEqual({ d: "\u00e9\n\ud83d\ude00" });
  });

  it("adds to existing parameters without overwriting them", () => {
    expect(decodeParams("a=query;b=query", { a: "body" })).toEqual({ a: "body", b: "query" });
  });

  it("refuses broken escapes instead of guessing", () => {
    expect(() => decodeParams("a=100%")).toThrow(MalformedRequestError);
    expect(() => decodeParams("a=%C3")).toThrow(MalformedRequestError);
  });

  it("treats __proto__ as an ordinary name", () => {
    const params = decodeParams("__proto__=x;a=1");
    expect(Object.keys(params)).toEqual(["__proto__", "a"]);
    expect(params.a).toBe("1");
  });
});
