import { strict as assert } from "node:assert";
import { test } from "node:test";
import { loadPyodide } from "pyodide";
import { markerEnvironmentScript, parseMarkerEnvironment } from "../../src/pep508/index.js";
import {
  abiForPyodideVersion,
  markerEnvironmentForAbi,
  platformTagsForAbi,
  platformTagsForRuntime,
} from "../../src/tags/index.js";

test("the embedded Pyodide runtime reports the marker environment and platform tags of its ABI", { timeout: 300_000 }, async () => {
  const output: string[] = [];
  const pyodide = await loadPyodide({ stdout: (line) => output.push(line) });
  pyodide.runPython(markerEnvironmentScript);
  const environment = parseMarkerEnvironment(JSON.parse(output.join("\n")), `Pyodide ${pyodide.version}`);
  const facts = JSON.parse(
    pyodide.runPython(`import json, sysconfig
json.dumps({"platform": sysconfig.get_platform(), "abi": sysconfig.get_config_var("PYEMSCRIPTEN_PLATFORM_VERSION")})`) as string,
  ) as { platform: string; abi: string | null };

  const abi = abiForPyodideVersion(pyodide.version);
  assert.ok(abi, `Pyodide ${pyodide.version} is in the ABI table`);
  assert.equal(facts.abi, abi.abiVersion);
  assert.deepEqual(environment, markerEnvironmentForAbi(abi, { pyodideVersion: pyodide.version }));
  assert.deepEqual(
    platformTagsForRuntime({ sysconfigPlatform: facts.platform, pyemscriptenPlatformVersion: facts.abi ?? undefined }),
    platformTagsForAbi(abi),
  );
});
