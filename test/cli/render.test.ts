import { parseDefinitions } from "../../provider/definitions/load";
import { renderMailboxFile } from "../../provider/cli/export";

describe("renderMailboxFile", () => {
  const text = renderMailboxFile({
    customer: 1,
    comment: "Exported\nby a test",
    mailboxes: [
      {
        mailbox: "1002",
        owner: 101,
        timezone: "Europe/London",
        description: "x: y # z",
        notifyEmail: "owner_wav",
        panel: true,
      },
      {
        mailbox: "0101",
        owner: 102,
        timezone: "Europe/London",
        description: "",
        notifyEmail: "",
        pin: "4821",
        copyPin: "1002",
      },
    ],
  });

  it("writes only what differs from the schema's defaults, shared values once in defaults, adopt: true", () => {
    expect(text).toBe(
      [
        "# Exported",
        "# by a test",
        "",
        "customer: 1",
        "defaults:",
        "  adopt: true",
        "  timezone: Europe/London",
        "mailboxes:",
        '  - mailbox: "0101"',
        '    notifyEmail: ""',
        "    owner: 102",
        '  - mailbox: "1002"',
        '    description: "x: y # z"',
        "    owner: 101",
        "    panel: true",
        "",
      ].join("\n"),
    );
  });

  it("never writes a PIN or copyPin", () => {
    expect(text).not.toMatch(/pin/i);
  });

  it("loads back to the same mailboxes, leading zeros and awkward text intact", () => {
    const { mailboxes, problems } = parseDefinitions(text, "e.yaml");
    expect(problems).toEqual([]);
    expect(
      mailboxes.map((m) => [m.mailbox, m.adopt, m.fields.owner, m.fields.description, m.fields.notifyEmail]),
    ).toEqual([
      ["0101", true, 102, "", ""],
      ["1002", true, 101, "x: y # z", "owner_wav"],
    ]);
  });

  it("writes an empty list for a customer without mailboxes, and the connection when given", () => {
    const empty = renderMailboxFile({ customer: 2, connection: "eu", mailboxes: [] });
    expect(empty).toBe("customer: 2\nconnection: eu\ndefaults:\n  adopt: true\nmailboxes: []\n");
    expect(parseDefinitions(empty, "e.yaml").problems).toEqual([]);
  });
});
