import { KilnError } from "../core/index.js";
import { readXml, type XmlElement } from "./read-xml.js";

/** How one test ended. */
export type TestOutcome = "passed" | "failed" | "error" | "skipped";

/** A failure or error of one test, as the report gives it. */
export interface TestProblem {
  kind: "failed" | "error";
  /** The one-line message (`AssertionError: assert 1 == 2`). */
  message: string;
  /** The long representation: the traceback pytest prints. */
  details: string;
}

/** One `<testcase>` of a JUnit report. */
export interface TestCaseResult {
  /** Dotted module (and class) path, such as `tests.test_api.TestClient`. */
  classname: string;
  name: string;
  /** The test's file relative to pytest's rootdir, when the report gives it (`junit_family=xunit1`). */
  file?: string;
  /** 1-based line of the test's definition, when the report gives it. */
  line?: number;
  /** Seconds. */
  time: number;
  outcome: TestOutcome;
  problems: TestProblem[];
  /** Why it was skipped, for skipped tests. */
  skipMessage?: string;
}

/** The counts and cases of one test run. */
export interface TestReport {
  passed: number;
  failed: number;
  skipped: number;
  errors: number;
  /** Seconds, as the report's suites give it. */
  time: number;
  cases: TestCaseResult[];
}

/**
 * Reads a JUnit XML report as pytest writes it (`--junit-xml`, any `junit_family`), counting the
 * way pytest's own summary line does: a test that fails and then errors in teardown counts once in
 * each column; an expected failure counts as skipped.
 *
 * @example
 * parseJunitReport('<testsuites><testsuite><testcase classname="t" name="a" time="0.1"/></testsuite></testsuites>', "r.xml").passed; // 1
 */
export function parseJunitReport(text: string, path: string): TestReport {
  let root: XmlElement;
  try {
    root = readXml(text);
  } catch (error) {
    throw new KilnError("invalidTestReport", `Cannot read the JUnit report "${path}": ${(error as Error).message}`, {
      hint: "The test command may have been stopped while writing it; run it again",
      cause: error,
    });
  }
  const suites = root.name === "testsuites" ? root.children.filter((child) => child.name === "testsuite") : [root];
  if (suites.some((suite) => suite.name !== "testsuite")) {
    throw new KilnError("invalidTestReport", `Cannot read the JUnit report "${path}": its root is <${root.name}>, not <testsuites> or <testsuite>`, {
      hint: "Give the report pytest writes with --junit-xml",
    });
  }
  const cases = suites.flatMap((suite) => suite.children.filter((child) => child.name === "testcase").map(readCase));
  const report: TestReport = { passed: 0, failed: 0, skipped: 0, errors: 0, time: 0, cases };
  for (const suite of suites) report.time += number(suite.attributes.time);
  const seen = new Map<string, number>();
  for (const result of cases) seen.set(caseKey(result), (seen.get(caseKey(result)) ?? 0) + 1);
  for (const result of cases) {
    const kinds = result.problems.map((problem) => problem.kind);
    report.failed += kinds.filter((kind) => kind === "failed").length;
    report.errors += kinds.filter((kind) => kind === "error").length;
    if (result.outcome === "skipped") report.skipped++;
    if (result.outcome === "passed" || (passedBeforeTeardownError(result) && seen.get(caseKey(result)) === 1)) report.passed++;
  }
  return report;
}

function readCase(element: XmlElement): TestCaseResult {
  const problems: TestProblem[] = element.children
    .filter((child) => child.name === "failure" || child.name === "error")
    .map((child) => ({ kind: child.name === "failure" ? "failed" : "error", message: child.attributes.message ?? "", details: child.text }));
  const skipped = element.children.find((child) => child.name === "skipped");
  const outcome: TestOutcome = problems.some((p) => p.kind === "failed") ? "failed" : problems.length ? "error" : skipped ? "skipped" : "passed";
  const result: TestCaseResult = {
    classname: element.attributes.classname ?? "",
    name: element.attributes.name ?? "",
    time: number(element.attributes.time),
    outcome,
    problems,
  };
  if (element.attributes.file) result.file = element.attributes.file;
  // pytest writes the 0-based line of the test's definition.
  if (element.attributes.line && /^\d+$/.test(element.attributes.line)) result.line = Number(element.attributes.line) + 1;
  if (skipped) result.skipMessage = skipped.attributes.message ?? skipped.text;
  return result;
}

function caseKey(result: TestCaseResult): string {
  return `${result.classname}\u0000${result.name}`;
}

/**
 * pytest reports a test that passed and then errored in teardown as one `<testcase>` with an
 * error, but counts the pass too; a test that failed and then errored gets a second `<testcase>`.
 */
function passedBeforeTeardownError(result: TestCaseResult): boolean {
  return result.outcome === "error" && result.problems.every((problem) => problem.message.startsWith("failed on teardown"));
}

function number(text: string | undefined): number {
  const value = Number(text);
  return Number.isFinite(value) ? value : 0;
}
