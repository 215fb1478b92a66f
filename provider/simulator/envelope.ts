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
  const responses = [{ code: String(code), key, message }];
  return data === undefined ? { responses } : { responses, data };
}

/** The messages the pages give for each code. */
export const MESSAGES = {
  ok: "OK",
  validated: "Input passed validation.",
  unauthenticated: "The authentication details provided are invalid.",
  role: "Your role does not allow this.",
  ratePlan: "Your rate plan does not allow this.",
  invalidCustomer: "Invalid customer specified.",
} as const;

/** The 404 of the mailbox functions, `verb` as each page words it ("view", "update", "delete"). */
export function notFound(verb: "view" | "update" | "delete"): Envelope {
  return envelope(404, `The mailbox does not exist, or you do not have permission to ${verb} it.`);
}
