import { strict as assert } from "node:assert";
import { test } from "node:test";
import { isKilnError } from "../core/index.js";
import { safeEntryPath } from "./safe-entry-path.js";

const accepted: [string, string][] = [
  ["pkg/__init__.py", "pkg/__init__.py"],
  ["pkg/./sub//mod.py", "pkg/sub/mod.py"],
  ["pkg-1.0.dist-info/", "pkg-1.0.dist-info"],
  ["./a", "a"],
  ["a..b/c...d", "a..b/c...d"],
  ["naïve/ünï.py", "naïve/ünï.py"],
  ["pkg/C:x", "pkg/C:x"],
];

for (const [name, expected] of accepted) {
  test(`safeEntryPath accepts ${JSON.stringify(name)}`, () => assert.equal(safeEntryPath(name), expected));
}

const refused: [string, RegExp][] = [
  ["", /empty/],
  ["../../etc/x", /"\.\." segment/],
  ["pkg/../../x", /"\.\." segment/],
  ["pkg/../pkg/x", /"\.\." segment/],
  ["/etc/passwd", /absolute/],
  ["//server/share", /absolute/],
  ["C:/Windows/x", /drive letter/],
  ["c:x", /drive letter/],
  ["pkg\\..\\..\\x", /backslash/],
  ["a\u0000b", /control character/],
  ["a\nb", /control character/],
  [".", /names no file/],
  ["./", /names no file/],
];

for (const [name, why] of refused) {
  test(`safeEntryPath refuses ${JSON.stringify(name)}`, () => {
    assert.throws(
      () => safeEntryPath(name),
      (error) => isKilnError(error, "unsafeEntryPath") && why.test(error.message) && error.message.includes(JSON.stringify(name)),
    );
  });
}
