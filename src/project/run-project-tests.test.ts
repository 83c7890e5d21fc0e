import { strict as assert } from "node:assert";
import { test } from "node:test";
import { memoryProjectHost as memoryHost } from "../../test/support/memory-project-host.js";
import { KilnError } from "../core/index.js";
import { runProjectTests } from "./run-project-tests.js";

const junit = (cases: string) => `<?xml version="1.0"?><testsuites><testsuite time="0.5">${cases}</testsuite></testsuites>`;

test("runs each runtime in a fresh environment, from a copy of the sources, and collects the counts", async () => {
  const { host, calls, commands, files } = memoryHost({
    files: {
      "/p/pyproject.toml": '[project]\nname = "demo"\nversion = "1.0"\n[tool.kiln.test]\nsources = ["tests"]\nenvironment = { MODE = "wasm", PYTEST_ADDOPTS = "-q" }\ncommand = "python -m pytest -x"\n',
      "/p/tests/test_a.py": "def test(): pass\n",
      "/p/conftest.py": "",
    },
    reports: {
      bundled: junit('<testcase classname="tests.test_a" name="test" file="tests/test_a.py" line="0"/><testcase classname="tests.test_a" name="skip"><skipped message="no"/></testcase>'),
      "pyodide@0.29.3": junit('<testcase classname="tests.test_a" name="test"><failure message="boom">x</failure></testcase>'),
    },
    exitCodes: { "pyodide@0.29.3": 1 },
  });
  const result = await runProjectTests({
    projectDir: "/p",
    runtimes: [{ kind: "bundled" }, { kind: "npm", version: "0.29.3" }],
    extraArgs: ["-k", "not slow"],
    environment: { PATH: "/usr/bin", PYTHONPATH: "/mine", HOME: "/home/me" },
    junitDir: "/out",
    host,
  });
  assert.equal(result.passed, false);
  assert.deepEqual(
    result.results.map((r) => [r.runtime, r.label, r.status, r.exitCode, r.report?.passed, r.report?.failed, r.report?.skipped, r.junitFile]),
    [
      ["bundled", "bundled (CPython 3.14.2)", "passed", 0, 1, 0, 1, "/out/bundled.xml"],
      ["pyodide@0.29.3", "pyodide@0.29.3 (CPython 3.14.2)", "failed", 1, 0, 1, 0, "/out/pyodide@0.29.3.xml"],
    ],
  );
  const wheel = /^demo @ file:\/\/\/cache\/project-wheels\/[0-9a-f]{64}\/demo-1\.0-py3-none-any\.whl$/;
  const resolves = calls.filter((c) => c.startsWith("resolve")).map((c) => c.split(" | "));
  assert.deepEqual(resolves.map(([first]) => first), ["resolve pytest", "resolve pytest"]);
  for (const [, project] of resolves) assert.match(project!, wheel, "the wheel kept in the cache is installed");
  assert.deepEqual(calls.filter((c) => c.startsWith("install")), ["install pytest", "install demo", "install pytest", "install demo"], "one template per runtime, the project on top");
  assert.ok(calls.includes("copy /p/tests -> /scratch/1-bundled/sources/tests"));
  assert.ok(calls.includes("copy /p/conftest.py -> /scratch/1-bundled/sources/conftest.py"));
  assert.ok(calls.includes("venv /scratch/2-pyodide@0.29.3/venv"));
  assert.equal(calls.at(-1), "remove /scratch");
  const [first] = commands;
  assert.deepEqual(first!.argv, ["/scratch/1-bundled/venv/bin/python", "-m", "pytest", "-x", "-k", "not slow"]);
  assert.equal(first!.cwd, "/scratch/1-bundled/sources");
  assert.equal(first!.env.MODE, "wasm");
  assert.equal(first!.env.HOME, "/home/me");
  assert.equal(first!.env.VIRTUAL_ENV, "/scratch/1-bundled/venv");
  assert.equal(first!.env.PATH, "/scratch/1-bundled/venv/bin:/usr/bin");
  assert.equal(first!.env.PYTHONPATH, "/scratch/1-bundled/pytest-plugins:/mine");
  assert.equal(first!.env.PYTEST_ADDOPTS, "-q --junit-xml=/scratch/1-bundled/junit.xml -o junit_family=xunit1 -p kiln_wasm_hints");
  assert.match(first!.plugin as string, /def pytest_runtest_makereport/);
  assert.deepEqual([...files.keys()].filter((path) => path.startsWith("/scratch")), [], "the scratch directory is gone");
});

test("a runtime that cannot be set up fails alone; extras come from the built wheel when metadata is dynamic", async () => {
  const { host, calls } = memoryHost({
    files: { "/p/setup.py": "from setuptools import setup; setup()\n" },
    failEnvironment: "pyodide@0.27.7",
    reports: { bundled: junit('<testcase classname="t" name="a"/>') },
  });
  const result = await runProjectTests({ projectDir: "/p", runtimes: [{ kind: "npm", version: "0.27.7" }, { kind: "bundled" }], environment: {}, host });
  assert.deepEqual(result.results.map((r) => [r.status, r.error?.code]), [["setup-failed", "runtimeNotFound"], ["passed", undefined]]);
  assert.equal(result.passed, false);
  assert.equal(result.requirements.origin, 'extra "testing"');
  assert.match(calls.find((c) => c.startsWith("resolve"))!, /^resolve pytest \| demo\[testing\] @ file:\/\/\/cache\/project-wheels\/\w+\/demo-1\.0-py3-none-any\.whl$/);
  assert.deepEqual(calls.filter((c) => c.startsWith("copy /p")), [], "no sources configured: runs in the project");
});

