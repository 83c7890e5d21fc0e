import type { TestCaseResult } from "./junit-report.js";
import type { ProjectTestResult, RuntimeTestResult } from "./run-project-tests.js";
import { wasmLimitationOf } from "./wasm-limitation.js";

/** One failed or errored test, with what WASM could not do when that is the cause. */
export interface TestFailure {
  runtime: string;
  test: TestCaseResult;
  kind: "failed" | "error";
  message: string;
  details: string;
  /** The WASM limitation the failure shows, when it shows one. */
  limitation?: string;
}

/**
 * Every failure and error of a run, runtime by runtime, each with its WASM-limitation explanation
 * when the message or traceback shows one (subprocesses, threads, sockets, …).
 *
 * @example
 * for (const failure of testFailures(result)) console.log(failure.test.name, failure.limitation ?? "");
 */
export function testFailures(result: ProjectTestResult): TestFailure[] {
  return result.results.flatMap((run) =>
    (run.report?.cases ?? []).flatMap((test) =>
      test.problems.map((problem) => {
        const limitation = wasmLimitationOf(`${problem.message}\n${problem.details}`);
        const failure: TestFailure = { runtime: run.runtime, test, kind: problem.kind, message: problem.message, details: problem.details };
        if (limitation) failure.limitation = limitation.explanation;
        return failure;
      }),
    ),
  );
}

/** `tests/test_x.py::TestA::test_b[1]`, as pytest names a test, from JUnit's classname and name. */
export function testId(test: TestCaseResult): string {
  if (test.file && test.classname) {
    const module = test.file.replace(/\.py$/, "").replaceAll("/", ".");
    const rest = test.classname.startsWith(`${module}.`) ? test.classname.slice(module.length + 1) : "";
    return [test.file, ...(rest ? rest.split(".") : []), test.name].join("::");
  }
  return test.classname ? `${test.classname}::${test.name}` : test.name;
}

/**
 * The summary table printed after the live output: one row per runtime with passed, failed,
 * skipped and error counts and the time, and a status word.
 *
 * @example
 * formatTestSummary(result);
 * // runtime                                    passed  failed  skipped  errors   time  result
 * // bundled (CPython 3.14.2, Pyodide 314.0.7)       9       0        1       0   1.4s  ok
 */
export function formatTestSummary(result: ProjectTestResult): string {
  const header = ["runtime", "passed", "failed", "skipped", "errors", "time", "result"];
  const rows = result.results.map((run) => summaryRow(run));
  const widths = header.map((title, column) => Math.max(title.length, ...rows.map((row) => row[column]!.length)));
  const line = (cells: string[]) =>
    cells.map((cell, column) => (column === 0 || column === cells.length - 1 ? cell.padEnd(widths[column]!) : cell.padStart(widths[column]!))).join("  ").trimEnd();
  return [line(header), ...rows.map(line)].join("\n");
}

function summaryRow(run: RuntimeTestResult): string[] {
  const report = run.report;
  const counts = report ? [report.passed, report.failed, report.skipped, report.errors].map(String) : ["-", "-", "-", "-"];
  return [run.label, ...counts, `${run.seconds.toFixed(1)}s`, statusWord(run)];
}

/** `ok`, `FAILED (exit 1)`, `SETUP FAILED: …`, as the summary shows a runtime's result. */
export function statusWord(run: RuntimeTestResult): string {
  if (run.status === "passed") return "ok";
  if (run.status === "setup-failed") return `SETUP FAILED: ${run.error?.message.split("\n")[0] ?? "unknown error"}`;
  if (run.exitCode === 5) return "FAILED (no tests ran, exit 5)";
  return `FAILED (exit ${run.exitCode}${run.report ? "" : ", no JUnit report"})`;
}
