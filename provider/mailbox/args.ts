// Generated from provider/mailbox/schema.ts by `npm run docs`. Do not edit: change the schema.
import * as pulumi from "@pulumi/pulumi";

/**
 * The inputs of a {@link Mailbox}: the parameters of `mailboxes/create` in camelCase, with the
 * "1 to X, 0 not to" integers as booleans, plus the provider-only `adopt` and `connection`.
 *
 * @example
 * ```ts
 * new enswitch.Mailbox("sales", { mailbox: "2001", pin: config.requireSecret("salesPin"), owner: 101 });
 * ```
 */
export interface MailboxArgs {
  /**
   * Mailbox number. A string: leading zeros are kept.
   *
   * Enswitch: `mailbox`. Allowed: text.
   */
  mailbox: pulumi.Input<string>;
  /**
   * PIN. Required unless copyPin is given. Always a secret; never read back from the switch.
   *
   * Enswitch: `pin`. Allowed: text. Default: none: required unless copyPin or adopt.
   */
  pin?: pulumi.Input<string>;
  /**
   * Caller ID to use on notification calls. Empty string for unknown.
   *
   * Enswitch: `callerid`. Allowed: text. Default: "".
   */
  callerid?: pulumi.Input<string>;
  /**
   * Another mailbox in the same customer to copy the PIN from. Empty string to use pin instead. Only used at creation.
   *
   * Enswitch: `copy_pin`. Allowed: text. Default: "".
   */
  copyPin?: pulumi.Input<string>;
  /**
   * ID of the customer to create in.
   *
   * Enswitch: `customer`. Allowed: whole number. Default: the customer of the authenticated user.
   */
  customer?: pulumi.Input<number>;
  /**
   * Description.
   *
   * Enswitch: `description`. Allowed: text. Default: "".
   */
  description?: pulumi.Input<string>;
  /**
   * Destination type if the caller presses 0 during the greeting.
   *
   * Enswitch: `dtype`. Allowed: a destination type; known: hangup, phone, forward, peer, sipuri, voicemailbox. Default: "hangup".
   */
  dtype?: pulumi.Input<"hangup" | "phone" | "forward" | "peer" | "sipuri" | "voicemailbox" | (string & {})>;
  /**
   * Destination number if the caller presses 0 during the greeting.
   *
   * Enswitch: `dnumber`. Allowed: text. Default: none (not sent).
   */
  dnumber?: pulumi.Input<string>;
  /**
   * Play the message envelope.
   *
   * Enswitch: `envelope`. Allowed: true, false. Default: false.
   */
  envelope?: pulumi.Input<boolean>;
  /**
   * Number to call for notification calls. Empty string for none.
   *
   * Enswitch: `notify_dnumber`. Allowed: text. Default: "".
   */
  notifyDnumber?: pulumi.Input<string>;
  /**
   * "owner" to notify the mailbox owner by email, "owner_wav" to also attach the voicemail as .wav, empty string not to notify.
   *
   * Enswitch: `notify_email`. Allowed: "owner", "owner_wav", "". Default: "owner_wav".
   */
  notifyEmail?: pulumi.Input<"owner" | "owner_wav" | "">;
  /**
   * "voicemail" to notify for voicemails, "fax" for faxes, "voicemail_fax" for both, empty string for neither.
   *
   * Enswitch: `notify_for`. Allowed: "voicemail", "fax", "voicemail_fax", "". Default: "voicemail_fax".
   */
  notifyFor?: pulumi.Input<"voicemail" | "fax" | "voicemail_fax" | "" | "all" | "text">;
  /**
   * What to play on notification calls: "voicemailbox" (mailbox without PIN), "voicemailboxpin" (with PIN), "voicemaillogin" (ask for mailbox and PIN).
   *
   * Enswitch: `notify_ltype`. Allowed: "voicemailbox", "voicemailboxpin", "voicemaillogin". Default: "voicemailbox".
   */
  notifyLtype?: pulumi.Input<"voicemailbox" | "voicemailboxpin" | "voicemaillogin">;
  /**
   * "owner" to send a text message to the mailbox owner, empty string not to.
   *
   * Enswitch: `notify_message`. Allowed: "owner", "". Default: "".
   */
  notifyMessage?: pulumi.Input<"owner" | "">;
  /**
   * Delete the message after sending notification emails. Without an email notification, messages are lost.
   *
   * Enswitch: `notify_only`. Allowed: true, false. Default: false.
   */
  notifyOnly?: pulumi.Input<boolean>;
  /**
   * ID of the owner (a person of the same customer). 0 for none.
   *
   * Enswitch: `owner`. Allowed: whole number. Default: 0.
   */
  owner?: pulumi.Input<number>;
  /**
   * Secondary email address to notify. Empty string for none.
   *
   * Enswitch: `pager`. Allowed: text. Default: "".
   */
  pager?: pulumi.Input<string>;
  /**
   * Attach the voicemail or fax to the email to the secondary address.
   *
   * Enswitch: `pager_attach`. Allowed: true, false. Default: false.
   */
  pagerAttach?: pulumi.Input<boolean>;
  /**
   * Show in the control panel.
   *
   * Enswitch: `panel`. Allowed: true, false. Default: false.
   */
  panel?: pulumi.Input<boolean>;
  /**
   * "oldest" to play the oldest message first, "newest" to play the newest first.
   *
   * Enswitch: `play`. Allowed: "oldest", "newest". Default: "oldest".
   */
  play?: pulumi.Input<"oldest" | "newest">;
  /**
   * Say the caller ID.
   *
   * Enswitch: `saycid`. Allowed: true, false. Default: true.
   */
  saycid?: pulumi.Input<boolean>;
  /**
   * Say the message duration.
   *
   * Enswitch: `sayduration`. Allowed: true, false. Default: true.
   */
  sayduration?: pulumi.Input<boolean>;
  /**
   * The temporary greeting is active.
   *
   * Enswitch: `temporary_active`. Allowed: true, false. Default: true.
   */
  temporaryActive?: pulumi.Input<boolean>;
  /**
   * Time zone, an IANA name such as Europe/London (its case is corrected).
   *
   * Enswitch: `timezone`. Allowed: an IANA time zone name. Default: the customer's time zone.
   */
  timezone?: pulumi.Input<string>;
  /**
   * Take over a mailbox that already exists on the switch instead of failing: create reads it, then updates it to the declared settings.
   *
   * Enswitch: not sent. Allowed: true, false. Default: false.
   */
  adopt?: pulumi.Input<boolean>;
  /**
   * Which switch: a profile name in the structured stack config enswitch:connections.
   *
   * Enswitch: not sent. Allowed: text. Default: the switch of enswitch:url.
   */
  connection?: pulumi.Input<string>;
}
