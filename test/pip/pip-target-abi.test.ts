// The runtime's Pyodide repository serves only environments of its own ABI: a venv made for
// another runtime must not get its shared libraries (zips with no wheel tags to reject them by).
import { strict as assert } from "node:assert";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, test } from "node:test";
import { writeCachedRuntime } from "../support/cached-runtime.js";
import { kiln, pipEnvironment, startTestIndex, type TestIndex } from "./support.js";

let index: TestIndex;
const roots: string[] = [];

before(async () => {
  index = await startTestIndex([{ name: "app", version: "1.0", requires: ["libgeos"], files: { "app/__init__.py": "" } }]);
});

after(async () => {
  await index.close();
  for (const root of roots) rmSync(root, { recursive: true, force: true });
});

test("pip install: the embedded Pyodide repository's shared library serves a venv of its ABI, not one of another", async () => {
  const same = pipEnvironment(roots);
  const planned = await same.pip("install", "--dry-run", "app", "-i", index.url);
  assert.equal(planned.code, 0, planned.stderr);
  assert.match(planned.stdout, /Would install .*libgeos-[\d.]+/);
  const other = pipEnvironment(roots, { abi: "2025_0" });
  const refused = await other.pip("install", "--dry-run", "app", "-i", index.url);
  assert.notEqual(refused.code, 0, refused.stdout);
  assert.match(refused.stderr, /Cannot install for pyemscripten_2025_0_wasm32/);
  assert.doesNotMatch(refused.stdout, /libgeos/);
});

test("pip download --runtime: the repository serves only its own ABI", async () => {
  const dest = mkdtempSync(join(tmpdir(), "kiln-download-"));
  roots.push(dest);
  const refused = await kiln(["pip", "download", "app", "--runtime", "2025_0", "-d", dest, "-i", index.url], { cwd: dest });
  assert.notEqual(refused.code, 0, refused.stdout);
  assert.match(refused.stderr, /Cannot download for pyemscripten_2025_0_wasm32/);
});

test("pip install in a venv of pyodide@X falls back to X's own Pyodide repository", async () => {
  const venv = pipEnvironment(roots, { abi: "2025_0", runtime: "pyodide@0.29.5" });
  writeCachedRuntime(join(venv.root, ".kiln-cache"));
  const planned = await venv.pip("install", "--dry-run", "app", "-i", index.url);
  assert.equal(planned.code, 0, planned.stderr);
  assert.match(planned.stdout, /Would install .*libgeos-3\.12\.1/);
});
