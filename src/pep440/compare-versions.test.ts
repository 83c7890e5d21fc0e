import { strict as assert } from "node:assert";
import { test } from "node:test";
import { compareVersions, versionsEqual } from "./compare-versions.js";
import { sortVersions, sortVersionStrings } from "./sort-versions.js";
import { isKilnError } from "../core/index.js";
import { formatVersion } from "./format-version.js";
import { parseVersion } from "./parse-version.js";
import { createVersion } from "./version.js";

// PEP 440's summary of ordering (plus epochs), already in ascending order.
const ordered = [
  "1.dev0",
  "1.0.dev456",
  "1.0a1",
  "1.0a2.dev456",
  "1.0a12.dev456",
  "1.0a12",
  "1.0b1.dev456",
  "1.0b2",
  "1.0b2.post345.dev456",
  "1.0b2.post345",
  "1.0rc1.dev456",
  "1.0rc1",
  "1.0",
  "1.0+abc.5",
  "1.0+abc.7",
  "1.0+5",
  "1.0.post456.dev34",
  "1.0.post456",
  "1.0.15",
  "1.1.dev1",
  "9999999999999999999999",
  "10000000000000000000000",
  "1!0.1",
];

test("compareVersions orders PEP 440's example list", () => {
  const shuffled = [...ordered].reverse().map(parseVersion);
  assert.deepEqual(sortVersions(shuffled).map(formatVersion), ordered);
  assert.deepEqual([...shuffled].sort(compareVersions).map(formatVersion), ordered);
  assert.deepEqual(sortVersionStrings([...ordered].reverse()), ordered);
  for (let i = 0; i + 1 < ordered.length; i++) {
    const [a, b] = [parseVersion(ordered[i]!), parseVersion(ordered[i + 1]!)];
    assert.ok(compareVersions(a, b) < 0, `${ordered[i]} < ${ordered[i + 1]}`);
    assert.ok(compareVersions(b, a) > 0, `${ordered[i + 1]} > ${ordered[i]}`);
  }
});

const equal: [string, string][] = [
  ["1.0", "1.0.0"],
  ["1", "1.0.0.0"],
  ["0", "0.0"],
  ["1.0+AbC", "1.0+abc"],
  ["1.0+abc-1", "1.0+abc.01"],
  ["0!1.0", "1.0"],
  ["1.0a", "1.0alpha0"],
];

test("versionsEqual follows PEP 440 equality (zero padding, normalized local)", () => {
  for (const [a, b] of equal) {
    assert.ok(versionsEqual(parseVersion(a), parseVersion(b)), `${a} == ${b}`);
    assert.equal(compareVersions(parseVersion(a), parseVersion(b)), 0);
  }
  assert.ok(!versionsEqual(parseVersion("1.0"), parseVersion("1.0+0")));
  assert.ok(!versionsEqual(parseVersion("1.0"), parseVersion("1.0.post0")));
});

test("compareVersions accepts plain Version objects", () => {
  assert.equal(compareVersions({ epoch: 0, release: [1, 0] }, parseVersion("1")), 0);
  assert.ok(compareVersions({ epoch: 0, release: [1, 0], pre: ["rc", 1] }, parseVersion("1.0")) < 0);
  assert.equal(formatVersion(createVersion({ epoch: 2, release: [1], local: ["Abc", 7] })), "2!1+abc.7");
  assert.throws(() => createVersion({ epoch: -1, release: [1] }), RangeError);
  assert.throws(() => createVersion({ epoch: 0, release: [] }), RangeError);
});

test("sorting is stable for equal versions and keeps strings as written", () => {
  assert.deepEqual(sortVersionStrings(["1.0.0", "V1.0", "1", "0.9 ", "1.0+A", "1.0+a"]), ["0.9 ", "1.0.0", "V1.0", "1", "1.0+A", "1.0+a"]);
  const versions = ["1.0.0", "1.0", "1"].map(parseVersion);
  assert.deepEqual(sortVersions(versions), versions);
  assert.throws(() => sortVersionStrings(["1.0", "nope"]), (error: unknown) => isKilnError(error, "invalidVersion") && error.message.includes('"nope"'));
});
