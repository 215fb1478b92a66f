/**
 * examples/basic: two voicemail mailboxes on one Enswitch switch.
 *
 * Before the first `pulumi up`, tell the provider which switch to use and how to log in. These
 * settings are read when the provider runs, never stored in the program or in state:
 *
 *   pulumi config set enswitch:url https://switch.example.com/api/json/
 *   pulumi config set enswitch:username admin
 *   pulumi config set --secret enswitch:password '<password>'
 *
 * and give the first mailbox its PIN (a secret: Pulumi stores it encrypted):
 *
 *   pulumi config set --secret salesPin 4821
 *
 * To try it without a switch, start the simulator (`npx enswitch simulator --port 8080`) and use
 * `http://127.0.0.1:8080/api/json/` with the login `admin` / `admin`.
 *
 * Then `pulumi preview` checks both mailboxes locally and on the switch (with `validation=1`, nothing
 * changes), and `pulumi up` creates them.
 */
import * as pulumi from "@pulumi/pulumi";
import * as enswitch from "pulumi-enswitch";

const config = new pulumi.Config();

// One mailbox. `mailbox` is its number: a string, so that leading zeros survive. Everything not
// written here takes Enswitch's documented default (hover over a property for it).
const sales = new enswitch.Mailbox("sales", {
  mailbox: "2001",
  // A secret from stack config. The Mailbox keeps the PIN secret in state whatever you pass.
  pin: config.requireSecret("salesPin"),
  description: "Sales team",
  // The owner is a person of the same customer: notification emails go to them.
  owner: 101,
  // Email the owner with the message attached as a .wav (this is also the default).
  notifyEmail: "owner_wav",
  timezone: "Europe/London",
});

// A second mailbox that copies the first one's PIN when it is created. Using `sales.mailbox` (an
// output) rather than the text "2001" also tells Pulumi to create `sales` first.
const support = new enswitch.Mailbox("support", {
  mailbox: "2002",
  copyPin: sales.mailbox,
  description: "Support line",
  owner: 102,
  // Play the newest message first.
  play: "newest",
});

// The id is "<customer>/<mailbox>", e.g. "1/2001".
export const salesId = sales.id;
// Outputs are the switch's effective values: no time zone was declared, so this is the customer's.
export const supportTimezone = support.timezone;
