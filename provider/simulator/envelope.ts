/**
 * The Enswitch response envelope: `{"responses":[{"code","key","message"}], "data"?}`, codes as
 * strings, always sent with HTTP 200 (the outcome is in the body).
 */

/** One entry of `responses`. */
export interface ResponseEntry {
  code: string;
  key: string;
  message: string;
}

/** A whole answer. `data` is left out when there is none. */
export interface Envelope {
  responses: ResponseEntry[];
  data?: unknown;
}

/** A single-entry envelope. */
export function envelope(code: number, message: string, key = "", data?: unknown): Envelope {
  const env: Envelope = { responses: [{ code: String(code), key, message }] };
  if (data !== undefined) env.data = data;
  return env;
}

/** The canonical messages, as the seed and the guides word them. */
export const MESSAGES = {
  ok: "OK",
  validated: "Input passed validation.",
  unauthenticated: "The authentication details provided are invalid.",
  role: "Your role does not allow this.",
  ratePlan: "Your rate plan does not allow this.",
  notFound: "Not found.",
} as const;

/** The first code of an envelope, for logs and the request record. */
export function codeOf(env: Envelope): string {
  return env.responses[0]?.code ?? "";
}
