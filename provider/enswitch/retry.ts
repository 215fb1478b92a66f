/**
 * When a failed attempt may be repeated, and how long to wait first.
 *
 * Every failure is classified by what it tells us about the switch's side:
 * - `unprocessed`: the request certainly did nothing (connection refused, HTTP 429). Any call may be
 *   repeated.
 * - `maybe-processed`: the request may have been carried out but its answer was lost (timeout,
 *   connection reset after sending, HTTP 5xx from the switch or a proxy). Only calls that are safe to
 *   repeat are retried; a create first looks whether it happened (see `EnswitchClient.createMailbox`).
 * - `final`: the switch answered and repeating would get the same answer (every envelope code,
 *   envelope 500 included: it is a function-specific failure, not an overload signal; HTML or
 *   malformed JSON with HTTP 200; certificate and DNS errors).
 */
import { EnswitchError } from "./errors";

/** What a failure says about whether the switch acted on the request. */
export type FailureKind = "unprocessed" | "maybe-processed" | "final";

/** The classification attached to an error, plus the server's `Retry-After` when it sent one. */
export interface FailureInfo {
  kind: FailureKind;
  retryAfterMs?: number;
}

/** `Retry-After` is honoured up to this many milliseconds, so a hostile header cannot stall a deployment. */
export const RETRY_AFTER_CAP_MS = 60_000;

// Kept beside the errors rather than on them: the error classes are a public surface and this is an
// internal decision of the retry loop.
const failures = new WeakMap<EnswitchError, FailureInfo>();

/** Records how `error` should be treated by the retry loop, and returns it. */
export function markFailure<E extends EnswitchError>(error: E, kind: FailureKind, retryAfterMs?: number): E {
  failures.set(error, retryAfterMs === undefined ? { kind } : { kind, retryAfterMs });
  return error;
}

/** The classification of an error; anything unmarked is `final`. */
export function failureOf(error: unknown): FailureInfo {
  return (error instanceof EnswitchError && failures.get(error)) || { kind: "final" };
}

/** Whether a failure of this kind may be retried for a call that is (or is not) safe to repeat. */
export function isRetryable(kind: FailureKind, safeToRetry: boolean): boolean {
  return kind === "unprocessed" || (kind === "maybe-processed" && safeToRetry);
}

/**
 * Functions that change nothing on the switch, so repeating them is always safe.
 * Writes called with `validation=1` are safe too; the caller says so.
 */
export function isReadOnlyFunction(fn: string): boolean {
  return fn === "user/login" || /\/(get|list)$/.test(fn);
}

/**
 * Parses `Retry-After` (delay in seconds, or an HTTP date) into milliseconds from `nowMs`, capped at
 * {@link RETRY_AFTER_CAP_MS}. Returns `undefined` when absent or unreadable.
 */
export function parseRetryAfter(value: string | undefined, nowMs: number): number | undefined {
  const text = value?.trim() ?? "";
  const ms = /^\d+(\.\d+)?$/.test(text) ? Number(text) * 1000 : Date.parse(text) - nowMs;
  if (Number.isNaN(ms)) return undefined; // absent, empty or unreadable
  return Math.min(Math.max(0, Math.ceil(ms)), RETRY_AFTER_CAP_MS);
}

/**
 * The wait before retry number `retry` (from 0): full-jitter exponential backoff, a uniformly random
 * delay in `[0, min(maxMs, baseMs * 2^retry))`, but never less than what the server asked for with
 * `Retry-After` (capped at {@link RETRY_AFTER_CAP_MS}).
 *
 * @example
 * ```ts
 * retryDelay(3, { baseMs: 100, maxMs: 10_000 }, () => 0.5); // 400
 * ```
 */
export function retryDelay(
  retry: number,
  backoff: { baseMs: number; maxMs: number },
  random: () => number,
  retryAfterMs = 0,
): number {
  const ceiling = Math.min(backoff.maxMs, backoff.baseMs * 2 ** Math.min(retry, 30));
  const jitter = Math.floor(Math.min(Math.max(random(), 0), 1) * ceiling);
  return Math.max(jitter, Math.min(retryAfterMs, RETRY_AFTER_CAP_MS));
}
