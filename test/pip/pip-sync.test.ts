// kiln pip sync / download / list --outdated end to end, in process, against a PEP 503 index on
// loopback and a directory laid out like a kiln venv.
import { strict as assert } from "node:assert";
import { existsSync, readdirSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { after, before, test } from "node:test";
import { kiln, pipEnvironment, startTestIndex, type TestIndex } from "./support.js";

let index: TestIndex;
const roots: string[] = [];

before(async () => {
  index = await startTestIndex([
    { name: "app", version: "1.0", requires: ["lib>=2"], files: { "app/__init__.py": "" } },
    { name: "lib", version: "2.0", files: { "lib/__init__.py": "" } },
    { name: "lib", version: "2.1", files: { "lib/__init__.py": "" } },
    { name: "lib", version: "3.0", tag: "cp314-cp314-manylinux_2_17_x86_64", files: { "lib/__init__.py": "" } },
    { name: "extra", version: "1.0", files: { "extra.py": "" } },
  ]);
});

after(async () => {
  await index.close();
  for (const root of roots) rmSync(root, { recursive: true, force: true });
});

const environment = () => pipEnvironment(roots);

test("sync to a pinned requirements file installs, moves and removes until the environment matches", async () => {
  const env = environment();
  assert.equal((await env.pip("install", "extra", "lib==2.1", "-i", index.url)).code, 0);
  writeFileSync(join(env.root, "requirements.txt"), "app==1.0\nlib==2.0\n");
  const dry = await env.pip("sync", "requirements.txt", "--dry-run", "-i", index.url);
  assert.equal(dry.code, 0, dry.stderr);
  assert.match(dry.stdout, /^Would install app-1\.0 lib-2\.0$/m);
  assert.match(dry.stdout, /^Would uninstall extra-1\.0$/m);
  assert.deepEqual(env.installed(), ["extra-1.0.dist-info", "lib-2.1.dist-info"]);
  const synced = await env.pip("sync", "requirements.txt", "-i", index.url);
  assert.equal(synced.code, 0, synced.stderr);
  assert.deepEqual(env.installed(), ["app-1.0.dist-info", "lib-2.0.dist-info"]);
  const again = await env.pip("sync", "requirements.txt", "-i", index.url);
  assert.match(again.stdout, /Everything is in sync/);
  writeFileSync(join(env.root, "loose.txt"), "app>=1\n");
  const loose = await env.pip("sync", "loose.txt", "-i", index.url);
  assert.equal(loose.code, 2);
  assert.match(loose.stderr, /needs every package pinned/);
});

test("sync to a pylock.toml written by kiln lock installs the locked wheels without resolving", async () => {
  const env = environment();
  const locked = await kiln(["lock", "app", "-i", index.url, "--no-pyodide-index", "-o", "pylock.toml"], { cwd: env.root });
  assert.equal(locked.code, 0, locked.stderr);
  assert.equal((await env.pip("install", "extra", "-i", index.url)).code, 0);
  const pages = index.server.hits("/simple/app/");
  const synced = await env.pip("sync", "pylock.toml");
  assert.equal(synced.code, 0, synced.stderr);
  assert.deepEqual(env.installed(), ["app-1.0.dist-info", "lib-2.1.dist-info"]);
  assert.equal(index.server.hits("/simple/app/"), pages, "a lock is not resolved again");
});

test("a pylock.toml with no wheel for the environment's platform is refused, naming it", async () => {
  const env = environment();
  writeFileSync(
    join(env.root, "pylock.toml"),
    [
      'lock-version = "1.0"',
      'created-by = "test"',
      "[[packages]]",
      'name = "lib"',
      'version = "3.0"',
      "[[packages.wheels]]",
      'name = "lib-3.0-cp314-cp314-manylinux_2_17_x86_64.whl"',
      `url = "${index.server.url}/files/lib-3.0-cp314-cp314-manylinux_2_17_x86_64.whl"`,
      `hashes = { sha256 = "${"0".repeat(64)}" }`,
      "",
    ].join("\n"),
  );
  const result = await env.pip("sync", "pylock.toml");
  assert.equal(result.code, 1);
  assert.match(result.stderr, /Cannot sync lib 3\.0: the lock has no wheel for pyemscripten_2026_0_wasm32/);
});

test("a TOML lock not named pylock.toml or pylock.NAME.toml is refused with the PEP 751 name, not read as requirements", async () => {
  const env = environment();
  writeFileSync(join(env.root, "locked.toml"), 'lock-version = "1.0"\ncreated-by = "test"\n');
  const result = await env.pip("sync", "locked.toml");
  assert.equal(result.code, 2, result.stderr);
  assert.match(result.stderr, /Cannot sync to "locked\.toml": a lock file is named pylock\.toml or pylock\.NAME\.toml \(PEP 751\)/);
  assert.deepEqual(env.installed(), []);
});

test("download saves the resolved wheels for the environment's platform", async () => {
  const env = environment();
  const result = await env.pip("download", "app", "-d", "wheels", "-i", index.url);
  assert.equal(result.code, 0, result.stderr);
  assert.deepEqual(readdirSync(join(env.root, "wheels")).sort(), ["app-1.0-py3-none-any.whl", "lib-2.1-py3-none-any.whl"]);
  assert.match(result.stdout, /Successfully downloaded app lib/);
  assert.deepEqual(env.installed(), []);
  const noDeps = await env.pip("download", "app", "--no-deps", "-d", "only", "-i", index.url);
  assert.equal(noDeps.code, 0, noDeps.stderr);
  assert.ok(existsSync(join(env.root, "only", "app-1.0-py3-none-any.whl")));
  assert.equal(readdirSync(join(env.root, "only")).length, 1);
});

test("list --outdated shows the newest wheel for the platform, not a newer Linux-only release", async () => {
  const env = environment();
  assert.equal((await env.pip("install", "lib==2.0", "extra", "-i", index.url)).code, 0);
  const table = await env.pip("list", "--outdated", "-i", index.url);
  assert.equal(table.code, 0, table.stderr);
  assert.equal(table.stdout, "Package Version Latest Type\n------- ------- ------ -----\nlib     2.0     2.1    wheel\n");
  const json = await env.pip("list", "-o", "--format", "json", "-i", index.url);
  assert.deepEqual(JSON.parse(json.stdout), [{ name: "lib", version: "2.0", latest_version: "2.1", latest_filetype: "wheel" }]);
  const freeze = await env.pip("list", "--outdated", "--format", "freeze");
  assert.equal(freeze.code, 2);
});
