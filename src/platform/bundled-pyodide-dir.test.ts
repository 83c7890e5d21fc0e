import { strict as assert } from "node:assert";
import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { test } from "node:test";
import { bundledPyodideDir } from "./bundled-pyodide-dir.js";

test("the bundled Pyodide directory holds the package kiln depends on", () => {
  const directory = bundledPyodideDir();
  assert.ok(existsSync(join(directory, "pyodide.asm.wasm")), directory);
  const pinned = JSON.parse(readFileSync(new URL("../../package.json", import.meta.url), "utf8")).dependencies.pyodide as string;
  const version = JSON.parse(readFileSync(join(directory, "package.json"), "utf8")).version as string;
  assert.ok(pinned.endsWith(version), `${version} vs ${pinned}`);
});
