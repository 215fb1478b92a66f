/**
 * A bounded-concurrency loop: what the engine's `--parallel` does to the resources of a deployment.
 * At most `limit` items are in flight; each worker takes the next item as soon as its previous one
 * settles, so a slow item never holds back the others.
 */

/**
 * Runs `task` on every item with at most `limit` in flight, in item order, and resolves when all
 * have settled. Rejections are collected, not thrown, so one failure never leaves work running.
 *
 * @example
 * ```ts
 * const errors = await forEachLimited(mailboxes, 10, (m) => deploy(m));
 * if (errors.length > 0) throw errors[0];
 * ```
 */
export async function forEachLimited<T>(
  items: readonly T[],
  limit: number,
  task: (item: T, index: number) => Promise<void>,
): Promise<unknown[]> {
  const errors: unknown[] = [];
  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < items.length) {
      const index = next++;
      try {
        await task(items[index] as T, index);
      } catch (error) {
        errors.push(error);
      }
    }
  };
  const workers = Array.from({ length: Math.max(1, Math.min(limit, items.length)) }, worker);
  await Promise.all(workers);
  return errors;
}
