import { strict as assert } from "node:assert";
import { spawnSync } from "node:child_process";
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { test } from "node:test";
import { fileURLToPath } from "node:url";
import { runCli } from "../src/cli/main.js";
import { makeWheel } from "./installer/make-wheel.js";

function capture(): { sink: { write(text: string): boolean; isTTY?: boolean }; text: () => string } {
  let buffer = "";
  return { sink: { write: (text: string) => ((buffer += text), true) }, text: () => buffer };
}

async function kiln(argv: string[], env: Record<string, string> = {}) {
  const stdout = capture();
  const stderr = capture();
  const code = await runCli(argv, { stdout: stdout.sink, stderr: stderr.sink, env, cwd: process.cwd() });
  return { code, stdout: stdout.text(), stderr: stderr.text() };
}

test("--version prints the package version", async () => {
  const result = await kiln(["--version"]);
  assert.equal(result.code, 0);
  assert.match(result.stdout, /^kiln \d+\.\d+\.\d+/);
});

test("--help lists usage and exits 0; no arguments shows help and exits 2", async () => {
  const help = await kiln(["--help"]);
  assert.equal(help.code, 0);
  assert.match(help.stdout, /Usage: kiln/);
  const bare = await kiln([]);
  assert.equal(bare.code, 2);
});

test("an unknown command is a usage error with a hint", async () => {
  const result = await kiln(["frobnicate"]);
  assert.equal(result.code, 2);
  assert.match(result.stderr, /^error: "kiln" has no command "frobnicate"\nhint: /m);
});

