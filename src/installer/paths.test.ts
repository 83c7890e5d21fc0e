import { strict as assert } from "node:assert";
import { posix } from "node:path";
import { test } from "node:test";
import fc from "fast-check";
import { baseName, isInside, joinPath, parentPath, relativePath } from "./paths.js";

test("path helpers", () => {
  assert.equal(joinPath("/env/lib", "../bin", "tool"), "/env/bin/tool");
  assert.equal(joinPath("/", ".."), "/");
  assert.equal(parentPath("/env/bin/tool"), "/env/bin");
  assert.equal(parentPath("/env"), "/");
  assert.equal(baseName("/env/bin/tool"), "tool");
  assert.equal(isInside("/env", "/env/lib"), true);
  assert.equal(isInside("/env", "/env"), true);
  assert.equal(isInside("/env", "/envy/lib"), false);
  assert.equal(isInside("/", "/x"), true);
  assert.equal(relativePath("/env/lib/python3.14/site-packages", "/env/bin/pytest"), "../../../bin/pytest");
});

test("joinPath and relativePath agree with node:path's posix functions on absolute paths", () => {
  const segment = fc.constantFrom("a", "b", "..", ".", "", "c.d");
  const path = fc.array(segment, { maxLength: 6 }).map((parts) => `/${parts.join("/")}`);
  fc.assert(
    fc.property(path, path, (a, b) => {
      assert.equal(joinPath(a, b.slice(1)), posix.join(a, b.slice(1)).replace(/(.)\/$/, "$1"));
      assert.equal(joinPath(a), posix.normalize(a).replace(/(.)\/$/, "$1"));
      assert.equal(joinPath(b.slice(1)), posix.normalize(b.slice(1)).replace(/(.)\/$/, "$1"));
      assert.equal(relativePath(a, b), posix.relative(a, b) || ".");
      assert.equal(parentPath(a), posix.dirname(posix.normalize(a).replace(/(.)\/$/, "$1")));
      assert.equal(parentPath(b.slice(1)), joinPath(b.slice(1), ".."), "relative paths keep joinPath's meaning");
    }),
  );
});
