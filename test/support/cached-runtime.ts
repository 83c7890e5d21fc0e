import { mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";

/**
 * Puts a `pyodide@0.29.5` runtime in a kiln cache as making an environment of it leaves one
 * (`runtimes/pyodide-0.29.5/`, complete), its files trimmed to what its Pyodide repository needs:
 * the version, and a `pyodide-lock.json` of ABI 2025_0 listing libgeos as 0.29.5's does.
 */
export function writeCachedRuntime(cacheDir: string): void {
  const directory = join(cacheDir, "runtimes", "pyodide-0.29.5");
  mkdirSync(directory, { recursive: true });
  writeFileSync(join(directory, "package.json"), JSON.stringify({ name: "pyodide", version: "0.29.5" }));
  writeFileSync(join(directory, ".kiln-complete"), "pyodide@0.29.5\n");
  const libgeos = {
    name: "libgeos", version: "3.12.1", file_name: "libgeos-3.12.1.zip", install_dir: "dynlib", package_type: "shared_library",
    sha256: "76625cdb6f88151a471ec927bc0db2d7be7dbd2dac4abaf76e2785ee0d4203a1", depends: [], imports: [], unvendored_tests: false,
  };
  const lock = { info: { abi_version: "2025_0", arch: "wasm32", platform: "emscripten_4_0_9", python: "3.13.2" }, packages: { libgeos } };
  writeFileSync(join(directory, "pyodide-lock.json"), JSON.stringify(lock));
}
