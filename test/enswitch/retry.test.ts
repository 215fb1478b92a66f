import { EnswitchServerError } from "../../provider/enswitch/errors";
import {
  RETRY_AFTER_CAP_MS,
  failureOf,
  isReadOnlyFunction,
  isRetryable,
  markFailure,
  parseRetryAfter,
  retryDelay,
} from "../../provider/enswitch/retry";

const backoff = { baseMs: 100, maxMs: 1000 };

describe("retryDelay: full jitter", () => {
  it("doubles the ceiling per retry up to maxMs", () => {
    const top = () => 0.999999;
    expect([0, 1, 2, 3, 4, 5].map((r) => retryDelay(r, backoff, top))).toEqual([99, 199, 399, 799, 999, 999]);
  });

  it("draws uniformly below the ceiling", () => {
    expect(retryDelay(2, backoff, () => 0)).toBe(0);
    expect(retryDelay(2, backoff, () => 0.5)).toBe(200);
  });

  it("survives huge retry numbers and random sources out of range", () => {
    expect(retryDelay(5000, backoff, () => 0.5)).toBe(500);
    expect(retryDelay(1, backoff, () => 7)).toBe(200);
    expect(retryDelay(1, backoff, () => -1)).toBe(0);
  });
});

describe("parseRetryAfter", () => {
  const now = Date.parse("2026-01-01T00:00:00Z");

  it("reads seconds", () => {
    expect(parseRetryAfter("2", now)).toBe(2000);
    expect(parseRetryAfter(" 0 ", now)).toBe(0);
  });

  it("reads an HTTP date relative to now", () => {
    expect(parseRetryAfter("Thu, 01 Jan 2026 00:00:03 GMT", now)).toBe(3000);
    expect(parseRetryAfter("Wed, 31 Dec 2025 23:00:00 GMT", now)).toBe(0);
  });

  it("caps what a server may ask for", () => {
    expect(parseRetryAfter("86400", now)).toBe(RETRY_AFTER_CAP_MS);
  });

  it("ignores absent or unreadable values", () => {
    expect(parseRetryAfter(undefined, now)).toBeUndefined();
    expect(parseRetryAfter("", now)).toBeUndefined();
    expect(parseRetryAfter("soon", now)).toBeUndefined();
  });
});

describe("retryDelay", () => {
  it("never waits less than Retry-After asks", () => {
    expect(retryDelay(0, backoff, () => 0.5, 3000)).toBe(3000);
  });

  it("keeps the jitter when it is longer than Retry-After", () => {
    expect(retryDelay(3, backoff, () => 0.5, 10)).toBe(400);
  });

  it("is the plain backoff without Retry-After", () => {
    expect(retryDelay(1, backoff, () => 0.25)).toBe(50);
  });
});

describe("which failures are retried", () => {
  it("repeats unprocessed requests always, lost answers only when safe, answers never", () => {
    expect(isRetryable("unprocessed", false)).toBe(true);
    expect(isRetryable("maybe-processed", true)).toBe(true);
    expect(isRetryable("maybe-processed", false)).toBe(false);
    expect(isRetryable("final", true)).toBe(false);
  });

  it("knows the functions that change nothing", () => {
    for (const fn of ["mailboxes/get", "mailboxes/list", "mailboxes/destinations/list", "user/login"]) {
      expect(isReadOnlyFunction(fn)).toBe(true);
    }
    for (const fn of [
      "mailboxes/create",
      "mailboxes/update",
      "mailboxes/delete",
      "mailboxes/destinations/set",
    ]) {
      expect(isReadOnlyFunction(fn)).toBe(false);
    }
  });

  it("remembers the classification of an error, and treats unknown errors as final", () => {
    const error = markFailure(
      new EnswitchServerError("x", { fn: "mailboxes/get", code: "429" }),
      "unprocessed",
      5,
    );
    expect(failureOf(error)).toEqual({ kind: "unprocessed", retryAfterMs: 5 });
    expect(failureOf(new Error("plain"))).toEqual({ kind: "final" });
  });
});
