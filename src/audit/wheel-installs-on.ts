import { tryParseSpecifierSet } from "../pep440/index.js";
import type { RuntimeDescription } from "../runtime/index.js";
import { compatibleTags, formatTag, tagRanking, wheelTagRank } from "../tags/index.js";
import { tryParseWheelFilename } from "../wheel-name/index.js";

/** Whether an installer would take a wheel for a runtime, and if not, why. */
export interface InstallDecision {
  ok: boolean;
  reasons: string[];
}

/**
 * Decides, as an installer does before unpacking, whether a wheel is for a runtime: some tag of
 * its file name must be among the tags the runtime accepts (built from the platform tags and
 * Python version the runtime reports about itself, `describeRuntime`), and its `Requires-Python`
 * must admit the runtime's Python. Dependencies are not considered (`--no-deps`).
 *
 * @example
 * wheelInstallsOn({ filename: "x-1.0-cp313-cp313-pyemscripten_2025_0_wasm32.whl", description }).ok; // false on 314.0.7
 */
export function wheelInstallsOn(options: { filename: string; requiresPython?: string; description: RuntimeDescription }): InstallDecision {
  const { filename, description } = options;
  const reasons: string[] = [];
  const wheel = tryParseWheelFilename(filename);
  const [major = 3, minor = 0] = description.pythonVersion.split(".").map(Number);
  const platforms = description.platformTags.filter((tag) => tag !== "any");
  if (!wheel) reasons.push(`"${filename}" is not a valid wheel file name`);
  else if (wheelTagRank(wheel.tags, tagRanking(compatibleTags({ python: [major, minor], platforms }))) === undefined) {
    reasons.push(`no tag of ${wheel.tags.map(formatTag).join(", ")} is supported by Pyodide ${description.pyodideVersion} (Python ${major}.${minor}, ${platforms.join(", ")})`);
  }
  if (options.requiresPython !== undefined && options.requiresPython.trim() !== "") {
    const specifiers = tryParseSpecifierSet(options.requiresPython);
    if (!specifiers) reasons.push(`Requires-Python "${options.requiresPython}" is not a valid specifier set`);
    else if (!specifiers.contains(description.pythonVersion, { prereleases: true })) {
      reasons.push(`Requires-Python "${options.requiresPython}" excludes Python ${description.pythonVersion}`);
    }
  }
  return { ok: reasons.length === 0, reasons };
}
