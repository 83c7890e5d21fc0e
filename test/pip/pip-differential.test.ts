// kiln pip against the real pip (pinned, in a host venv of its own), on the same wheels from a
// --find-links directory: what scripts parse (freeze, list's freeze and JSON formats, show's
// fields, exit codes) must be the same text, paths and the interpreter's version aside.
import { strict as assert } from "node:assert";
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, test } from "node:test";
import { makeWheel, type MakeWheelOptions } from "../installer/make-wheel.js";
import { realWheel } from "../support/real-wheels.js";
import { hostPip, hostPipDirectory, hostTargetVenv } from "./host-pip.js";
import { fakeVenv, kiln } from "./support.js";

let root: string;
let links: string;

before(() => {
  hostPipDirectory();
  root = mkdtempSync(join(tmpdir(), "kiln-pip-differential-"));
  links = join(root, "links");
  mkdirSync(links);
  for (const name of ["pytest", "pluggy", "iniconfig", "packaging"] as const) copyFileSync(realWheel(name), join(links, realWheel(name).split("/").pop()!));
  const wheels: MakeWheelOptions[] = [
    { name: "app", version: "1.0", requires: ["lib>=2", "winonly; sys_platform == 'win32'"], files: { "app/__init__.py": "def main(): pass\n" }, entryPoints: "[console_scripts]\napp = app:main\n\n[gui_scripts]\napp-gui = app:main\n" },
    { name: "lib", version: "2.0", files: { "lib/__init__.py": "" } },
    { name: "lib", version: "2.1", files: { "lib/__init__.py": "" } },
    { name: "solo", version: "0.5", requires: ["lib"], files: { "solo.py": "" } },
    { name: "Mixed_Case.Name", version: "1.0", files: { "mixed.py": "" } },
  ];
  for (const options of wheels) {
    const { bytes, filename } = makeWheel(options);
    // lib 2.0 as a local path only (a direct reference), the rest from the --find-links directory.
    writeFileSync(join(filename.startsWith("lib-2.0-") ? root : links, filename), bytes);
  }
});

after(() => rmSync(root, { recursive: true, force: true }));

/** A kiln venv and a host venv with the same packages, installed by kiln pip and by pip. */
async function twoEnvironments(name: string, options: { install?: boolean } = {}) {
  const kilnVenv = fakeVenv();
  const hostPrefix = hostTargetVenv(join(root, name));
  const run = async (args: string[], stdin?: string) => {
    const ours = await kiln(["pip", ...args], { cwd: kilnVenv.root, ...(stdin === undefined ? {} : { stdin }), env: { KILN_CACHE_DIR: join(kilnVenv.root, ".kiln-cache") } });
    const theirs = hostPip(hostPrefix, args, { cwd: root, ...(stdin === undefined ? {} : { input: stdin }) });
    const normalize = (text: string) =>
      text
        .replaceAll(kilnVenv.prefix, "ENV")
        .replaceAll(hostPrefix, "ENV")
        .replace(/python3\.\d+/g, "pythonX")
        .replace(/cpython-3\d+/g, "cpython-X");
    return { ours: { ...ours, stdout: normalize(ours.stdout) }, theirs: { ...theirs, stdout: normalize(theirs.stdout) } };
  };
  const install = ["install", "--no-compile", "--no-index", "--find-links", links, "--no-deps", "pytest", "pluggy", "iniconfig", "packaging", "app", "Mixed_Case.Name", join(root, "lib-2.0-py3-none-any.whl")];
  if (options.install === false) return { run, kilnVenv, hostPrefix };
  const installed = await run(install);
  assert.equal(installed.ours.code, 0, installed.ours.stderr);
  assert.equal(installed.theirs.code, 0, installed.theirs.stderr);
  return { run, kilnVenv, hostPrefix };
}

