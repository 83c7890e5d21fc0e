import { strict as assert } from "node:assert";
import { test } from "node:test";
import { buildWheel } from "../../test/support/wheel-builder.js";
import { isKilnError } from "../core/index.js";
import { impureWheelReasons } from "./impure-wheel-reasons.js";
import { nativeBuildError } from "./native-build-error.js";

const pureWheelFile = (tag = "py3-none-any") => `Wheel-Version: 1.0\nGenerator: test\nRoot-Is-Purelib: true\nTag: ${tag}\n`;

const cases: Array<{ name: string; filename: string; files: Record<string, string>; wheelFile?: string; expected: RegExp[] }> = [
  { name: "a pure wheel", filename: "pkg-1.0-py3-none-any.whl", files: { "pkg/__init__.py": "", "pkg/data.wasm": "\0asm" }, wheelFile: pureWheelFile(), expected: [] },
  { name: "a py2.py3 pure wheel", filename: "pkg-1.0-py2.py3-none-any.whl", files: { "pkg/__init__.py": "" }, wheelFile: pureWheelFile("py2-none-any\nTag: py3-none-any"), expected: [] },
  { name: "a wheel with an extension module", filename: "pkg-1.0-py3-none-any.whl", files: { "pkg/_speedups.cpython-314-wasm32-emscripten.so": "x" }, wheelFile: pureWheelFile(), expected: [/compiled files: pkg\/_speedups/] },
  { name: "a wheel with a versioned shared library", filename: "pkg-1.0-py3-none-any.whl", files: { "pkg.libs/libz.so.1": "x" }, wheelFile: pureWheelFile(), expected: [/libz\.so\.1/] },
  { name: "a wheel with Root-Is-Purelib: false", filename: "pkg-1.0-py3-none-any.whl", files: { "pkg/__init__.py": "" }, expected: [/Root-Is-Purelib: false/] },
  {
    name: "a platform wheel",
    filename: "pkg-1.0-cp314-cp314-pyemscripten_2026_0_wasm32.whl",
    files: { "pkg/_x.pyd": "" },
    expected: [/filename has the tag cp314-cp314-pyemscripten_2026_0_wasm32/, /compiled files/, /Root-Is-Purelib/],
  },
  { name: "a wheel whose WHEEL tag disagrees", filename: "pkg-1.0-py3-none-any.whl", files: {}, wheelFile: pureWheelFile("cp314-cp314-linux_x86_64"), expected: [/WHEEL file has the tag cp314-cp314-linux_x86_64/] },
];

for (const item of cases) {
  test(`finds why ${item.name} is not pure`, async () => {
    const extra = item.wheelFile ? { extra: { "pkg-1.0.dist-info/WHEEL": item.wheelFile } } : {};
    const reasons = await impureWheelReasons(buildWheel(item.filename, item.files, extra), item.filename);
    assert.equal(reasons.length, item.expected.length, reasons.join("; "));
    item.expected.forEach((pattern, i) => assert.match(reasons[i]!, pattern));
  });
}

test("a wheel without WHEEL is an error, not pure", async () => {
  const bytes = buildWheel("pkg-1.0-py3-none-any.whl", {}, { drop: ["pkg-1.0.dist-info/WHEEL"] });
  await assert.rejects(impureWheelReasons(bytes, "pkg-1.0-py3-none-any.whl"), (error: unknown) => isKilnError(error, "invalidWheel"));
});

test("the native build error says what to do", () => {
  const error = nativeBuildError("pkg 1.0", ["it contains compiled files: x.so"]);
  assert.equal(error.code, "nativeBuildUnsupported");
  assert.match(error.message, /pkg 1\.0.*compiler for Emscripten/);
  assert.match(error.message, /x\.so/);
  assert.match(error.hint!, /Emscripten toolchain.*pyemscripten_2026_0_wasm32/);
});
