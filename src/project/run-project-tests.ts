import { readBuildSystem } from "../build/index.js";
import { KilnError, isKilnError, silentReporter, type Reporter } from "../core/index.js";
import { normalizeName } from "../pep508/index.js";
import { formatRuntimeSetting, type RuntimeSpec } from "../runtime/index.js";
import { parseWheelFilename } from "../wheel-name/index.js";
import { parseJunitReport, type TestReport } from "./junit-report.js";
import { prepareTestEnvironment } from "./prepare-test-environment.js";
import { projectSourceKey } from "./project-source-key.js";
import type { ProjectTestHost, TestEnvironment } from "./project-test-host.js";
import { pytestHintPluginName, pytestHintPluginSource } from "./pytest-hint-plugin.js";
import { parseRuntimeMatrix } from "./runtime-matrix.js";
import { parseTestConfig, type ProjectTestConfig } from "./test-config.js";
import { testRequirements, type TestRequirements } from "./test-requirements.js";
import { wheelExtras } from "./wheel-extras.js";

/** Options for {@link runProjectTests}. */
export interface RunProjectTestsOptions {
  /** The project's root directory (absolute): where `pyproject.toml` is. */
  projectDir: string;
  /** The runtime matrix; `[tool.kiln.test] runtimes` or the bundled runtime when absent. */
  runtimes?: RuntimeSpec[];
  /** A wheel to test instead of building the project (`--wheel`). */
  wheel?: string;
  /** The test command, instead of `[tool.kiln.test] command` or `python -m pytest`. */
  command?: string[];
  /** Arguments appended to the test command (`kiln test -- ARGS`). */
  extraArgs?: string[];
  /** The variables the test command inherits (the process environment). */
  environment: Record<string, string>;
  /** Keep one JUnit XML file per runtime in this directory (`--junit-xml DIR`). */
  junitDir?: string;
  host: ProjectTestHost;
  reporter?: Reporter;
}

/** How one runtime's test run ended. */
export interface RuntimeTestResult {
  /** The runtime as given: `bundled`, `pyodide@314.0.7`. */
  runtime: string;
  /** `bundled (CPython 3.14.2, Pyodide 314.0.7)`, once the environment exists. */
  label: string;
  /** `passed` when the command exited 0; `setup-failed` when the environment or install failed. */
  status: "passed" | "failed" | "setup-failed";
  exitCode?: number;
  /** What pytest's JUnit report says, when the command wrote one. */
  report?: TestReport;
  /** Where the report was kept (`--junit-xml DIR`). */
  junitFile?: string;
  /** Why setting up failed. */
  error?: KilnError;
  /** Wall-clock seconds for this runtime, environment and install included. */
  seconds: number;
}

/** The outcome of a whole `kiln test` run. */
export interface ProjectTestResult {
  projectDir: string;
  config: ProjectTestConfig;
  requirements: TestRequirements;
  command: string[];
  results: RuntimeTestResult[];
  /** True when every runtime passed. */
  passed: boolean;
}

/**
 * Runs a project's test suite on each runtime of the matrix, as CI would: builds the project's
 * wheel once (or takes `wheel`; a wheel built from the same sources before is reused, see
 * {@link projectSourceKey}), then per runtime makes a fresh virtual environment, installs the
 * wheel with its test extras, the test requirements and pytest (the latter two copied from a
 * pristine, byte-compiled template when the same set was installed before, see
 * {@link prepareTestEnvironment}), and runs the test command
 * (default `python -m pytest`) with live output — from a copy of `[tool.kiln.test] sources` when
 * configured, so the tests import the installed package rather than the source tree. pytest's
 * JUnit XML report (requested through `PYTEST_ADDOPTS`) gives the counts, and a small pytest
 * plugin ({@link pytestHintPluginSource}) names the WASM limitation in each failure it explains.
 *
 * @example
 * const result = await runProjectTests({ projectDir: "/src/demo", environment: env, host });
 * result.results[0]!.report!.passed;
 */
