/**
 * Reading an answer: the HTTP status, the JSON envelope `{responses, data}`, and every entry of
 * `responses`, mapped to a result or to one typed error. Nothing that is not a clear success is
 * treated as one.
 */
import {
  EnswitchAuthenticationError,
  EnswitchDryRunError,
  EnswitchError,
  EnswitchNotFoundError,
  EnswitchRatePlanError,
  EnswitchResponseEntry,
  EnswitchRoleError,
  EnswitchServerError,
  EnswitchTransportError,
  EnswitchValidationError,
  ErrorClass,
} from "./errors";
import { fieldName } from "./names";
import { markFailure, parseRetryAfter } from "./retry";

/**
 * A successful answer: the success code (`200`, `201` or `204`), every `responses` entry, and `data`
 * when the function returns some.
 */
export interface EnswitchAnswer {
  code: string;
  responses: EnswitchResponseEntry[];
  data?: unknown;
}

/** What came back over HTTP, before interpretation. */
export interface HttpReply {
  status: number;
  /** The `Content-Type` header, or `""`. */
  contentType: string;
  body: string;
  /** The raw `Retry-After` header, if any. */
  retryAfter?: string;
}

/** What the reader needs besides the reply. */
export interface ReadContext {
  fn: string;
  /** Whether the call carried `validation=1` (then 201 is the success code). */
  validation: boolean;
  /** Removes secrets from any text quoted in an error. */
  redact: (text: string) => string;
}

const SUCCESS = new Set(["200", "201", "204"]);

/** The setting that turns off the dry runs of a function, for switches without `validation` there. */
const DRY_RUN_SETTINGS: Record<string, string> = {
  "mailboxes/create": "enswitch:dryRunCreates",
  "mailboxes/update": "enswitch:dryRunUpdates",
};

const TRANSPORT_HINT =
  "Check that enswitch:url points at the switch's JSON API (it usually ends in /api/json/) and that no proxy is answering instead.";

/** The status, type and size of a reply, and the first ~100 characters of its body on one line, secrets removed. */
function describe(reply: HttpReply, redact: (text: string) => string): string {
  const type = reply.contentType || "no content-type";
  if (reply.body.length === 0) return `HTTP ${reply.status} (${type}) with an empty body`;
  const flat = redact(reply.body).replace(/\s+/g, " ").trim();
  const snippet = flat.length > 100 ? `${flat.slice(0, 100)}…` : flat;
  return `HTTP ${reply.status} (${type}, ${Buffer.byteLength(reply.body)} bytes): "${snippet}"`;
}

function isEntry(value: unknown): value is { code: string | number; key?: unknown; message?: unknown } {
  if (typeof value !== "object" || value === null || !("code" in value)) return false;
  return typeof value.code === "string" || typeof value.code === "number";
}

function toEntries(raw: unknown[], redact: (text: string) => string): EnswitchResponseEntry[] | undefined {
  if (!raw.every(isEntry)) return undefined;
  return raw.map((item) => ({
    code: String(item.code),
    key: typeof item.key === "string" ? item.key : "",
    message: typeof item.message === "string" ? redact(item.message) : "",
  }));
}

/** The entries and the parsed envelope of a reply, or what is wrong with its body. */
function parseEnvelope(reply: HttpReply, redact: (text: string) => string) {
  if (reply.body.trim() === "") return "an empty body";
  let envelope: { responses?: unknown; data?: unknown } | null;
  try {
    envelope = JSON.parse(reply.body) as typeof envelope;
  } catch {
    return /json/i.test(reply.contentType) ? "malformed or truncated JSON" : "a body that is not JSON";
  }
  if (!Array.isArray(envelope?.responses)) return "JSON without a responses array";
  const entries = toEntries(envelope.responses, redact);
  if (!entries) return "a responses array whose entries have no code";
  if (entries.length === 0) return "an empty responses array (no outcome at all)";
  return { entries, envelope };
}

/**
 * Interprets an HTTP reply. Returns the answer on success; throws a typed {@link EnswitchError}
 * otherwise, already classified for the retry loop (unmarked: final, as the switch answered).
 */