test("freeze, list --format freeze/json (-v) and their filters print what pip prints", async () => {
  const { run } = await twoEnvironments("listing");
  for (const args of [
    ["freeze"],
    ["freeze", "--exclude", "pytest", "-l"],
    ["list", "--format", "freeze"],
    ["list", "--format", "json"],
    ["list", "--format", "json", "--not-required"],
    ["list", "--exclude", "pluggy", "--exclude", "Mixed-Case-Name"],
    ["list", "-v", "--format", "freeze"],
  ]) {
    const { ours, theirs } = await run(args);
    assert.equal(ours.code, theirs.code, `${args.join(" ")}: ${ours.stderr}`);
    assert.equal(ours.stdout, theirs.stdout, args.join(" "));
  }
  // freeze -r: the file's order, comments and index options, then the rest; warnings as pip's.
  writeFileSync(join(root, "frozen-order.txt"), ["--index-url https://example.org/simple/", "# tools", "pytest  # the runner", "", "missing==1", "Pluggy", "-f ./links", "-f ./links", "pytest", ""].join("\n"));
  const ordered = await run(["freeze", "-r", join(root, "frozen-order.txt")]);
  assert.equal(ordered.ours.code, 0, ordered.ours.stderr);
  assert.equal(ordered.ours.stdout, ordered.theirs.stdout);
  const warnings = (text: string) => text.split("\n").filter((line) => /^(WARNING|warning): /.test(line)).map((line) => line.replace(/^(WARNING|warning): /, ""));
  assert.deepEqual(warnings(ordered.ours.stderr), warnings(ordered.theirs.stderr));
  assert.equal(warnings(ordered.ours.stderr).length, 2);
  // A file without blank lines gets none after its last line.
  writeFileSync(join(root, "frozen-plain.txt"), "pytest\n");
  const plain = await run(["freeze", "-r", join(root, "frozen-plain.txt")]);
  assert.equal(plain.ours.stdout, plain.theirs.stdout);
  // Where pip's freeze chokes on a requirement continued over lines (its --hash lines), kiln keeps it.
  writeFileSync(join(root, "frozen-hashes.txt"), "pytest==9.2.0 \\\n    --hash=sha256:00\n");
  const hashed = await run(["freeze", "-r", join(root, "frozen-hashes.txt")]);
  assert.equal(hashed.ours.code, 0, hashed.ours.stderr);
  assert.match(hashed.ours.stdout, /^pytest==9\.2\.0\n## The following requirements were added by pip freeze:\n/);
  const verbose = await run(["list", "-v", "--format", "json"]);
  assert.equal(verbose.ours.stdout.replaceAll('"installer": "kiln"', '"installer": "pip"'), verbose.theirs.stdout, "list -v: INSTALLER says kiln, the rest is pip's");
});

test("show prints pip's fields (License-Expression, a Project-URL home page, -v, sorted --files); one found name is success", async () => {
  const { run } = await twoEnvironments("show");
  for (const args of [["show", "pytest", "pluggy", "lib"], ["show", "app", "nothere"], ["show", "--files", "app", "lib"], ["show", "nothere"]]) {
    const { ours, theirs } = await run(args);
    assert.equal(ours.code, theirs.code, `${args.join(" ")}: ${ours.stderr}`);
    assert.equal(ours.stdout, theirs.stdout, args.join(" "));
  }
  const verbose = await run(["show", "-v", "app", "pytest"]);
  assert.equal(verbose.ours.stdout.replaceAll("Installer: kiln", "Installer: pip"), verbose.theirs.stdout);
});

test("uninstall without -y asks on stdin, piped or not: n keeps the package, y removes it, no answer refuses", async () => {
  const { run, kilnVenv } = await twoEnvironments("uninstall");
  const kept = await run(["uninstall", "iniconfig"], "n\n");
  assert.equal(kept.ours.code, 0, kept.ours.stderr);
  assert.equal(kept.theirs.code, 0);
  assert.equal(kept.ours.stdout, kept.theirs.stdout);
  assert.ok(existsSync(join(kilnVenv.sitePackages, "iniconfig-2.3.1.dist-info")));
  const none = await kiln(["pip", "uninstall", "iniconfig"], { cwd: kilnVenv.root });
  assert.notEqual(none.code, 0);
  assert.match(none.stderr, /Cannot uninstall iniconfig-2\.3\.1: stdin ended before an answer/);
  assert.ok(existsSync(join(kilnVenv.sitePackages, "iniconfig-2.3.1.dist-info")));
  const removed = await run(["uninstall", "iniconfig", "app"], "y\nn\n");
  assert.equal(removed.ours.code, 0, removed.ours.stderr);
  assert.equal(removed.ours.stdout, removed.theirs.stdout);
  assert.ok(!existsSync(join(kilnVenv.sitePackages, "iniconfig-2.3.1.dist-info")));
  assert.ok(existsSync(join(kilnVenv.sitePackages, "app-1.0.dist-info")));
});

test("--dry-run --report: the same entries as pip's, with the sha256 of local files pip computes", async () => {
  // Into empty environments with an empty cache: nothing has hashed the files before.
  const { run } = await twoEnvironments("report", { install: false });
  type Item = { metadata: { name: string }; download_info: unknown; is_direct: boolean; requested: boolean; requested_extras?: string[] };
  const entries = (text: string) =>
    (JSON.parse(text).install as Item[])
      .map((item) => ({ metadata: item.metadata, download_info: item.download_info, is_direct: item.is_direct, requested: item.requested, requested_extras: item.requested_extras }))
      .sort((a, b) => a.metadata.name.localeCompare(b.metadata.name));
  // With --no-deps too: the report carries the packages' own metadata, Requires-Dist included.
  for (const extra of [["app"], ["--no-deps", "app", "pytest[dev]"]]) {
    const args = ["install", "--dry-run", "--no-index", "--find-links", links, "--report", "-", "-q", ...extra, join(root, "lib-2.0-py3-none-any.whl")];
    const { ours, theirs } = await run(args);
    assert.equal(ours.code, 0, ours.stderr);
    assert.equal(theirs.code, 0, theirs.stderr);
    assert.deepEqual(entries(ours.stdout), entries(theirs.stdout), extra.join(" "));
  }
});

test("install -U --upgrade-strategy eager moves the dependencies too; only-if-needed (the default) keeps them", async () => {
  const { run } = await twoEnvironments("strategy", { install: false });
  const from = ["--no-compile", "--no-index", "--find-links", links];
  for (const [args, expected] of [
    [["install", ...from, "solo", join(root, "lib-2.0-py3-none-any.whl")], undefined],
    [["install", ...from, "-U", "solo"], /^lib @ /m],
    [["install", ...from, "-U", "--upgrade-strategy", "only-if-needed", "solo"], /^lib @ /m],
    [["install", ...from, "-U", "--upgrade-strategy", "eager", "solo"], /^lib==2\.1$/m],
  ] as const) {
    const { ours, theirs } = await run([...args]);
    assert.equal(ours.code, 0, ours.stderr);
    assert.equal(theirs.code, 0, theirs.stderr);
    const freeze = await run(["freeze"]);
    assert.equal(freeze.ours.stdout, freeze.theirs.stdout, args.join(" "));
    if (expected) assert.match(freeze.ours.stdout, expected);
  }
  const bad = await run(["install", ...from, "-U", "--upgrade-strategy", "sometimes", "solo"]);
  assert.equal(bad.ours.code, 2);
  assert.equal(bad.theirs.code, 2);
});

test("--require-hashes: a package from a --find-links directory without a --hash is refused with the line to add, hash included, as pip gives it", async () => {
  const { run } = await twoEnvironments("hashes", { install: false });
  const requirements = join(root, "hashed.txt");
  writeFileSync(requirements, "iniconfig==2.3.1\n");
  const { ours, theirs } = await run(["install", "--no-index", "--find-links", links, "--require-hashes", "-r", requirements]);
  assert.equal(ours.code, 1);
  assert.equal(theirs.code, 1);
  const line = /iniconfig==2\.3\.1 --hash=sha256:[0-9a-f]{64}/;
  assert.equal(ours.stderr.match(line)?.[0], theirs.stderr.match(line)?.[0], ours.stderr);
});

test("download saves the same wheels as pip and names them as pip does (./ below the working directory)", async () => {
  const { run } = await twoEnvironments("download", { install: false });
  const { ours, theirs } = await run(["download", "--no-index", "--find-links", links, "-d", "downloaded", "solo"]);
  assert.equal(ours.code, 0, ours.stderr);
  assert.equal(theirs.code, 0, theirs.stderr);
  const saved = (text: string) => text.split("\n").filter((line) => line.startsWith("Saved ")).sort();
  assert.deepEqual(saved(ours.stdout), saved(theirs.stdout));
  assert.deepEqual(saved(ours.stdout), ["Saved ./downloaded/lib-2.1-py3-none-any.whl", "Saved ./downloaded/solo-0.5-py3-none-any.whl"]);
});

test("uninstall takes what pip takes: names, requirements and paths of wheels, on the command line and in -r files (options lines ignored)", async () => {
  const { run, kilnVenv } = await twoEnvironments("uninstall-paths");
  const requirements = join(root, "remove.txt");
  writeFileSync(requirements, [`--index-url https://example.org/simple/`, join(links, "iniconfig-2.3.1-py3-none-any.whl"), "packaging>=1", ""].join("\n"));
  for (const args of [["uninstall", "-y", "-r", requirements], ["uninstall", "-y", join(root, "lib-2.0-py3-none-any.whl"), "pytest[dev]"]]) {
    const { ours, theirs } = await run(args);
    assert.equal(ours.code, theirs.code, `${args.join(" ")}: ${ours.stderr}`);
    assert.equal(ours.stdout, theirs.stdout, args.join(" "));
  }
  const left = (await run(["freeze"])).ours.stdout;
  assert.equal(left, (await run(["freeze"])).theirs.stdout);
  assert.doesNotMatch(left, /^(iniconfig|packaging|lib|pytest)\b/m);
  assert.ok(existsSync(join(kilnVenv.sitePackages, "pluggy-1.7.0.dist-info")));
});

test("check reports an installed wheel whose tags do not fit the platform, as pip does", async () => {
  const { run, kilnVenv, hostPrefix } = await twoEnvironments("check-platform");
  const ok = await run(["check"]);
  assert.equal(ok.ours.code, ok.theirs.code);
  assert.equal(ok.ours.stdout, ok.theirs.stdout);
  // A Windows-only wheel, as if copied in: neither platform supports it.
  const hostSite = join(hostPrefix, "lib", readdirSync(join(hostPrefix, "lib")).find((name) => name.startsWith("python"))!, "site-packages");
  for (const site of [kilnVenv.sitePackages, hostSite]) {
    const wheel = join(site, "iniconfig-2.3.1.dist-info", "WHEEL");
    writeFileSync(wheel, readFileSync(wheel, "utf8").replace(/^Tag: .*$/m, "Tag: cp39-cp39-win_amd64"));
  }
  const { ours, theirs } = await run(["check"]);
  assert.equal(ours.code, 1, ours.stderr);
  assert.equal(theirs.code, 1);
  assert.equal(ours.stdout, theirs.stdout);
  assert.match(ours.stdout, /^iniconfig 2\.3\.1 is not supported on this platform$/m);
});
