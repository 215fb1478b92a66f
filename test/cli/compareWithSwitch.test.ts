import { compareWithSwitch, fieldChanges } from "../../provider/cli/drift";
import { parseDefinitions } from "../../provider/definitions/load";
import { toWire } from "../../provider/mailbox/wire";

const { mailboxes } = parseDefinitions(
  [
    "customer: 1",
    "mailboxes:",
    '  - mailbox: "1"',
    "    owner: 101",
    "    panel: true",
    '  - mailbox: "2"',
    '  - mailbox: "3"',
    '    copyPin: "1"',
  ].join("\n"),
  "f.yaml",
);

/** A row as the switch returns it for a mailbox deployed exactly as declared. */
function rowOf(index: number): Record<string, unknown> {
  const { copyPin: _c, ...fields } = mailboxes[index]!.fields;
  const wire = toWire(fields);
  // The switch answers integers and flags as JSON numbers.
  return Object.fromEntries(
    Object.entries(wire).map(([k, v]) => [k, /^-?[0-9]+$/.test(v) && k !== "mailbox" ? Number(v) : v]),
  );
}

describe("fieldChanges", () => {
  it("finds nothing for a row that matches, whatever the wire encoding of flags and numbers", () => {
    expect(fieldChanges(mailboxes[0]!.fields, rowOf(0))).toEqual([]);
    expect(fieldChanges(mailboxes[0]!.fields, { ...rowOf(0), panel: "1", owner: "101" })).toEqual([]);
  });

  it("lists each differing field with the switch's value and the file's", () => {
    expect(fieldChanges(mailboxes[0]!.fields, { ...rowOf(0), panel: 0, description: "x" })).toEqual([
      { field: "description", old: "x", new: "" },
      { field: "panel", old: false, new: true },
    ]);
  });

  it("does not judge what the file leaves to the switch (timezone) or cannot compare (copyPin, PIN)", () => {
    expect(
      fieldChanges(mailboxes[2]!.fields, {
        ...rowOf(2),
        timezone: "Europe/Paris",
        pin: "9999",
        copy_pin: "7",
      }),
    ).toEqual([]);
  });

  it("does not judge fields the row does not have", () => {
    const { panel: _p, ...row } = rowOf(0);
    expect(fieldChanges(mailboxes[0]!.fields, row)).toEqual([]);
  });
});

describe("compareWithSwitch", () => {
  it("sorts every mailbox into create, update, unchanged and unmanaged", () => {
    const rows = new Map([[1, [{ ...rowOf(0), owner: 102 }, rowOf(2), { mailbox: "10" }, { mailbox: "9" }]]]);
    const report = compareWithSwitch(mailboxes, rows);
    expect(report.entries.map((e) => `${e.status} ${e.mailbox}`)).toEqual([
      "update 1",
      "create 2",
      "unchanged 3",
      "unmanaged 9",
      "unmanaged 10",
    ]);
    expect(report.entries[0]!.changes).toEqual([{ field: "owner", old: 102, new: 101 }]);
    expect(report.summary).toEqual({ create: 1, update: 1, unchanged: 1, unmanaged: 2 });
  });

  it("looks for unmanaged mailboxes only in the customers it is given", () => {
    const report = compareWithSwitch(mailboxes, new Map([[1, [rowOf(0), rowOf(1), rowOf(2)]]]));
    expect(report.summary).toEqual({ create: 0, update: 0, unchanged: 3, unmanaged: 0 });
  });
});
