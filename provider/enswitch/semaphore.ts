/** A counting semaphore: bounds how many requests one client has in flight. */
export class Semaphore {
  private available: number;
  private readonly waiting: (() => void)[] = [];

  /** @param permits how many holders may run at once (at least 1). */
  constructor(permits: number) {
    this.available = Math.max(1, Math.floor(permits));
  }

  /** Runs `task` once a permit is free, and frees it when the task settles. */
  async run<T>(task: () => Promise<T>): Promise<T> {
    if (this.available > 0) this.available--;
    else await new Promise<void>((resolve) => this.waiting.push(resolve));
    try {
      return await task();
    } finally {
      const next = this.waiting.shift();
      // The permit passes straight to the next waiter, so a newcomer cannot overtake the queue.
      if (next) next();
      else this.available++;
    }
  }

  /** Holders waiting for a permit (for tests and diagnostics). */
  get queued(): number {
    return this.waiting.length;
  }
}
