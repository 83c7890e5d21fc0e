/** Runs work with at most a fixed number of tasks in flight; see {@link limitConcurrency}. */
export type ConcurrencyLimit = (<T>(work: () => Promise<T>) => Promise<T>) & {
  /** The bound, when known: {@link mapWithLimit} starts no more workers than this. */
  readonly maximum?: number;
};

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
  const limit = async <T>(work: () => Promise<T>): Promise<T> => {
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
  return Object.assign(limit, { maximum });
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
  let next = 0;
  // A few workers take the items in turn, rather than one queued task per item: an install maps
  // thousands of files, and thousands of waiting promises cost more than the files' operations.
  const worker = async () => {
    while (next < items.length && !failure) {
      const index = next++;
      try {
        results[index] = await limit(() => work(items[index]!, index));
      } catch (error) {
        failure ??= { error };
      }
    }
  };
  await Promise.all(Array.from({ length: Math.min(items.length, limit.maximum ?? 16) }, worker));
  if (failure) throw failure.error;
  return results;
}
