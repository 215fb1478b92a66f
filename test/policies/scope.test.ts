import { globMatches, inScope } from "../../provider/policies/scope";

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
