import { z } from "zod";
import {
  globMatches,
  listed,
  mailboxPolicy,
  SKIP,
  type Finding,
  type Judged,
  type MailboxView,
} from "./policy";

/** true / false, or undefined when an unknown value leaves it open. */
type Maybe = boolean | undefined;

function all(...values: Maybe[]): Maybe {
  if (values.includes(false)) return false;
  return values.includes(undefined) ? undefined : true;
}

function known<T>(value: Judged<T>, test: (v: T | undefined) => boolean): Maybe {
  return value === SKIP ? undefined : test(value);
}

/** Whether some notification reaches a person with (or, if allowed, without) the recording. */
function delivers(mailbox: MailboxView, requireAttachment: boolean): Maybe {
  const hasOwner = known(mailbox.effective("owner", "number"), (o) => o !== undefined && o > 0);
  const email = known(mailbox.effective("notifyEmail", "string"), (e) =>
    requireAttachment ? e === "owner_wav" : e !== undefined && e !== "",
  );
  const pager = known(mailbox.effective("pager", "string"), (p) => p !== undefined && p !== "");
  const attach = requireAttachment
    ? known(mailbox.effective("pagerAttach", "boolean"), (a) => a === true)
    : true;
  const byOwner = all(email, hasOwner);
  const byPager = all(pager, attach);
  if (byOwner === true || byPager === true) return true;
  return byOwner === false && byPager === false ? false : undefined;
}

function notifyOnlyFindings(mailbox: MailboxView, requireAttachment: boolean): Finding[] {
  if (mailbox.effective("notifyOnly", "boolean") !== true) return [];
  const label = mailbox.label();
  const findings: Finding[] = [];
  const notifyFor = mailbox.effective("notifyFor", "string");
  if (notifyFor !== SKIP && notifyFor !== "all" && !(notifyFor ?? "").includes("voicemail")) {
    findings.push({
      property: "notifyFor",
      message: `${label} has notifyOnly, which deletes each message after notifying, but notifyFor is ${JSON.stringify(notifyFor ?? "")}: voicemails would be deleted unseen. Notify for voicemail or turn notifyOnly off.`,
    });
  }
  if (delivers(mailbox, requireAttachment) === false) {
    const what = requireAttachment
      ? 'an email that carries the recording: notifyEmail "owner_wav" with an owner, or a pager address with pagerAttach'
      : "an email notification: notifyEmail with an owner, or a pager address";
    findings.push({
      property: "notifyOnly",
      message: `${label} has notifyOnly, which deletes each message after notifying, without ${what}. Messages would be lost: add one or turn notifyOnly off.`,
    });
  }
  return findings;
}

function ownerFindings(mailbox: MailboxView): Finding[] {
  const owner = mailbox.effective("owner", "number");
  if (owner === SKIP || (owner !== undefined && owner > 0)) return [];
  const label = mailbox.label();
  const findings: Finding[] = [];
  const email = mailbox.effective("notifyEmail", "string");
  if (email !== SKIP && email !== undefined && email !== "") {
    const implicit = mailbox.given("notifyEmail", "string") === undefined ? " (the default)" : "";
    findings.push({
      property: "notifyEmail",
      message: `${label} has notifyEmail ${JSON.stringify(email)}${implicit}, which emails the owner, but no owner: set owner, or notifyEmail to "".`,
    });
  }
  if (mailbox.effective("notifyMessage", "string") === "owner") {
    findings.push({
      property: "notifyMessage",
      message: `${label} has notifyMessage "owner", which texts the owner, but no owner: set owner, or notifyMessage to "".`,
    });
  }
  return findings;
}

function pagerFindings(mailbox: MailboxView, pagerDomains: readonly string[]): Finding[] {
  const pager = mailbox.effective("pager", "string");
  if (pagerDomains.length === 0 || pager === SKIP || pager === undefined || pager === "") return [];
  const domain = pager.slice(pager.lastIndexOf("@") + 1).toLowerCase();
  if (pagerDomains.some((d) => globMatches(d.toLowerCase(), domain))) return [];
  return [
    {
      property: "pager",
      message: `${mailbox.label()} sends notifications to a pager address in ${JSON.stringify(domain)}, which is not one of the allowed domains ${listed(pagerDomains)}.`,
    },
  ];
}

/**
 * Notification settings that keep messages safe: `notifyOnly` only when an email carries the
 * message (otherwise it is deleted unseen), owner-based email or text notifications only with an
 * owner, and `pager` addresses only in the configured domains.
 */
export const notificationSafety = mailboxPolicy({
  name: "enswitch-mailbox-notification-safety",
  description:
    "Mailbox notifications must not lose messages: notifyOnly only with an email that delivers them, owner notifications only with an owner, pager addresses only in allowed domains.",
  severity: "high",
  enforcementLevel: "mandatory",
  remediationSteps:
    'With notifyOnly, keep notifyEmail "owner_wav" and set owner (or set pager and pagerAttach), and notify for voicemail; ' +
    'otherwise set notifyOnly to false. Without an owner, set notifyEmail and notifyMessage to "". ' +
    "Use a pager address in one of the allowed domains.",
  config: z.object({
    requireAttachment: z
      .boolean()
      .default(true)
      .describe(
        "With notifyOnly, the notification must carry the recording (owner_wav, or pagerAttach); false accepts any email.",
      ),
    pagerDomains: z
      .array(z.string())
      .default([])
      .describe("Domains pager addresses may use (globs: `*.example.com` for subdomains); empty allows any."),
  }),
  check: (mailbox, { requireAttachment, pagerDomains }) => [
    ...notifyOnlyFindings(mailbox, requireAttachment),
    ...ownerFindings(mailbox),
    ...pagerFindings(mailbox, pagerDomains),
  ],
});
