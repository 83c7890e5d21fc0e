import type { LockedPackage, LockedSet, LockedWheel } from "./locked-set.js";
import { tomlDateTime, tomlInlineTable, tomlKey, tomlString } from "./toml-text.js";

/** The PEP 751 format version kiln writes. */
export const pylockVersion = "1.0";

/**
 * Writes a PEP 751 `pylock.toml` (https://peps.python.org/pep-0751/): one `[[packages]]` table
 * per package with its wheels (or, for a package built from source, its `sdist`) as inline tables
 * (name, upload-time, url, size, hashes), in the
 * order given, so the same resolution always gives the same bytes.
 *
 * @example
 * const text = formatPylock({ createdBy: "kiln", packages: [idna] });
 */
export function formatPylock(lock: LockedSet): string {
  const lines = [`lock-version = ${tomlString(pylockVersion)}`];
  if (lock.environments?.length) lines.push(`environments = [${lock.environments.map(tomlString).join(", ")}]`);
  if (lock.requiresPython) lines.push(`requires-python = ${tomlString(lock.requiresPython)}`);
  lines.push(`created-by = ${tomlString(lock.createdBy)}`);
  for (const lockedPackage of lock.packages) lines.push("", ...packageLines(lockedPackage));
  return `${lines.join("\n")}\n`;
}

function packageLines(lockedPackage: LockedPackage): string[] {
  const lines = ["[[packages]]", `name = ${tomlString(lockedPackage.name)}`, `version = ${tomlString(lockedPackage.version)}`];
  if (lockedPackage.requiresPython) lines.push(`requires-python = ${tomlString(lockedPackage.requiresPython)}`);
  if (lockedPackage.dependencies.length > 0) {
    const dependencies = lockedPackage.dependencies.map((name) => tomlInlineTable([["name", tomlString(name)]]));
    lines.push(`dependencies = [${dependencies.join(", ")}]`);
  }
  if (lockedPackage.index) lines.push(`index = ${tomlString(lockedPackage.index)}`);
  const archive = lockedPackage.pyodide && lockedPackage.pyodide.packageType !== "package" ? lockedPackage.wheels[0] : undefined;
  // A shared library of the Pyodide repository is a zip, not a wheel: PEP 751's `archive`, with
  // what it is in the package's tool table, so `kiln pip sync` knows to install it as a library.
  if (archive) {
    lines.push(`archive = ${fileTable(archive, false)}`);
    const pyodide = lockedPackage.pyodide!;
    lines.push(`tool.kiln = ${tomlInlineTable([["pyodide-package-type", tomlString(pyodide.packageType)], ["pyodide-install-dir", tomlString(pyodide.installDir)]])}`);
  }
  else {
    // PEP 751: a package lists its sdist as a [packages.sdist] table (kept inline here), its wheels as an array.
    if (lockedPackage.sdist) lines.push(`sdist = ${wheelTable(lockedPackage.sdist)}`);
    if (lockedPackage.wheels.length || !lockedPackage.sdist) lines.push(`wheels = [`, ...lockedPackage.wheels.map((wheel) => `  ${wheelTable(wheel)},`), `]`);
  }
  return lines;
}

function wheelTable(wheel: LockedWheel): string {
  return fileTable(wheel, true);
}

function fileTable(wheel: LockedWheel, named: boolean): string {
  const hashes = Object.keys(wheel.hashes)
    .sort()
    .map((algorithm): [string, string] => [algorithm, tomlString(wheel.hashes[algorithm]!)]);
  return tomlInlineTable([
    ["name", named ? tomlString(wheel.filename) : undefined],
    ["upload-time", wheel.uploadTime === undefined ? undefined : tomlDateTime(wheel.uploadTime)],
    ["url", tomlString(wheel.url)],
    ["size", wheel.size === undefined ? undefined : String(wheel.size)],
    ["hashes", `{ ${hashes.map(([k, v]) => `${tomlKey(k)} = ${v}`).join(", ")} }`],
  ]);
}
