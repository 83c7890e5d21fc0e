import { strict as assert } from "node:assert";
import { spawnSync } from "node:child_process";
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync, existsSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, test } from "node:test";
import { hostPython } from "../../test/support/host-python.js";
import { hookProgram, parseHookOutcome, type HookOutcome, type HookRequest } from "./hook-call.js";
import { hookFailureError } from "./hook-failure-error.js";

// The runner is plain Python: the host interpreter exercises its logic here; test/build runs it
// inside the WASM runtime against real backends.
const root = mkdtempSync(join(tmpdir(), "kiln-hooks-"));
after(() => rmSync(root, { recursive: true, force: true }));
const source = join(root, "project");
mkdirSync(join(source, "_build"), { recursive: true });
writeFileSync(
  join(source, "_build", "toy_backend.py"),
  `
import os, subprocess, zipfile
def get_requires_for_build_wheel(config_settings=None):
    return ["toy-dep>=1"] + list((config_settings or {}).get("extra", []))
def build_wheel(wheel_directory, config_settings=None, metadata_directory=None):
    name = "toy-1.0-py3-none-any.whl"
    with zipfile.ZipFile(os.path.join(wheel_directory, name), "w") as z:
        z.writestr("toy/__init__.py", repr(config_settings))
        z.writestr("toy-1.0.dist-info/METADATA", "Metadata-Version: 2.1\\nName: toy\\nVersion: 1.0\\n")
        z.writestr("toy-1.0.dist-info/WHEEL", "Wheel-Version: 1.0\\nRoot-Is-Purelib: true\\nTag: py3-none-any\\n")
    print("built in", os.getcwd())
    return name
def build_sdist(sdist_directory, config_settings=None):
    raise ValueError("boom: no sdist today")
class UnsupportedOperation(Exception):
    pass
def build_editable(wheel_directory, config_settings=None, metadata_directory=None):
    raise UnsupportedOperation("editable installs are not supported")
def get_requires_for_build_sdist(config_settings=None):
    subprocess.run(["gcc", "-c", "speedups.c"], check=True)
def get_requires_for_build_editable(config_settings=None):
    try:
        subprocess.check_output(["git", "describe"])
    except FileNotFoundError:
        raise RuntimeError("cannot find the version: git is missing")
`,
);

function call(request: Partial<HookRequest> & Pick<HookRequest, "hook">): HookOutcome {
  const out = mkdtempSync(join(root, "out-"));
  const full: HookRequest = { backend: "toy_backend", backendPath: ["_build"], source, arguments: {}, resultPath: join(out, "result.json"), ...request };
  full.arguments = { wheel_directory: out, sdist_directory: out, metadata_directory: out, ...request.arguments };
  const program = join(out, "program.py");
  writeFileSync(program, hookProgram(full));
  const run = spawnSync(hostPython, [program], { encoding: "utf8" });
  assert.equal(run.status, 0, run.stderr);
  return parseHookOutcome(existsSync(full.resultPath) ? readFileSync(full.resultPath, "utf8") : undefined, full);
}

test("get_requires_for_build_wheel passes config_settings and returns the list", () => {
  const outcome = call({ hook: "get_requires_for_build_wheel", arguments: { config_settings: { extra: ["more"] } } });
  assert.deepEqual(outcome, { ok: true, value: ["toy-dep>=1", "more"], attempted: [] });
});

test("a missing get_requires hook returns [] (PEP 517 default)", () => {
  assert.deepEqual(call({ hook: "get_requires_for_build_wheel", backend: "json", backendPath: [] }), { ok: true, value: [], attempted: [] });
});

test("build_wheel runs in the source tree and returns the wheel's name", () => {
  const outcome = call({ hook: "build_wheel", arguments: { config_settings: { k: "v" } } });
  assert.deepEqual(outcome, { ok: true, value: "toy-1.0-py3-none-any.whl", attempted: [] });
});

test("prepare_metadata_for_build_wheel falls back to building the wheel", () => {
  const outcome = call({ hook: "prepare_metadata_for_build_wheel" });
  assert.ok(outcome.ok);
  const value = outcome.value as { distInfo: string; wheel: string };
  assert.equal(value.distInfo, "toy-1.0.dist-info");
  assert.match(value.wheel, /\.kiln-wheel\/toy-1\.0-py3-none-any\.whl$/);
  assert.match(readFileSync(join(value.wheel, "..", "..", "toy-1.0.dist-info", "METADATA"), "utf8"), /Name: toy/);
});

const failures: Array<{ name: string; request: Partial<HookRequest> & Pick<HookRequest, "hook">; kind: string; code: string; message: RegExp; hint?: RegExp }> = [
  { name: "a backend that is not installed", request: { hook: "build_wheel", backend: "nothere.api", backendPath: [] }, kind: "backendUnavailable", code: "buildBackendFailed", message: /No module named 'nothere'/, hint: /\[build-system\] requires/ },
  { name: "a backend object that does not exist", request: { hook: "build_wheel", backend: "toy_backend:missing" }, kind: "backendUnavailable", code: "buildBackendFailed", message: /no attribute 'missing'/ },
  { name: "a backend not from backend-path", request: { hook: "build_wheel", backend: "json" }, kind: "backendInvalid", code: "buildBackendFailed", message: /not from backend-path/ },
  { name: "a backend that raises", request: { hook: "build_sdist" }, kind: "error", code: "buildBackendFailed", message: /ValueError: boom: no sdist today[^]*toy_backend\.py/ },
  { name: "a backend's UnsupportedOperation", request: { hook: "build_editable" }, kind: "unsupported", code: "buildBackendFailed", message: /does not support it: editable installs/ },
  { name: "a missing build hook", request: { hook: "build_sdist", backend: "json", backendPath: [] }, kind: "hookMissing", code: "buildBackendFailed", message: /no build_sdist hook/ },
  { name: "a backend without PEP 660", request: { hook: "build_editable", backend: "json", backendPath: [] }, kind: "hookMissing", code: "buildBackendFailed", message: /toy 1\.0 in editable mode: its build backend "json" has no build_editable hook \(PEP 660\)/, hint: /without -e/ },
  { name: "a backend that runs a compiler", request: { hook: "get_requires_for_build_sdist" }, kind: "error", code: "nativeBuildUnsupported", message: /tried to run the compiler tool "gcc"/ },
  { name: "a backend that runs git", request: { hook: "get_requires_for_build_editable" }, kind: "error", code: "buildBackendFailed", message: /git is missing/, hint: /tried to run "git"[^]*SETUPTOOLS_SCM_PRETEND_VERSION/ },
];

for (const item of failures) {
  test(`reports ${item.name}`, () => {
    const outcome = call(item.request);
    assert.equal(outcome.ok, false);
    if (outcome.ok) return;
    assert.equal(outcome.kind, item.kind, outcome.message);
    const error = hookFailureError({ project: "toy 1.0", request: { hook: item.request.hook, backend: item.request.backend ?? "toy_backend" }, outcome });
    assert.equal(error.code, item.code);
    assert.match(error.message, item.message);
    assert.match(error.message, /toy 1\.0/);
    if (item.hint) assert.match(error.hint ?? "", item.hint);
  });
}

test("a missing or garbled result is a clear error", () => {
  assert.throws(() => parseHookOutcome(undefined, { hook: "build_wheel", source: "/p" }), /build_wheel for "\/p": it wrote no result/);
  assert.throws(() => parseHookOutcome("{", { hook: "build_wheel", source: "/p" }), /not JSON/);
  assert.throws(() => parseHookOutcome("[]", { hook: "build_wheel", source: "/p" }), /wrong shape/);
});
