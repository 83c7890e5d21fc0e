import { strict as assert } from "node:assert";
import { existsSync, readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { test } from "node:test";
import { baseEnv, kiln, makeTree } from "./support.js";

// The start profile: after the first run in a cache, kiln records which wasm functions a warm
// start compiles (a second start in a child process), and later starts compile them ahead.

test("the first run records a start profile; later runs compile ahead and behave the same", () => {
  const cacheDir = join(makeTree(), "cache");
  const env = baseEnv({ KILN_CACHE_DIR: cacheDir });
  const first = kiln(["run", "-c", "print(6 * 7)"], { env });
  assert.deepEqual([first.status, first.stdout], [0, "42\n"], first.stderr);
  const files = readdirSync(join(cacheDir, "start-profiles"));
  assert.equal(files.length, 1, files.join(", "));
  assert.match(files[0]!, /^profile-[0-9a-f]+$/);
  const profile = JSON.parse(readFileSync(join(cacheDir, "start-profiles", files[0]!), "utf8")) as { baseline: number[]; optimized: number[] };
  assert.ok(profile.baseline.length > 100, `a warm start compiles many functions (${profile.baseline.length})`);

  const later = kiln(["run", "-c", "import json, sys; print(json.dumps([sys.argv, 1]))", "x"], { env: { ...env, KILN_DEBUG: "1" } });
  assert.deepEqual([later.status, later.stdout], [0, '[["-c", "x"], 1]\n'], later.stderr);
  assert.match(later.stderr, /from memory snapshot/);
  const failing = kiln(["run", "-c", "raise SystemExit(3)"], { env });
  assert.equal(failing.status, 3);
  assert.deepEqual(readdirSync(join(cacheDir, "start-profiles")), files, "recorded once");
});

test("KILN_START_PROFILE=off records none and uses none", () => {
  const cacheDir = join(makeTree(), "cache");
  const env = baseEnv({ KILN_CACHE_DIR: cacheDir, KILN_START_PROFILE: "off" });
  const run = kiln(["run", "-c", "print('ok')"], { env });
  assert.deepEqual([run.status, run.stdout], [0, "ok\n"], run.stderr);
  assert.equal(existsSync(join(cacheDir, "start-profiles")), false);
});
