import { strict as assert } from "node:assert";
import { test } from "node:test";
import { filterVersions } from "./filter-versions.js";
import { formatVersion } from "./format-version.js";
import { parseVersion } from "./parse-version.js";
import { parseSpecifierSet } from "./specifier-set.js";

// [set, candidates, prereleases option, expected] — packaging's own doc examples first.
const cases: [string, string[], boolean | undefined, string[]][] = [
  [">=1.2.3", ["1.2", "1.3", "1.5a1"], undefined, ["1.3"]],
  [">=1.2.3", ["1.2", "1.5a1"], undefined, ["1.5a1"]],
  [">=1.2.3", ["1.3", "1.5a1"], true, ["1.3", "1.5a1"]],
  ["", ["1.3", "1.5a1"], undefined, ["1.3"]],
  ["", ["1.5a1"], undefined, ["1.5a1"]],
  ["", ["1.3", "1.5a1"], true, ["1.3", "1.5a1"]],
  [">=1.0b1", ["1.0", "1.1a1", "0.9"], undefined, ["1.0", "1.1a1"]],
  [">=1.0b1", ["1.0", "1.1a1"], false, ["1.0"]],
  ["!=1.1a1", ["1.0", "1.2a1"], undefined, ["1.0"]],
  [">=1.0", ["2.0a1", "2.0b1"], false, []],
  [">=1.0", ["junk", "1.0", "1.1rc1"], undefined, ["1.0"]],
  ["", ["junk", "1.0a1", "more junk"], undefined, ["junk", "1.0a1", "more junk"]],
  ["", ["junk", "1.0a1", "2.0"], undefined, ["junk", "2.0"]],
  ["===junk", ["junk", "JUNK", "1.0"], undefined, ["junk", "JUNK"]],
];

test("filterVersions applies PEP 440's pre-release rule to candidates", () => {
  for (const [specifiers, candidates, prereleases, expected] of cases) {
    const set = parseSpecifierSet(specifiers);
    assert.deepEqual(filterVersions(set, candidates, { prereleases }), expected, `"${specifiers}" ${JSON.stringify(candidates)} ${prereleases}`);
  }
});

test("filterVersions keeps Version objects and their order", () => {
  const versions = ["3.0", "1.0", "2.0rc1", "2.0"].map(parseVersion);
  assert.deepEqual(filterVersions(parseSpecifierSet(">=1.5"), versions).map(formatVersion), ["3.0", "2.0"]);
});
