import { strict as assert } from "node:assert";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { test } from "node:test";
import { baseEnv, kiln, makeTree, runCommand } from "./support.js";

// Older Pyodide releases come from the npm registry into kiln's cache (the test cache keeps them
// between runs); their Python version and ABI are read from the runtimes themselves.
const runtimes: Array<[string, string, string]> = [
  ["pyodide@0.29.x", "3.13", "2025_0"],
  ["pyodide@0.27.x", "3.12", "2024_0"],
];

function config(venv: string): Record<string, string> {
  const text = readFileSync(join(venv, "pyvenv.cfg"), "utf8");
  return Object.fromEntries(text.trim().split("\n").map((line) => line.split(" = ") as [string, string]));
}

for (const [request, python, abi] of runtimes) {
  test(`kiln venv --runtime ${request}: CPython ${python}, ABI ${abi}, pinned and reused offline`, () => {
    const venv = join(makeTree(), "venv");
    const created = kiln(["venv", venv, "--runtime", request]);
    assert.equal(created.status, 0, created.stderr);
    const entries = config(venv);
    assert.match(entries["kiln-runtime"]!, new RegExp(`^pyodide@${request.slice(8, -1).replaceAll(".", "\\.")}\\d+$`));
    assert.equal(entries["kiln-abi-version"], abi);
    assert.equal(entries["kiln-platform-tag"], `pyemscripten_${abi}_wasm32`);
    assert.equal(entries["kiln-ext-suffix"], `.cpython-${python.replace(".", "")}-wasm32-emscripten.so`);
    // Its launcher may have to fetch the runtime again, through Node's fetch: NODE_EXTRA_CA_CERTS stays Node's.
    assert.doesNotMatch(readFileSync(join(venv, "bin", "python"), "utf8"), /NODE_EXTRA_CA_CERTS/);
    const result = runCommand(join(venv, "bin", "python"), ["-c", "import sys; print('%d.%d' % sys.version_info[:2], sys.prefix)"], {
      env: baseEnv({ npm_config_registry: "http://127.0.0.1:9/" }),
    });
    assert.equal(result.status, 0, result.stderr);
    assert.equal(result.stdout.trim(), `${python} ${venv}`);
    const again = kiln(["venv", join(makeTree(), "again"), "--runtime", request], { env: baseEnv({ npm_config_registry: "http://127.0.0.1:9/" }) });
    assert.equal(again.status, 0, again.stderr);
  });
}

test("an unknown runtime version is a clear error", () => {
  const result = kiln(["venv", join(makeTree(), "venv"), "--runtime", "pyodide@0.1.99"]);
  assert.equal(result.status, 1);
  assert.match(result.stderr, /error: The npm registry answered 404 for .*pyodide\/0\.1\.99/);
});

test("kiln run with a runtime that cannot be fetched prints the error and exits", () => {
  // The start helper thread, made before the runtime is located, once kept the process alive.
  const result = kiln(["run", "--runtime", "pyodide@0.1.99", "-c", "pass"], { env: baseEnv({ npm_config_registry: "http://127.0.0.1:9/" }), timeoutMs: 60_000 });
  assert.equal(result.status, 1, `status ${result.status} (signal ${result.signal}): ${result.stderr}`);
  assert.match(result.stderr, /error: Cannot reach the npm registry at http:\/\/127\.0\.0\.1:9\/pyodide\/0\.1\.99/);
});

test("kiln run --runtime pyodide@0.29.x runs that runtime, and its sys.executable names the same runtime", () => {
  const result = kiln(["run", "--runtime", "pyodide@0.29.x", "-c", "import sys; print('%d.%d' % sys.version_info[:2]); print(sys.executable)"]);
  assert.equal(result.status, 0, result.stderr);
  const [version, executable] = result.stdout.trim().split("\n");
  assert.equal(version, "3.13");
  assert.match(readFileSync(executable!, "utf8"), /'run' '--runtime' 'pyodide@0\.29\.x' "\$@"/);
  const bundled = kiln(["run", "-c", "import sys; print('%d.%d' % sys.version_info[:2])"]);
  assert.equal(bundled.stdout.trim(), "3.14");
});
