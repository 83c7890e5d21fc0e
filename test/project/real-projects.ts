import { spawnSync } from "node:child_process";
import { existsSync, mkdirSync, mkdtempSync, readFileSync, readdirSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { parseJunitReport, parseTestConfig, testRequirements, wasmLimitationOf, type TestCaseResult, type TestReport } from "../../src/project/index.js";
import { hostPython } from "../support/host-python.js";
import { kilnBin } from "./support.js";

/** Where sdists and native environments for the real-suite runs are cached (gitignored). */
export const suiteCache = fileURLToPath(new URL("../../.cache/project-suites", import.meta.url));

/**
 * The native interpreter the suites are compared against: the newest CPython on the machine
 * (`KILN_NATIVE_PYTHON` overrides), as close as there is to the runtime's 3.14.
 */
export const nativePython = process.env.KILN_NATIVE_PYTHON ?? (["python3.14", "python3.13"].find((name) => spawnSync(name, ["--version"]).status === 0) ?? hostPython);

/** A real project whose sdist carries its tests; pinned, so counts do not drift. */
export interface RealProject {
  name: string;
  version: string;
}

/** Projects run under `kiln test` and natively (docs/project-suites.md). */
export const realProjects: RealProject[] = [
  { name: "iniconfig", version: "2.3.1" },
  { name: "six", version: "1.17.0" },
  { name: "toolz", version: "1.2.0" },
  { name: "more-itertools", version: "11.2.1" },
];

/**
 * Why a test may end differently natively and on WASM, by the skip reason or failure text that
 * shows it. Anything else is a difference to look into (a kiln bug until shown otherwise).
 */
const knownDifferences: Array<{ pattern: RegExp; reason: string }> = [
  { pattern: /requires tkinter/, reason: "WASM limitation: Pyodide has no tkinter (no GUI toolkit)" },
  { pattern: /requires (gdbm|ndbm)/, reason: "native build: this CPython was built without the dbm.gnu/dbm.ndbm modules" },
  { pattern: /annotationlib is new in Python 3\.14/, reason: "Python version: the native interpreter is older than the runtime's 3.14" },
  { pattern: /^test_six::test_move_items_urllib_request\[(Fancy)?URLopener\]$/m, reason: "Python version: urllib.request.URLopener and FancyURLopener are gone in 3.14, so six does not generate these cases there" },
];

/**
 * Downloads (once) and unpacks a fresh copy of the project's sdist; returns the project's root.
 *
 * @example
 * const dir = unpackSdist({ name: "six", version: "1.17.0" });
 */
export function unpackSdist(project: RealProject): string {
  const downloads = join(suiteCache, "sdists");
  mkdirSync(downloads, { recursive: true });
  const prefix = `${project.name.replaceAll("-", "_")}-${project.version}`;
  let sdist = readdirSync(downloads).find((file) => file.toLowerCase().startsWith(prefix.toLowerCase()) && file.endsWith(".tar.gz"));
  if (!sdist) {
    run(hostPython, ["-m", "pip", "download", "--quiet", "--disable-pip-version-check", "--no-deps", "--no-binary=:all:", "-d", downloads, `${project.name}==${project.version}`]);
    sdist = readdirSync(downloads).find((file) => file.toLowerCase().startsWith(prefix.toLowerCase()) && file.endsWith(".tar.gz"));
    if (!sdist) throw new Error(`pip downloaded no sdist of ${project.name} ${project.version}`);
  }
  const into = mkdtempSync(join(tmpdir(), `kiln-suite-${project.name}-`));
  run("tar", ["-xzf", join(downloads, sdist), "-C", into]);
  return join(into, readdirSync(into)[0]!);
}

/** One run of a suite: its report, how long it took and what it printed. */
export interface SuiteRun {
  report: TestReport;
  seconds: number;
  output: string;
}

/**
 * Runs the suite natively as a project's CI would: a venv of {@link nativePython} (kept in the
 * cache), the sdist installed with the test extras kiln discovers, the same test requirements,
 * then `python -m pytest` in the project's root.
 *
 * @example
 * const native = runNative(project, unpackSdist(project));
 */
export function runNative(project: RealProject, projectDir: string): SuiteRun {
  const venv = join(suiteCache, `native-${project.name}-${project.version}`);
  const python = join(venv, "bin", "python");
  if (!existsSync(python)) {
    run(nativePython, ["-m", "venv", venv]);
    const wanted = testRequirements(parseTestConfig(readText(join(projectDir, "pyproject.toml")), "pyproject.toml"));
    const self = `${projectDir}${wanted.extras.length ? `[${wanted.extras.join(",")}]` : ""}`;
    run(python, ["-m", "pip", "install", "--quiet", "--disable-pip-version-check", self, ...wanted.requirements]);
  }
  const junit = join(projectDir, "..", "native-junit.xml");
  const started = performance.now();
  const result = spawnSync(python, ["-m", "pytest", `--junit-xml=${junit}`, "-o", "junit_family=xunit1"], { cwd: projectDir, encoding: "utf8", env: { ...process.env, PYTEST_ADDOPTS: "" }, maxBuffer: 256 * 1024 * 1024 });
  const seconds = (performance.now() - started) / 1000;
  return { report: parseJunitReport(readFileSync(junit, "utf8"), junit), seconds, output: result.stdout + result.stderr };
}

/**
 * Runs `kiln test DIR --junit-xml OUT` with the built kiln, as the README shows it.
 *
 * @example
 * const wasm = runKilnTest(unpackSdist(project));
 */
export function runKilnTest(projectDir: string, extraArgs: string[] = []): SuiteRun & { code: number | null } {
  const junitDir = join(projectDir, "..", "kiln-junit");
  const started = performance.now();
  const result = spawnSync(process.execPath, [kilnBin, "test", projectDir, "--junit-xml", junitDir, ...extraArgs], {
    cwd: projectDir,
    encoding: "utf8",
    env: { ...process.env, GITHUB_ACTIONS: "", NO_COLOR: "1", PYTEST_ADDOPTS: "" },
    maxBuffer: 256 * 1024 * 1024,
  });
  const seconds = (performance.now() - started) / 1000;
  const file = join(junitDir, "bundled.xml");
  if (!existsSync(file)) throw new Error(`kiln test wrote no JUnit report (exit ${result.status}):\n${result.stdout}\n${result.stderr}`);
  return { report: parseJunitReport(readFileSync(file, "utf8"), file), seconds, output: result.stdout + result.stderr, code: result.status };
}

/** One test that ended differently, and why. */
export interface SuiteDifference {
  test: string;
  native: string;
  wasm: string;
  /** The named cause, or undefined when none is known (a bug to look into). */
  reason: string | undefined;
}

/**
 * Every test whose outcome differs between the two runs, with the WASM limitation or known cause
 * that explains it.
 *
 * @example
 * compareSuites(native.report, wasm.report).filter((d) => !d.reason); // unexplained differences
 */
export function compareSuites(native: TestReport, wasm: TestReport): SuiteDifference[] {
  const key = (test: TestCaseResult) => `${test.classname}::${test.name}`;
  const wasmCases = new Map(wasm.cases.map((test) => [key(test), test]));
  const nativeCases = new Map(native.cases.map((test) => [key(test), test]));
  const differences: SuiteDifference[] = [];
  for (const name of new Set([...nativeCases.keys(), ...wasmCases.keys()])) {
    const a = nativeCases.get(name);
    const b = wasmCases.get(name);
    if (a?.outcome === b?.outcome) continue;
    const evidence = [name, ...[a, b].map((test) => (test ? `${test.skipMessage ?? ""}\n${test.problems.map((p) => `${p.message}\n${p.details}`).join("\n")}` : ""))].join("\n");
    const limitation = b && b.outcome !== "skipped" ? wasmLimitationOf(evidence) : undefined;
    const known = knownDifferences.find((difference) => difference.pattern.test(evidence));
    differences.push({
      test: name,
      native: describe(a),
      wasm: describe(b),
      reason: limitation ? `WASM limitation: ${limitation.feature}` : known?.reason,
    });
  }
  return differences;
}

function describe(test: TestCaseResult | undefined): string {
  if (!test) return "absent";
  if (test.outcome === "skipped") return `skipped (${test.skipMessage ?? ""})`;
  if (test.outcome === "passed") return "passed";
  return `${test.outcome} (${test.problems[0]?.message.split("\n")[0] ?? ""})`;
}

function readText(path: string): string | undefined {
  return existsSync(path) ? readFileSync(path, "utf8") : undefined;
}

function run(program: string, args: string[]): void {
  const result = spawnSync(program, args, { encoding: "utf8", timeout: 600_000 });
  if (result.status !== 0) throw new Error(`${program} ${args.join(" ")} exited ${result.status}:\n${result.stderr}`);
}
