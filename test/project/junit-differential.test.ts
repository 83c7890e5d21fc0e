import { strict as assert } from "node:assert";
import { spawnSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { test } from "node:test";
import { parseJunitReport } from "../../src/project/index.js";
import { hostPackageVersion, hostPython } from "../support/host-python.js";

// Every outcome pytest knows, written by host pytest, read by kiln, compared with pytest's own
// terminal counts (its `stats`), for each JUnit family.
const suite = String.raw`
import pytest

@pytest.fixture
def broken_setup():
    raise RuntimeError("setup broke")

@pytest.fixture
def broken_teardown():
    yield
    raise RuntimeError("teardown broke")

def test_pass(): pass
def test_fail(): assert 1 == 2, "one is not two"
@pytest.mark.parametrize("n", [1, 2, 3])
def test_param(n): assert n != 2
@pytest.mark.skip(reason="not today")
def test_skip(): pass
def test_skip_inside(): pytest.skip("inside")
@pytest.mark.xfail(reason="known")
def test_xfail(): assert False
@pytest.mark.xfail(reason="unexpectedly fine")
def test_xpass(): pass
@pytest.mark.xfail(strict=True)
def test_xpass_strict(): pass
def test_setup_error(broken_setup): pass
def test_teardown_error_after_pass(broken_teardown): pass
def test_teardown_error_after_fail(broken_teardown): assert False
def test_output(capsys): print("<&>\x1b]"); assert False, "bad <xml> & \"quotes\""
class TestGroup:
    def test_method(self): pass
`;

const conftest = String.raw`
import json, os
def pytest_terminal_summary(terminalreporter):
    stats = {key: len(value) for key, value in terminalreporter.stats.items() if key}
    with open(os.environ["KILN_STATS"], "w") as f:
        json.dump(stats, f)
`;

const available = hostPackageVersion("pytest") !== undefined;

for (const family of ["xunit1", "xunit2", "legacy"]) {
  test(`JUnit counts match pytest's own (junit_family=${family})`, { skip: available ? false : "host pytest is not installed (.ci/requirements.txt)" }, () => {
    const dir = mkdtempSync(join(tmpdir(), "kiln-junit-"));
    try {
      writeFileSync(join(dir, "test_outcomes.py"), suite);
      writeFileSync(join(dir, "conftest.py"), conftest);
      const stats = join(dir, "stats.json");
      const report = join(dir, "report.xml");
      const run = spawnSync(hostPython, ["-m", "pytest", "-p", "no:cacheprovider", `--junit-xml=${report}`, "-o", `junit_family=${family}`, dir], {
        cwd: dir,
        encoding: "utf8",
        env: { ...process.env, KILN_STATS: stats, PYTEST_ADDOPTS: "" },
      });
      assert.equal(run.status, 1, run.stdout + run.stderr);
      const expected = JSON.parse(readFileSync(stats, "utf8")) as Record<string, number>;
      const parsed = parseJunitReport(readFileSync(report, "utf8"), report);
      const count = (key: string) => expected[key] ?? 0;
      assert.deepEqual(
        { passed: parsed.passed, failed: parsed.failed, skipped: parsed.skipped, errors: parsed.errors },
        {
          passed: count("passed") + count("xpassed"),
          failed: count("failed"),
          skipped: count("skipped") + count("xfailed"),
          errors: count("error"),
        },
      );
      const output = parsed.cases.find((c) => c.name === "test_output")!;
      assert.equal(output.outcome, "failed");
      assert.match(output.problems[0]!.message, /bad <xml> & "quotes"/);
      if (family === "xunit1") {
        assert.equal(output.file, "test_outcomes.py");
        assert.equal(output.line, suite.split("\n").findIndex((line) => line.startsWith("def test_output")) + 1);
      }
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
}
