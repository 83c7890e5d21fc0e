// End-to-end: `kiln audit` on wheels and modules written to a temporary directory; exit codes,
// formats and --fail-on.
import { strict as assert } from "node:assert";
import { randomBytes } from "node:crypto";
import { fileURLToPath } from "node:url";
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { test } from "node:test";
import { runCli } from "../../src/cli/main.js";
import { makeWheel } from "../installer/make-wheel.js";
import { buildWheel } from "../support/wheel-builder.js";
import { extensionModule } from "./support.js";

const directory = mkdtempSync(join(tmpdir(), "kiln-audit-"));
const env = { KILN_CACHE_DIR: join(directory, "cache"), NO_COLOR: "1" };
const so = "spam.cpython-314-wasm32-emscripten.so";
const clean = join(directory, "spam-1.0-cp314-cp314-pyemscripten_2026_0_wasm32.whl");
writeFileSync(clean, buildWheel("spam-1.0-cp314-cp314-pyemscripten_2026_0_wasm32.whl", { [`spam/${so}`]: extensionModule(), "spam/__init__.py": "" }));
const legacy = join(directory, "spam-1.0-cp314-cp314-pyodide_2026_0_wasm32.whl");
writeFileSync(legacy, buildWheel("spam-1.0-cp314-cp314-pyodide_2026_0_wasm32.whl", { [`spam/${so}`]: extensionModule(), "spam/__init__.py": "" }));
const broken = join(directory, "broken-1.0-cp314-cp314-pyemscripten_2026_0_wasm32.whl");
writeFileSync(broken, buildWheel("broken-1.0-cp314-cp314-pyemscripten_2026_0_wasm32.whl", { [`broken/${so}`]: extensionModule({ data: ["PyExc_Nope"] }) }));

async function kiln(...argv: string[]) {
  let stdout = "";
  let stderr = "";
  const code = await runCli(argv, { stdout: { write: (t: string) => (stdout += t) }, stderr: { write: (t: string) => (stderr += t) }, env, cwd: directory });
  return { code, stdout, stderr };
}

test("a clean wheel exits 0 and the text report names the verdict", async () => {
  const result = await kiln("audit", clean);
  assert.equal(result.code, 0, result.stderr);
  assert.match(result.stdout, /static verdict: installs, loads/);
  assert.match(result.stdout, /PyInit_spam/);
});

test("--fail-on decides which findings fail the run", async () => {
  assert.equal((await kiln("audit", legacy)).code, 0);
  const strict = await kiln("audit", "--fail-on", "warning", legacy);
  assert.equal(strict.code, 1);
  assert.match(strict.stdout, /public index \(PyPI\) refuses/);
  assert.equal((await kiln("audit", broken)).code, 1);
});

test("--format json prints the documented schema; unreadable inputs exit 2 but the rest are reported", async () => {
  const notAWheel = join(directory, "junk.whl");
  writeFileSync(notAWheel, "not a zip");
  const result = await kiln("audit", "--format", "json", clean, notAWheel);
  assert.equal(result.code, 2);
  const json = JSON.parse(result.stdout);
  assert.equal(json.schema, "kiln.audit.v1");
  assert.equal(json.reports.length, 1);
  assert.equal(json.reports[0].verdict.loads, true);
  assert.equal(json.errors[0].code, "auditInput");
  assert.match(result.stderr, /junk\.whl/);
});

test("wheels given together are reported as when each is given alone (the read buffer is reused)", async () => {
  // The larger wheel first: a later, smaller one is read into the same buffer.
  const large = join(directory, "large-1.0-cp314-cp314-pyemscripten_2026_0_wasm32.whl");
  writeFileSync(large, buildWheel("large-1.0-cp314-cp314-pyemscripten_2026_0_wasm32.whl", { [`large/${so}`]: extensionModule(), "large/data.bin": randomBytes(300_000) }));
  const together = JSON.parse((await kiln("audit", "--format", "json", large, clean, broken, legacy)).stdout).reports;
  const alone = await Promise.all([large, clean, broken, legacy].map(async (wheel) => JSON.parse((await kiln("audit", "--format", "json", wheel)).stdout).reports[0]));
  assert.deepEqual(together, alone);
});

