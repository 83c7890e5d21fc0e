// The bundled CLI (scripts/bundle.mjs) must keep working for files kiln loads by path at run time:
// `new URL("./x.js", import.meta.url)` in a bundled chunk resolves next to the chunk, so every such
// file must be an entry of the bundle, and `../../` references must reach the package root from
// dist/bundle/ as they do from tsc's dist/<layer>/.
import { strict as assert } from "node:assert";
import { spawnSync } from "node:child_process";
import { closeSync, existsSync, mkdirSync, mkdtempSync, openSync, readdirSync, readFileSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, relative } from "node:path";
import { test } from "node:test";
import { fileURLToPath } from "node:url";
import { makeWheel } from "./installer/make-wheel.js";
import { fakeVenv } from "./pip/support.js";

const root = fileURLToPath(new URL("..", import.meta.url));
const bundle = join(root, "dist", "bundle");

function sourceFiles(directory: string): string[] {
  return readdirSync(directory, { withFileTypes: true }).flatMap((entry) => {
    const path = join(directory, entry.name);
    if (entry.isDirectory()) return sourceFiles(path);
    return entry.name.endsWith(".ts") && !entry.name.endsWith(".test.ts") ? [path] : [];
  });
}

/** Every `new URL("<reference>", import.meta.url)` in src/, by file. */
function pathReferences(): { file: string; reference: string }[] {
  const found: { file: string; reference: string }[] = [];
  for (const file of sourceFiles(join(root, "src"))) {
    for (const match of readFileSync(file, "utf8").matchAll(/new URL\(\s*"([^"]+)",\s*import\.meta\.url\s*\)/g)) {
      found.push({ file: relative(root, file), reference: match[1]! });
    }
  }
  return found;
}

test("the source has path references to check (the pattern still matches how kiln loads its workers)", () => {
  const references = pathReferences().map(({ reference }) => reference);
  assert.ok(references.includes("./node-python-worker.js"), references.join(", "));
  assert.ok(references.includes("../../bin/kiln.js"), references.join(", "));
});

test("every file kiln loads by path resolves from the bundle's directory", { skip: !existsSync(bundle) && "dist/bundle is not built (npm run build)" }, () => {
  for (const { file, reference } of pathReferences()) {
    const fromBundle = fileURLToPath(new URL(reference, `file://${bundle}/chunk.js`));
    assert.ok(existsSync(fromBundle), `${file} loads "${reference}" by path; from dist/bundle/ that is ${relative(root, fromBundle)}, which the bundle lacks (add an entry point in scripts/bundle.mjs)`);
  }
});

test("bin/kiln.js runs the bundle, and kiln pip its one-file form through the code cache", () => {
  const bin = readFileSync(join(root, "bin", "kiln.js"), "utf8");
  assert.match(bin, /import\("\.\.\/dist\/bundle\/kiln\.js"\)/);
  assert.match(bin, /join\(__dirname, "\.\.", "dist", "bundle", "kiln-cli\.cjs"\)/);
  assert.match(bin, /require\("\.\.\/dist\/bundle\/node-code-cache\.cjs"\)/);
});

test("bin/kiln.js is CommonJS, so no command starts Node's ES-module loader before kiln runs", () => {
  assert.equal(JSON.parse(readFileSync(join(root, "bin", "package.json"), "utf8")).type, "commonjs");
  const packageJson = JSON.parse(readFileSync(join(root, "package.json"), "utf8")) as { files: string[]; bin: Record<string, string> };
  assert.equal(packageJson.bin.kiln, "./bin/kiln.js");
  assert.ok(packageJson.files.includes("bin"), "bin/package.json is published with bin/kiln.js");
});

test("the built CLI runs from bin/kiln.js as CommonJS, also through a link as npm installs it", { skip: !existsSync(join(bundle, "node-code-cache.cjs")) && "dist/bundle is not built (npm run build)" }, () => {
  const directory = mkdtempSync(join(tmpdir(), "kiln-bin-"));
  try {
    const linked = join(directory, "kiln");
    symlinkSync(join(root, "bin", "kiln.js"), linked);
    // The code-cache path (kiln pip) and the ES-module path (kiln --version) both work through the link.
    const env = { ...process.env, KILN_CACHE_DIR: join(directory, "cache"), KILN_DEBUG_CODE_CACHE: "1" };
    for (const argv of [["pip", "--version"], ["pip", "--version"], ["--version"]]) {
      const result = spawnSync(process.execPath, [linked, ...argv], { encoding: "utf8", env });
      assert.equal(result.status, 0, result.stderr);
      assert.match(result.stdout, argv[0] === "pip" ? /^pip \S+ from kiln / : /^kiln \S+/);
    }
    assert.match(spawnSync(process.execPath, [linked, "pip", "--version"], { encoding: "utf8", env }).stderr, /code cache used/);
  } finally {
    rmSync(directory, { recursive: true, force: true });
  }
});

