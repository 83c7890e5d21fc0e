import { strict as assert } from "node:assert";
import { createHash } from "node:crypto";
import { test } from "node:test";
import { memoryProjectHost } from "../../test/support/memory-project-host.js";
import { prepareTestEnvironment } from "./prepare-test-environment.js";

async function freshEnvironment(host: ReturnType<typeof memoryProjectHost>["host"], directory: string, runtime = { kind: "bundled" } as const) {
  return host.createEnvironment({ directory, runtime });
}

const requirements = ["pytest", "pluggy", "demo @ file:///cache/project-wheels/k/demo-1.0-py3-none-any.whl"];

test("the first environment of a resolved set is installed, compiled and kept; the next ones are copies with their own launchers", async () => {
  const { host, calls, files } = memoryProjectHost({ files: {} });
  const first = await freshEnvironment(host, "/run1/venv");
  const made = await prepareTestEnvironment({ host, environment: first, requirements, projectName: "demo", variables: { PYTHONDONTWRITEBYTECODE: "1", HOME: "/h" } });
  assert.equal(made.template, "created");
  assert.deepEqual(calls.filter((c) => /^(install|compile|store)/.test(c)), ["install pytest, pluggy", "compile /run1/venv/lib/python3.14/site-packages", "store test-environments", "install demo"]);
  assert.ok(files.has("/run1/venv/lib/python3.14/site-packages/pytest/__pycache__/__init__.cpython-314.pyc"), "bytecode compiled in the environment");
  const template = [...files.keys()].filter((path) => path.startsWith("/cache/test-environments/"));
  assert.ok(template.some((path) => path.endsWith("/lib/python3.14/site-packages/pytest/__pycache__/__init__.cpython-314.pyc")), "and kept in the template");
  assert.ok(!template.some((path) => path.includes("/demo/")), "the project is not part of the template");
  assert.ok(!template.some((path) => path.endsWith("/pyvenv.cfg") || path.endsWith("/bin/python")), "nor the environment's own files");

  calls.length = 0;
  const second = await freshEnvironment(host, "/run2/venv");
  const copied = await prepareTestEnvironment({ host, environment: second, requirements, projectName: "demo", variables: {} });
  assert.equal(copied.template, "copied");
  assert.deepEqual(calls.filter((c) => /^(resolve|install|compile|store)/.test(c)), [`resolve ${requirements.join(" | ")}`, "install demo"], "resolved again, only the project installed");
  assert.ok(files.has("/run2/venv/lib/python3.14/site-packages/pytest/__pycache__/__init__.cpython-314.pyc"));
  assert.ok(files.has("/run2/venv/lib/python3.14/site-packages/demo/__init__.py"));
  const launcher = files.get("/run2/venv/bin/pytest") as string;
  assert.match(launcher, /'''exec' "\/run2\/venv\/bin\/python"/, "the launcher runs this environment's python");
  assert.doesNotMatch(launcher, /run1/);
  const digest = createHash("sha256").update(launcher).digest("base64url");
  assert.match(files.get("/run2/venv/lib/python3.14/site-packages/pytest-1.dist-info/RECORD") as string, new RegExp(`^\\.\\./\\.\\./\\.\\./bin/pytest,sha256=${digest},${Buffer.byteLength(launcher)}$`, "m"), "RECORD matches the rewritten launcher");
  assert.match(files.get("/run1/venv/bin/pytest") as string, /run1/, "the first environment is untouched");
});

test("another resolved set, runtime or an unreadable template makes a new template; a failed compileall does not fail the environment", async () => {
  const { host, calls, files } = memoryProjectHost({ files: {}, compileExitCode: 1 });
  const prepare = async (directory: string, wanted: string[], runtime: { kind: "bundled" } | { kind: "npm"; version: string } = { kind: "bundled" }) => {
    calls.length = 0;
    const environment = await host.createEnvironment({ directory, runtime });
    return (await prepareTestEnvironment({ host, environment, requirements: wanted, variables: {} })).template;
  };
  assert.equal(await prepare("/a/venv", ["pytest"]), "created", "compileall's exit 1 is not an error");
  assert.equal(await prepare("/b/venv", ["pytest", "iniconfig"]), "created");
  assert.equal(await prepare("/c/venv", ["pytest"], { kind: "npm", version: "0.29.3" }), "created");
  assert.equal(await prepare("/d/venv", ["pytest"]), "copied");
  for (const path of [...files.keys()]) if (path.endsWith("/template.json")) files.set(path, "{");
  assert.equal(await prepare("/e/venv", ["pytest"]), "created", "an unreadable template is replaced by installing");
  assert.deepEqual(calls.filter((c) => c.startsWith("install")), ["install pytest"]);
  assert.equal(await prepare("/f/venv", ["demo @ file:///w/demo-1.0-py3-none-any.whl"]), "created", "without a project name every package is a dependency");
});

test("nothing but the project: no template", async () => {
  const { host, calls } = memoryProjectHost({ files: {} });
  const environment = await host.createEnvironment({ directory: "/a/venv", runtime: { kind: "bundled" } });
  const prepared = await prepareTestEnvironment({ host, environment, requirements: ["demo @ file:///w/demo-1.0-py3-none-any.whl"], projectName: "demo", variables: {} });
  assert.equal(prepared.template, "none");
  assert.deepEqual(calls.filter((c) => /^(install|compile|store)/.test(c)), ["install demo"]);
});

test("with pytest plugins in the set, a template holds their assert-rewritten bytecode, written by a pytest that loads them and collects nothing", async () => {
  const cases: Array<[string[], boolean]> = [
    [["pytest", "pytest-mock"], true],
    [["pytest", "pluggy"], false],
    [["pytest-mock"], false],
  ];
  for (const [names, rewritten] of cases) {
    const { host, calls, files } = memoryProjectHost({ files: {} });
    const environment = await freshEnvironment(host, "/run1/venv");
    await prepareTestEnvironment({ host, environment, requirements: names, variables: { PYTHONDONTWRITEBYTECODE: "1", PYTEST_ADDOPTS: "-x", HOME: "/h" } });
    const rewrites = calls.filter((c) => c.startsWith("rewrite plugins"));
    assert.deepEqual(rewrites, rewritten ? ["rewrite plugins /run1/venv/.kiln-collect "] : [], `${names.join(", ")}: once, without PYTHON* or PYTEST* variables`);
    assert.ok(calls.indexOf(rewrites[0]!) < calls.indexOf("store test-environments") || !rewritten, "before the template is kept");
    const template = [...files.keys()].filter((path) => path.startsWith("/cache/test-environments/"));
    assert.equal(template.some((path) => path.endsWith("/pytest-mock/__pycache__/__init__.cpython-314-pytest-9.pyc")), rewritten, names.join(", "));
    assert.ok(!template.some((path) => path.includes(".kiln-collect")), "the empty directory it collected is gone");
  }
});

test("the template the last run of a setup used is placed while resolving, and kept only when the resolution gives its key again", async () => {
  const { host, calls, files } = memoryProjectHost({ files: {}, environmentDirectories: "free", lastTemplates: { resolveMs: 20 } });
  const placeEnvironment = async (key: string) => {
    const lease = await host.environmentDirectory!(key);
    return lease ? host.createEnvironment({ directory: `${lease.directory}/venv`, runtime: { kind: "bundled" } }) : undefined;
  };
  const prepare = async (directory: string, wanted: string[]) => {
    calls.length = 0;
    const environment = await freshEnvironment(host, directory);
    return prepareTestEnvironment({ host, environment, requirements: wanted, projectName: "demo", variables: {}, placeEnvironment });
  };
  const first = await prepare("/run1/venv", requirements);
  assert.equal(first.template, "created");
  assert.ok(calls.some((c) => c.startsWith("remember ")), "the template is remembered for the setup");

  // Same setup (another project wheel: the project's sources changed): placed before resolving is done.
  const edited = requirements.map((text) => text.replace("/k/", "/k2/"));
  const second = await prepare("/run2/venv", edited);
  assert.equal(second.template, "copied");
  assert.equal(second.placed, true);
  const acquired = calls.findIndex((c) => c.startsWith("acquire /runs/"));
  assert.ok(acquired >= 0 && acquired < calls.indexOf("resolution done"), calls.join("\n"));
  assert.equal(calls.filter((c) => c.startsWith("acquire")).length, 1, "placed once");
  assert.ok(!calls.some((c) => c.startsWith("remember ")), "nothing new to remember");
  assert.ok(files.has(`${second.environment.venv.sitePackages}/pytest/__init__.py`));
  assert.ok(files.has(`${second.environment.venv.sitePackages}/demo/__init__.py`), "the project installed on top");

  // The resolution now gives another set (a dependency changed): the early placement is not used.
  const changed = [...edited, "iniconfig"];
  const third = await prepare("/run3/venv", changed);
  assert.equal(third.template, "created");
  assert.equal(third.environment.venv.prefix, "/run3/venv", "installed into the run's own environment, not the placed one");
  assert.ok(files.has("/run3/venv/lib/python3.14/site-packages/iniconfig/__init__.py"));
  assert.ok(calls.some((c) => c.startsWith("remember ")), "the new template is remembered");
  const fourth = await prepare("/run4/venv", changed);
  assert.equal(fourth.template, "copied");
  assert.ok(files.has(`${fourth.environment.venv.sitePackages}/iniconfig/__init__.py`), "the new template, placed early");
  assert.ok(calls.findIndex((c) => c.startsWith("acquire /runs/")) < calls.indexOf("resolution done"));
});