test("--format html is one self-contained page with embedded JavaScript escaped", async () => {
  const evil = join(directory, "spam.so");
  writeFileSync(evil, extensionModule({ emJs: { name: "x", text: "(void)<::>{ document.body.innerHTML = '</pre><script>alert(1)</script>'; }" } }));
  const result = await kiln("audit", "--format", "html", evil);
  assert.equal(result.code, 0, result.stderr);
  assert.match(result.stdout, /^<!doctype html>/);
  assert.doesNotMatch(result.stdout, /<script/i);
  assert.match(result.stdout, /&lt;script&gt;alert\(1\)&lt;\/script&gt;/);
  assert.doesNotMatch(result.stdout, /(src|href)=/);
});

const notAuditable: [string, () => string, RegExp][] = [
  ["an empty directory", () => mkdirSync(join(directory, "empty"), { recursive: true }) ?? join(directory, "empty"), /"[^"]*empty": the directory is empty/],
  ["an empty directory named like a wheel", () => mkdirSync(join(directory, "fake-1.0-py3-none-any.whl"), { recursive: true }) ?? join(directory, "fake-1.0-py3-none-any.whl"), /fake-1\.0-py3-none-any\.whl": the directory is empty/],
  ["a directory of text files", () => {
    mkdirSync(join(directory, "notes"), { recursive: true });
    writeFileSync(join(directory, "notes", "readme.txt"), "hello");
    return join(directory, "notes");
  }, /"[^"]*notes": the directory holds no wheel, no unpacked wheel \(\.dist-info\) and no WebAssembly module/],
  ["a character device", () => "/dev/null", /"\/dev\/null": it is neither a file nor a directory/],
];

for (const [label, make, message] of notAuditable) {
  test(`${label} is an auditInput error (exit 2), not an empty report`, async () => {
    const result = await kiln("audit", "--format", "json", make());
    assert.equal(result.code, 2, result.stdout);
    const json = JSON.parse(result.stdout);
    assert.deepEqual(json.reports, []);
    assert.equal(json.errors[0].code, "auditInput");
    assert.match(json.errors[0].message, message);
  });
}

// Wheels kiln's installer refuses: the static verdict says they do not install.
const refusedByInstallers: [string, Parameters<typeof makeWheel>[0], string][] = [
  ["Wheel-Version 2.0", { name: "demo", version: "1.0", files: { "demo/__init__.py": "" }, wheelVersion: "2.0" }, "unsupportedWheelVersion"],
  ["a .data file over pyvenv.cfg", { name: "demo", version: "1.0", files: { "demo/__init__.py": "", "demo-1.0.data/data/pyvenv.cfg": "home = /" } }, "environmentFile"],
  ["a file where another needs a directory", { name: "demo", version: "1.0", files: { "demo/x": "", "demo/x/y.py": "" } }, "fileDirectoryConflict"],
  ["a console script outside the scripts directory", { name: "demo", version: "1.0", files: { "demo/__init__.py": "" }, entryPoints: "[console_scripts]\n../x = demo:main\n" }, "invalidEntryPoints"],
  ["an entry_points.txt line before any group", { name: "demo", version: "1.0", files: { "demo/__init__.py": "" }, entryPoints: "demo = demo:main\n" }, "invalidEntryPoints"],
  ["a console script named python3.14", { name: "demo", version: "1.0", files: { "demo/__init__.py": "" }, entryPoints: "[console_scripts]\npython3.14 = demo:main\n" }, "environmentFile"],
];

for (const [label, options, code] of refusedByInstallers) {
  test(`a wheel with ${label} is reported as not installing (${code})`, async () => {
    const { bytes, filename } = makeWheel(options);
    const path = join(directory, "refused", code, filename);
    mkdirSync(join(directory, "refused", code), { recursive: true });
    writeFileSync(path, bytes);
    const result = await kiln("audit", "--format", "json", path);
    assert.equal(result.code, 1, result.stderr);
    const [report] = JSON.parse(result.stdout).reports;
    assert.equal(report.verdict.installs, false);
    assert.ok(report.findings.some((finding: { code: string }) => finding.code === code), JSON.stringify(report.findings));
  });
}

test("a directory holding an unpacked wheel is audited like the wheel", async () => {
  const unpacked = join(directory, "unpacked");
  mkdirSync(join(unpacked, "spam"), { recursive: true });
  mkdirSync(join(unpacked, "spam-1.0.dist-info"), { recursive: true });
  writeFileSync(join(unpacked, "spam", so), extensionModule());
  writeFileSync(join(unpacked, "spam-1.0.dist-info", "WHEEL"), "Wheel-Version: 1.0\nTag: cp314-cp314-pyodide_2026_0_wasm32\n");
  const result = await kiln("audit", "--format", "json", unpacked);
  const report = JSON.parse(result.stdout).reports[0];
  assert.equal(report.input.kind, "directory");
  assert.ok(report.findings.some((f: { code: string }) => f.code === "legacyPlatformTag"));
  assert.equal(report.modules.length, 1);
});

test("--runtime pyodide@0.29.3 is fetched from the npm registry into an empty cache on first use, then reused offline", async () => {
  const cache = join(mkdtempSync(join(tmpdir(), "kiln-fresh-")), "cache");
  const audit = async (registry?: string) => {
    let stdout = "";
    const code = await runCli(["audit", "--runtime", "pyodide@0.29.3", "--format", "json", clean], {
      stdout: { write: (t: string) => (stdout += t) }, stderr: { write: () => true }, cwd: directory,
      env: { ...env, KILN_CACHE_DIR: cache, ...(registry ? { npm_config_registry: registry } : {}) },
    });
    return { code, report: JSON.parse(stdout).reports[0] };
  };
  const first = await audit();
  assert.equal(first.code, 1);
  assert.deepEqual([first.report.runtime.version, first.report.runtime.abiVersion], ["0.29.3", "2025_0"]);
  assert.ok(first.report.findings.some((f: { code: string }) => f.code === "incompatibleWithRuntime"));
  assert.ok(existsSync(join(cache, "runtimes", "pyodide-0.29.3", "pyodide.asm.wasm")));
  const offline = await audit("http://127.0.0.1:9/");
  assert.deepEqual(offline.report.runtime.version, "0.29.3");
});

test("bad options are usage errors", async () => {
  const result = await kiln("audit", "--format", "xml", clean);
  assert.equal(result.code, 2);
  assert.match(result.stderr, /--format takes text or json or html/);
});

// A --runtime directory whose JSON files are damaged: an auditRuntime error naming the file.
for (const [label, file] of [["package.json", "package.json"], ["pyodide-lock.json", "pyodide-lock.json"]] as const) {
  test(`a --runtime directory with a damaged ${label} is an auditRuntime error naming it`, async () => {
    const runtime = join(directory, `runtime-damaged-${file}`);
    mkdirSync(runtime, { recursive: true });
    const bundled = join(fileURLToPath(new URL("../../node_modules/pyodide/", import.meta.url)));
    for (const name of ["pyodide.asm.wasm", "pyodide.asm.mjs"]) copyFileSync(join(bundled, name), join(runtime, name));
    writeFileSync(join(runtime, "package.json"), file === "package.json" ? "{" : JSON.stringify({ version: `0.0.${file.length}` }));
    if (file === "pyodide-lock.json") writeFileSync(join(runtime, "pyodide-lock.json"), "{");
    const result = await kiln("audit", "--runtime", runtime, clean);
    assert.equal(result.code, 1, result.stdout);
    assert.match(result.stderr, new RegExp(`^error: Cannot read the runtime in .*runtime-damaged-${file.replace(".", "\\.")}: ${file.replace(".", "\\.")} is not valid JSON`, "m"));
    assert.doesNotMatch(result.stderr, /crashed/);
  });
}
