import { bytesSource, openZip, parseWheelFile } from "../archive/index.js";
import { KilnError } from "../core/index.js";
import { parseWheelFilename } from "../wheel-name/index.js";

// Compiled code a pure wheel must not hold: extension modules and shared libraries (versioned
// `.so.1` too). `.wasm` files are left alone: pure packages ship them as data for wasm runtimes.
const compiledFile = /\.(so|pyd|dylib|dll)(\.\d+)*$/i;

/**
 * Why a built wheel is not pure Python, read from the wheel itself (the authority, whatever the
 * source tree suggested): compiled files inside, `Root-Is-Purelib: false` in WHEEL, or a tag
 * other than `*-none-any` in its filename or WHEEL. An empty list means the wheel is pure.
 *
 * @example
 * const reasons = await impureWheelReasons(bytes, "pkg-1.0-py3-none-any.whl");
 * if (reasons.length) throw nativeBuildError("pkg", reasons);
 */
export async function impureWheelReasons(wheel: Uint8Array, filename: string): Promise<string[]> {
  const reasons: string[] = [];
  const name = parseWheelFilename(filename);
  const filenameTags = name.tags.map((tag) => `${tag.interpreter}-${tag.abi}-${tag.platform}`);
  for (const tag of filenameTags) if (!tag.endsWith("-none-any")) reasons.push(`its filename has the tag ${tag}, not *-none-any`);
  const archive = await openZip(bytesSource(wheel));
  const compiled = archive.entries.filter((entry) => !entry.isDirectory && compiledFile.test(entry.name)).map((entry) => entry.name);
  if (compiled.length) reasons.push(`it contains compiled files: ${compiled.slice(0, 5).join(", ")}${compiled.length > 5 ? ", …" : ""}`);
  const wheelFile = archive.entries.find((entry) => /^[^/]+\.dist-info\/WHEEL$/.test(entry.name));
  if (!wheelFile) {
    throw new KilnError("invalidWheel", `Cannot check the built wheel "${filename}": it has no .dist-info/WHEEL file`, {
      hint: "The build backend wrote a broken wheel; report it to the project",
    });
  }
  const parsed = parseWheelFile(new TextDecoder().decode(await archive.readEntry(wheelFile)));
  if (!parsed.rootIsPurelib) reasons.push("its WHEEL file says Root-Is-Purelib: false");
  for (const tag of parsed.tags) if (!tag.endsWith("-none-any") && !filenameTags.includes(tag)) reasons.push(`its WHEEL file has the tag ${tag}, not *-none-any`);
  return reasons;
}