export async function runProjectTests(options: RunProjectTestsOptions): Promise<ProjectTestResult> {
  const { host, projectDir } = options;
  const reporter = options.reporter ?? silentReporter;
  if (!(await host.exists(projectDir))) {
    throw new KilnError("invalidTestConfig", `Cannot test "${projectDir}": no such directory`, { hint: "Give the project's root directory (where pyproject.toml is), or run kiln test there" });
  }
  const pyprojectPath = `${projectDir}/pyproject.toml`;
  const config = parseTestConfig(await host.readText(pyprojectPath), pyprojectPath);
  const runtimes = options.runtimes ?? parseRuntimeMatrix(config.runtimes ?? [], `${pyprojectPath}: [tool.kiln.test] runtimes`);
  const command = [...(options.command ?? config.command ?? ["python", "-m", "pytest"]), ...(options.extraArgs ?? [])];
  const scratch = await host.makeScratchDirectory("kiln-test");
  try {
    const wheel = await projectWheel(options, { scratch, runtime: runtimes[0]!, reporter });
    // Extras a setup.py or dynamic metadata declares are known from the built wheel only.
    const staticExtras = config.name !== undefined && !config.dynamicOptionalDependencies;
    const extrasOfWheel = wheel && !staticExtras ? await wheelExtras(await host.readBytes(wheel), wheel.split("/").pop()!) : [];
    const requirements = testRequirements(config, { where: pyprojectPath, wheelExtras: extrasOfWheel });
    const install = [...requirements.requirements, ...(wheel ? [projectRequirement(wheel, requirements.extras)] : [])];
    if (!wheel && requirements.extras.length) reporter.warn(`Extras ${requirements.extras.join(", ")} are ignored: there is no project to install them with`);
    reporter.info(`Test requirements: ${requirements.origin}`);
    const projectName = wheel ? normalizeName(parseWheelFilename(wheel.split("/").pop()!).name) : undefined;
    const results: RuntimeTestResult[] = [];
    for (const [index, runtime] of runtimes.entries()) {
      const run: RuntimeRun = { index, runtime, scratch, install, projectName, command, config, reporter };
      results.push(await runOneRuntime(options, run));
    }
    return { projectDir, config, requirements, command, results, passed: results.every((r) => r.status === "passed") };
  } finally {
    await host.remove(scratch);
  }
}

async function projectWheel(
  options: RunProjectTestsOptions,
  context: { scratch: string; runtime: RuntimeSpec; reporter: Reporter },
): Promise<string | undefined> {
  const { host, projectDir } = options;
  if (options.wheel) {
    if (!(await host.exists(options.wheel))) {
      throw new KilnError("testSetupFailed", `Cannot test the wheel "${options.wheel}": no such file`, { hint: "Build it first (kiln build --wheel), or leave out --wheel" });
    }
    return options.wheel;
  }
  const buildable = (await host.exists(`${projectDir}/pyproject.toml`)) || (await host.exists(`${projectDir}/setup.py`));
  if (!buildable) {
    context.reporter.info(`${projectDir} has no pyproject.toml or setup.py: testing without installing a project`);
    return undefined;
  }
  const key = () => projectWheelKey(options, context.runtime);
  const before = await key();
  const cache = host.cache("project-wheels");
  const cached = await cache.find(before);
  const cachedWheel = cached && (await host.listDirectory(cached)).find((entry) => entry.kind === "file" && entry.name.endsWith(".whl"));
  if (cached && cachedWheel) {
    context.reporter.info(`Using the wheel built before from the same sources: ${cachedWheel.name}`);
    return `${cached}/${cachedWheel.name}`;
  }
  context.reporter.info(`Building the wheel of ${projectDir}`);
  const built = await host.buildWheel({ projectDir, outputDir: `${context.scratch}/dist`, runtime: context.runtime });
  // Sources edited while the backend ran may or may not be in the wheel: such a wheel is not kept.
  if ((await key()) !== before) return built;
  const filename = built.split("/").pop()!;
  try {
    return `${await cache.store(before, (directory) => host.copy(built, `${directory}/${filename}`))}/${filename}`;
  } catch (error) {
    context.reporter.warn(`Cannot keep the built wheel in kiln's cache: ${(error as Error).message}`);
    return built;
  }
}

// Variables build backends read (reproducible builds, version overrides, backend settings).
const buildVariables = /^(SOURCE_DATE_EPOCH$|SETUPTOOLS_|SETUPTOOLS_SCM_|HATCH_|PDM_|FLIT_|PBR_|VERSIONINGIT_|MATURIN_|SKBUILD_|_PYPROJECT_HOOKS_)/;

