/** The wire mapping: snake_case names, 1/0 flags, decimal integers, and the server-side parse. */
import { fieldName, fromWire, toWire, wireName } from "../../provider/mailbox/wire";

describe("wire mapping", () => {
  it("maps camelCase to the API's names and back", () => {
    expect(wireName("notifyEmail")).toBe("notify_email");
    expect(wireName("temporaryActive")).toBe("temporary_active");
    expect(wireName("callerid")).toBe("callerid");
    expect(fieldName("copy_pin")).toBe("copyPin");
    expect(fieldName("saycid")).toBe("saycid");
  });

  it("encodes flags as 1/0, integers as decimal text, and leaves out undefined", () => {
    expect(
      toWire({ notifyOnly: true, saycid: false, owner: 7, customer: undefined, description: "a;b&c" }),
    ).toEqual({
      notify_only: "1",
      saycid: "0",
      owner: "7",
      description: "a;b&c",
    });
  });

  it("decodes a get row, never reading a PIN, keeping leading zeros", () => {
    const row = {
      mailbox: "0042",
      pin: "1234",
      owner: 101,
      notify_only: 1,
      saycid: 0,
      timezone: "Europe/London",
      x: 1,
    };
    expect(fromWire(row)).toEqual({
      mailbox: "0042",
      owner: 101,
      notifyOnly: true,
      saycid: false,
      timezone: "Europe/London",
    });
  });

  it("round-trips a complete mailbox", () => {
    const fields = {
      mailbox: "1234",
      owner: 101,
      pagerAttach: true,
      description: "Sales ☎ ; & = %",
      play: "newest" as const,
    };
    expect(fromWire(toWire(fields))).toEqual(fields);
  });
});
