import { tryParseSpecifierSet, tryParseVersion } from "../pep440/index.js";
import type { DistributionFile } from "./distribution-file.js";

/**
 * The files whose `requires-python` admits `pythonVersion` (such as `3.14.2`), pre-releases
 * included, as pip and uv judge it. A file with an unparseable `requires-python` is kept, as pip
 * does, so a typo on the index does not hide a release.
 *
 * @example
 * filterRequiresPython(files, "3.14.2"); // drops files marked ">=3.15" or "<3.10"
 */
export function filterRequiresPython(files: DistributionFile[], pythonVersion: string): DistributionFile[] {
  const version = tryParseVersion(pythonVersion);
  if (!version) throw new RangeError(`Not a Python version: "${pythonVersion}"`);
  const cache = new Map<string, boolean>();
  return files.filter((file) => {
    if (!file.requiresPython) return true;
    let admitted = cache.get(file.requiresPython);
    if (admitted === undefined) {
      const specifiers = tryParseSpecifierSet(file.requiresPython);
      admitted = specifiers ? specifiers.contains(version, { prereleases: true }) : true;
      cache.set(file.requiresPython, admitted);
    }
    return admitted;
  });
}
