/**
 * `kiln test`: a project's own test suite on WASM runtimes, as CI runs it.
 *
 * Quirks worth knowing:
 * - Test requirements come from `[tool.kiln.test]`, else an extra named `test`/`tests`/`testing`
 *   (PEP 621 `[project.optional-dependencies]`, https://peps.python.org/pep-0621/), else a PEP 735
 *   dependency group `test`/`dev` (https://peps.python.org/pep-0735/); group names compare
 *   normalized and `{include-group = "…"}` entries expand in place, cycles being errors.
 * - Counts come from pytest's JUnit XML (`--junit-xml`, requested through `PYTEST_ADDOPTS` so any
 *   way of starting pytest works); pytest writes `line` 0-based, reports a teardown error beside
 *   the pass it follows, and files `xfail` under `<skipped>`.
 * - WASM cannot start processes or threads, and has no real sockets or signals: failures that hit
 *   those are named as such (`wasmLimitationOf`).
 * - Warm runs reuse work without weakening "a fresh environment": the project's wheel is reused
 *   only while its source files (VCS data, caches, environments and build outputs aside), build
 *   system and kiln are unchanged; requirements are resolved every run, and only the exact
 *   resolved files are copied from a byte-compiled template (never linked: tests may write).
 * - GitHub Actions workflow commands escape `%`, CR and LF in messages, and also `:` and `,` in
 *   properties: https://docs.github.com/actions/using-workflows/workflow-commands-for-github-actions
 */
export { parseTestConfig, type ProjectTestConfig } from "./test-config.js";
export { splitCommandLine } from "./split-command-line.js";
export { resolveDependencyGroup, hasDependencyGroup } from "./dependency-groups.js";
export { testRequirements, type TestRequirements } from "./test-requirements.js";
export { parseRuntimeMatrix } from "./runtime-matrix.js";
export { readXml, type XmlElement } from "./read-xml.js";
export { parseJunitReport, type TestCaseResult, type TestOutcome, type TestProblem, type TestReport } from "./junit-report.js";
export { wasmLimitationOf, wasmLimitationRules, type WasmLimitation } from "./wasm-limitation.js";
export { pytestHintPluginName, pytestHintPluginSource } from "./pytest-hint-plugin.js";
export type { DirectoryCache, ProjectTestHost, TestEnvironment, TestPackage, TestResolution } from "./project-test-host.js";
export { projectSourceKey, isSkippedSourcePath, type DirectoryEntry, type SourceTreeReader } from "./project-source-key.js";
export { prepareTestEnvironment, type PrepareTestEnvironmentOptions, type PreparedTestEnvironment } from "./prepare-test-environment.js";
export {
  runProjectTests,
  type ProjectTestResult,
  type RunProjectTestsOptions,
  type RuntimeTestResult,
} from "./run-project-tests.js";
export { formatTestSummary, statusWord, testFailures, testId, type TestFailure } from "./format-test-summary.js";
export { githubAnnotations, githubStepSummary, type AnnotationContext } from "./github-actions.js";
