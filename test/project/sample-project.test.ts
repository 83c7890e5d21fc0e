import { strict as assert } from "node:assert";
import { randomUUID } from "node:crypto";
import { appendFileSync, cpSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { test } from "node:test";
import { repoRoot, runKiln, summaryRow } from "./support.js";

// Live: builds the sample project with its PEP 517 backend and installs from the public index.

test("the README's first command: kiln test examples/sample-project passes on the embedded runtime", async () => {
  const readme = readFileSync(join(repoRoot, "README.md"), "utf8");
  const first = /```sh\n([^\n]*)/.exec(readme)?.[1] ?? "";
  const kilnPart = /npx kiln ([^#&|;]*)/.exec(first)?.[1]?.trim();
  assert.equal(kilnPart, "test examples/sample-project", `the README's first command runs kiln test on the sample: ${first}`);
  const run = await runKiln(kilnPart!.split(/\s+/), { cwd: repoRoot });
  assert.equal(run.code, 0, run.stdout + run.stderr);
  assert.match(run.stdout, /platform emscripten -- Python 3\.14/, "pytest's live output");
  assert.deepEqual(summaryRow(run.stdout, "bundled"), { passed: 12, failed: 0, skipped: 1, errors: 0, result: "ok" });
});

test("a failing test makes kiln test exit non-zero, with JUnit files, GitHub annotations and the WASM limitation named", async () => {
  const dir = mkdtempSync(join(tmpdir(), "kiln-sample-"));
  try {
    const project = join(dir, "project");
    cpSync(join(repoRoot, "examples/sample-project"), project, { recursive: true });
    writeFileSync(
      join(project, "tests/test_breaks.py"),
      [
        "import subprocess, sys",
        "from kiln_sample import Inventory",
        "",
        "def test_wrong_total(inventory):",
        "    assert inventory.total() == 1",
        "",
        "def test_runs_a_subprocess():",
        "    subprocess.run([sys.executable, '-c', 'pass'], check=True)",
        "",
      ].join("\n"),
    );
    const summary = join(dir, "summary.md");
    const run = await runKiln(["test", project, "--junit-xml", join(dir, "junit"), "--", "-p", "no:cacheprovider"], {
      cwd: dir,
      env: { GITHUB_ACTIONS: "true", GITHUB_WORKSPACE: dir, GITHUB_STEP_SUMMARY: summary },
    });
    assert.equal(run.code, 1, run.stdout + run.stderr);
    const row = summaryRow(run.stdout, "bundled");
    assert.deepEqual({ ...row, result: undefined }, { passed: 12, failed: 2, skipped: 1, errors: 0, result: undefined });
    assert.match(row!.result, /^FAILED \(exit 1\)/);
    assert.match(run.stdout, /test_breaks\.py::test_runs_a_subprocess \[bundled\]: WASM cannot start subprocesses/);
    assert.match(run.stdout, /_ test_runs_a_subprocess _[\s\S]*-+ kiln: WebAssembly limitation -+\nWASM cannot start subprocesses/, "pytest's own failure report says so");
    assert.doesNotMatch(run.stdout.slice(0, run.stdout.indexOf("_ test_runs_a_subprocess _")), /kiln: WebAssembly limitation/, "not on the plain assertion failure");
    assert.match(run.stdout, /^::error file=project\/tests\/test_breaks\.py,line=5,title=tests\/test_breaks\.py%3A%3Atest_wrong_total failed on bundled::assert 247\.5 == 1/m);
    assert.match(run.stdout, /^::error file=project\/tests\/test_breaks\.py,line=8,.*%0Akiln: WASM cannot start subprocesses/m);
    assert.deepEqual(readdirSync(join(dir, "junit")), ["bundled.xml"]);
    assert.match(readFileSync(join(dir, "junit/bundled.xml"), "utf8"), /<testcase classname="tests.test_breaks" name="test_wrong_total"/);
    const markdown = readFileSync(summary, "utf8");
    assert.match(markdown, /\| bundled \(CPython 3\.14\.\d+, Pyodide [\d.]+\) \| 12 \| 2 \| 1 \| 0 \|/);
    assert.match(markdown, /WASM cannot start subprocesses/);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test("warm runs reuse the built wheel until a source file changes: an edit is built and tested", async () => {
  const dir = mkdtempSync(join(tmpdir(), "kiln-sample-"));
  try {
    const project = join(dir, "project");
    cpSync(join(repoRoot, "examples/sample-project"), project, { recursive: true });
    // A value no earlier run has built, so the first run below must build it.
    const nonce = randomUUID();
    appendFileSync(join(project, "src/kiln_sample/__init__.py"), `\nNONCE = "${nonce}"\n`);
    writeFileSync(join(project, "tests/test_nonce.py"), `import kiln_sample\n\ndef test_installed_wheel_has_the_edit():\n    assert kiln_sample.NONCE == "${nonce}"\n`);
    const edited = await runKiln(["test", project], { cwd: dir });
    assert.equal(edited.code, 0, edited.stdout + edited.stderr);
    assert.match(edited.stderr, /Building the wheel of/);
    assert.deepEqual(summaryRow(edited.stdout, "bundled"), { passed: 13, failed: 0, skipped: 1, errors: 0, result: "ok" });
    writeFileSync(join(project, "src/kiln_sample/__pycache__.pyc"), "not a source");
    const again = await runKiln(["test", project], { cwd: dir });
    assert.equal(again.code, 0, again.stdout + again.stderr);
    assert.doesNotMatch(again.stderr, /Building the wheel of/);
    assert.match(again.stderr, /Using the wheel built before from the same sources: kiln_sample-0\.1\.0-py3-none-any\.whl/);
    assert.deepEqual(summaryRow(again.stdout, "bundled"), { passed: 13, failed: 0, skipped: 1, errors: 0, result: "ok" });
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test("warm runs start pytest from a preload snapshot in the template's own directory; concurrent runs each get a fresh environment and pass", async () => {
  const env = { ...process.env, KILN_DEBUG: "1" };
  // The first run takes the preload snapshot; the second takes it again with the standard-library
  // modules the first imported before its tests (pytest's plugins, the conftest).
  for (let run = 0; run < 2; run++) await runKiln(["test", "examples/sample-project"], { cwd: repoRoot, env });
  const warm = await runKiln(["test", "examples/sample-project", "-v"], { cwd: repoRoot, env });
  assert.equal(warm.code, 0, warm.stdout + warm.stderr);
  // Another kiln test of the same set (this machine's other users share the cache) may hold the directory.
  if (!/in use by another run/.test(warm.stderr)) assert.match(warm.stderr, /Started Pyodide [\d.]+ from preload snapshot/, warm.stderr);
  assert.match(warm.stderr, /Running python -m pytest in /);
  const concurrent = await Promise.all([1, 2].map(() => runKiln(["test", "examples/sample-project", "-v"], { cwd: repoRoot, env })));
  for (const run of concurrent) {
    assert.equal(run.code, 0, run.stdout + run.stderr);
    assert.deepEqual(summaryRow(run.stdout, "bundled"), { passed: 12, failed: 0, skipped: 1, errors: 0, result: "ok" });
  }
  const preloaded = concurrent.filter((run) => /from preload snapshot/.test(run.stderr));
  assert.ok(preloaded.length <= 1, "only the run holding the template's directory can start preloaded");
});