/** What a built wheel depends on: the sources, the build system, kiln, the runtime and the backends' variables. */
async function projectWheelKey(options: RunProjectTestsOptions, runtime: RuntimeSpec): Promise<string> {
  const { host, projectDir } = options;
  const buildSystem = readBuildSystem(await host.readText(`${projectDir}/pyproject.toml`), projectDir);
  const variables = Object.entries(options.environment).filter(([name]) => buildVariables.test(name)).sort(([a], [b]) => (a < b ? -1 : 1));
  return projectSourceKey(host, projectDir, { kiln: host.cacheIdentity, runtime: formatRuntimeSetting(runtime), buildSystem, variables });
}

/** `name[extras] @ file:///…/name-1.0-py3-none-any.whl`. */
function projectRequirement(wheel: string, extras: string[]): string {
  const name = parseWheelFilename(wheel.split("/").pop()!).name;
  const url = new URL("file:///");
  url.pathname = wheel;
  return `${name}${extras.length ? `[${extras.join(",")}]` : ""} @ ${url.href}`;
}

interface RuntimeRun {
  index: number;
  runtime: RuntimeSpec;
  scratch: string;
  install: string[];
  projectName: string | undefined;
  command: string[];
  config: ProjectTestConfig;
  reporter: Reporter;
}

async function runOneRuntime(options: RunProjectTestsOptions, run: RuntimeRun): Promise<RuntimeTestResult> {
  const { host } = options;
  const started = host.now();
  const runtime = formatRuntimeSetting(run.runtime);
  const directory = `${run.scratch}/${run.index + 1}-${runtime.replace(/[^\w.@-]/g, "_")}`;
  const seconds = () => (host.now() - started) / 1000;
  const leases: Array<{ release(): Promise<void> }> = [];
  try {
    return await runInEnvironment(options, run, { runtime, directory, seconds, leases });
  } finally {
    for (const lease of leases) await lease.release();
  }
}

async function runInEnvironment(
  options: RunProjectTestsOptions,
  run: RuntimeRun,
  context: { runtime: string; directory: string; seconds: () => number; leases: Array<{ release(): Promise<void> }> },
): Promise<RuntimeTestResult> {
  const { host } = options;
  const { runtime, directory, seconds } = context;
  let environment: TestEnvironment;
  let cwd: string;
  let preload: string[] = [];
  const junitPath = `${directory}/junit.xml`;
  const pluginDir = `${directory}/pytest-plugins`;
  // Written while the environment is prepared (they do not depend on it).
  const sideFiles = Promise.all([testDirectory(options, run, directory), host.writeText(`${pluginDir}/${pytestHintPluginName}.py`, pytestHintPluginSource())]);
  sideFiles.catch(() => undefined);
  try {
    run.reporter.info(`[${runtime}] Creating a fresh environment`);
    environment = await host.createEnvironment({ directory: `${directory}/venv`, runtime: run.runtime });
    run.reporter.info(`[${runtime}] Installing ${run.install.length} requirement${run.install.length === 1 ? "" : "s"} into ${environment.label}`);
    // A template's environments live in a directory of its own, so that pytest can start imported.
    const placeEnvironment = async (key: string) => {
      const lease = await host.environmentDirectory?.(key);
      if (!lease) {
        if (host.environmentDirectory) run.reporter.debug(`[${runtime}] The template's own directory is in use by another run: using the scratch directory`);
        return undefined;
      }
      context.leases.push(lease);
      return host.createEnvironment({ directory: `${lease.directory}/venv`, runtime: run.runtime });
    };
    const prepared = await prepareTestEnvironment({
      host,
      environment,
      requirements: run.install,
      ...(run.projectName ? { projectName: run.projectName } : {}),
      variables: { ...options.environment, ...run.config.environment },
      placeEnvironment,
      reporter: run.reporter,
    });
    environment = prepared.environment;
    // pytest itself, never its plugins: pytest rewrites the asserts of plugins as it imports them.
    if (prepared.placed && runsPytest(run.command) && prepared.packages.some((p) => p.name === "pytest" && p.name !== run.projectName)) preload = ["pytest"];
    [cwd] = await sideFiles;
  } catch (error) {
    if (!(error instanceof Error)) throw error;
    const kilnError = isKilnError(error)
      ? error
      : new KilnError("testSetupFailed", `Cannot set up the test environment for ${runtime}: ${error.message}`, { cause: error });
    return { runtime, label: runtime, status: "setup-failed", error: kilnError, seconds: seconds() };
  }
  const env = commandEnvironment(options, { environment, config: run.config, junitPath, pluginDir, preload });
  const argv = await commandArgv(host, run.command, environment);
  run.reporter.info(`[${runtime}] Running ${run.command.join(" ")} in ${cwd}`);
  let exitCode: number;
  try {
    exitCode = await host.runCommand({ argv, cwd, env });
  } catch (error) {
    if (!isKilnError(error)) throw error;
    return { runtime, label: environment.label, status: "setup-failed", error, seconds: seconds() };
  }
  const result: RuntimeTestResult = { runtime, label: environment.label, status: exitCode === 0 ? "passed" : "failed", exitCode, seconds: 0 };
  const text = await host.readText(junitPath);
  if (text !== undefined) {
    try {
      result.report = parseJunitReport(text, junitPath);
    } catch (error) {
      // A run stopped while pytest wrote its report fails on its exit code alone.
      if (!isKilnError(error, "invalidTestReport")) throw error;
      run.reporter.warn(`[${runtime}] ${error.message}`);
    }
    if (options.junitDir) {
      result.junitFile = `${options.junitDir}/${runtime.replace(/[^\w.@-]/g, "_")}.xml`;
      await host.copy(junitPath, result.junitFile);
    }
  }
  result.seconds = seconds();
  return result;
}

