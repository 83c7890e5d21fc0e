import { strict as assert } from "node:assert";
import { spawnSync } from "node:child_process";
import { createHash } from "node:crypto";
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, unlinkSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { basename, dirname, join, relative } from "node:path";
import { after, test } from "node:test";
import { bytesSource, parseRecord } from "../../src/archive/index.js";
import { isKilnError, type ErrorCode } from "../../src/core/index.js";
import {
  installWheel,
  installWheels,
  listInstalled,
  memoryFileSystem,
  UnpackedWheelCache,
  uninstallDistribution,
  venvScheme,
  type InstallScheme,
  type WheelToInstall,
} from "../../src/installer/index.js";
import { nodeFileSystem } from "../../src/platform/node-file-system.js";
import { hostPython } from "../support/host-python.js";
import { realWheel, type RealWheelName } from "../support/real-wheels.js";
import { environmentSnapshot } from "./environment-snapshot.js";
import { makeWheel } from "./make-wheel.js";

const temporary = mkdtempSync(join(tmpdir(), "kiln-install-"));
after(() => rmSync(temporary, { recursive: true, force: true }));
let counter = 0;
const fs = nodeFileSystem();

function freshEnvironment(pythonVersion = "3.14"): InstallScheme {
  return venvScheme(join(temporary, `env${counter++}`), pythonVersion);
}

function real(name: RealWheelName, extra: Partial<WheelToInstall> = {}): WheelToInstall {
  const path = realWheel(name);
  return { wheel: new Uint8Array(readFileSync(path)), filename: basename(path), requested: true, ...extra };
}

const sha256Hex = (bytes: Uint8Array) => createHash("sha256").update(bytes).digest("hex");

test("installs real wheels in one transaction, with RECORD matching the files on disk", async () => {
  const scheme = freshEnvironment();
  const names: RealWheelName[] = ["pytest", "packaging", "iniconfig", "pluggy", "pydantic-core"];
  const wheels = names.map((name) => real(name, { requested: name !== "packaging", expectedHashes: { sha256: sha256Hex(readFileSync(realWheel(name))) } }));
  const result = await installWheels(wheels, { scheme, fs });
  assert.deepEqual(result.installed.map((wheel) => wheel.version), ["9.2.0", "26.3", "2.3.1", "1.7.0", "2.50.4"]);
  const installed = await listInstalled(scheme, fs);
  assert.deepEqual(installed.map((dist) => [dist.name, dist.installer, dist.requested]), [
    ["iniconfig", "kiln", true],
    ["packaging", "kiln", false],
    ["pluggy", "kiln", true],
    ["pydantic_core", "kiln", true],
    ["pytest", "kiln", true],
  ]);
  const recorded = new Set<string>();
  for (const dist of installed) {
    for (const row of dist.files!) {
      const path = join(dist.distInfo, "..", row.path);
      recorded.add(path);
      if (row.hash === undefined) {
        assert.ok(row.path.endsWith(".dist-info/RECORD"));
        continue;
      }
      const bytes = readFileSync(path);
      assert.equal(createHash("sha256").update(bytes).digest("base64url"), row.hash.digest, path);
      assert.equal(bytes.length, row.size);
    }
  }
  const onDisk = environmentSnapshot(scheme.prefix).filter((line) => !line.endsWith(" dir")).map((line) => join(scheme.prefix, line.split(" ")[0]!));
  assert.deepEqual(onDisk.sort(), [...recorded].sort(), "every installed file is recorded, and nothing else is on disk");
  for (const script of ["pytest", "py.test"]) {
    const path = join(scheme.scripts, script);
    assert.equal(statSync(path).mode & 0o777, 0o755);
    assert.match(readFileSync(path, "utf8"), new RegExp(`^#!/bin/sh\n'''exec' "${scheme.python}" "\\$0" "\\$@"\n' '''\n[^]*from _pytest.config import _console_main`));
  }
  assert.ok(existsSync(join(scheme.purelib, "pydantic_core", "__init__.py")));
  assert.ok(readdirSync(join(scheme.purelib, "pydantic_core")).some((name) => name.endsWith(".cpython-314-wasm32-emscripten.so")));
  assert.deepEqual(readdirSync(join(scheme.prefix, ".kiln-install")), []);
});

