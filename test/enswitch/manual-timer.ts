/**
 * Per-attempt timeouts that the test fires itself: an attempt times out exactly when the switch has
 * received it and decided never to answer, never because a loaded machine was slow to answer the
 * attempt that follows.
 */
import type { AttemptTimer } from "../../provider/enswitch/settings";

/** A hand-operated {@link AttemptTimer}. */
export interface ManualTimer {
  /** Pass as the client's `attemptTimer`. */
  attemptTimer: AttemptTimer;
  /**
   * Times out every attempt now waiting for an answer. Throws when none is, so a test whose hang
   * and attempt do not line up fails at once instead of hanging.
   */
  expire(): void;
}

/**
 * Creates a {@link ManualTimer}; no attempt ever times out unless `expire()` is called.
 *
 * @example
 * ```ts
 * const timer = manualTimer();
 * fake.script(() => (timer.expire(), { hang: true }), found);
 * await client({ attemptTimer: timer.attemptTimer }).getMailbox("1234");
 * ```
 */
export function manualTimer(): ManualTimer {
  const pending = new Set<() => void>();
  return {
    attemptTimer: (_ms, onTimeout) => {
      pending.add(onTimeout);
      return () => pending.delete(onTimeout);
    },
    expire() {
      if (pending.size === 0) throw new Error("manualTimer.expire(): no attempt is waiting");
      const due = [...pending];
      pending.clear();
      for (const onTimeout of due) onTimeout();
    },
  };
}