test("kiln pip install never makes Node's stdout and stderr streams for files (a quiet one writes nothing, one that prints writes directly), nor loads node:fs/promises", { skip: !existsSync(join(bundle, "node-code-cache.cjs")) && "dist/bundle is not built (npm run build)" }, () => {
  const venv = fakeVenv();
  try {
    const { bytes, filename } = makeWheel({ name: "quiet", version: "1.0", files: { "quiet.py": "" } });
    mkdirSync(join(venv.root, "wheels"));
    writeFileSync(join(venv.root, "wheels", filename), bytes);
    // stdout and stderr are files, which Node makes into SyncWriteStreams (a module of their own) on first use.
    const probe = join(venv.root, "probe.cjs");
    writeFileSync(probe, 'process.on("exit", () => require("node:fs").writeFileSync(process.env.PROBE_OUT, JSON.stringify(process.moduleLoadList.filter((m) => /sync_write_stream|fs\\/promises/.test(m)))));');
    const env = { ...process.env, KILN_CACHE_DIR: join(venv.root, "cache"), PIP_NO_COMPILE: "1", PROBE_OUT: join(venv.root, "probe.json") };
    // The probe sees a stream made for a file (the control: Node's own process.stdout).
    const control = openSync(join(venv.root, "control"), "w");
    spawnSync(process.execPath, ["-r", probe, "-e", 'process.stdout.write("x")'], { env, stdio: ["ignore", control, "ignore"] });
    closeSync(control);
    assert.ok((JSON.parse(readFileSync(join(venv.root, "probe.json"), "utf8")) as string[]).some((name) => name.includes("sync_write_stream")));
    // The first install fills kiln's caches (a cold path); the ones checked install from them.
    for (const quiet of [undefined, true, false]) {
      const [out, err] = [openSync(join(venv.root, "out"), "w"), openSync(join(venv.root, "err"), "w")];
      const args = ["-r", probe, join(root, "bin", "kiln.js"), "pip", "install", ...(quiet !== false ? ["-q"] : []), "--force-reinstall", "--python", venv.prefix, "--no-index", "-f", join(venv.root, "wheels"), "quiet==1.0"];
      const result = spawnSync(process.execPath, args, { env, stdio: ["ignore", out, err] });
      [out, err].forEach((descriptor) => closeSync(descriptor));
      assert.equal(result.status, 0, readFileSync(join(venv.root, "err"), "utf8"));
      if (quiet === undefined) continue;
      const printed = readFileSync(join(venv.root, "out"), "utf8");
      assert.equal(printed === "", quiet, printed);
      const loaded = JSON.parse(readFileSync(join(venv.root, "probe.json"), "utf8")) as string[];
      // Text for a file (or a pipe) is written with write(2), without a stream (src/platform/node-lazy-stdio.ts).
      const made = loaded.filter((name) => name.includes("sync_write_stream"));
      assert.deepEqual(made, [], `quiet ${quiet}`);
      // Nor does an install from local wheels load node:fs/promises (src/platform/node-fs-promises.ts).
      assert.deepEqual(loaded.filter((name) => name.includes("fs/promises")), []);
    }
  } finally {
    rmSync(venv.root, { recursive: true, force: true });
  }
});

test("the one-file bundles are ASCII, so the code-cache runner decodes them as Latin-1", { skip: !existsSync(join(bundle, "kiln-cli.cjs")) && "dist/bundle is not built (npm run build)" }, () => {
  for (const name of ["kiln-cli.cjs", "node-venv-python.cjs"]) {
    const bytes = readFileSync(join(bundle, name));
    const offending = bytes.findIndex((byte) => byte > 0x7f);
    assert.equal(offending, -1, `${name} has a non-ASCII byte at ${offending}: ${bytes.subarray(Math.max(0, offending - 60), offending + 20).toString("utf8")}`);
  }
});

test("the one-file bundle has no import() of its own (code from a code cache cannot run it on Node 20)", { skip: !existsSync(join(bundle, "kiln-cli.cjs")) && "dist/bundle is not built (npm run build)" }, () => {
  const text = readFileSync(join(bundle, "kiln-cli.cjs"), "utf8");
  // "import(s)" is message text; a module loaded by URL goes through src/platform/import-module.ts.
  const calls = [...text.matchAll(/(?<![\w$.])import\((?!s\))/g)].map((match) => text.slice(match.index! - 40, match.index! + 40));
  assert.deepEqual(calls, []);
  assert.match(text, /__kilnImport\(/);
});
