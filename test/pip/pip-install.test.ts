// kiln pip install / uninstall / list / freeze / show / check end to end, in process, against a
// PEP 503 index on loopback and a directory laid out like a kiln venv.
import { strict as assert } from "node:assert";
import { createHash } from "node:crypto";
import { existsSync, mkdirSync, rmSync, statSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { after, before, test } from "node:test";
import { makeWheel } from "../installer/make-wheel.js";
import { kiln, pipEnvironment, readText, startTestIndex, type TestIndex } from "./support.js";

let index: TestIndex;
const roots: string[] = [];

before(async () => {
  index = await startTestIndex([
    { name: "app", version: "1.0", requires: ["lib>=2", "winonly; sys_platform == 'win32'"], files: { "app/__init__.py": "" }, entryPoints: "[console_scripts]\napp = app:main\n" },
    { name: "lib", version: "2.0", files: { "lib/__init__.py": "V = '2.0'\n" } },
    { name: "lib", version: "2.1", files: { "lib/__init__.py": "V = '2.1'\n" } },
    { name: "lib", version: "3.0", tag: "cp314-cp314-manylinux_2_17_x86_64", files: { "lib/__init__.py": "" } },
    { name: "solo", version: "0.5", requires: ["lib"], files: { "solo.py": "" } },
    { name: "pinned", version: "1.0", requires: ["lib==2.0"], files: { "pinned.py": "" } },
    { name: "native", version: "1.0", tag: "cp314-cp314-manylinux_2_17_x86_64", files: { "native.py": "" } },
    { name: "native", version: "1.0", tag: "cp314-cp314-macosx_11_0_arm64", files: { "native.py": "" } },
    { name: "wasmy", version: "1.0", tag: "cp314-cp314-pyemscripten_2026_0_wasm32", files: { "wasmy.py": "" } },
    { name: "setuptools", version: "80.0", files: { "setuptools/__init__.py": "" } },
    { name: "wheel", version: "0.45", files: { "wheel/__init__.py": "" } },
  ]);
});

after(async () => {
  await index.close();
  for (const root of roots) rmSync(root, { recursive: true, force: true });
});

const environment = () => pipEnvironment(roots);

test("install resolves for the venv's platform, installs dependencies, marks only the requested one", async () => {
  const env = environment();
  const result = await env.pip("install", "app", "--index-url", index.url);
  assert.equal(result.code, 0, result.stderr);
  assert.match(result.stdout, /^Successfully installed app-1\.0 lib-2\.1$/m);
  assert.deepEqual(env.installed(), ["app-1.0.dist-info", "lib-2.1.dist-info"]);
  assert.ok(existsSync(join(env.sitePackages, "app-1.0.dist-info", "REQUESTED")));
  assert.ok(!existsSync(join(env.sitePackages, "lib-2.1.dist-info", "REQUESTED")));
  assert.equal(readText(env.sitePackages, "app-1.0.dist-info", "INSTALLER").trim(), "kiln");
  assert.ok(existsSync(join(env.prefix, "bin", "app")));
});

test("an installed version that satisfies is kept without asking the index; -U and -P upgrade", async () => {
  const env = environment();
  writeFileSync(join(env.root, "c.txt"), "lib==2.0\n");
  assert.equal((await env.pip("install", "app", "-c", "c.txt", "-i", index.url)).code, 0);
  assert.deepEqual(env.installed(), ["app-1.0.dist-info", "lib-2.0.dist-info"]);
  const pages = index.server.hits("/simple/lib/");
  const again = await env.pip("install", "app", "-i", index.url);
  assert.equal(again.code, 0, again.stderr);
  assert.match(again.stdout, /Requirement already satisfied: lib in .* \(2\.0\)/);
  assert.equal(index.server.hits("/simple/lib/"), pages, "the index was asked about a kept package");
  assert.deepEqual(env.installed(), ["app-1.0.dist-info", "lib-2.0.dist-info"]);
  assert.equal((await env.pip("install", "-U", "app", "-i", index.url)).code, 0);
  assert.deepEqual(env.installed(), ["app-1.0.dist-info", "lib-2.0.dist-info"], "-U upgrades the named package only");
  const upgraded = await env.pip("install", "app", "-P", "lib", "-i", index.url);
  assert.equal(upgraded.code, 0, upgraded.stderr);
  assert.deepEqual(env.installed(), ["app-1.0.dist-info", "lib-2.1.dist-info"]);
});

test("a requirement the installed version does not satisfy moves it", async () => {
  const env = environment();
  assert.equal((await env.pip("install", "lib==2.0", "-i", index.url)).code, 0);
  const result = await env.pip("install", "lib>2.0", "-i", index.url);
  assert.equal(result.code, 0, result.stderr);
  assert.deepEqual(env.installed(), ["lib-2.1.dist-info"]);
});

test("--no-deps installs only what is named; check then reports the missing dependency", async () => {
  const env = environment();
  const result = await env.pip("install", "--no-deps", "solo", "-i", index.url);
  assert.equal(result.code, 0, result.stderr);
  assert.match(result.stderr, /solo 0\.5 requires lib, which is not installed\./, "the after-install check warns");
  assert.deepEqual(env.installed(), ["solo-0.5.dist-info"]);
  const check = await env.pip("check");
  assert.equal(check.code, 1);
  assert.equal(check.stdout, "solo 0.5 requires lib, which is not installed.\n");
});

test("--force-reinstall reinstalls the same version", async () => {
  const env = environment();
  assert.equal((await env.pip("install", "lib==2.0", "-i", index.url)).code, 0);
  writeFileSync(join(env.sitePackages, "lib", "__init__.py"), "broken\n");
  const result = await env.pip("install", "lib==2.0", "--force-reinstall", "-i", index.url);
  assert.equal(result.code, 0, result.stderr);
  assert.equal(readText(env.sitePackages, "lib", "__init__.py"), "V = '2.0'\n");
});

test("a local wheel path and a name @ URL install as direct references (PEP 610), and freeze shows them", async () => {
  const env = environment();
  const filename = [...index.wheels.keys()].find((name) => name.startsWith("lib-2.0-"))!;
  writeFileSync(join(env.root, filename), index.wheels.get(filename)!);
  const local = await env.pip("install", `./${filename}`, "--no-index");
  assert.equal(local.code, 0, local.stderr);
  const directUrl = JSON.parse(readText(env.sitePackages, "lib-2.0.dist-info", "direct_url.json"));
  assert.equal(directUrl.url, `file://${join(env.root, filename)}`);
  assert.match(directUrl.archive_info.hashes.sha256, /^[0-9a-f]{64}$/);
  const url = `${index.server.url}/files/${[...index.wheels.keys()].find((name) => name.startsWith("solo-"))}`;
  const remote = await env.pip("install", `solo @ ${url}`, "-i", index.url);
  assert.equal(remote.code, 0, remote.stderr);
  const freeze = await env.pip("freeze");
  // As pip writes them: the hash recorded in direct_url.json goes into the fragment.
  const hashOf = (name: string) => createHash("sha256").update(index.wheels.get(name)!).digest("hex");
  const solo = url.split("/").pop()!;
  assert.equal(freeze.stdout, `lib @ file://${join(env.root, filename)}#sha256=${hashOf(filename)}\nsolo @ ${url}#sha256=${hashOf(solo)}\n`);
});

test("--dry-run --report writes pip's installation report and installs nothing", async () => {
  const env = environment();
  const result = await env.pip("install", "app", "--dry-run", "--report", "report.json", "-i", index.url);
  assert.equal(result.code, 0, result.stderr);
  assert.match(result.stdout, /^Would install app-1\.0 lib-2\.1$/m);
  assert.deepEqual(env.installed(), []);
  const report = JSON.parse(readText(env.root, "report.json"));
  assert.equal(report.version, "1");
  assert.equal(report.environment.sys_platform, "emscripten");
  assert.equal(report.environment.platform_release, "5.0.3");
  assert.deepEqual(report.install.map((item: { metadata: { name: string; version: string }; requested: boolean }) => [item.metadata.name, item.metadata.version, item.requested]), [
    ["app", "1.0", true],
    ["lib", "2.1", false],
  ]);
  const app = report.install[0];
  assert.match(app.download_info.url, /\/files\/app-1\.0-py3-none-any\.whl$/);
  assert.match(app.download_info.archive_info.hash, /^sha256=[0-9a-f]{64}$/);
  assert.equal(app.is_direct, false);
  assert.deepEqual(app.metadata.requires_dist, ["lib>=2", "winonly; sys_platform == 'win32'"]);
});

test("a package with only manylinux/macOS wheels fails naming the missing wasm wheel", async () => {
  const env = environment();
  const result = await env.pip("install", "native", "-i", index.url);
  assert.equal(result.code, 1);
  assert.match(result.stderr, /no usable version of native exists/);
  assert.match(result.stderr, /hint: native 1\.0 has wheels only for Linux and macOS; no wheel for pyemscripten_2026_0_wasm32/);
  assert.deepEqual(env.installed(), []);
});

test("uninstall -y removes files and scripts; a name not installed is skipped with a warning", async () => {
  const env = environment();
  assert.equal((await env.pip("install", "app", "-i", index.url)).code, 0);
  const result = await env.pip("uninstall", "-y", "app", "nothere");
  assert.equal(result.code, 0, result.stderr);
  assert.match(result.stdout, /Successfully uninstalled app-1\.0/);
  assert.match(result.stderr, /Skipping nothere as it is not installed/);
  assert.deepEqual(env.installed(), ["lib-2.1.dist-info"]);
  assert.ok(!existsSync(join(env.prefix, "bin", "app")));
  assert.ok(!existsSync(join(env.sitePackages, "app")));
});

test("list (columns, freeze, json) and show (--files)", async () => {
  const env = environment();
  assert.equal((await env.pip("install", "app", "-i", index.url)).code, 0);
  assert.equal((await env.pip("list")).stdout, "Package Version\n------- -------\napp     1.0\nlib     2.1\n");
  assert.equal((await env.pip("list", "--format", "freeze")).stdout, "app==1.0\nlib==2.1\n");
  assert.deepEqual(JSON.parse((await env.pip("list", "--format=json")).stdout), [{ name: "app", version: "1.0" }, { name: "lib", version: "2.1" }]);
  const show = await env.pip("show", "--files", "lib", "app");
  assert.equal(show.code, 0);
  const [lib, app] = show.stdout.split("---\n");
  assert.match(lib!, /^Name: lib\nVersion: 2\.1\n/);
  assert.match(lib!, /^Required-by: app$/m);
  assert.match(app!, /^Requires: lib$/m);
  assert.match(app!, /^Files:\n(  .*\n)*  \.\.\/\.\.\/\.\.\/bin\/app\n/m);
  const missing = await env.pip("show", "ghost");
  assert.equal(missing.code, 1);
  assert.match(missing.stderr, /Package\(s\) not found: ghost/);
});

test("a damaged RECORD of one distribution does not stop list, freeze, check or show; what needs it names the file", async () => {
  const env = environment();
  assert.equal((await env.pip("install", "app", "-i", index.url)).code, 0);
  const record = join(env.sitePackages, "lib-2.1.dist-info", "RECORD");
  writeFileSync(record, '"an unterminated quote\n');
  assert.equal((await env.pip("list", "--format", "freeze")).stdout, "app==1.0\nlib==2.1\n");
  assert.match((await env.pip("freeze")).stdout, /^lib==2\.1$/m);
  assert.equal((await env.pip("check")).code, 0);
  const show = await env.pip("show", "lib");
  assert.equal(show.code, 0, show.stderr);
  assert.match(show.stdout, /^Name: lib$/m);
  for (const args of [["show", "--files", "lib"], ["uninstall", "-y", "lib"]]) {
    const result = await env.pip(...args);
    assert.equal(result.code, 1, args.join(" "));
    assert.ok(result.stderr.includes(record), `${args.join(" ")}: ${result.stderr}`);
    assert.doesNotMatch(result.stderr, /crashed/);
  }
  assert.deepEqual(env.installed(), ["app-1.0.dist-info", "lib-2.1.dist-info"]);
});

test("--offline installs from the cache a previous install filled", async () => {
  const first = environment();
  assert.equal((await first.pip("install", "app", "-i", index.url)).code, 0);
  const second = environment();
  const cache = join(first.root, ".kiln-cache");
  const result = await kiln(["pip", "install", "app", "-i", index.url, "--offline", "--python", second.prefix], { cwd: second.root, env: { KILN_CACHE_DIR: cache } });
  assert.equal(result.code, 0, result.stderr);
  assert.deepEqual(second.installed(), ["app-1.0.dist-info", "lib-2.1.dist-info"]);
});

test("the environment comes from --python (a dir or its bin/python), else VIRTUAL_ENV, else .venv-wasm", async () => {
  const env = environment();
  const elsewhere = environment();
  assert.equal((await kiln(["pip", "install", "lib==2.0", "-i", index.url, "--python", join(elsewhere.prefix, "bin", "python")], { cwd: env.root })).code, 1, "bin/python must exist to be a file");
  writeFileSync(join(elsewhere.prefix, "bin", "python"), "#!/bin/sh\n");
  assert.equal((await kiln(["pip", "install", "lib==2.0", "-i", index.url, "--python", join(elsewhere.prefix, "bin", "python")], { cwd: env.root })).code, 0);
  assert.deepEqual(elsewhere.installed(), ["lib-2.0.dist-info"]);
  assert.equal((await kiln(["pip", "install", "wasmy", "-i", index.url], { cwd: env.root, env: { VIRTUAL_ENV: elsewhere.prefix } })).code, 0);
  assert.deepEqual(elsewhere.installed(), ["lib-2.0.dist-info", "wasmy-1.0.dist-info"]);
  assert.deepEqual(env.installed(), []);
  const none = await kiln(["pip", "list"], { cwd: join(env.root, ".venv-wasm", "lib") });
  assert.equal(none.code, 1);
  assert.match(none.stderr, /No environment to work on/);
});

test("requirement files: nested -r/-c, options lines, paths; --hash turns on hash-checking mode", async () => {
  const env = environment();
  const sha = (prefix: string) => {
    const name = [...index.wheels.keys()].find((file) => file.startsWith(prefix))!;
    return `sha256:${createHash("sha256").update(index.wheels.get(name)!).digest("hex")}`;
  };
  writeFileSync(join(env.root, "base.txt"), `--index-url ${index.url}\n-c constraints.txt\nlib \\\n  # comment\n`);
  writeFileSync(join(env.root, "constraints.txt"), "lib==2.0\n");
  writeFileSync(join(env.root, "req.txt"), "-r base.txt\napp  # the app\n");
  const nested = await env.pip("install", "-r", "req.txt");
  assert.equal(nested.code, 0, nested.stderr);
  assert.deepEqual(env.installed(), ["app-1.0.dist-info", "lib-2.0.dist-info"]);

  const hashed = environment();
  writeFileSync(join(hashed.root, "ok.txt"), `app==1.0 --hash=${sha("app-1.0")}\nlib==2.1 --hash=sha256:${"0".repeat(64)} --hash=${sha("lib-2.1")}\n`);
  const ok = await hashed.pip("install", "-r", "ok.txt", "-i", index.url);
  assert.equal(ok.code, 0, ok.stderr);
  assert.deepEqual(hashed.installed(), ["app-1.0.dist-info", "lib-2.1.dist-info"]);

  const missing = environment();
  writeFileSync(join(missing.root, "missing.txt"), `app==1.0 --hash=${sha("app-1.0")}\n`);
  const noHash = await missing.pip("install", "-r", "missing.txt", "-i", index.url);
  assert.equal(noHash.code, 1);
  assert.match(noHash.stderr, /no --hash is given for lib 2\.1/);
  assert.match(noHash.stderr, new RegExp(`lib==2\\.1 --hash=${sha("lib-2.1")}`));
  writeFileSync(join(missing.root, "wrong.txt"), `app==1.0 --hash=sha256:${"1".repeat(64)}\nlib==2.1 --hash=${sha("lib-2.1")}\n`);
  const wrong = await missing.pip("install", "-r", "wrong.txt", "-i", index.url);
  assert.equal(wrong.code, 1);
  assert.match(wrong.stderr, /is not one the requirements allow/);
  writeFileSync(join(missing.root, "loose.txt"), "lib>=2\n");
  const loose = await missing.pip("install", "--require-hashes", "-r", "loose.txt", "-i", index.url);
  assert.equal(loose.code, 1);
  assert.match(loose.stderr, /not pinned with ==/);
  assert.deepEqual(missing.installed(), []);
});

test("pip's habitual options are accepted; -q silences the summary", async () => {
  const env = environment();
  const result = await env.pip("install", "-q", "--disable-pip-version-check", "--no-input", "lib==2.0", "-i", index.url);
  assert.equal(result.code, 0, result.stderr);
  assert.equal(result.stdout, "");
  assert.deepEqual(env.installed(), ["lib-2.0.dist-info"]);
});

test("pip's general options may come before the subcommand; kiln pip --version names kiln", async () => {
  const env = environment();
  const result = await kiln(["pip", "-q", "--python", env.prefix, "install", "lib==2.0", "-i", index.url], { cwd: env.root });
  assert.equal(result.code, 0, result.stderr);
  assert.equal(result.stdout, "");
  assert.deepEqual(env.installed(), ["lib-2.0.dist-info"]);
  const version = await env.pip("--version");
  assert.match(version.stdout, /^pip \S+ from kiln \S+ \(python 3\.14\)\n$/);
  const bare = await env.pip();
  assert.equal(bare.code, 2);
  assert.match(bare.stderr, /install/);
});

test("installed files are hard links into kiln's unpacked-wheel cache unless --link-mode copy or KILN_LINK_MODE=copy; an unknown mode is refused", async () => {
  const env = environment();
  const file = join(env.sitePackages, "lib", "__init__.py");
  assert.equal((await env.pip("install", "lib==2.1", "-i", index.url)).code, 0);
  assert.equal(statSync(file).nlink, 2, "the environment's file and the cache's are one inode");
  const copied = await env.pip("install", "lib==2.1", "--force-reinstall", "--link-mode", "copy", "-i", index.url);
  assert.equal(copied.code, 0, copied.stderr);
  assert.equal(statSync(file).nlink, 1);
  const fromEnv = await kiln(["pip", "install", "lib==2.1", "--force-reinstall", "-i", index.url], { cwd: env.root, env: { KILN_LINK_MODE: "copy" } });
  assert.equal(fromEnv.code, 0, fromEnv.stderr);
  assert.equal(statSync(file).nlink, 1);
  assert.equal((await env.pip("install", "lib==2.1", "--force-reinstall", "-i", index.url)).code, 0);
  assert.equal(statSync(file).nlink, 2);
  const bad = await env.pip("install", "lib==2.1", "--link-mode", "symlink", "-i", index.url);
  assert.notEqual(bad.code, 0);
  assert.match(bad.stderr, /--link-mode "symlink": not a link mode/);
});

test("after installing, a distribution outside the resolution whose requirement broke is warned about; a consistent resolution is not checked again", async () => {
  const env = environment();
  const first = await env.pip("install", "pinned", "-i", index.url);
  assert.equal(first.code, 0, first.stderr);
  assert.doesNotMatch(first.stderr, /requires|has requirement/);
  const upgrade = await env.pip("install", "lib==2.1", "-i", index.url);
  assert.equal(upgrade.code, 0, upgrade.stderr);
  assert.match(upgrade.stderr, /pinned 1\.0 has requirement lib==2\.0, but you have lib 2\.1\./);
});

test("freeze leaves out only pip on Python 3.12 and later, as pip decides by the environment's Python", async () => {
  const env = environment();
  assert.equal((await env.pip("install", "setuptools", "wheel", "lib==2.0", "-i", index.url)).code, 0);
  assert.equal((await env.pip("freeze")).stdout, "lib==2.0\nsetuptools==80.0\nwheel==0.45\n");
  assert.equal((await env.pip("freeze", "--exclude", "Wheel", "--exclude", "setuptools")).stdout, "lib==2.0\n");
});

test("requirements that exclude each other are named, as pip names them, instead of an empty range", async () => {
  const env = environment();
  writeFileSync(join(env.root, "c.txt"), "lib<2\n");
  for (const [args, named] of [
    [["lib>=2", "lib<2"], "lib>=2 and lib<2"],
    [["solo", "lib>=2.1", "-c", "c.txt"], "lib>=2.1 and the constraint lib<2"],
    [["lib===two"], "lib===two"],
  ] as const) {
    const result = await env.pip("install", ...args, "-i", index.url);
    assert.equal(result.code, 1);
    assert.ok(result.stderr.includes(`Because you require ${named}, which no version of lib satisfies`), result.stderr);
    assert.doesNotMatch(result.stderr, /∅/);
  }
});

test("a requirement no version satisfies lists the usable versions there are, as pip's 'from versions' does", async () => {
  const env = environment();
  const result = await env.pip("install", "lib==9", "-i", index.url);
  assert.equal(result.code, 1);
  assert.match(result.stderr, /no usable version of lib==9 exists/);
  assert.match(result.stderr, /lib has versions 2\.0, 2\.1 for pyemscripten_2026_0_wasm32; none is in ==9/, "3.0 (Linux only) is not usable here");
});

test("a direct reference's #md5= (or #sha1=) fragment is checked, as pip checks it; a malformed #sha256= is a mismatch, not a crash", async () => {
  const env = environment();
  const filename = [...index.wheels.keys()].find((name) => name.startsWith("lib-2.0-"))!;
  writeFileSync(join(env.root, filename), index.wheels.get(filename)!);
  const url = `file://${join(env.root, filename)}`;
  for (const fragment of ["md5=00", "sha1=00", "sha256=00"]) {
    const result = await env.pip("install", `lib @ ${url}#${fragment}`, "--no-index");
    assert.equal(result.code, 1, fragment);
    assert.match(result.stderr, new RegExp(`does not match its ${fragment.split("=")[0]} hash: expected 00`));
    assert.doesNotMatch(result.stderr, /crashed/);
  }
  const md5 = createHash("md5").update(index.wheels.get(filename)!).digest("hex");
  const good = await env.pip("install", `lib @ ${url}#md5=${md5}`, "--no-index");
  assert.equal(good.code, 0, good.stderr);
  assert.deepEqual(env.installed(), ["lib-2.0.dist-info"]);
});

test("an extra the chosen version does not declare is warned about, as pip warns, and the install goes on", async () => {
  const env = environment();
  const result = await env.pip("install", "lib[nope]==2.0", "-i", index.url);
  assert.equal(result.code, 0, result.stderr);
  assert.match(result.stderr, /lib 2\.0 does not provide the extra 'nope'/);
  assert.deepEqual(env.installed(), ["lib-2.0.dist-info"]);
});

test("a file named like a wheel whose name does not parse is ignored, and the hint says so instead of calling it a source distribution", async () => {
  const env = environment();
  const links = join(env.root, "links");
  mkdirSync(links);
  const { bytes } = makeWheel({ name: "weird", version: "1.0", files: { "weird.py": "" } });
  writeFileSync(join(links, "weird-1.0.0-beta-py3-none-any.whl"), bytes);
  const result = await env.pip("install", "weird", "--no-index", "--find-links", links);
  assert.equal(result.code, 1);
  assert.match(result.stderr, /weird 1\.0\.0 has only weird-1\.0\.0-beta-py3-none-any\.whl, whose name is not a valid wheel name/);
  assert.doesNotMatch(result.stderr, /source distribution/);
});

test("=== (arbitrary equality) installs the version it names, as pip does", async () => {
  const env = environment();
  const result = await env.pip("install", "LIB===2.0", "-i", index.url);
  assert.equal(result.code, 0, result.stderr);
  assert.deepEqual(env.installed(), ["lib-2.0.dist-info"]);
});

test("pip's option variables are honoured as pip honours them: PIP_REQUIRE_HASHES, PIP_NO_DEPS, PIP_YES; a bad value is refused naming the variable", async () => {
  const env = environment();
  const pip = (variables: Record<string, string>, ...args: string[]) => kiln(["pip", ...args], { cwd: env.root, env: variables });
  const hashes = await pip({ PIP_REQUIRE_HASHES: "1" }, "install", "lib==2.0", "-i", index.url);
  assert.equal(hashes.code, 1);
  assert.match(hashes.stderr, /Cannot check hashes of lib==2\.0/);
  assert.deepEqual(env.installed(), []);
  const noDeps = await pip({ PIP_NO_DEPS: "yes" }, "install", "solo", "-i", index.url);
  assert.equal(noDeps.code, 0, noDeps.stderr);
  assert.deepEqual(env.installed(), ["solo-0.5.dist-info"]);
  const removed = await pip({ PIP_YES: "true" }, "uninstall", "solo");
  assert.equal(removed.code, 0, removed.stderr);
  assert.deepEqual(env.installed(), []);
  const explicit = await pip({ PIP_NO_DEPS: "1" }, "install", "solo", "-i", index.url, "--no-deps");
  assert.equal(explicit.code, 0, explicit.stderr);
  const bad = await pip({ PIP_PRE: "maybe" }, "install", "lib", "-i", index.url);
  assert.equal(bad.code, 2);
  assert.match(bad.stderr, /PIP_PRE="maybe" is not a valid value for --pre/);
});
