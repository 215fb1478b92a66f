/**
 * One HTTP attempt: builds the request (form-encoded POST body, or an encoded GET query), sends it
 * through the shared pool under a per-attempt timeout, and returns what came back. Socket-level
 * failures become typed errors classified for the retry loop; nothing here interprets the envelope.
 */
import { request } from "undici";
import { EnswitchTimeoutError, EnswitchTransportError } from "./errors";
import { HttpReply } from "./envelope";
import { agentFor } from "./pool";
import { FailureKind, markFailure } from "./retry";
import { AttemptTimer, realAttemptTimer } from "./settings";

/** Everything one attempt needs. */
interface AttemptSpec {
  /** The API base, ending with `/`. */
  baseUrl: URL;
  /** e.g. `mailboxes/get`. */
  fn: string;
  method: "POST" | "GET";
  /** Every parameter, credentials included; encoded here. */
  params: Record<string, string>;
  timeoutMs: number;
  /** Starts the timeout that aborts the attempt. Default: the real clock. */
  timer?: AttemptTimer;
  /** Removes secrets from error text. */
  redact: (text: string) => string;
}

/** The address of a function: the base URL plus `category/action/`. */
export function functionUrl(baseUrl: URL, fn: string): URL {
  return new URL(`${fn}/`, baseUrl);
}

/**
 * Form-encodes parameters (`application/x-www-form-urlencoded`): every `;`, `&`, `=`, `%`, `+`,
 * newline and non-ASCII character is escaped, so a value can never start another parameter.
 */
export function encodeParams(params: Record<string, string>): string {
  return new URLSearchParams(Object.entries(params)).toString();
}

// Connection never established: the switch cannot have seen the request.
const NOT_SENT = new Set(
  "ECONNREFUSED UND_ERR_CONNECT_TIMEOUT EAI_AGAIN EHOSTUNREACH ENETUNREACH".split(" "),
);
// The switch will never be reached by retrying (besides every TLS and certificate error).
const PERMANENT = new Set(
  "ENOTFOUND UND_ERR_RES_EXCEEDED_MAX_SIZE ERR_INVALID_URL UNABLE_TO_VERIFY_LEAF_SIGNATURE".split(" "),
);
const TIMEOUTS = new Set(["UND_ERR_HEADERS_TIMEOUT", "UND_ERR_BODY_TIMEOUT"]);

/** The error code of a socket/undici error, looking through `cause` and AggregateError. */
function socketCode(error: unknown): string {
  const seen = new Set<unknown>();
  let current: unknown = error;
  while (typeof current === "object" && current !== null && !seen.has(current)) {
    seen.add(current);
    const e = current as { code?: unknown; cause?: unknown; errors?: unknown };
    if (typeof e.code === "string" && e.code !== "UND_ERR_SOCKET") return e.code;
    if (Array.isArray(e.errors) && e.errors.length > 0) current = e.errors[0];
    else if (e.cause !== undefined) current = e.cause;
    else return typeof e.code === "string" ? e.code : "";
  }
  return "";
}

function transportKind(code: string): FailureKind {
  if (NOT_SENT.has(code)) return "unprocessed";
  if (PERMANENT.has(code) || code.startsWith("ERR_TLS") || code.includes("CERT")) return "final";
  return "maybe-processed";
}

const HINTS: Record<FailureKind, string> = {
  unprocessed: "Nothing reached the switch: check enswitch:url and that the switch is running and reachable.",
  final: "Check the host name and TLS certificate in enswitch:url.",
  "maybe-processed":
    "The connection broke before an answer arrived; the call may or may not have been carried out.",
};

/** Sends one attempt. Resolves with whatever HTTP answer came back; rejects only when none did. */
export async function sendAttempt(spec: AttemptSpec): Promise<HttpReply> {
  const { fn, method, timeoutMs, redact } = spec;
  const url = functionUrl(spec.baseUrl, fn);
  const where = `${method} ${url.toString()}`;
  const encoded = encodeParams(spec.params);
  const headers: Record<string, string> = { accept: "application/json" };
  if (method === "POST") headers["content-type"] = "application/x-www-form-urlencoded; charset=utf-8";
  else url.search = encoded;
  const body = method === "POST" ? encoded : undefined;
  const controller = new AbortController();
  const cancelTimeout = (spec.timer ?? realAttemptTimer)(timeoutMs, () => controller.abort());
  try {
    const dispatcher = agentFor(url.origin);
    const { signal } = controller;
    const timeouts = { headersTimeout: timeoutMs, bodyTimeout: timeoutMs };
    const response = await request(url, { method, headers, body, dispatcher, signal, ...timeouts });
    const { "content-type": contentType, "retry-after": retryAfter } = response.headers;
    return {
      status: response.statusCode,
      contentType: Array.isArray(contentType) ? contentType.join(", ") : (contentType ?? ""),
      body: await response.body.text(),
      retryAfter: Array.isArray(retryAfter) ? retryAfter[0] : retryAfter,
    };
  } catch (error) {
    const code = socketCode(error);
    const message = error instanceof Error ? error.message : String(error);
    // A copy of the socket error that carries only its code and a redacted message.
    const cause = new Error(redact(code ? `${code}: ${message}` : message));
    cause.name = error instanceof Error ? error.name : "Error";
    if (controller.signal.aborted || TIMEOUTS.has(code)) {
      const hint = `The switch may be overloaded or unreachable; check its load, or raise the timeoutMs setting (enswitch:timeoutMs). The call may or may not have been carried out.`;
      const said = `no complete answer within ${timeoutMs} ms (${where}).`;
      const timeout = new EnswitchTimeoutError(said, { fn, code: "TIMEOUT", hint, cause });
      throw markFailure(timeout, "maybe-processed");
    }
    const kind = transportKind(code);
    const said = `${where} failed: ${code ? `${code} ` : ""}${redact(message)}.`;
    const hint = HINTS[kind];
    throw markFailure(new EnswitchTransportError(said, { fn, code: "TRANSPORT", hint, cause }), kind);
  } finally {
    cancelTimeout();
  }
}
