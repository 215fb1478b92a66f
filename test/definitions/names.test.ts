import { byNumber, describeIdentity, identityKey, resourceName } from "../../provider/definitions/names";

describe("resourceName and identityKey", () => {
  it("come from connection, customer and number only, keeping leading zeros", () => {
    expect(resourceName({ customer: 1, mailbox: "1001" })).toBe("c1-mb1001");
    expect(resourceName({ connection: "eu", customer: 1, mailbox: "0101" })).toBe("eu-c1-mb0101");
    expect(identityKey({ customer: 1, mailbox: "0101" })).not.toBe(
      identityKey({ customer: 1, mailbox: "101" }),
    );
    expect(describeIdentity({ connection: "eu", customer: 2, mailbox: "7" })).toBe(
      "mailbox 7 of customer 2 on connection eu",
    );
  });
});

describe("byNumber", () => {
  it("orders shorter numbers first, then digit by digit, and a missing number first", () => {
    const sorted = [{ mailbox: "100" }, { mailbox: "99" }, { mailbox: "101" }, { mailbox: "0101" }, {}].sort(
      byNumber,
    );
    expect(sorted.map((m) => m.mailbox)).toEqual([undefined, "99", "100", "101", "0101"]);
  });

  it("calls equal numbers equal", () => {
    expect(byNumber({ mailbox: "1001" }, { mailbox: "1001" })).toBe(0);
  });
});
