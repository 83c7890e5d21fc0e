/** Runs work with at most a fixed number of tasks in flight; see {@link limitConcurrency}. */
export type ConcurrencyLimit = <T>(work: () => Promise<T>) => Promise<T>;

/**
 * A limiter shared by every file operation of an install, so many small writes overlap (the
 * platform's I/O threads stay busy) without opening thousands of files at once.
 *
 * @example
 * const limit = limitConcurrency(16);
 * await Promise.all(files.map((file) => limit(() => fs.writeFile(file.path, file.data))));
 */
export function limitConcurrency(maximum: number): ConcurrencyLimit {
  if (!Number.isInteger(maximum) || maximum < 1) throw new RangeError(`Concurrency must be a positive integer, not ${maximum}`);
  let running = 0;
  const waiting: (() => void)[] = [];
  return async <T>(work: () => Promise<T>): Promise<T> => {
    // A finishing task hands its slot straight to the next waiter, so the count never overshoots.
    if (running >= maximum) await new Promise<void>((resolve) => waiting.push(resolve));
    else running++;
    try {
      return await work();
    } finally {
      const next = waiting.shift();
      if (next) next();
      else running--;
    }
  };
}

/**
 * Maps `items` through `work` under `limit`, keeping their order. After a failure no new item
 * starts, and the first error is rethrown only once every started task has settled, so no write
 * is still running when the caller cleans up.
 *
 * @example
 * const sizes = await mapWithLimit(paths, limitConcurrency(8), (path) => fs.stat(path));
 */
export async function mapWithLimit<T, R>(items: readonly T[], limit: ConcurrencyLimit, work: (item: T, index: number) => Promise<R>): Promise<R[]> {
  let failure: { error: unknown } | undefined;
  const results = new Array<R>(items.length);
  await Promise.all(
    items.map((item, index) =>
      limit(async () => {
        if (failure) return;
        try {
          results[index] = await work(item, index);
        } catch (error) {
          failure ??= { error };
        }
      }),
    ),
  );
  if (failure) throw failure.error;
  return results;
}
