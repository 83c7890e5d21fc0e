import { strict as assert } from "node:assert";
import { test } from "node:test";
import {
  compilationHintsFor,
  decodeStartProfile,
  encodeStartProfile,
  optimizedCompilationHintsFor,
  parseWasmCompileTrace,
  startProfileDigest,
  startProfileIdentity,
  startProfileName,
} from "./start-profile.js";

// Lines as V8 11's --trace-wasm-compilation-times prints them (two modules: Pyodide's main module and
// a small helper), with the wrapper lines it prints in between.
const trace = [
  "Compiled WasmToJS wrapper wasm-to-js-5-iiii-i, took 0 ms; codesize 172",
  "Compiled function 0x7f0900002a50#2105 using Liftoff, took 0 ms and 23984 bytes; bodysize 634 codesize 1684 name wasm-function#2105",
  "Compiled function 0x7f0900002a50#268 using Liftoff, took 0 ms and 8312 bytes; bodysize 41 codesize 220 name wasm-function#268",
  "Compiled function 0x7f0900002a50#2105 using TurboFan, took 1 ms and 457248 / 777464 max/total bytes; bodysize 1332 codesize 2688 name wasm-function#2105",
  "Compiled function 0x7f0900002a50#3792 using TurboFan, took 235 ms and 8044336 / 24792128 max/total bytes; bodysize 78952 codesize 203456 name wasm-function#3792",
  "Compiled function 0x7f0900005ff0#1 using Liftoff, took 0 ms and 1200 bytes; bodysize 12 codesize 80 name wasm-function#1",
  "Compiled function 0x7f0900002a50#3792 using Liftoff, took 3 ms and 900000 bytes; bodysize 78952 codesize 300000 name wasm-function#3792",
].join("\n");

test("a compile trace becomes the main module's profile: baseline functions in order, optimized ones largest first", () => {
  assert.deepEqual(parseWasmCompileTrace(trace, "build 1"), { buildIdentity: "build 1", baseline: [268, 2105, 3792], optimized: [3792, 2105] });
});

test("a trace without compiled functions (another V8's format, or none) is no profile", () => {
  assert.equal(parseWasmCompileTrace("Compiled WasmToJS wrapper wasm-to-js-5-i-i, took 0 ms\n", "b"), undefined);
  assert.equal(parseWasmCompileTrace("", "b"), undefined);
});

test("a stored profile is read back only for its own build, and never when damaged", () => {
  const profile = { buildIdentity: "314.0.7|a", baseline: [1, 5, 9], optimized: [9] };
  const bytes = encodeStartProfile(profile);
  assert.deepEqual(decodeStartProfile(bytes, "314.0.7|a"), profile);
  assert.equal(decodeStartProfile(bytes, "314.0.7|b"), undefined);
  assert.equal(decodeStartProfile(bytes.subarray(0, bytes.length - 2), "314.0.7|a"), undefined);
  assert.equal(decodeStartProfile(new TextEncoder().encode('{"format":1,"buildIdentity":"314.0.7|a","baseline":[-1],"optimized":[]}'), "314.0.7|a"), undefined);
  assert.notEqual(startProfileName("314.0.7|a"), startProfileName("314.0.7|b"));
  assert.match(startProfileName("314.0.7|a"), /^profile-[0-9a-f]{14}$/);
});

test("under a profile, the functions it names are compiled at once (optimized ones to the top tier), all others lazily", () => {
  const hint = compilationHintsFor({ buildIdentity: "b", baseline: [1, 2], optimized: [2] });
  assert.deepEqual([hint(1), hint(2), hint(3)], [0x06, 0x26, 0x01]);
});

test("for a module compiled to be kept, every function the profile names is optimized at once, all others lazily", () => {
  const hint = optimizedCompilationHintsFor({ buildIdentity: "b", baseline: [1, 2], optimized: [2, 7] });
  assert.deepEqual([hint(1), hint(2), hint(7), hint(3)], [0x2a, 0x2a, 0x2a, 0x01]);
});

test("a profile's digest changes with the functions it names", () => {
  const digest = (baseline: number[], optimized: number[]) => startProfileDigest({ buildIdentity: "b", baseline, optimized });
  assert.equal(digest([1, 2], [2]), digest([1, 2], [2]));
  assert.notEqual(digest([1, 2], [2]), digest([1, 2], []));
  assert.notEqual(digest([1, 2], []), digest([1], [2]));
});

test("a runtime started with a byte-compiled standard library gets a profile of its own", () => {
  const plain = startProfileIdentity({ buildIdentity: "314.0.7|x" });
  const compiled = startProfileIdentity({ buildIdentity: "314.0.7|x", stdlib: { identity: "stdlib-1:100:5" } });
  assert.equal(plain, "314.0.7|x");
  assert.notEqual(startProfileName(compiled), startProfileName(plain));
});
