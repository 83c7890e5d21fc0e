import { strict as assert } from "node:assert";
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, test } from "node:test";
import { isKilnError, silentReporter } from "../../core/index.js";
import type { RuntimeSpec, VirtualEnvironment } from "../../runtime/index.js";
import { Output } from "../output.js";
import { parseArguments } from "../parse-arguments.js";
import { testCommand } from "./test.js";
import { createTestWorkflows } from "./test-workflows.js";

const root = mkdtempSync(join(tmpdir(), "kiln-test-workflows-"));
after(() => rmSync(root, { recursive: true, force: true }));

/** A test environment of a runtime with this Python and these platform tags (what resolve reads). */
function environmentFor(python: string, platformTags: string[], runtime?: RuntimeSpec) {
  const venv = { prefix: join(root, python), config: { version: python, implementation: "CPython" }, platformTags, ...(runtime ? { runtime } : {}) } as unknown as VirtualEnvironment;
  return { venv } as Parameters<Awaited<ReturnType<typeof createTestWorkflows>>["resolve"]>[0]["environment"];
}

// The embedded Pyodide repository (pyemscripten_2026_0) has libgeos as a shared library: a zip
// with no wheel tags, which only the repository's ABI check keeps out of another runtime's
// environment. --no-index leaves the repository as the only source (no network).
test("kiln test resolves each runtime of its matrix with the Pyodide repository of that runtime's ABI only", async () => {
  const sink = { write: () => undefined };
  const env = { KILN_CACHE_DIR: join(root, "cache"), PIP_CONFIG_FILE: "/dev/null" };
  const context = { arguments: parseArguments(testCommand, ["--no-index"]), output: new Output({ stdout: sink, stderr: sink, env }), env, cwd: root };
  const { resolve } = await createTestWorkflows(context, { reporter: silentReporter, verbose: false });
  const same = await resolve({ environment: environmentFor("3.14.2", ["pyemscripten_2026_0_wasm32", "pyodide_2026_0_wasm32", "emscripten_5_0_3_wasm32", "any"]), requirements: ["libgeos"] });
  assert.deepEqual(same.packages.map((p) => p.name), ["libgeos"]);
  const other = environmentFor("3.13.2", ["pyemscripten_2025_0_wasm32", "pyodide_2025_0_wasm32", "emscripten_4_0_9_wasm32", "any"]);
  await assert.rejects(resolve({ environment: other, requirements: ["libgeos"] }), (error) => isKilnError(error, "noSolution") && /pyemscripten_2025_0_wasm32/.test(error.message));
});

// A pyodide@0.29.5 runtime in kiln's cache, as making an environment of it leaves it (its package
// files trimmed to what the repository needs: the version, and a lock with libgeos as 0.29.5 has it).
function cachedRuntime(cacheDir: string): void {
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

test("kiln test --runtime pyodide@X resolves X's environment with X's own Pyodide repository", async () => {
  const sink = { write: () => undefined };
  const env = { KILN_CACHE_DIR: join(root, "cache-with-runtime"), PIP_CONFIG_FILE: "/dev/null" };
  cachedRuntime(env.KILN_CACHE_DIR);
  const context = { arguments: parseArguments(testCommand, ["--no-index"]), output: new Output({ stdout: sink, stderr: sink, env }), env, cwd: root };
  const { resolve } = await createTestWorkflows(context, { reporter: silentReporter, verbose: false });
  const tags = ["pyemscripten_2025_0_wasm32", "pyodide_2025_0_wasm32", "emscripten_4_0_9_wasm32", "any"];
  const resolved = await resolve({ environment: environmentFor("3.13.2", tags, { kind: "npm", version: "0.29.5" }), requirements: ["libgeos"] });
  assert.deepEqual(resolved.packages.map((p) => [p.name, p.version]), [["libgeos", "3.12.1"]]);
  assert.match(resolved.packages[0]!.identity, /cdn\.jsdelivr\.net\/pyodide\/v0\.29\.5\/full\/libgeos-3\.12\.1\.zip/);
  // The embedded runtime's repository (another ABI) still offers that environment nothing.
  await assert.rejects(resolve({ environment: environmentFor("3.13.2", tags), requirements: ["libgeos"] }), (error) => isKilnError(error, "noSolution"));
});
