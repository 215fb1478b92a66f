/**
 * Runs asynchronous work over a list with a bounded number in flight: the client bounds concurrency
 * per switch too, this keeps the command from queuing thousands of promises at once.
 */

/**
 * Calls `work` for every item, at most `limit` at a time, and resolves with the results in item order.
 * The first rejection rejects the whole (work already started still runs to its end).
 *
 * @example
 * ```ts
 * const rows = await mapLimit([1, 2], 4, (customer) => client.listMailboxes(customer));
 * ```
 */
export async function mapLimit<T, R>(
  items: readonly T[],
  limit: number,
  work: (item: T) => Promise<R>,
): Promise<R[]> {
  const results = new Array<R>(items.length);
  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < items.length) {
      const index = next++;
      results[index] = await work(items[index]!);
    }
  };
  await Promise.all(Array.from({ length: Math.max(1, Math.min(limit, items.length)) }, worker));
  return results;
}
