import { strict as assert } from "node:assert";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, test } from "node:test";
import { isKilnError, silentReporter } from "../../core/index.js";
import type { RuntimeSpec, VirtualEnvironment } from "../../runtime/index.js";
import { Output } from "../output.js";
import { parseArguments } from "../parse-arguments.js";
import { testCommand } from "./test.js";
import { writeCachedRuntime } from "../../../test/support/cached-runtime.js";
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

test("kiln test --runtime pyodide@X resolves X's environment with X's own Pyodide repository", async () => {
  const sink = { write: () => undefined };
  const env = { KILN_CACHE_DIR: join(root, "cache-with-runtime"), PIP_CONFIG_FILE: "/dev/null" };
  writeCachedRuntime(env.KILN_CACHE_DIR);
  const context = { arguments: parseArguments(testCommand, ["--no-index"]), output: new Output({ stdout: sink, stderr: sink, env }), env, cwd: root };
  const { resolve } = await createTestWorkflows(context, { reporter: silentReporter, verbose: false });
  const tags = ["pyemscripten_2025_0_wasm32", "pyodide_2025_0_wasm32", "emscripten_4_0_9_wasm32", "any"];
  const resolved = await resolve({ environment: environmentFor("3.13.2", tags, { kind: "npm", version: "0.29.5" }), requirements: ["libgeos"] });
  assert.deepEqual(resolved.packages.map((p) => [p.name, p.version]), [["libgeos", "3.12.1"]]);
  assert.match(resolved.packages[0]!.identity, /cdn\.jsdelivr\.net\/pyodide\/v0\.29\.5\/full\/libgeos-3\.12\.1\.zip/);
  // The embedded runtime's repository (another ABI) still offers that environment nothing.
  await assert.rejects(resolve({ environment: environmentFor("3.13.2", tags), requirements: ["libgeos"] }), (error) => isKilnError(error, "noSolution"));
});
