import type { DistributionFile } from "../index/index.js";
import { compareVersions, isPrerelease, type Version } from "../pep440/index.js";
import { targetTags, type TargetEnvironment } from "../resolver/index.js";
import { tagRanking, wheelTagRank } from "../tags/index.js";
import { tryParseWheelFilename } from "../wheel-name/index.js";

/**
 * The newest version among files that has a wheel for the target (`pip list --outdated`):
 * yanked files and, unless `pre`, pre-releases are passed over; sdists do not count, since kiln
 * installs wheels only.
 *
 * @example
 * latestCompatible(await source.listFiles("pytest"), target)?.file.filename; // "pytest-9.2.0-py3-none-any.whl"
 */
export function latestCompatible(files: readonly DistributionFile[], target: TargetEnvironment, options: { pre?: boolean } = {}): { version: Version; file: DistributionFile } | undefined {
  const ranking = tagRanking(targetTags(target));
  let best: { version: Version; file: DistributionFile; rank: number } | undefined;
  for (const file of files) {
    if (file.yanked) continue;
    const wheel = tryParseWheelFilename(file.filename);
    const rank = wheel ? wheelTagRank(wheel.tags, ranking) : undefined;
    if (!wheel || rank === undefined || (!options.pre && isPrerelease(wheel.version))) continue;
    const order = best ? compareVersions(wheel.version, best.version) : 1;
    if (order > 0 || (order === 0 && rank < best!.rank)) best = { version: wheel.version, file, rank };
  }
  return best && { version: best.version, file: best.file };
}
