import { bytesSource, openZip } from "../archive/index.js";
import { parseCoreMetadata } from "../metadata/index.js";
import { parseWheelFilename } from "../wheel-name/index.js";

/**
 * The extras a built wheel provides (`Provides-Extra` in its `METADATA`), for projects whose
 * optional dependencies are not static in `pyproject.toml` (`dynamic`, or a `setup.py`).
 *
 * @example
 * await wheelExtras(bytes, "six-1.17.0-py2.py3-none-any.whl"); // []
 */
export async function wheelExtras(bytes: Uint8Array, filename: string): Promise<string[]> {
  const archive = await openZip(bytesSource(bytes));
  const name = parseWheelFilename(filename);
  const suffix = ".dist-info/METADATA";
  const expected = `${name.name.replaceAll("-", "_")}-`;
  const entry =
    archive.entries.find((e) => e.name.endsWith(suffix) && e.name.split("/").length === 2 && e.name.toLowerCase().startsWith(expected.toLowerCase())) ??
    archive.entries.find((e) => e.name.endsWith(suffix) && e.name.split("/").length === 2);
  if (!entry) return [];
  return parseCoreMetadata(await archive.readEntry(entry)).providesExtra;
}
