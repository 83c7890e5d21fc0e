import { strict as assert } from "node:assert";
import { test } from "node:test";
import { readFileSync } from "node:fs";
import { isKilnError } from "../core/index.js";
import { formatPyodideLock, type LockedSet } from "./index.js";

const info = { abi_version: "2026_0", arch: "wasm32", platform: "emscripten_5_0_3", python: "3.14.2" };
const lock: LockedSet = {
  createdBy: "kiln",
  packages: [
    {
      name: "pydantic-core",
      displayName: "pydantic_core",
      version: "2.41.5",
      dependencies: ["typing-extensions"],
      imports: ["pydantic_core"],
      wheels: [{ filename: "pydantic_core-2.41.5-cp314-cp314-pyemscripten_2026_0_wasm32.whl", url: "https://files.pythonhosted.org/p/pydantic_core-2.41.5-cp314-cp314-pyemscripten_2026_0_wasm32.whl", hashes: { sha256: "5".repeat(64) } }],
    },
    { name: "typing-extensions", version: "4.15.0", dependencies: [], wheels: [{ filename: "typing_extensions-4.15.0-py3-none-any.whl", url: "https://x/typing_extensions-4.15.0-py3-none-any.whl", hashes: { sha256: "7".repeat(64) } }] },
  ],
};

test("formatPyodideLock has the shape of Pyodide's own lock file", () => {
  const written = JSON.parse(formatPyodideLock(lock, info));
  const shipped = JSON.parse(readFileSync(new URL("../../node_modules/pyodide/pyodide-lock.json", import.meta.url), "utf8"));
  assert.deepEqual(Object.keys(written.info).sort(), Object.keys(shipped.info).sort().filter((k: string) => k !== "version"));
  const shippedKeys = Object.keys(shipped.packages["pydantic-core"]).sort();
  for (const entry of Object.values(written.packages)) assert.deepEqual(Object.keys(entry as object).sort(), shippedKeys);
  assert.deepEqual(written.packages["pydantic-core"], {
    name: "pydantic_core",
    version: "2.41.5",
    file_name: lock.packages[0]!.wheels[0]!.url,
    install_dir: "site",
    sha256: "5".repeat(64),
    package_type: "package",
    imports: ["pydantic_core"],
    depends: ["typing-extensions"],
    unvendored_tests: false,
    tool: {},
  });
  assert.deepEqual(written.packages["typing-extensions"].imports, []);
});

test("formatPyodideLock refuses a wheel without sha256", () => {
  const noHash: LockedSet = { createdBy: "kiln", packages: [{ name: "a", version: "1", dependencies: [], wheels: [{ filename: "a-1-py3-none-any.whl", url: "https://x/a-1-py3-none-any.whl", hashes: {} }] }] };
  assert.throws(() => formatPyodideLock(noHash, info), (e) => isKilnError(e, "lockMissingHash") && e.message.includes("a-1-py3-none-any.whl"));
});
