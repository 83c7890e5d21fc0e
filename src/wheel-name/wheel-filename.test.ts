import { strict as assert } from "node:assert";
import { test } from "node:test";
import { isKilnError } from "../core/index.js";
import { formatVersion, parseVersion } from "../pep440/index.js";
import { formatTag, parseTag } from "../tags/index.js";
import { formatWheelFilename, parseWheelFilename, tryParseWheelFilename } from "./wheel-filename.js";

// [filename, name, version, build tag, tags]; as packaging.utils.parse_wheel_filename gives them.
const valid: [string, string, string, [number, string] | undefined, string[]][] = [
  ["foo-1.0-py3-none-any.whl", "foo", "1.0", undefined, ["py3-none-any"]],
  ["pydantic_core-2.41.5-cp314-cp314-pyemscripten_2026_0_wasm32.whl", "pydantic-core", "2.41.5", undefined,
    ["cp314-cp314-pyemscripten_2026_0_wasm32"]],
  ["six-1.16.0-py2.py3-none-any.whl", "six", "1.16.0", undefined, ["py2-none-any", "py3-none-any"]],
  ["Foo.Bar-1.0-1-py3-none-any.whl", "foo-bar", "1.0", [1, ""], ["py3-none-any"]],
  ["foo-1.0-12abc-py3-none-any.whl", "foo", "1.0", [12, "abc"], ["py3-none-any"]],
  ["foo-1.0_post1-PY3-NONE-ANY.whl", "foo", "1.0.post1", undefined, ["py3-none-any"]],
  ["numpy-2.3.0-cp313-cp313-manylinux_2_17_x86_64.manylinux2014_x86_64.whl", "numpy", "2.3.0", undefined,
    ["cp313-cp313-manylinux_2_17_x86_64", "cp313-cp313-manylinux2014_x86_64"]],
  ["café-1.0-py3-none-any.whl", "café", "1.0", undefined, ["py3-none-any"]],
];

test("parseWheelFilename splits PEP 427 filenames", () => {
  for (const [filename, name, version, buildTag, tags] of valid) {
    const wheel = parseWheelFilename(filename);
    assert.equal(wheel.name, name, filename);
    assert.equal(formatVersion(wheel.version), version, filename);
    assert.deepEqual(wheel.buildTag, buildTag, filename);
    assert.deepEqual(wheel.tags.map(formatTag), tags, filename);
    assert.deepEqual(parseWheelFilename(formatWheelFilename(wheel)), wheel, filename);
  }
});

const invalid: [string, RegExp][] = [
  ["foo-1.0-py3-none-any.zip", /does not end in ".whl"/],
  ["foo-1.0-py3-none.whl", /found 4/],
  ["foo-1.0-1-2-py3-none-any.whl", /found 7/],
  ["foo__bar-1.0-py3-none-any.whl", /not an escaped project name/],
  ["foo bar-1.0-py3-none-any.whl", /not an escaped project name/],
  ["-1.0-py3-none-any.whl", /not an escaped project name/],
  ["foo-1.0.x-py3-none-any.whl", /"1.0.x" is not a valid PEP 440 version/],
  ["foo-1.0-abc-py3-none-any.whl", /build tag "abc" does not start with a digit/],
  ["foo-1.0-py3..py2-none-any.whl", /not a valid tag/],
  ["foo-1.0-3py-none-any.whl", /not a valid tag/],
  ["foo-1.0-99999999999999999999-py3-none-any.whl", /too large/],
];

test("parseWheelFilename names what is wrong", () => {
  for (const [filename, message] of invalid) {
    assert.throws(() => parseWheelFilename(filename), (error) => isKilnError(error, "invalidWheelFilename") && message.test(error.message), filename);
    assert.equal(tryParseWheelFilename(filename), undefined, filename);
  }
});

test("formatWheelFilename escapes the name and normalizes the version", () => {
  assert.equal(
    formatWheelFilename({ name: "Typing.Extensions", version: parseVersion("4.12.0-1"), buildTag: [2, "x"], tags: parseTag("py2.py3-none-any") }),
    "typing_extensions-4.12.0.post1-2x-py2.py3-none-any.whl",
  );
});
