import { strict as assert } from "node:assert";
import { test } from "node:test";
import { isKilnError } from "../core/index.js";
import { formatVersion } from "./format-version.js";
import { parseVersion, tryParseVersion } from "./parse-version.js";

// PEP 440's normalization section, example by example, plus packaging's regex corner cases.
const normalized: [string, string][] = [
  ["1.1RC1", "1.1rc1"],
  ["00", "0"],
  ["09000", "9000"],
  ["1.0+foo0100", "1.0+foo0100"],
  ["1.1.a1", "1.1a1"],
  ["1.1-a1", "1.1a1"],
  ["1.1_a1", "1.1a1"],
  ["1.0a.1", "1.0a1"],
  ["1.1alpha1", "1.1a1"],
  ["1.1beta2", "1.1b2"],
  ["1.1c3", "1.1rc3"],
  ["1.1pre3", "1.1rc3"],
  ["1.1preview3", "1.1rc3"],
  ["1.2a", "1.2a0"],
  ["1.2-post2", "1.2.post2"],
  ["1.2post2", "1.2.post2"],
  ["1.2.post.2", "1.2.post2"],
  ["1.2_post-2", "1.2.post2"],
  ["1.0-r4", "1.0.post4"],
  ["1.0-rev4", "1.0.post4"],
  ["1.2.post", "1.2.post0"],
  ["1.0-1", "1.0.post1"],
  ["1.2-dev2", "1.2.dev2"],
  ["1.2dev2", "1.2.dev2"],
  ["1.2.dev", "1.2.dev0"],
  ["1.0+ubuntu-1", "1.0+ubuntu.1"],
  ["1.0+Ubuntu_01.AbC", "1.0+ubuntu.1.abc"],
  ["v1.0", "1.0"],
  ["V1.0", "1.0"],
  ["  1.0\n", "1.0"],
  ["\x1c1.0\u3000", "1.0"],
  ["1!2.0", "1!2.0"],
  ["0!1.0", "1.0"],
  ["00!01.02.03", "1.2.3"],
  ["1.0a--1", "1.0a0.post1"],
  ["1.0a.", "1.0a0"],
  ["1.0.post.", "1.0.post0"],
  ["1.0-r-1", "1.0.post1"],
  ["1.0post1dev", "1.0.post1.dev0"],
  ["1.0RC1.POST2.DEV3+LOCAL", "1.0rc1.post2.dev3+local"],
  ["1.0.0.0.0", "1.0.0.0.0"],
  ["12345678901234567890123.1", "12345678901234567890123.1"],
  ["1.0.post00012345678901234567890", "1.0.post12345678901234567890"],
];

test("parseVersion normalizes like PEP 440 and packaging", () => {
  for (const [input, expected] of normalized) {
    assert.equal(formatVersion(parseVersion(input)), expected, JSON.stringify(input));
  }
});

test("parseVersion exposes the parts", () => {
  assert.deepEqual({ ...parseVersion("1!2.0rc1.post2.dev3+ubuntu.01") }, {
    epoch: 1,
    release: [2, 0],
    pre: ["rc", 1],
    post: 2,
    dev: 3,
    local: ["ubuntu", 1],
  });
  assert.deepEqual({ ...parseVersion("1.2") }, { epoch: 0, release: [1, 2], pre: undefined, post: undefined, dev: undefined, local: undefined });
});

const invalid = [
  "", " ", "a", "1.0-", "1..0", "1.0.", ".1", "1.0+", "1.0+abc.", "1.0+abc..def", "1.0 a1", "\ufeff1.0", "1.0-final",
  "1.0.*", "1!", "!1.0", "vv1.0", "1.0a1a1", "1.0.post1.post2", "1.0+ab+cd", "1.0_", "1,0", "١.٠", "1.0ＲＣ1", "1.0+ü",
  "1.0prev", "1.0dev1post1",
];

test("parseVersion rejects invalid versions with a KilnError naming the input", () => {
  for (const input of invalid) {
    assert.equal(tryParseVersion(input), undefined, JSON.stringify(input));
    assert.throws(
      () => parseVersion(input),
      (error: unknown) => isKilnError(error, "invalidVersion") && error.message.includes(JSON.stringify(input)) && error.hint !== undefined,
    );
  }
});

test("tryParseVersion returns undefined for non-strings instead of throwing", () => {
  assert.equal(tryParseVersion(undefined as unknown as string), undefined);
  assert.equal(tryParseVersion(1 as unknown as string), undefined);
});
