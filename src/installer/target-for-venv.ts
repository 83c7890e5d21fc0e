import { KilnError } from "../core/index.js";
import type { TargetEnvironment } from "../resolver/index.js";
import type { VirtualEnvironment } from "../runtime/index.js";

/**
 * The resolution target of a kiln virtual environment, from what `kiln venv` recorded in
 * `pyvenv.cfg` when it asked the runtime itself (`describeRuntime`): the full Python version, the
 * platform tags best first, and from those the PEP 508 marker values. Nothing comes from a table,
 * so an environment made with another runtime resolves for that runtime.
 *
 * @example
 * const target = targetForVenv(await openVirtualEnvironment("/work/.venv-wasm", fs));
 * target.platformTags[0]; // "pyemscripten_2026_0_wasm32"
 */
export function targetForVenv(venv: Pick<VirtualEnvironment, "prefix" | "config" | "platformTags">): TargetEnvironment {
  const full = venv.config.version ?? "";
  const version = /^(\d+)\.(\d+)\.\d+/.exec(full);
  const emscripten = venv.platformTags.map((tag) => /^emscripten_(\d+)_(\d+)_(\d+)_(\w+)$/.exec(tag)).find(Boolean);
  if (!version || !emscripten) {
    throw new KilnError("venvInvalid", `Cannot tell which platform "${venv.prefix}" is for: its pyvenv.cfg records no full Python version or no emscripten platform tag`, {
      hint: `Recreate it with "kiln venv --clear ${venv.prefix}"`,
    });
  }
  const [, major, minor] = version;
  const [, emMajor, emMinor, emPatch, machine] = emscripten;
  return {
    pythonVersion: full,
    platformTags: venv.platformTags,
    markerEnvironment: {
      implementation_name: (venv.config.implementation ?? "CPython").toLowerCase(),
      implementation_version: full,
      os_name: "posix",
      platform_machine: machine!,
      platform_python_implementation: venv.config.implementation ?? "CPython",
      platform_release: `${emMajor}.${emMinor}.${emPatch}`,
      platform_system: "Emscripten",
      // Emscripten's uname() reports this fixed string for every release.
      platform_version: "#1",
      python_full_version: full,
      python_version: `${major}.${minor}`,
      sys_platform: "emscripten",
    },
  };
}
