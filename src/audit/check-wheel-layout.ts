import { parseWheelFile } from "../archive/index.js";
import { isKilnError } from "../core/index.js";
import { headerValue, isInterpreterName, parseEmailHeaders, parseScriptEntryPoints } from "../metadata/index.js";
import { tryParseVersion, versionsEqual } from "../pep440/index.js";
import { normalizeName } from "../pep508/index.js";
import type { AuditFile } from "./audit-target.js";
import type { WheelName } from "./check-wheel-name.js";
import type { Finding } from "./finding.js";

/** The directories of `<name>-<version>.data/` the wheel spec defines. */
const dataKeys = new Set(["scripts", "data", "headers", "purelib", "platlib"]);
const decoder = new TextDecoder();

/**
 * Part of check 1: the wheel's layout, as an installer checks it before it installs anything (the
 * wheel spec; kiln's installer and pip refuse each of these): a Wheel-Version whose major is 1,
 * exactly one `.dist-info` directory and it of the project the file name names, a METADATA whose
 * Name and Version are the file name's, `.data/` files only in the spec's five directories, no path
 * that is both a file and a directory, and no file over the environment's own (`pyvenv.cfg`,
 * kiln's `.kiln-install`, an interpreter launcher in `bin/`), and an `entry_points.txt` whose
 * scripts the installer writes (parseScriptEntryPoints, which the installer uses) parses, with
 * no script over the interpreter. Every finding is an error with
 * effect `install`. Files in `unreadable` (see checkRecord) are not read.
 *
 * @example
 * const findings = await checkWheelLayout(target.files, wheel, record.unreadable);
 */
export async function checkWheelLayout(files: readonly AuditFile[], wheel: WheelName, unreadable: ReadonlySet<string>): Promise<Finding[]> {
  const findings: Finding[] = [];
  const refuse = (code: string, message: string, file?: string) => findings.push({ code, check: "name", severity: "error", effect: "install", message, ...(file ? { file } : {}) });
  const text = async (path: string) => {
    const file = files.find((f) => f.path === path);
    if (file === undefined || unreadable.has(path)) return file === undefined ? undefined : "";
    return file.read().then((bytes) => decoder.decode(bytes), () => "");
  };
  const distInfos = [...new Set(files.map((f) => f.path.split("/")[0]!).filter((top) => top.endsWith(".dist-info") && files.some((f) => f.path.startsWith(`${top}/`))))];
  if (distInfos.length > 1) refuse("distInfoMismatch", `The wheel has ${distInfos.length} .dist-info directories (${distInfos.join(", ")}); an installer needs exactly one`);
  const distInfo = distInfos.length === 1 ? distInfos[0]! : undefined;
  if (distInfo !== undefined && normalizeName(distInfo.slice(0, -".dist-info".length).split("-")[0]!) !== wheel.name) {
    refuse("distInfoMismatch", `The wheel's ${distInfo} is not of the project "${wheel.name}" its file name names`, distInfo);
  } else if (distInfo !== undefined) {
    checkVersionOfWheelFile(await text(`${distInfo}/WHEEL`), `${distInfo}/WHEEL`, refuse);
    checkMetadata(await text(`${distInfo}/METADATA`), `${distInfo}/METADATA`, wheel, refuse);
    checkDataDirectory(files, `${distInfo.slice(0, -".dist-info".length)}.data/`, refuse);
    checkScripts(await text(`${distInfo}/entry_points.txt`), `${distInfo}/entry_points.txt`, wheel, refuse);
  }
  const paths = new Set(files.map((f) => f.path));
  for (const path of paths) {
    for (let slash = path.indexOf("/"); slash !== -1; slash = path.indexOf("/", slash + 1)) {
      if (paths.has(path.slice(0, slash))) refuse("fileDirectoryConflict", `"${path.slice(0, slash)}" is a file, and "${path}" needs it to be a directory`, path.slice(0, slash));
    }
  }
  return findings;
}

type Refuse = (code: string, message: string, file?: string) => void;

function checkVersionOfWheelFile(text: string | undefined, path: string, refuse: Refuse): void {
  if (!text) return; // missing or unreadable: wheelFileMissing and wheelFileUnreadable say so
  let major: number;
  try {
    [major] = parseWheelFile(text).wheelVersion;
  } catch {
    return;
  }
  if (major !== 1) refuse("unsupportedWheelVersion", `The wheel's Wheel-Version is ${major}.x; installers take only 1.x`, path);
}

function checkMetadata(text: string | undefined, path: string, wheel: WheelName, refuse: Refuse): void {
  if (text === undefined) return refuse("metadataMismatch", `The wheel has no ${path}`, path);
  if (text === "") return; // unreadable: check 2 reports the entry
  const headers = parseEmailHeaders(text);
  const name = headerValue(headers, "Name")?.trim();
  const version = headerValue(headers, "Version")?.trim();
  if (!name || !version) return refuse("metadataMismatch", `${path} has no Name or no Version`, path);
  const parsed = tryParseVersion(version);
  const named = tryParseVersion(wheel.version);
  if (normalizeName(name) !== wheel.name || parsed === undefined || named === undefined || !versionsEqual(parsed, named)) {
    refuse("metadataMismatch", `${path} describes ${name} ${version}, not the file name's ${wheel.name} ${wheel.version}`, path);
  }
}

function checkDataDirectory(files: readonly AuditFile[], data: string, refuse: Refuse): void {
  for (const { path } of files) {
    if (!path.startsWith(data)) continue;
    const [key, ...rest] = path.slice(data.length).split("/");
    if (!dataKeys.has(key!) || rest.length === 0) {
      refuse("unknownDataDirectory", `"${path}" is not in one of ${data}{${[...dataKeys].join(",")}}`, path);
    } else if ((key === "data" && (rest.join("/") === "pyvenv.cfg" || rest[0] === ".kiln-install")) || (key === "scripts" && rest.length === 1 && isInterpreterName(rest[0]!))) {
      refuse("environmentFile", `"${path}" would replace the environment's own ${key === "scripts" ? "interpreter" : rest[0]}`, path);
    }
  }
}

/** The installer's own check of the scripts it would write, and no script over the interpreter. */
function checkScripts(text: string | undefined, path: string, wheel: WheelName, refuse: Refuse): void {
  if (!text) return; // none, or unreadable: check 2 reports the entry
  try {
    for (const { group, name } of parseScriptEntryPoints(text, wheel.filename)) {
      if (isInterpreterName(name)) refuse("environmentFile", `The [${group}] script "${name}" would replace the environment's interpreter`, path);
    }
  } catch (error) {
    if (!isKilnError(error, "invalidEntryPoints")) throw error;
    refuse("invalidEntryPoints", error.message, path);
  }
}