test("a directory without a project runs its tests with pytest alone; a missing --wheel is an error", async () => {
  const { host, calls, commands } = memoryHost({ files: { "/p/test_x.py": "" }, reports: { bundled: junit("") }, exitCodes: { bundled: 5 } });
  const result = await runProjectTests({ projectDir: "/p", environment: {}, host });
  assert.deepEqual(calls.filter((c) => c.startsWith("install") || c.startsWith("build")), ["install pytest"]);
  assert.deepEqual(calls.filter((c) => c.startsWith("resolve")), ["resolve pytest"]);
  assert.equal(commands[0]!.cwd, "/p");
  assert.equal(result.results[0]!.status, "failed", "pytest's exit 5 (no tests) fails the run");
  await assert.rejects(runProjectTests({ projectDir: "/p", wheel: "/nope.whl", environment: {}, host }), (error: unknown) => error instanceof KilnError && error.code === "testSetupFailed");
  await assert.rejects(runProjectTests({ projectDir: "/elsewhere", environment: {}, host }), (error: unknown) => error instanceof KilnError && /no such directory/.test(error.message));
});

test("the built wheel is reused while the sources are unchanged, and rebuilt when a source file, the build system or a build variable changes", async () => {
  const pyproject = '[build-system]\nrequires = ["flit_core>=3.9"]\nbuild-backend = "flit_core.buildapi"\n[project]\nname = "demo"\nversion = "1.0"\n';
  const { host, calls, files } = memoryHost({
    files: { "/p/pyproject.toml": pyproject, "/p/demo/__init__.py": "x = 1\n", "/p/tests/test_a.py": "" },
    reports: { bundled: junit("") },
  });
  const builds = async (change: () => void, environment: Record<string, string> = {}) => {
    change();
    const before = calls.filter((c) => c.startsWith("build")).length;
    await runProjectTests({ projectDir: "/p", environment, host });
    return calls.filter((c) => c.startsWith("build")).length - before;
  };
  assert.equal(await builds(() => {}), 1, "the first run builds");
  assert.equal(await builds(() => {}), 0, "same sources: the cached wheel");
  assert.equal(await builds(() => files.set("/p/demo/__init__.py", "x = 2\n")), 1, "an edited module");
  assert.equal(await builds(() => files.set("/p/demo/extra.py", "")), 1, "a new file");
  assert.equal(await builds(() => files.set("/p/tests/test_a.py", "def test(): pass\n")), 1, "any file the build could read");
  assert.equal(await builds(() => files.set("/p/pyproject.toml", pyproject.replace(">=3.9", ">=3.10"))), 1, "the build requirements");
  assert.equal(await builds(() => {}, { SOURCE_DATE_EPOCH: "1700000000" }), 1, "a variable backends read");
  assert.equal(await builds(() => {}, { SOURCE_DATE_EPOCH: "1700000000", TERM: "dumb" }), 0, "other variables do not matter");
  const outside = () => {
    files.set("/p/.git/index", "changed");
    files.set("/p/demo/__pycache__/__init__.cpython-314.pyc", "bytecode");
    files.set("/p/.venv/pyvenv.cfg", "home = /usr\n");
    files.set("/p/env2/pyvenv.cfg", "home = /usr\n");
    files.set("/p/env2/lib/x.py", "");
    files.set("/p/build/lib/demo/__init__.py", "");
    files.set("/p/dist/demo-0.9-py3-none-any.whl", "");
    files.set("/p/demo.egg-info/PKG-INFO", "");
    files.set("/p/.pytest_cache/v/cache/lastfailed", "{}");
  };
  assert.equal(await builds(outside, { SOURCE_DATE_EPOCH: "1700000000" }), 0, "VCS data, caches, environments and build outputs are not sources");
  assert.equal(await builds(() => files.set("/p/demo/build/x.py", ""), { SOURCE_DATE_EPOCH: "1700000000" }), 1, "only the top-level build/ is output");
});

test("with a template, the environment is made in the template's own directory, held for the run; pytest is preloaded only for a pytest command", async () => {
  const files = { "/p/pyproject.toml": '[project]\nname = "demo"\nversion = "1.0"\n' };
  const cases: Array<[string, "free" | "busy", string[] | undefined, boolean, string | undefined]> = [
    ["pytest, free", "free", undefined, true, "pytest"],
    ["pytest console script", "free", ["pytest", "-q"], true, "pytest"],
    ["unittest", "free", ["python", "-m", "unittest"], true, undefined],
    ["held by another run", "busy", undefined, false, undefined],
  ];
  for (const [name, directories, command, placed, preload] of cases) {
    const { host, calls, commands } = memoryHost({ files, environmentDirectories: directories });
    await runProjectTests({ projectDir: "/p", environment: {}, host, ...(command ? { command } : {}) });
    assert.equal(commands.at(-1)!.env.KILN_PRELOAD_MODULES, undefined, `${name}: the first run makes the template in its scratch directory`);
    assert.ok(!calls.some((call) => call.startsWith("acquire")), name);
    await runProjectTests({ projectDir: "/p", environment: {}, host, ...(command ? { command } : {}) });
    const last = commands.at(-1)!;
    assert.equal(last.env.KILN_PRELOAD_MODULES, preload, name);
    const acquired = calls.find((call) => call.startsWith("acquire"))!.slice("acquire ".length);
    assert.equal(last.env.VIRTUAL_ENV, placed ? `${acquired}/venv` : "/scratch/1-bundled/venv", name);
    assert.equal(calls.includes(`release ${acquired}`), placed, `${name}: the directory is released after the run`);
    if (placed) assert.ok(calls.indexOf(`release ${acquired}`) > calls.findIndex((call) => call === "install demo"), name);
  }
});