test("installs the same files as pip does, with the same RECORD paths", async (t) => {
  const pip = spawnSync(hostPython, ["-m", "pip", "--version"], { encoding: "utf8" });
  if (pip.status !== 0) return t.skip("host pip is not available");
  const names: RealWheelName[] = ["pytest", "packaging", "iniconfig", "pluggy"];
  const pipPrefix = join(temporary, "pip-prefix");
  const version = spawnSync(hostPython, ["-c", "import sys; print(f'{sys.version_info[0]}.{sys.version_info[1]}')"], { encoding: "utf8" }).stdout.trim();
  const run = spawnSync(
    hostPython,
    ["-m", "pip", "install", "--quiet", "--disable-pip-version-check", "--ignore-installed", "--no-deps", "--no-compile", "--no-warn-script-location", "--prefix", pipPrefix, ...names.map(realWheel)],
    { encoding: "utf8", env: { ...process.env, PYTHONDONTWRITEBYTECODE: "1" } },
  );
  assert.equal(run.status, 0, run.stderr);
  const scheme = freshEnvironment(version);
  await installWheels(names.map((name) => real(name)), { scheme, fs });
  // Files pip and kiln write differently by design: the tool name, launchers, and pip's REQUESTED/direct_url.
  const comparable = (root: string) =>
    environmentSnapshot(root)
      .filter((line) => !/\.dist-info\/(INSTALLER|RECORD|REQUESTED|direct_url\.json) |^bin\/|^bin\/ dir|__pycache__/.test(line))
      .map((line) => line.replace(/ [0-7]{3} /, " "));
  assert.deepEqual(comparable(scheme.prefix), comparable(pipPrefix));
  for (const name of names) {
    const distInfo = readdirSync(scheme.purelib).find((entry) => entry.startsWith(basename(realWheel(name)).split("-")[0]!) && entry.endsWith(".dist-info"))!;
    const paths = (root: string) =>
      parseRecord(readFileSync(join(root, distInfo, "RECORD"), "utf8"))
        .map((row) => row.path)
        .filter((path) => !/__pycache__|REQUESTED|direct_url\.json/.test(path))
        .sort();
    assert.deepEqual(paths(scheme.purelib), paths(join(pipPrefix, "lib", `python${version}`, "site-packages")), name);
  }
});