test("errors carry no colour unless asked; --color=always paints them", async () => {
  const plain = await kiln(["frobnicate"], { FORCE_COLOR: "1", NO_COLOR: "1" });
  assert.doesNotMatch(plain.stderr, /\u001b\[/);
  const painted = await kiln(["--color=always", "frobnicate"]);
  assert.match(painted.stderr, /\u001b\[31m/);
  const bad = await kiln(["--color=purple", "--help"]);
  assert.equal(bad.code, 2);
  assert.match(bad.stderr, /--color takes auto, always or never/);
});

test("the built kiln binary runs from a shell", () => {
  const bin = fileURLToPath(new URL("../bin/kiln.js", import.meta.url));
  const result = spawnSync(process.execPath, [bin, "--version"], { encoding: "utf8" });
  assert.equal(result.status, 0, result.stderr);
  assert.match(result.stdout, /^kiln /);
});

test("a cache directory that is a file is a clear cacheIo error for every command that uses the cache", async () => {
  const root = mkdtempSync(join(tmpdir(), "kiln-cli-cache-"));
  try {
    const file = join(root, "not-a-directory");
    writeFileSync(file, "x");
    const venv = fakeVenv(root);
    const cases: [string[], Record<string, string>][] = [
      [["run", "-c", "pass"], { KILN_CACHE_DIR: file }],
      [["pip", "install", "--dry-run", "--no-index", "demo", "--python", venv], { KILN_CACHE_DIR: file }],
      [["pip", "install", "--dry-run", "--no-index", "demo", "--python", venv, "--cache-dir", file], {}],
      [["cache", "prune"], { KILN_CACHE_DIR: file }],
      [["lock", "demo", "--no-index", "-o", join(root, "pylock.toml")], { KILN_CACHE_DIR: file }],
    ];
    for (const [argv, env] of cases) {
      const result = await kiln(argv, env);
      assert.equal(result.code, 1, `${argv.join(" ")}: ${result.stderr}`);
      assert.match(result.stderr, /^error: Cannot use the cache directory ".*not-a-directory" \(from (KILN_CACHE_DIR|--cache-dir)\): it is not a directory\nhint: /m, argv.join(" "));
    }
  } finally {
    rmSync(root, { recursive: true, force: true });
  }
});

/** A directory with the pyvenv.cfg `kiln venv` writes for the bundled runtime: enough for pip commands that do not start Python. */
function fakeVenv(root: string): string {
  const venv = join(root, "venv");
  mkdirSync(join(venv, "lib", "python3.14", "site-packages"), { recursive: true });
  writeFileSync(
    join(venv, "pyvenv.cfg"),
    "home = /usr/bin\nversion = 3.14.2\nkiln = 0.1.0\nkiln-runtime = bundled\nkiln-pyodide-version = 314.0.7\nkiln-abi-version = 2026_0\n" +
      "kiln-platform-tag = pyemscripten_2026_0_wasm32\nkiln-platform-tags = pyemscripten_2026_0_wasm32 pyodide_2026_0_wasm32 emscripten_5_0_3_wasm32 any\n",
  );
  return venv;
}

test("an output path that cannot be written (a directory, a missing directory, a file for a directory) is an outputUnwritable error", async () => {
  const root = mkdtempSync(join(tmpdir(), "kiln-cli-output-"));
  try {
    const links = join(root, "links");
    mkdirSync(links);
    const demo = makeWheel({ name: "demo", version: "1.0", files: { "demo/__init__.py": "" } });
    writeFileSync(join(links, demo.filename), demo.bytes);
    const aFile = join(root, "a-file");
    writeFileSync(aFile, "x");
    const venv = fakeVenv(root);
    const offline = ["--no-index", "-f", links, "--no-pyodide-index"];
    const cases: [string[], RegExp][] = [
      [["lock", "demo", ...offline, "-o", links], /Cannot write the lock file ".*links": it is a directory/],
      [["lock", "demo", ...offline, "-o", join(root, "missing", "pylock.toml")], /Cannot write the lock file ".*pylock\.toml": its directory does not exist/],
      [["pip", "install", "demo", ...offline, "--python", venv, "--dry-run", "--report", links], /Cannot write the installation report ".*links": it is a directory/],
      [["pip", "download", "demo", ...offline, "--python", venv, "-d", aFile], /Cannot create the download directory ".*a-file": it is a file/],
      [["build", links, "--outdir", aFile], /Cannot create the output directory ".*a-file": it is a file/],
      [["test", links, "--junit-xml", aFile], /Cannot create the JUnit XML directory ".*a-file": it is a file/],
      [["build", links, "--outdir", join(aFile, "dist")], /Cannot create the output directory ".*a-file\/dist": /],
    ];
    for (const [argv, message] of cases) {
      const result = await kiln(argv, { KILN_CACHE_DIR: join(root, "cache") });
      assert.equal(result.code, 1, `${argv.join(" ")}: ${result.stderr}`);
      assert.match(result.stderr, message, argv.join(" "));
      assert.doesNotMatch(result.stderr, /crashed/);
    }
  } finally {
    rmSync(root, { recursive: true, force: true });
  }
});

test("lock -o and pip compile -o refuse to overwrite a file that is not a lock they may replace, and leave it as it was", async () => {
  const root = mkdtempSync(join(tmpdir(), "kiln-cli-lock-output-"));
  try {
    const links = join(root, "links");
    mkdirSync(links);
    const demo = makeWheel({ name: "demo", version: "1.0", files: { "demo/__init__.py": "" } });
    writeFileSync(join(links, demo.filename), demo.bytes);
    const offline = ["--no-index", "-f", links, "--no-pyodide-index"];
    const env = { KILN_CACHE_DIR: join(root, "cache") };
    const file = (name: string, text: string) => (writeFileSync(join(root, name), text), join(root, name));
    const refused: [string[], string, RegExp][] = [
      [["lock", "demo", ...offline, "-o"], file("pyproject.toml", '[project]\nname = "app"\n'), /it is not a pylock\.toml kiln can read \(`lock-version` is missing\)/],
      [["lock", "demo", ...offline, "-o"], file("major.toml", 'lock-version = "2.0"\ncreated-by = "future"\n'), /lock-version is newer than kiln writes/],
      [["lock", "demo", ...offline, "-o"], file("minor.toml", 'lock-version = "1.9"\ncreated-by = "future"\n'), /lock-version 1\.9 is newer than kiln writes \(1\.0\)/],
      [["lock", "demo", ...offline, "--format", "pyodide-lock", "-o"], file("package.json", '{"name": "app"}\n'), /not a pyodide-lock\.json/],
      [["pip", "compile", join(root, "requirements.in"), ...offline, "-o"], file("requirements.in", "demo>=1\n"), /not a file of pinned requirements \(line 1: "demo>=1"\)/],
      [["lock", "demo", ...offline, "--format", "requirements", "-o"], file("notes.txt", "# notes\nkeep this\n"), /line 2: "keep this"/],
    ];
    for (const [argv, path, message] of refused) {
      const before = readFileSync(path, "utf8");
      const result = await kiln([...argv, path], env);
      assert.equal(result.code, 1, `${argv.join(" ")}: ${result.stderr}`);
      assert.match(result.stderr, /error: Will not overwrite ".*"/);
      assert.match(result.stderr, message);
      assert.match(result.stderr, /hint: Give another output file with -o/);
      assert.equal(readFileSync(path, "utf8"), before, "the file is left as it was");
    }
    // Locks kiln wrote (and an empty file) are replaced.
    const replaced: string[][] = [
      ["lock", "demo", ...offline, "-o", file("empty.toml", "")],
      ["lock", "demo", ...offline, "-o", join(root, "pylock.toml")],
      ["lock", "demo", ...offline, "-o", join(root, "pylock.toml")],
      ["pip", "compile", file("app.in", "demo\n"), ...offline, "-o", join(root, "requirements.txt")],
      ["pip", "compile", join(root, "app.in"), ...offline, "-o", join(root, "requirements.txt")],
    ];
    for (const argv of replaced) {
      const result = await kiln(argv, env);
      assert.equal(result.code, 0, `${argv.join(" ")}: ${result.stderr}`);
      assert.match(readFileSync(argv.at(-1)!, "utf8"), /demo/);
    }
  } finally {
    rmSync(root, { recursive: true, force: true });
  }
});
