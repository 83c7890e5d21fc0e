import { strict as assert } from "node:assert";
import { test } from "node:test";
import { zipSync } from "fflate";
import { bytesSource, openZip } from "../archive/index.js";
import { importsFromNames, wheelImports } from "./wheel-imports.js";

const byNames: [string, string[], string[]][] = [
  ["modules, packages and extension modules", ["six.py", "attr/__init__.py", "attrs/converters.py", "_cffi_backend.cpython-314-wasm32-emscripten.so", "x-1.0.dist-info/RECORD"], ["_cffi_backend", "attr", "attrs", "six"]],
  ["a namespace package counts when Python code is below valid names", ["google/protobuf/__init__.py"], ["google"]],
  ["directories with invalid names, data and non-Python files do not", ["x-1.0.data/scripts/tool.py", "docs/index.html", "my-pkg/a.py", "pkg/sub-dir/a.py", "README.txt"], []],
];
for (const [name, names, expected] of byNames) {
  test(`importsFromNames: ${name}`, () => assert.deepEqual(importsFromNames(names), expected));
}

test("wheelImports prefers top_level.txt and falls back to file names", async () => {
  const encode = (text: string) => new TextEncoder().encode(text);
  const withTopLevel = zipSync({ "attr/__init__.py": encode(""), "attrs-25.1.dist-info/top_level.txt": encode("attrs\nattr\n\n") });
  assert.deepEqual(await wheelImports(await openZip(bytesSource(withTopLevel))), ["attr", "attrs"]);
  const without = zipSync({ "idna/__init__.py": encode(""), "idna-3.10.dist-info/METADATA": encode("") });
  assert.deepEqual(await wheelImports(await openZip(bytesSource(without))), ["idna"]);
});