test("places .data directories, rewrites #!python scripts, writes direct_url.json", async () => {
  const scheme = freshEnvironment();
  const wheel = makeWheel({
    name: "demo",
    version: "1.0",
    rootIsPurelib: false,
    files: {
      "demo/__init__.py": "",
      "demo/tool.sh": "#!/bin/sh\n",
      "demo-1.0.data/scripts/demo-run": "#!python\nprint('hi')\n",
      "demo-1.0.data/scripts/plain": "#!/bin/sh\necho plain\n",
      "demo-1.0.data/data/share/demo/readme.txt": "data",
      "demo-1.0.data/headers/demo.h": "/* header */",
      "demo-1.0.data/purelib/demo_pure.py": "pure",
    },
    executable: ["demo/tool.sh"],
    entryPoints: "[console_scripts]\ndemo = demo:main\n[gui_scripts]\ndemo-gui = demo:gui\n[other]\nx = y:z\n",
  });
  const directUrl = { url: "file:///tmp/demo-1.0-py3-none-any.whl", archive_info: { hashes: { sha256: "0" } } };
  await installWheel({ wheel: wheel.bytes, filename: wheel.filename, requested: false, directUrl, scheme, fs });
  const text = (path: string) => readFileSync(path, "utf8");
  assert.match(text(join(scheme.scripts, "demo-run")), /^#!\/bin\/sh\n'''exec' .*\n' '''\nprint\('hi'\)\n$/);
  assert.equal(text(join(scheme.scripts, "plain")), "#!/bin/sh\necho plain\n");
  assert.equal(statSync(join(scheme.scripts, "plain")).mode & 0o777, 0o755);
  assert.equal(statSync(join(scheme.platlib, "demo", "tool.sh")).mode & 0o777, 0o755);
  assert.equal(statSync(join(scheme.platlib, "demo", "__init__.py")).mode & 0o777, 0o644);
  assert.equal(text(join(scheme.prefix, "share", "demo", "readme.txt")), "data");
  assert.equal(text(join(scheme.headers, "demo", "demo.h")), "/* header */");
  assert.equal(text(join(scheme.purelib, "demo_pure.py")), "pure");
  assert.ok(existsSync(join(scheme.scripts, "demo")) && existsSync(join(scheme.scripts, "demo-gui")) && !existsSync(join(scheme.scripts, "x")));
  const distInfo = join(scheme.platlib, "demo-1.0.dist-info");
  assert.deepEqual(JSON.parse(text(join(distInfo, "direct_url.json"))), directUrl);
  assert.equal(existsSync(join(distInfo, "REQUESTED")), false);
  const paths = parseRecord(text(join(distInfo, "RECORD"))).map((row) => row.path);
  for (const path of ["../../../bin/demo-run", "../../../bin/demo", "../../../share/demo/readme.txt", "../../../include/site/python3.14/demo/demo.h", "demo-1.0.dist-info/direct_url.json", "demo-1.0.dist-info/INSTALLER"]) {
    assert.ok(paths.includes(path), `${path} in RECORD`);
  }
});

test("upgrading replaces the old version's files by its RECORD; uninstalling removes everything it installed", async () => {
  const scheme = freshEnvironment();
  const empty = environmentSnapshot((await installWheel({ ...real("iniconfig"), scheme, fs }), scheme.prefix));
  const v1 = makeWheel({ name: "demo", version: "1.0", files: { "demo/__init__.py": "v1", "demo/old.py": "old", "demo/sub/x.py": "x" }, entryPoints: "[console_scripts]\nold-tool = demo:main\n" });
  const v2 = makeWheel({ name: "demo", version: "2.0", files: { "demo/__init__.py": "v2", "demo/new.py": "new" }, entryPoints: "[console_scripts]\nnew-tool = demo:main\n" });
  await installWheel({ wheel: v1.bytes, filename: v1.filename, scheme, fs });
  // Bytecode written by Python after the install is removed with its source.
  const pycache = join(scheme.purelib, "demo", "__pycache__");
  await fs.mkdir(pycache);
  await fs.writeFile(join(pycache, "old.cpython-314.pyc"), new Uint8Array([1]));
  const result = await installWheel({ wheel: v2.bytes, filename: v2.filename, scheme, fs });
  assert.deepEqual(result.removed, [{ name: "demo", version: "1.0" }]);
  assert.equal(readFileSync(join(scheme.purelib, "demo", "__init__.py"), "utf8"), "v2");
  for (const gone of ["demo/old.py", "demo/sub", "demo/__pycache__", "demo-1.0.dist-info"]) assert.equal(existsSync(join(scheme.purelib, gone)), false, gone);
  assert.equal(existsSync(join(scheme.scripts, "old-tool")), false);
  assert.ok(existsSync(join(scheme.scripts, "new-tool")));
  assert.deepEqual((await listInstalled(scheme, fs)).map((dist) => `${dist.name} ${dist.version}`), ["demo 2.0", "iniconfig 2.3.1"]);
  const removed = await uninstallDistribution("DEMO", { scheme, fs });
  assert.equal(removed[0]!.version, "2.0");
  // The scripts directory the first install created stays, as site-packages does.
  assert.deepEqual(environmentSnapshot(scheme.prefix), [...empty, "bin/ dir"].sort());
});

test("uninstalling removes no file outside the environment and none of its own, whatever RECORD lists", async () => {
  const scheme = freshEnvironment();
  const outside = join(temporary, `victim${counter++}.txt`);
  writeFileSync(outside, "precious");
  const demo = makeWheel({ name: "demo", version: "1.0", files: { "demo/__init__.py": "x" } });
  await installWheel({ wheel: demo.bytes, filename: demo.filename, scheme, fs });
  const own = [join(scheme.prefix, "pyvenv.cfg"), join(scheme.scripts, "python"), join(scheme.scripts, "python3"), join(scheme.prefix, ".kiln-install", "keep")];
  for (const path of own) {
    mkdirSync(dirname(path), { recursive: true });
    writeFileSync(path, "the environment's");
  }
  const record = join(scheme.purelib, "demo-1.0.dist-info", "RECORD");
  const fromSitePackages = (path: string) => relative(scheme.purelib, path);
  const hostileRows = [outside, ...own].map((path) => `${fromSitePackages(path)},,\n`).join("") + `${outside},,\n`;
  writeFileSync(record, readFileSync(record, "utf8") + hostileRows);
  await uninstallDistribution("demo", { scheme, fs });
  assert.equal(readFileSync(outside, "utf8"), "precious");
  for (const path of own) assert.equal(readFileSync(path, "utf8"), "the environment's", path);
  assert.equal(existsSync(join(scheme.purelib, "demo")), false);
});

test("uninstalling refuses a distribution without RECORD, and one that is not installed", async () => {
  const scheme = freshEnvironment();
  await installWheel({ ...real("iniconfig"), scheme, fs });
  await assert.rejects(uninstallDistribution("nothing-here", { scheme, fs }), (error) => isKilnError(error, "notInstalled"));
  unlinkSync(join(scheme.purelib, "iniconfig-2.3.1.dist-info", "RECORD"));
  const before = environmentSnapshot(scheme.prefix);
  await assert.rejects(uninstallDistribution("iniconfig", { scheme, fs }), (error) => isKilnError(error, "missingRecord") && /by hand/.test(error.hint!));
  // Upgrading it is refused the same way.
  await assert.rejects(installWheel({ ...real("iniconfig"), scheme, fs }), (error) => isKilnError(error, "missingRecord"));
  assert.deepEqual(environmentSnapshot(scheme.prefix), before);
});

const base = { name: "evil", version: "1.0", files: { "evil/__init__.py": "x" } };
const tampered: [string, () => WheelToInstall, ErrorCode, RegExp][] = [
  ["a bad RECORD hash", () => wheelOf({ ...base, editRecord: (r) => r.replace(/(evil\/__init__\.py,sha256=)./, "$1A") }), "hashMismatch", /RECORD hash/],
  ["a wrong RECORD size", () => wheelOf({ ...base, editRecord: (r) => r.replace("evil/__init__.py,sha256=", "evil/__init__.py,sha256=").replace(/(evil\/__init__\.py,[^,]+,)1/, "$12") }), "hashMismatch", /RECORD says 2/],
  ["path traversal ../../etc/x", () => wheelOf({ ...base, extra: { "../../etc/x": "pwned" } }), "unsafeEntryPath", /"\.\.\/\.\.\/etc\/x"/],
  ["an absolute path", () => wheelOf({ ...base, extra: { "/etc/x": "pwned" } }), "unsafeEntryPath", /absolute/],
  ["a drive letter", () => wheelOf({ ...base, extra: { "C:/x": "pwned" } }), "unsafeEntryPath", /drive letter/],
  ["a backslash", () => wheelOf({ ...base, extra: { "evil\\..\\..\\x": "pwned" } }), "unsafeEntryPath", /backslash/],
  ["a missing RECORD", () => wheelOf({ ...base, withoutRecord: true }), "invalidWheel", /RECORD file .* is missing/],
  ["a file not in RECORD", () => wheelOf({ ...base, extra: { "evil/hidden.py": "x" } }), "invalidWheel", /not listed in RECORD/],
  ["a RECORD row for a missing file", () => wheelOf({ ...base, editRecord: (r) => `${r}evil/ghost.py,sha256=AAAA,1\n` }), "invalidWheel", /does not contain/],
  ["a sha1 RECORD", () => wheelOf({ ...base, editRecord: (r) => r.replace(/sha256=[^,]+/g, "sha1=AAAA") }), "invalidWheel", /sha256 or stronger/],
  ["Wheel-Version 2.0", () => wheelOf({ ...base, wheelVersion: "2.0" }), "unsupportedWheelVersion", /Wheel-Version 2\.0/],
  ["a truncated zip", () => ({ ...wheelOf(base), wheel: (wheelOf(base).wheel as Uint8Array).subarray(0, 300) }), "invalidZip", /zip/],
  ["a wrong index hash", () => ({ ...wheelOf(base), expectedHashes: { sha256: "0".repeat(64) } }), "hashMismatch", /index says/],
  ["an unknown .data directory", () => wheelOf({ ...base, files: { ...base.files, "evil-1.0.data/elsewhere/x": "x" } }), "invalidWheel", /not in one of/],
  ["a file name whose version differs from METADATA", () => ({ ...wheelOf(base), filename: "evil-2.0-py3-none-any.whl" }), "invalidWheel", /METADATA says version 1\.0/],
  ["a file name that is not a wheel's", () => ({ ...wheelOf(base), filename: "evil.zip" }), "invalidWheelFilename", /evil\.zip/],
  ["a .dist-info of another project", () => ({ ...wheelOf(base), filename: "other-1.0-py3-none-any.whl" }), "invalidWheel", /does not match the name "other"/],
  ["a script name with a slash", () => wheelOf({ ...base, entryPoints: "[console_scripts]\n../x = evil:main\n" }), "invalidEntryPoints", /not a file name/],
  ["a file where another of its files needs a directory", () => wheelOf({ ...base, files: { ...base.files, "evil/x": "a", "evil/x/y.py": "b" } }), "installConflict", /"[^"]*evil\/x": it would be both a file and a directory/],
  // The environment's own files: kiln's install journal (a planted one would be "recovered" by the
  // next install, renaming files anywhere), pyvenv.cfg and the interpreter launchers.
  ["a .data file in kiln's install journal", () => wheelOf({ ...base, files: { ...base.files, "evil-1.0.data/data/.kiln-install/tx-0/plan.json": "{}" } }), "unsafeEntryPath", /\.kiln-install.*install lock and journal/],
  ["a .data file over pyvenv.cfg", () => wheelOf({ ...base, files: { ...base.files, "evil-1.0.data/data/pyvenv.cfg": "home = /" } }), "unsafeEntryPath", /pyvenv\.cfg/],
  ["a .data script named python", () => wheelOf({ ...base, files: { ...base.files, "evil-1.0.data/scripts/python": "#!python\n" } }), "unsafeEntryPath", /bin\/python"/],
  ["a console script named python3.14", () => wheelOf({ ...base, entryPoints: "[console_scripts]\npython3.14 = evil:main\n" }), "unsafeEntryPath", /bin\/python3\.14"/],
];

function wheelOf(options: Parameters<typeof makeWheel>[0]): WheelToInstall {
  const { bytes, filename } = makeWheel(options);
  return { wheel: bytes, filename, requested: true };
}

for (const [label, make, code, message] of tampered) {
  test(`refuses a wheel with ${label} and leaves the environment untouched`, async () => {
    const scheme = freshEnvironment();
    await installWheel({ ...real("iniconfig"), scheme, fs });
    const before = environmentSnapshot(scheme.prefix);
    // With a good wheel in the same transaction: neither is installed.
    await assert.rejects(installWheels([real("pluggy"), make()], { scheme, fs }), (error) => {
      assert.ok(isKilnError(error, code), `${(error as Error).message}`);
      assert.match(error.message, message);
      return true;
    });
    assert.deepEqual(environmentSnapshot(scheme.prefix), before);
    assert.deepEqual(readdirSync(join(scheme.prefix, ".kiln-install")), []);
  });
}

test("installs from a RandomAccessSource as from bytes", async () => {
  const scheme = freshEnvironment();
  const bytes = new Uint8Array(readFileSync(realWheel("iniconfig")));
  await installWheel({ wheel: bytesSource(bytes), filename: basename(realWheel("iniconfig")), scheme, fs });
  assert.deepEqual((await listInstalled(scheme, fs)).map((dist) => [dist.name, dist.requested]), [["iniconfig", false]]);
});

test("two wheels of one distribution in one install are refused", async () => {
  const scheme = freshEnvironment();
  const a = makeWheel({ name: "demo", version: "1.0", files: { "demo/a.py": "" } });
  const b = makeWheel({ name: "Demo", version: "2.0", files: { "demo/b.py": "" } });
  await assert.rejects(installWheels([{ wheel: a.bytes, filename: a.filename }, { wheel: b.bytes, filename: b.filename }], { scheme, fs }), (error) => isKilnError(error, "installConflict"));
});

test("a full disk fails the install cleanly and changes nothing", async () => {
  const scheme = venvScheme("/env", "3.14");
  const memory = memoryFileSystem({ capacity: 600_000 });
  await installWheel({ ...real("iniconfig"), scheme, fs: memory });
  const before = memory.snapshot();
  await assert.rejects(installWheel({ ...real("pytest"), scheme, fs: memory }), (error) => isKilnError(error, "installFailed") && /ENOSPC/.test(error.message) && /Nothing was changed/.test(error.hint!));
  assert.deepEqual([...memory.snapshot().keys()], [...before.keys()]);
});

test("from the unpacked-wheel cache, real files are hard-linked; one edited through an environment is not installed again", async () => {
  const wheel = real("iniconfig");
  const cache = new UnpackedWheelCache({ fs, root: join(temporary, "unpacked-cache") });
  const sha256 = sha256Hex(wheel.wheel as Uint8Array);
  const first = freshEnvironment();
  await installWheels([wheel], { scheme: first, fs, wheelCache: cache });
  const module = (scheme: InstallScheme) => join(scheme.purelib, "iniconfig", "__init__.py");
  const original = readFileSync(module(first), "utf8");
  const cached = join(cache.entryDirectory(sha256), "files", "iniconfig", "__init__.py");
  assert.equal(statSync(module(first)).ino, statSync(cached).ino);
  // From the cache alone, the wheel's bytes are not needed.
  const second = freshEnvironment();
  await installWheels([{ ...wheel, wheel: () => Promise.reject(new Error("must not read the wheel")), sha256 }], { scheme: second, fs, wheelCache: cache });
  assert.equal(readFileSync(module(second), "utf8"), original);
  // An edit of the same size through the first environment's hard link changes the cache's file;
  // the next install sees it (modified after the entry was sealed), unpacks the wheel again and
  // installs the wheel's content.
  await new Promise((resolve) => setTimeout(resolve, 20));
  writeFileSync(module(first), original.replace(/[a-z]/, (letter) => letter.toUpperCase()));
  assert.notEqual(readFileSync(cached, "utf8"), original);
  const third = freshEnvironment();
  await installWheels([{ ...wheel, sha256 }], { scheme: third, fs, wheelCache: cache });
  assert.equal(readFileSync(module(third), "utf8"), original);
  assert.notEqual(statSync(module(third)).ino, statSync(module(first)).ino);
});
