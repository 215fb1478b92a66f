/**
 * examples/adopt: bring mailboxes that already exist on the switch under Pulumi's management.
 *
 * Pulumi's `import` does not work for this kind of resource (pulumi/pulumi#16175), so a Mailbox
 * takes over an existing mailbox itself when it says `adopt: true`: on creation, the provider reads
 * the mailbox from the switch and updates it to the settings declared here, instead of failing with
 * "already exists". Without `adopt`, that error tells you to add it.
 *
 * Connection settings, as in examples/basic:
 *
 *   pulumi config set enswitch:url https://switch.example.com/api/json/
 *   pulumi config set enswitch:username admin
 *   pulumi config set --secret enswitch:password '<password>'
 *
 * Careful: adopting makes the mailbox match this program. A setting you leave out takes Enswitch's
 * default, not the mailbox's current value. To keep what a mailbox has, first write its settings down:
 * `npx enswitch export --customer 1` prints them as declarative files.
 */
import * as enswitch from "pulumi-enswitch";

// The reception mailbox exists already. No PIN is needed: the switch keeps the one it has.
export const reception = new enswitch.Mailbox("reception", {
  mailbox: "1000",
  adopt: true,
  description: "Reception",
  owner: 101,
  // Notify the owner by email, without attaching the recording.
  notifyEmail: "owner",
  timezone: "Europe/London",
}).id;

// Give a PIN as well and the adopted mailbox gets it; and if mailbox 1001 does not exist yet,
// `adopt: true` simply creates it (a new mailbox needs a PIN, or `copyPin`).
export const afterHours = new enswitch.Mailbox("after-hours", {
  mailbox: "1001",
  adopt: true,
  copyPin: "1000",
  description: "After hours",
  owner: 101,
}).id;

// Once adopted, `adopt` no longer matters: removing it later changes nothing. Deleting the resource
// (or `pulumi destroy`) deletes the mailbox on the switch like any other; to stop managing it
// without deleting it, use `pulumi state delete <urn>`.
