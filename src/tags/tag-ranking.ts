import { formatTag, type Tag } from "./tag.js";

/** Tag text → position in a best-first compatible tag list; build once with {@link tagRanking}. */
export type TagRanking = ReadonlyMap<string, number>;

/**
 * Indexes a best-first list of compatible tags (from {@link compatibleTags}) for ranking wheels.
 *
 * @example
 * const ranking = tagRanking(compatibleTagsForAbi(abiForVersion("2026_0")!));
 */
export function tagRanking(compatible: readonly Tag[]): TagRanking {
  const ranking = new Map<string, number>();
  compatible.forEach((tag, index) => {
    const key = formatTag(tag);
    if (!ranking.has(key)) ranking.set(key, index);
  });
  return ranking;
}

/**
 * The best (lowest) rank among a wheel's tags, or undefined when none is compatible. Lower is
 * better: 0 means the wheel matches the interpreter's most specific tag.
 *
 * @example
 * wheelTagRank(parseTag("py3-none-any"), ranking); // a number near the end of the list
 * wheelTagRank(parseTag("cp314-cp314-win_amd64"), ranking); // undefined
 */
export function wheelTagRank(tags: readonly Tag[], ranking: TagRanking): number | undefined {
  let best: number | undefined;
  for (const tag of tags) {
    const rank = ranking.get(formatTag(tag));
    if (rank !== undefined && (best === undefined || rank < best)) best = rank;
  }
  return best;
}
