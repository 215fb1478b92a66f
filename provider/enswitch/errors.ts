/**
 * Typed errors of the Enswitch client. Each carries what a caller needs to act: the function that
 * failed (`fn`, e.g. `mailboxes/create`), the envelope `code`, the offending `key`, the switch's
 * `message`, and a `hint` that says what to do. Messages never contain credentials or PINs: they are
 * built only from the function name, codes, keys and the switch's own text.
 */
import { fieldName } from "./names";

/** One entry of the envelope's `responses` array. */
export interface EnswitchResponseEntry {
  code: string;
  key: string;
  message: string;
}

/** What every Enswitch error is built from: its fields (see {@link EnswitchError}), and a cause. */
export interface EnswitchErrorDetails {
  fn: string;
  code: string;
  key?: string;
  responses?: EnswitchResponseEntry[];
  hint?: string;
  /** The underlying error (socket error, JSON parse error). */
  cause?: unknown;
}

/** The constructor of an Enswitch error class. */
export type ErrorClass = new (message: string, details: EnswitchErrorDetails) => EnswitchError;

/** Base class of every error the client throws. */
export class EnswitchError extends Error {
  /** The class's own name, so subclasses need not restate it. */
  override name = this.constructor.name;
  /** The API function called, e.g. `mailboxes/get`. */
  readonly fn: string;
  /** The envelope code (`"400"`…), or the HTTP status as text, or `"TRANSPORT"` / `"TIMEOUT"`. */
  readonly code: string;
  /** The parameter the switch complained about (`notify_email`), or `""`. */
  readonly key: string;
  /** Every `responses` entry of the answer, when there was an envelope. */
  readonly responses: EnswitchResponseEntry[];
  /** What the user can do about it. */
  readonly hint: string;

  constructor(message: string, details: EnswitchErrorDetails) {
    super(
      `${details.fn}: ${message}${details.hint ? ` ${details.hint}` : ""}`,
      details.cause ? { cause: details.cause } : undefined,
    );
    this.fn = details.fn;
    this.code = details.code;
    this.key = details.key ?? "";
    this.responses = details.responses ?? [];
    this.hint = details.hint ?? "";
  }
}

/** 400: the switch rejected a parameter. `key` is its API name, `field` the camelCase input. */
export class EnswitchValidationError extends EnswitchError {
  /** The camelCase input the key belongs to (`notify_email` → `notifyEmail`). */
  readonly field: string;
  constructor(message: string, details: EnswitchErrorDetails) {
    super(message, details);
    this.field = fieldName(this.key);
  }
}

/** 401: the username, password or token was refused. */
export class EnswitchAuthenticationError extends EnswitchError {}

/** 402: the user's role does not allow this function. */
export class EnswitchRoleError extends EnswitchError {}

/** 403: the customer's rate plan does not allow this. */
export class EnswitchRatePlanError extends EnswitchError {}

/** 404: the object does not exist, or this user may not see it (Enswitch does not distinguish). */
export class EnswitchNotFoundError extends EnswitchError {}

/** 500 in the envelope, or an HTTP 5xx / 429 that retries did not get past. */
export class EnswitchServerError extends EnswitchError {
  /** The HTTP status, when the failure was at the HTTP level. */
  readonly status?: number;
  constructor(message: string, details: EnswitchErrorDetails & { status?: number }) {
    super(message, details);
    this.status = details.status;
  }
}

/** No usable answer: connection refused or reset, HTML instead of JSON, truncated or malformed JSON. */
export class EnswitchTransportError extends EnswitchError {}

/** No answer within the timeout. */
export class EnswitchTimeoutError extends EnswitchError {}

/** A create could not be settled as ours: the number exists with other settings. Nothing is claimed. */
export class EnswitchConflictError extends EnswitchError {}

/** A `validation=1` call got an answer other than 201: the switch may have carried it out. */
export class EnswitchDryRunError extends EnswitchError {}

/** The connection settings are unusable (missing URL, plain http to a remote host). Nothing was sent. */
export class EnswitchConfigurationError extends EnswitchError {}
