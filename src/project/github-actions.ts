import { statusWord, testFailures, testId, type TestFailure } from "./format-test-summary.js";
import type { ProjectTestResult } from "./run-project-tests.js";

/** Where the run happened, to turn test files into paths GitHub can link. */
export interface AnnotationContext {
  /** `GITHUB_WORKSPACE`: the repository checkout; paths in annotations are relative to it. */
  workspace: string;
  /** At most this many failure annotations (GitHub shows 10 per step; more only clutter the log). */
  limit?: number;
}

/**
 * GitHub Actions workflow commands for a run: an `::error file=…,line=…::` annotation per failed
 * test (at the failing line of the test file when the traceback shows it, the test's definition
 * otherwise), with the WASM limitation it hit, and one per runtime that could not be set up.
 * https://docs.github.com/actions/using-workflows/workflow-commands-for-github-actions
 *
 * @example
 * for (const line of githubAnnotations(result, { workspace: process.env.GITHUB_WORKSPACE! })) console.log(line);
 */
export function githubAnnotations(result: ProjectTestResult, context: AnnotationContext): string[] {
  const lines: string[] = [];
  for (const run of result.results.filter((r) => r.status === "setup-failed")) {
    lines.push(command("error", { title: `kiln test: ${run.runtime} could not be set up` }, [run.error?.message ?? "", run.error?.hint ?? ""].filter(Boolean).join("\n")));
  }
  const failures = testFailures(result);
  for (const failure of failures.slice(0, context.limit ?? 50)) lines.push(failureAnnotation(failure, result, context));
  for (const run of result.results.filter((r) => r.status === "failed" && !r.report?.failed && !r.report?.errors)) {
    lines.push(command("error", { title: `kiln test: ${run.runtime} ${statusWord(run)}` }, `The test command ${result.command.join(" ")} failed on ${run.label}`));
  }
  return lines;
}

function failureAnnotation(failure: TestFailure, result: ProjectTestResult, context: AnnotationContext): string {
  const properties: Record<string, string> = {};
  if (failure.test.file) {
    properties.file = relativeTo(context.workspace, `${result.projectDir}/${failure.test.file}`);
    const line = failingLine(failure) ?? failure.test.line;
    if (line !== undefined) properties.line = String(line);
  }
  properties.title = `${testId(failure.test)} ${failure.kind === "failed" ? "failed" : "errored"} on ${failure.runtime}`;
  const message = [failure.message, failure.limitation ? `kiln: ${failure.limitation}` : ""].filter(Boolean).join("\n");
  return command("error", properties, message);
}

/** The last line of the test's own file in the traceback (`tests/test_x.py:12: AssertionError`). */
function failingLine(failure: TestFailure): number | undefined {
  const file = failure.test.file;
  if (!file) return undefined;
  let line: number | undefined;
  for (const match of failure.details.matchAll(/^(\S[^\n]*?):(\d+): /gm)) {
    if (match[1] === file || match[1]!.endsWith(`/${file}`)) line = Number(match[2]);
  }
  return line;
}

/**
 * The job summary (`$GITHUB_STEP_SUMMARY`, Markdown): the table per runtime, then each failure
 * with its message and the WASM limitation it hit.
 *
 * @example
 * appendFileSync(process.env.GITHUB_STEP_SUMMARY!, githubStepSummary(result));
 */
export function githubStepSummary(result: ProjectTestResult): string {
  const rows = result.results.map((run) => {
    const report = run.report;
    const counts = report ? [report.passed, report.failed, report.skipped, report.errors].map(String) : ["-", "-", "-", "-"];
    return `| ${[run.label, ...counts, `${run.seconds.toFixed(1)} s`, run.status === "passed" ? "✅ ok" : `❌ ${statusWord(run)}`].map(cell).join(" | ")} |`;
  });
  const lines = [
    `### kiln test ${result.passed ? "passed" : "failed"}: ${cell(result.projectDir)}`,
    "",
    "| runtime | passed | failed | skipped | errors | time | result |",
    "| --- | ---: | ---: | ---: | ---: | ---: | --- |",
    ...rows,
    "",
  ];
  const failures = testFailures(result);
  if (failures.length) {
    lines.push("<details><summary>Failures</summary>", "");
    for (const failure of failures.slice(0, 100)) {
      lines.push(`- **${cell(testId(failure.test))}** (${cell(failure.runtime)}): \`${cell(failure.message.split("\n")[0] ?? "").replaceAll("`", "'")}\``);
      if (failure.limitation) lines.push(`  - ${cell(failure.limitation)}`);
    }
    if (failures.length > 100) lines.push(`- … and ${failures.length - 100} more`);
    lines.push("", "</details>", "");
  }
  return lines.join("\n");
}

function command(name: string, properties: Record<string, string>, message: string): string {
  const props = Object.entries(properties)
    .map(([key, value]) => `${key}=${escapeProperty(value)}`)
    .join(",");
  return `::${name}${props ? ` ${props}` : ""}::${escapeData(message)}`;
}

function escapeData(text: string): string {
  return text.replaceAll("%", "%25").replaceAll("\r", "%0D").replaceAll("\n", "%0A");
}

function escapeProperty(text: string): string {
  return escapeData(text).replaceAll(":", "%3A").replaceAll(",", "%2C");
}

function cell(text: string): string {
  return text.replaceAll("|", "\\|").replaceAll("\n", " ");
}

function relativeTo(base: string, path: string): string {
  const prefix = base.endsWith("/") ? base : `${base}/`;
  return path.startsWith(prefix) ? path.slice(prefix.length) : path;
}
