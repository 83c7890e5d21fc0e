import { strict as assert } from "node:assert";
import { test } from "node:test";
import { buildWheel } from "../../test/support/wheel-builder.js";
import { KilnError } from "../core/index.js";
import { formatRuntimeSetting, type RuntimeSpec, type VirtualEnvironment } from "../runtime/index.js";
import type { ProjectTestHost } from "./project-test-host.js";
import { runProjectTests } from "./run-project-tests.js";

const junit = (cases: string) => `<?xml version="1.0"?><testsuites><testsuite time="0.5">${cases}</testsuite></testsuites>`;

/** A host with files in a Map and a scripted test command; records what the loop asked for. */
function memoryHost(options: { files: Record<string, string | Uint8Array>; failEnvironment?: string; reports?: Record<string, string>; exitCodes?: Record<string, number> }) {
  const files = new Map<string, string | Uint8Array>(Object.entries(options.files));
  const calls: string[] = [];
  const commands: Array<{ argv: string[]; cwd: string; env: Record<string, string>; plugin: unknown }> = [];
  let clock = 0;
  const host: ProjectTestHost = {
    readText: async (path) => {
      const value = files.get(path);
      return typeof value === "string" ? value : undefined;
    },
    readBytes: async (path) => files.get(path) as Uint8Array,
    exists: async (path) => [...files.keys()].some((key) => key === path || key.startsWith(`${path}/`)),
    writeText: async (path, text) => void files.set(path, text),
    makeScratchDirectory: async () => "/scratch",
    remove: async (path) => {
      calls.push(`remove ${path}`);
      for (const key of [...files.keys()]) if (key.startsWith(`${path}/`)) files.delete(key);
    },
    copy: async (from, to) => {
      calls.push(`copy ${from} -> ${to}`);
      for (const [key, value] of [...files]) if (key === from || key.startsWith(`${from}/`)) files.set(to + key.slice(from.length), value);
    },
    buildWheel: async ({ projectDir, outputDir }) => {
      calls.push(`build ${projectDir}`);
      const path = `${outputDir}/demo-1.0-py3-none-any.whl`;
      files.set(path, buildWheel("demo-1.0-py3-none-any.whl", { "demo/__init__.py": "", "demo-1.0.dist-info/METADATA": "Metadata-Version: 2.1\nName: demo\nVersion: 1.0\nProvides-Extra: testing\n" }));
      return path;
    },
    createEnvironment: async ({ directory, runtime }: { directory: string; runtime: RuntimeSpec }) => {
      const name = formatRuntimeSetting(runtime);
      if (name === options.failEnvironment) throw new KilnError("runtimeNotFound", `Cannot use ${name}`);
      calls.push(`venv ${directory}`);
      const venv = { prefix: directory, binDir: `${directory}/bin`, sitePackages: `${directory}/lib/python3.14/site-packages` } as VirtualEnvironment;
      return { venv, label: `${name} (CPython 3.14.2)` };
    },
    install: async ({ requirements }) => void calls.push(`install ${requirements.join(" | ")}`),
    runCommand: async (request) => {
      commands.push({ ...request, plugin: files.get(`${request.env.PYTHONPATH!.split(":")[0]}/kiln_wasm_hints.py`) });
      const runtime = /\/\d+-([^/]+)\/venv/.exec(request.env.VIRTUAL_ENV!)![1]!;
      const report = options.reports?.[runtime];
      const path = /--junit-xml=(\S+)/.exec(request.env.PYTEST_ADDOPTS!)![1]!;
      if (report !== undefined) files.set(path, report);
      return options.exitCodes?.[runtime] ?? 0;
    },
    now: () => (clock += 1000),
  };
  return { host, calls, commands, files };
}

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
  assert.deepEqual(calls.filter((c) => c.startsWith("install")), [
    "install pytest | demo @ file:///scratch/dist/demo-1.0-py3-none-any.whl",
    "install pytest | demo @ file:///scratch/dist/demo-1.0-py3-none-any.whl",
  ]);
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
  assert.deepEqual(calls.filter((c) => c.startsWith("install")), ["install pytest | demo[testing] @ file:///scratch/dist/demo-1.0-py3-none-any.whl"]);
  assert.deepEqual(calls.filter((c) => c.startsWith("copy")), [], "no sources configured: runs in the project");
});

test("a directory without a project runs its tests with pytest alone; a missing --wheel is an error", async () => {
  const { host, calls, commands } = memoryHost({ files: { "/p/test_x.py": "" }, reports: { bundled: junit("") }, exitCodes: { bundled: 5 } });
  const result = await runProjectTests({ projectDir: "/p", environment: {}, host });
  assert.deepEqual(calls.filter((c) => c.startsWith("install") || c.startsWith("build")), ["install pytest"]);
  assert.equal(commands[0]!.cwd, "/p");
  assert.equal(result.results[0]!.status, "failed", "pytest's exit 5 (no tests) fails the run");
  await assert.rejects(runProjectTests({ projectDir: "/p", wheel: "/nope.whl", environment: {}, host }), (error: unknown) => error instanceof KilnError && error.code === "testSetupFailed");
  await assert.rejects(runProjectTests({ projectDir: "/elsewhere", environment: {}, host }), (error: unknown) => error instanceof KilnError && /no such directory/.test(error.message));
});