/** Where the command runs: the project, or a fresh copy of the configured test sources. */
async function testDirectory(options: RunProjectTestsOptions, run: RuntimeRun, directory: string): Promise<string> {
  const sources = run.config.sources;
  if (!sources?.length) return options.projectDir;
  const copy = `${directory}/sources`;
  // pytest's configuration and root conftest travel with the tests, so rootdir and options match.
  const configFiles = ["pyproject.toml", "pytest.ini", ".pytest.ini", "tox.ini", "setup.cfg", "conftest.py"];
  for (const path of [...new Set([...configFiles, ...sources])]) {
    const from = `${options.projectDir}/${path}`;
    if (await options.host.exists(from)) await options.host.copy(from, `${copy}/${path}`);
    else if (sources.includes(path)) throw new KilnError("invalidTestConfig", `[tool.kiln.test] sources names "${path}", which is not in ${options.projectDir}`, { hint: "List paths relative to the project root" });
  }
  return copy;
}

function commandEnvironment(
  options: RunProjectTestsOptions,
  context: { environment: TestEnvironment; config: ProjectTestConfig; junitPath: string; pluginDir: string; preload: string[] },
): Record<string, string> {
  const base = { ...options.environment, ...context.config.environment };
  const venv = context.environment.venv;
  const ours = [`--junit-xml=${context.junitPath}`, "-o", "junit_family=xunit1", "-p", pytestHintPluginName].map(shellQuote).join(" ");
  return {
    ...base,
    VIRTUAL_ENV: venv.prefix,
    PATH: base.PATH ? `${venv.binDir}:${base.PATH}` : venv.binDir,
    PYTHONPATH: base.PYTHONPATH ? `${context.pluginDir}:${base.PYTHONPATH}` : context.pluginDir,
    PYTEST_ADDOPTS: [base.PYTEST_ADDOPTS, ours].filter(Boolean).join(" "),
    // Read (and removed from the environment) by the environment's Python launcher.
    ...(context.preload.length ? { KILN_PRELOAD_MODULES: context.preload.join(",") } : {}),
  };
}

/** `python` means the environment's Python; other programs are looked up in its `bin` first. */
async function commandArgv(host: ProjectTestHost, command: string[], environment: TestEnvironment): Promise<string[]> {
  const [program, ...args] = command as [string, ...string[]];
  if (/^python(\d(\.\d+)?)?$/.test(program)) return [`${environment.venv.binDir}/python`, ...args];
  if (!program.includes("/") && (await host.exists(`${environment.venv.binDir}/${program}`))) return [`${environment.venv.binDir}/${program}`, ...args];
  return [program, ...args];
}

/** `python -m pytest …` or `pytest …`: a command that imports pytest first thing. */
function runsPytest(command: string[]): boolean {
  const [program, ...args] = command;
  if (program === "pytest" || program === "py.test") return true;
  return /^python(\d(\.\d+)?)?$/.test(program ?? "") && args[0] === "-m" && args[1] === "pytest";
}

function shellQuote(word: string): string {
  return /^[\w@%+=:,./-]+$/.test(word) ? word : `'${word.replaceAll("'", `'"'"'`)}'`;
}
