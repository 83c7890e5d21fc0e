import { strict as assert } from "node:assert";
import { spawnSync } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { test } from "node:test";
import { hostPackageVersion, hostPython } from "../../test/support/host-python.js";
import { pytestHintPluginName, pytestHintPluginSource } from "./pytest-hint-plugin.js";

const suite = `
import errno, pytest

def test_subprocess():
    raise OSError(errno.ENOTSUP, "emscripten does not support processes.")

def test_thread():
    raise RuntimeError("can't start new thread")

def test_plain():
    assert 1 == 2

@pytest.fixture
def broken():
    raise RuntimeError("can't start new thread")

def test_setup(broken):
    pass
`;

test("the pytest plugin adds the WASM limitation to pytest's own failure report, and only there", { skip: hostPackageVersion("pytest") ? false : "host pytest is not installed" }, () => {
  const dir = mkdtempSync(join(tmpdir(), "kiln-hints-"));
  try {
    writeFileSync(join(dir, `${pytestHintPluginName}.py`), pytestHintPluginSource());
    writeFileSync(join(dir, "test_limits.py"), suite);
    const run = spawnSync(hostPython, ["-m", "pytest", "-p", pytestHintPluginName, "-p", "no:cacheprovider", "test_limits.py"], {
      cwd: dir,
      encoding: "utf8",
      env: { ...process.env, PYTHONPATH: dir, PYTEST_ADDOPTS: "" },
    });
    assert.equal(run.status, 1, run.stdout + run.stderr);
    const sections = [...run.stdout.matchAll(/_{3,} (\S+) _{3,}[\s\S]*?(?=\n_{3,} |\n={3,})/g)].map((m) => [m[1], m[0]] as const);
    const hint = (name: string) => /kiln: WebAssembly limitation -+\n(WASM [^\n]*)/.exec(sections.find(([test]) => test === name)?.[1] ?? "")?.[1];
    assert.match(hint("test_subprocess") ?? "", /^WASM cannot start subprocesses/);
    assert.match(hint("test_thread") ?? "", /^WASM cannot start threads/);
    assert.equal(hint("test_plain"), undefined);
    assert.match(run.stdout, /1 error/);
    assert.match(run.stdout, /3 failed/);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
