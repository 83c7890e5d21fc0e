import { strict as assert } from "node:assert";
import { test } from "node:test";
import { isKilnError } from "../core/index.js";
import { parseJunitReport } from "./junit-report.js";

test("reads a single <testsuite> root and a collection error", () => {
  const report = parseJunitReport(
    `<testsuite time="1.5"><testcase classname="" name="tests.test_broken" time="0"><error message="collection failure">ImportError: no</error></testcase>` +
      `<testcase classname="tests.test_ok" name="test_a" file="tests/test_ok.py" line="4" time="0.25"/></testsuite>`,
    "r.xml",
  );
  assert.deepEqual({ passed: report.passed, failed: report.failed, skipped: report.skipped, errors: report.errors, time: report.time }, { passed: 1, failed: 0, skipped: 0, errors: 1, time: 1.5 });
  assert.deepEqual(report.cases[1], { classname: "tests.test_ok", name: "test_a", file: "tests/test_ok.py", line: 5, time: 0.25, outcome: "passed", problems: [] });
  assert.equal(report.cases[0]!.problems[0]!.details, "ImportError: no");
});

for (const [text, message] of [
  ["<testsuites><testsuite>", /Cannot read the JUnit report "r.xml": XML ends inside/],
  ["<html><body/></html>", /its root is <html>/],
] as const) {
  test(`refuses a report ${JSON.stringify(text)}`, () => {
    assert.throws(() => parseJunitReport(text, "r.xml"), (error: unknown) => isKilnError(error, "invalidTestReport") && message.test(error.message));
  });
}
