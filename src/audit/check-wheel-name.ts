import { isKilnError } from "../core/index.js";
import { formatVersion } from "../pep440/index.js";
import {
  abiForPlatformTag, abiForPyodideVersion, abiForVersion, compatibleTags, formatTag, platformTagsForAbi, tagRanking, wheelTagRank, type PyodideAbi, type Tag,
} from "../tags/index.js";
import { parseWheelFilename, type WheelFilename } from "../wheel-name/index.js";
import type { Finding } from "./finding.js";
import type { PythonTarget } from "./check-module-shape.js";
import type { RuntimeManifest } from "./runtime-manifest.js";

/** The parts of a wheel file name (PEP 427) as the report shows them. */
export interface WheelName {
  filename: string;
  /** PEP 503-normalized (`pydantic-core`). */
  name: string;
  /** PEP 440-normalized. */
  version: string;
  build?: string;
  tags: Tag[];
}

/**
 * Check 1: the wheel's file name is valid (PEP 427, parsed by `parseWheelFilename` as packaging
 * does), its platform is a PEP 783 `pyemscripten_<Y>_<P>_wasm32` tag of a known ABI
 * (`pyodideAbis`; a legacy `pyodide_*` or `emscripten_*` tag works in Pyodide but the public
 * index refuses it), and some tag installs on the target runtime (ranked against the runtime's
 * compatible tags, as the resolver ranks wheels).
 *
 * @example
 * const { wheel, target, findings } = checkWheelName("x-1.0-cp314-cp314-pyemscripten_2026_0_wasm32.whl", manifest);
 */
export function checkWheelName(filename: string, manifest: RuntimeManifest): { wheel?: WheelName; target: PythonTarget; findings: Finding[] } {
  const findings: Finding[] = [];
  const add = (finding: Omit<Finding, "check">) => findings.push({ check: "name", file: filename, ...finding });
  let parsed: WheelFilename;
  try {
    parsed = parseWheelFilename(filename);
  } catch (error) {
    if (!isKilnError(error)) throw error;
    add({ code: "invalidWheelName", severity: "error", effect: "install", message: error.message });
    return { target: { abi3: false }, findings };
  }
  const { tags } = parsed;
  const wheel: WheelName = {
    filename, name: parsed.name, version: formatVersion(parsed.version), tags,
    ...(parsed.buildTag ? { build: `${parsed.buildTag[0]}${parsed.buildTag[1]}` } : {}),
  };
  for (const platform of new Set(tags.map((t) => t.platform))) checkPlatform(platform, add);
  const runtimeAbi = runtimeAbiOf(manifest);
  const runtimePython = pythonOf(manifest);
  if (runtimeAbi && runtimePython) {
    const ranking = tagRanking(compatibleTags({ python: runtimePython, platforms: platformTagsForAbi(runtimeAbi) }));
    if (wheelTagRank(tags, ranking) === undefined) {
      add({
        code: "incompatibleWithRuntime", severity: "error", effect: "install",
        message: `No tag of this wheel installs on ${manifest.name} ${manifest.version} (Python ${runtimePython.join(".")}, ${runtimeAbi.platformTag})`,
        evidence: { wheelTags: tags.map(formatTag), runtimePlatforms: platformTagsForAbi(runtimeAbi) },
      });
    }
  }
  return { wheel, target: pythonTarget(tags), findings };
}

function checkPlatform(platform: string, add: (finding: Omit<Finding, "check">) => void): void {
  if (platform === "any") {
    add({ code: "purePlatform", severity: "info", message: "The wheel is tagged for any platform: it carries no WebAssembly built for a runtime" });
    return;
  }
  const abi = abiForPlatformTag(platform);
  if (/^pyemscripten_\d+_\d+_wasm32$/.test(platform)) {
    if (!abi) add({ code: "unknownAbi", severity: "warning", message: `${platform} is not an ABI kiln knows`, evidence: { platform } });
    else if (abi.status === "planned") add({ code: "plannedAbi", severity: "warning", message: `${platform} is a planned ABI with no released runtime yet`, evidence: { platform } });
    return;
  }
  if (/^(pyodide_\d+_\d+|emscripten_\d+_\d+_\d+)_wasm32$/.test(platform)) {
    const modern = abi?.platformTag;
    add({
      code: "legacyPlatformTag", severity: "warning",
      message: `${platform} is a legacy tag: Pyodide installs it, but the public index (PyPI) refuses uploads that are not pyemscripten_<Y>_<P>_wasm32${modern && modern !== platform ? `; use ${modern}` : ""}`,
      evidence: { platform, ...(modern ? { replacement: modern } : {}) },
    });
    return;
  }
  add({ code: "notWasmPlatform", severity: "error", effect: "install", message: `${platform} is not a WebAssembly platform; this is not a wasm wheel`, evidence: { platform } });
}

/** The ABI of a runtime manifest: from its lock file's ABI version, else from its version. */
export function runtimeAbiOf(manifest: RuntimeManifest): PyodideAbi | undefined {
  return (manifest.abiVersion ? abiForVersion(manifest.abiVersion) : undefined) ?? abiForPyodideVersion(manifest.version);
}

/** The runtime's CPython `[major, minor]`, from its lock file or its ABI. */
export function pythonOf(manifest: RuntimeManifest): readonly [number, number] | undefined {
  const match = manifest.python ? /^(\d+)\.(\d+)/.exec(manifest.python) : null;
  if (match) return [Number(match[1]), Number(match[2])];
  return runtimeAbiOf(manifest)?.python;
}

function pythonTarget(tags: Tag[]): PythonTarget {
  const abi3 = tags.some((t) => t.abi === "abi3");
  const cp = tags.map((t) => /^cp(\d)(\d+)$/.exec(t.interpreter)).find((m) => m !== null);
  return { abi3, ...(cp ? { python: [Number(cp[1]), Number(cp[2])] as const } : {}) };
}

/**
 * The platform tags a runtime accepts, best first (`pyemscripten_2026_0_wasm32`,
 * `pyodide_2026_0_wasm32`, `emscripten_5_0_3_wasm32`), or an empty list for an unknown runtime.
 *
 * @example
 * platformTagsForManifest(manifest); // ["pyemscripten_2026_0_wasm32", …]
 */
export function platformTagsForManifest(manifest: RuntimeManifest): string[] {
  const abi = runtimeAbiOf(manifest);
  return abi ? platformTagsForAbi(abi) : [];
}
