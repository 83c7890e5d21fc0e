import { strict as assert } from "node:assert";
import { test } from "node:test";
import { formatVersion } from "./format-version.js";
import { parseVersion } from "./parse-version.js";
import { isDevrelease, isPostrelease, isPrerelease } from "./version-kinds.js";
import { baseVersion, publicVersion } from "./version-projections.js";

const kinds: [string, { pre: boolean; dev: boolean; post: boolean; base: string; public: string }][] = [
  ["1.0", { pre: false, dev: false, post: false, base: "1.0", public: "1.0" }],
  ["1.0a1", { pre: true, dev: false, post: false, base: "1.0", public: "1.0a1" }],
  ["1.0.dev1", { pre: true, dev: true, post: false, base: "1.0", public: "1.0.dev1" }],
  ["1.0.post1", { pre: false, dev: false, post: true, base: "1.0", public: "1.0.post1" }],
  ["1.0.post1.dev1", { pre: true, dev: true, post: true, base: "1.0", public: "1.0.post1.dev1" }],
  ["1!2.0rc1.post2+x.1", { pre: true, dev: false, post: true, base: "1!2.0", public: "1!2.0rc1.post2" }],
];

test("pre/dev/post predicates and base/public versions match packaging", () => {
  for (const [input, expected] of kinds) {
    const version = parseVersion(input);
    assert.equal(isPrerelease(version), expected.pre, input);
    assert.equal(isDevrelease(version), expected.dev, input);
    assert.equal(isPostrelease(version), expected.post, input);
    assert.equal(formatVersion(baseVersion(version)), expected.base, input);
    assert.equal(formatVersion(publicVersion(version)), expected.public, input);
  }
});
