import { strict as assert } from "node:assert";
import { readdirSync, readFileSync, statSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { test } from "node:test";
import { baseEnv, kiln, makeTree } from "./support.js";

// V8's compiled code of the runtime's wasm, kept in the cache after the first run (with the start
// profile), so that later starts deserialize it instead of compiling.

const fromCache = /The runtime's wasm: V8's compiled code from the cache/;
const nodeMajor = Number(process.versions.node.split(".")[0]);

test("the first run keeps the runtime's compiled code; later runs start from it, and a damaged copy is refused and written again", { skip: nodeMajor !== 20 && "V8 11 (Node 20) only" }, () => {
  const cacheDir = join(makeTree(), "cache");
  const env = baseEnv({ KILN_CACHE_DIR: cacheDir });
  const first = kiln(["run", "-c", "print(6 * 7)"], { env });
  assert.deepEqual([first.status, first.stdout], [0, "42\n"], first.stderr);
  const directory = join(cacheDir, "wasm-code");
  const files = readdirSync(directory);
  assert.equal(files.length, 1, files.join(", "));
  const path = join(directory, files[0]!);
  assert.ok(statSync(path).size > 100_000, "optimized code of the functions a start runs");

  const debug = { ...env, KILN_DEBUG: "1" };
  const later = kiln(["run", "-c", "import json, sys; print(json.dumps([sys.argv, 1]))", "x"], { env: debug });
  assert.deepEqual([later.status, later.stdout], [0, '[["-c", "x"], 1]\n'], later.stderr);
  assert.match(later.stderr, fromCache);
  const failing = kiln(["run", "-c", "import sys; sys.stderr.write('no\\n'); raise SystemExit(3)"], { env: debug });
  assert.deepEqual([failing.status, failing.stderr.split("\n").filter((line) => !line.startsWith("kiln debug"))], [3, ["no", ""]]);
  assert.match(failing.stderr, fromCache);
  const off = kiln(["run", "-c", "print('off')"], { env: { ...debug, KILN_WASM_CODE_CACHE: "off" } });
  assert.deepEqual([off.status, off.stdout], [0, "off\n"], off.stderr);
  assert.doesNotMatch(off.stderr, fromCache);

  const bytes = readFileSync(path);
  bytes[bytes.length - 1000]! ^= 0xff;
  writeFileSync(path, bytes);
  const damaged = kiln(["run", "-c", "print('damaged')"], { env: debug });
  assert.deepEqual([damaged.status, damaged.stdout], [0, "damaged\n"], damaged.stderr);
  assert.doesNotMatch(damaged.stderr, fromCache);
  assert.notDeepEqual(readFileSync(path), bytes, "written again after the run");
  const again = kiln(["run", "-c", "print('again')"], { env: debug });
  assert.deepEqual([again.status, again.stdout], [0, "again\n"], again.stderr);
  assert.match(again.stderr, fromCache);
});
