import { mailboxStackPolicy, SKIP, type StackMailbox } from "./policy";

/** Where a mailbox lives, as far as the props say; `undefined` when a part is unknown. */
function identity(mailbox: StackMailbox): { key: string; label: string } | undefined {
  const number = mailbox.view.given("mailbox", "string");
  const customer = mailbox.view.given("customer", "number");
  const connection = mailbox.view.given("connection", "string");
  if (number === SKIP || number === undefined || customer === SKIP || connection === SKIP) return undefined;
  const label =
    `mailbox ${number} of ${customer === undefined ? "the default customer" : `customer ${customer}`}` +
    (connection === undefined ? "" : ` on connection ${JSON.stringify(connection)}`);
  return { key: JSON.stringify([connection ?? null, customer ?? null, number]), label };
}

/**
 * No two `Mailbox` resources declare the same mailbox number of the same customer on the same switch:
 * they would overwrite each other's settings on every update, and deleting one deletes the other's
 * mailbox. A mailbox that omits `customer` counts as the default customer's.
 */
export const mailboxUnique = mailboxStackPolicy({
  name: "enswitch-mailbox-unique",
  description: "Each mailbox of a customer must be declared by exactly one Mailbox resource.",
  severity: "critical",
  enforcementLevel: "mandatory",
  remediationSteps:
    "Keep one resource per mailbox. If a duplicate is already deployed, run `pulumi state delete <urn>` for it " +
    "before removing it from the program: deleting it would delete the shared mailbox on the switch.",
  check: (mailboxes) => {
    const groups = new Map<string, { label: string; members: StackMailbox[] }>();
    for (const mailbox of mailboxes) {
      const id = identity(mailbox);
      if (!id) continue;
      const group = groups.get(id.key) ?? { label: id.label, members: [] };
      group.members.push(mailbox);
      groups.set(id.key, group);
    }
    return [...groups.values()]
      .filter(({ members }) => members.length > 1)
      .flatMap(({ label, members }) => {
        const names = members.map((m) => m.name).join(", ");
        const message = `${label} is declared by ${members.length} resources (${names}); keep exactly one.`;
        return members.map((mailbox) => ({ mailbox, property: "mailbox", message }));
      });
  },
});
