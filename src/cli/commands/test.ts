import { appendFile } from "node:fs/promises";
import { resolve } from "node:path";
import type { Reporter } from "../../core/index.js";
import {
  formatTestSummary,
  githubAnnotations,
  githubStepSummary,
  parseRuntimeMatrix,
  runProjectTests,
  testFailures,
  testId,
  type ProjectTestResult,
} from "../../project/index.js";
import { defineCommand, jsonOption, type CommandContext } from "../command.js";
import { indexOptions } from "../index-options.js";
import { kilnVersion } from "../main.js";
import type { Output } from "../output.js";
import { checkOutputDirectory } from "../output-file.js";
import { createTestWorkflows } from "./test-workflows.js";

/** `kiln test`: the project's test suite on WASM runtimes, as CI runs it. */
export const testCommand = defineCommand({
  name: "test",
  summary: "Run a project's test suite on WebAssembly runtimes, as CI would",
  usage: "[DIR] [--runtime pyodide@A,pyodide@B] [--wheel dist/x.whl] [--junit-xml DIR] [-- pytest args]",
  description:
    "Per runtime: a fresh virtual environment; the project's wheel (built with its PEP 517 backend, or --wheel), its test\n" +
    "requirements ([tool.kiln.test] requires, else an extra test/tests/testing, else the dependency group test/dev) and\n" +
    "pytest installed; then the test command (default python -m pytest) with live output. A summary table follows; the\n" +
    "exit code is 1 when any runtime fails. Settings: [tool.kiln.test] in pyproject.toml (command, requires, extras,\n" +
    "groups, sources, environment, runtimes); flags override them. With GITHUB_ACTIONS set, failures become annotations\n" +
    "and the table goes to the job summary.",
  positionals: [{ name: "dir", description: "The project directory (default .)" }],
  options: [
    { name: "runtime", type: "string", multiple: true, valueName: "pyodide@VERSION,...", description: "Runtimes to test on (default [tool.kiln.test] runtimes, else the bundled Pyodide)" },
    { name: "wheel", type: "string", valueName: "PATH", description: "Test this wheel instead of building the project" },
    { name: "junit-xml", type: "string", valueName: "DIR", description: "Keep pytest's JUnit XML report of each runtime in DIR (RUNTIME.xml)" },
    { name: "verbose", short: "v", type: "boolean", multiple: true, description: "Show the build backend's and installer's progress" },
    ...indexOptions,
    jsonOption,
  ],
  run: async (context) => runTestCommand(context),
});

async function runTestCommand(context: CommandContext): Promise<number> {
  const options = context.arguments.options;
  const projectDir = resolve(context.cwd, String(context.arguments.positionals.dir ?? "."));
  const runtimeValues = options.runtime === undefined ? [] : Array.isArray(options.runtime) ? options.runtime.map(String) : [String(options.runtime)];
  const verbose = Number(options.verbose ?? 0) > 0;
  const reporter = testReporter(context.output, verbose);
  // With --json, stdout carries the JSON alone, so the test command's output goes to stderr.
  const commandOutput = options.json ? { stdout: context.output.stderr, stderr: context.output.stderr } : context.output;
  // Checked before any runtime starts: a report directory that is a file would fail only at the end.
  if (typeof options["junit-xml"] === "string") checkOutputDirectory(resolve(context.cwd, options["junit-xml"]), "the JUnit XML directory");
  const { createNodeProjectTestHost } = await import("../../platform/node-project-test-host.js");
  const workflows = await createTestWorkflows(context, { reporter, verbose });
  const host = createNodeProjectTestHost({ env: context.env, cwd: context.cwd, kilnVersion, output: commandOutput, reporter, ...workflows });
  const result = await runProjectTests({
    projectDir,
    ...(runtimeValues.length ? { runtimes: parseRuntimeMatrix(runtimeValues, "--runtime") } : {}),
    ...(typeof options.wheel === "string" ? { wheel: resolve(context.cwd, options.wheel) } : {}),
    ...(typeof options["junit-xml"] === "string" ? { junitDir: resolve(context.cwd, options["junit-xml"]) } : {}),
    extraArgs: context.arguments.rest,
    environment: definedVariables(context.env),
    host,
    reporter,
  });
  if (options.json) context.output.json(resultJson(result));
  else printSummary(context.output, result);
  if (context.env.GITHUB_ACTIONS === "true") await reportToGitHub(context, result);
  return result.passed ? 0 : 1;
}

function printSummary(output: Output, result: ProjectTestResult): void {
  output.line();
  output.line(output.paint("bold", "kiln test summary"));
  output.line(formatTestSummary(result));
  const limited = testFailures(result).filter((failure) => failure.limitation);
  if (limited.length) {
    output.line();
    output.line(output.paint("yellow", "Failures caused by what WebAssembly cannot do:"));
    for (const failure of limited) output.line(`  ${testId(failure.test)} [${failure.runtime}]: ${failure.limitation}`);
  }
  for (const run of result.results.filter((r) => r.status === "setup-failed")) output.error(run.error);
  for (const run of result.results.filter((r) => r.junitFile)) output.note(`JUnit XML for ${run.runtime}: ${run.junitFile}`);
}

async function reportToGitHub(context: CommandContext, result: ProjectTestResult): Promise<void> {
  const workspace = context.env.GITHUB_WORKSPACE ?? context.cwd;
  for (const line of githubAnnotations(result, { workspace })) context.output.stdout.write(`${line}\n`);
  const summaryFile = context.env.GITHUB_STEP_SUMMARY;
  if (summaryFile) await appendFile(summaryFile, githubStepSummary(result));
}

function resultJson(result: ProjectTestResult): unknown {
  return {
    project: result.projectDir,
    passed: result.passed,
    command: result.command,
    requirements: result.requirements,
    runtimes: result.results.map((run) => ({
      runtime: run.runtime,
      label: run.label,
      status: run.status,
      exitCode: run.exitCode ?? null,
      seconds: Number(run.seconds.toFixed(3)),
      counts: run.report ? { passed: run.report.passed, failed: run.report.failed, skipped: run.report.skipped, errors: run.report.errors } : null,
      junitFile: run.junitFile ?? null,
      error: run.error ? { code: run.error.code, message: run.error.message, hint: run.error.hint ?? null } : null,
    })),
    failures: testFailures(result).map((failure) => ({
      runtime: failure.runtime,
      test: testId(failure.test),
      kind: failure.kind,
      message: failure.message,
      wasmLimitation: failure.limitation ?? null,
    })),
  };
}

function testReporter(output: Output, verbose: boolean): Reporter {
  const say = (text: string) => output.note(output.paint("dim", `kiln test: ${text}`));
  return {
    info: say,
    warn: (text) => output.warn(text),
    debug: (text) => (verbose ? say(text) : undefined),
    startTask: (label) => {
      if (verbose) say(label);
      return { advance() {}, finish: (message) => (verbose && message ? say(message) : undefined) };
    },
  };
}

function definedVariables(env: Record<string, string | undefined>): Record<string, string> {
  const defined: Record<string, string> = {};
  for (const [name, value] of Object.entries(env)) if (value !== undefined) defined[name] = value;
  return defined;
}
