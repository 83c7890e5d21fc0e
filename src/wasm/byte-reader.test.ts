import { strict as assert } from "node:assert";
import { test } from "node:test";
import { isKilnError } from "../core/index.js";
import { ByteReader } from "./byte-reader.js";
import { WasmFormatError } from "./wasm-format-error.js";

const reader = (bytes: number[]) => new ByteReader(Uint8Array.from(bytes), { source: "t.wasm" });

test("u32 decodes LEB128, including redundant padding, and rejects overlong or oversized values", () => {
  const cases: [number[], number | string][] = [
    [[0x00], 0],
    [[0x7f], 127],
    [[0x80, 0x01], 128],
    [[0xe5, 0x8e, 0x26], 624485],
    [[0x80, 0x80, 0x80, 0x00], 0],
    [[0xff, 0xff, 0xff, 0xff, 0x0f], 4294967295],
    [[0xff, 0xff, 0xff, 0xff, 0x1f], "too large"],
    [[0x80, 0x80, 0x80, 0x80, 0x80, 0x00], "too large"],
    [[0x80, 0x80], "unexpected end"],
    [[], "unexpected end"],
  ];
  for (const [bytes, expected] of cases) {
    if (typeof expected === "number") assert.equal(reader(bytes).u32(), expected, `${bytes}`);
    else assert.throws(() => reader(bytes).u32(), (e: unknown) => isKilnError(e, "invalidWasm") && e.message.includes(expected), `${bytes}`);
  }
});

test("signed decodes negative and positive values of each width", () => {
  const cases: [number[], 32 | 33 | 64, number][] = [
    [[0x7f], 32, -1],
    [[0x40], 33, -64],
    [[0x3f], 32, 63],
    [[0x80, 0x7f], 32, -128],
    [[0xff, 0xff, 0xff, 0xff, 0x07], 32, 2147483647],
    [[0x80, 0x80, 0x80, 0x80, 0x78], 32, -2147483648],
    [[0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x7f], 64, -1],
  ];
  for (const [bytes, bits, expected] of cases) assert.equal(reader(bytes).signed(bits), expected, `${bytes}`);
  assert.throws(() => reader([0x80, 0x80, 0x80, 0x80, 0x80, 0x00]).signed(32), /longer than 5 bytes/);
});

test("errors name the source and the absolute offset", () => {
  const r = new ByteReader(Uint8Array.from([1, 2, 3, 4, 0x80]), { source: "x.so", start: 4 });
  assert.throws(() => r.u32(), (e: unknown) => e instanceof WasmFormatError && e.offset === 5 && /"x\.so".*offset 0x5/.test(e.message));
});

test("a vector count that cannot fit in the remaining bytes fails before looping", () => {
  const r = reader([0xff, 0xff, 0xff, 0xff, 0x0f, 0x00]);
  assert.throws(() => r.vector((x) => x.u8()), /vector of 4294967295 elements cannot fit/);
});

test("names must be valid UTF-8 and stay inside the reader's end", () => {
  assert.equal(reader([3, 0x61, 0x62, 0x63]).name(), "abc");
  assert.throws(() => reader([2, 0xc3, 0x28]).name(), /not valid UTF-8/);
  const bounded = new ByteReader(Uint8Array.from([5, 0x61, 0x61, 0x61, 0x61, 0x61]), { source: "t", end: 3 });
  assert.throws(() => bounded.name(), /5 bytes needed but only 2 remain/);
});
