// kiln's import names for real wheels from the public index, against the `imports` Pyodide's own
// pyodide-lock.json lists for the same projects (hand-maintained in Pyodide's recipes).
import { strict as assert } from "node:assert";
import { readFileSync } from "node:fs";
import { createRequire } from "node:module";
import { test } from "node:test";
import { bytesSource, openZip } from "../../src/archive/index.js";
import { wheelImports } from "../../src/resolver/index.js";
import { realWheel, type RealWheelName } from "../support/real-wheels.js";

const lock = createRequire(import.meta.url)("pyodide/pyodide-lock.json") as { packages: Record<string, { imports: string[] }> };

/** Where kiln reads more than Pyodide's recipe lists, and why. */
const known: Partial<Record<RealWheelName, { extra: string[]; why: string }>> = {
  pytest: { extra: ["py"], why: "pytest's wheel ships py.py (a shim for the retired py library); Pyodide's recipe does not list it" },
};

for (const name of ["pytest", "packaging", "iniconfig", "pluggy", "pydantic-core"] as const) {
  test(`wheelImports of ${name} matches Pyodide's lock file`, async () => {
    const archive = await openZip(bytesSource(new Uint8Array(readFileSync(realWheel(name)))));
    const ours = await wheelImports(archive);
    const theirs = [...lock.packages[name]!.imports, ...(known[name]?.extra ?? [])].sort();
    assert.deepEqual(ours, theirs, known[name]?.why);
  });
}