export function readAnswer(reply: HttpReply, ctx: ReadContext): EnswitchAnswer {
  const { fn, redact } = ctx;
  if (reply.status === 429 || reply.status >= 500) {
    const { status } = reply;
    const hint =
      status === 429 || status === 503
        ? "The switch (or a proxy) is overloaded or rate-limiting; retries were exhausted. Try again later or lower the concurrency."
        : "The switch or a proxy in front of it failed; retries were exhausted where allowed. Check the switch's health and logs.";
    const said = `the switch answered ${describe(reply, redact)}.`;
    const error = new EnswitchServerError(said, { fn, code: String(status), status, hint });
    // A 429 was refused before any work; any 5xx may come from a proxy after the switch acted.
    const retryAfterMs = parseRetryAfter(reply.retryAfter, Date.now());
    throw markFailure(error, status === 429 ? "unprocessed" : "maybe-processed", retryAfterMs);
  }
  const parsed = parseEnvelope(reply, redact);
  if (typeof parsed === "string") {
    const code = reply.status >= 200 && reply.status < 300 ? "TRANSPORT" : String(reply.status);
    const said = `expected a JSON envelope but got ${parsed}: ${describe(reply, redact)}.`;
    throw new EnswitchTransportError(said, { fn, code, hint: TRANSPORT_HINT });
  }
  const { entries, envelope } = parsed;
  const failing = entries.filter((entry) => !SUCCESS.has(entry.code));
  if (failing.length > 0) throw errorFor(fn, entries, failing);
  const details = { fn, code: entries[0].code, responses: entries };
  if (reply.status < 200 || reply.status >= 300) {
    const said = `the envelope says ${entries[0].code} but the HTTP status is ${reply.status}; not trusting it as a success.`;
    throw new EnswitchTransportError(said, { ...details, code: String(reply.status), hint: TRANSPORT_HINT });
  }
  // Only 201 says "checked, nothing done": any other success to a dry run may have been the real thing.
  if (ctx.validation && entries.some((entry) => entry.code !== "201")) {
    const setting = DRY_RUN_SETTINGS[fn];
    const said = `answered ${entries[0].code} to a dry run (validation=1), not 201: the switch may have carried the call out, and may not support dry runs on ${fn}.`;
    const off = setting ? `; if this switch has no validation on ${fn}, set ${setting} false` : "";
    throw new EnswitchDryRunError(said, { ...details, hint: `Check the switch for the change${off}.` });
  }
  if (!ctx.validation && entries.some((entry) => entry.code === "201")) {
    const said =
      "the switch answered 201 (input valid, nothing changed) to a call without validation=1, so nothing was done.";
    const hint = "Report this to the switch operator; the call was not carried out.";
    throw new EnswitchServerError(said, { ...details, code: "201", hint });
  }
  const answer: EnswitchAnswer = { code: entries[0].code, responses: entries };
  if ("data" in envelope) answer.data = envelope.data;
  return answer;
}

/**
 * Per envelope code, in precedence order (when one answer holds several, the first explains the
 * others): the error class, what happened (`FN` filled in), and what to do.
 */
const CODES: [string, ErrorClass, string, string][] = [
  ["401", EnswitchAuthenticationError, "authentication refused (401)",
    "Check enswitch:username and enswitch:password (or ENSWITCH_USERNAME / ENSWITCH_PASSWORD)."],
  ["402", EnswitchRoleError, "this login's role may not call FN (402)",
    "Use an administrator login for this customer."],
  ["403", EnswitchRatePlanError, "the customer's rate plan does not allow FN (403)",
    "Enable voicemail in the customer's rate plan on the switch, or use another customer."],
  ["404", EnswitchNotFoundError, "not found (404)",
    "The object does not exist or this login may not see it: check the mailbox number and customer."],
  ["500", EnswitchServerError, "the switch reported a failure (500)",
    "See the switch's message and logs; repeating the same call is unlikely to help."],
  ["400", EnswitchValidationError, "invalid input", "Fix the named input and try again."],
]; // prettier-ignore

function errorFor(fn: string, all: EnswitchResponseEntry[], failing: EnswitchResponseEntry[]): EnswitchError {
  // An unknown code ranks with 500.
  const rank = (code: string) => CODES.findIndex(([c]) => c === code) + 1 || 5;
  const first = [...failing].sort((a, b) => rank(a.code) - rank(b.code))[0];
  const details = { fn, code: first.code, key: first.key, responses: all };
  const mixed = failing.length < all.length ? " (the answer also held a success entry; not trusting it)" : "";
  // The switch's own sentence without its full stop: the message around it adds its own.
  const said = (entry: EnswitchResponseEntry) =>
    entry.message ? `: ${entry.message.replace(/\.+$/, "")}` : "";
  const [code, Kind, what, hint] = CODES.find(([c]) => c === first.code) ?? [
    first.code,
    EnswitchServerError,
    "the switch answered an unknown code CODE",
    "This client does not know that code; check the switch version and its logs.",
  ];
  const list = failing
    .filter((entry) => entry.code === "400")
    .map((entry) => `${entry.key ? `${entry.key} (${fieldName(entry.key)})` : "(no key)"}${said(entry)}`)
    .join("; ");
  const text =
    code === "400" ? `${what}: ${list}` : `${what.replace("FN", fn).replace("CODE", code)}${said(first)}`;
  return new Kind(`${text}${mixed}.`, { ...details, hint });
}
