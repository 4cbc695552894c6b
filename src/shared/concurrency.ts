/**
 * Calls `work` for every item, at most `limit` calls in flight, items taken in list order; resolves when all are
 * done, rejects with the first failure (calls already started still run to their end).
 */
export async function forEachConcurrently<T>(items: readonly T[], limit: number, work: (item: T) => Promise<void>): Promise<void> {
  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < items.length) await work(items[next++]);
  };
  await Promise.all(Array.from({ length: Math.min(Math.max(1, limit), items.length) }, worker));
}
