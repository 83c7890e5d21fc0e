import { strict as assert } from "node:assert";
import { test } from "node:test";
import { isKilnError } from "../core/index.js";
import { isNormalizedName, isValidName, normalizeName, parseName } from "./normalize-name.js";

// PEP 503's examples and the core metadata spec's rules.
const names: [input: string, normalized: string, valid: boolean][] = [
  ["friendly-bard", "friendly-bard", true],
  ["Friendly-Bard", "friendly-bard", true],
  ["FRIENDLY-BARD", "friendly-bard", true],
  ["friendly.bard", "friendly-bard", true],
  ["friendly_bard", "friendly-bard", true],
  ["friendly--bard", "friendly-bard", true],
  ["FrIeNdLy-._.-bArD", "friendly-bard", true],
  ["a", "a", true],
  ["A9", "a9", true],
  ["-leading", "-leading", false],
  ["trailing.", "trailing-", false],
  ["_", "-", false],
  ["", "", false],
  ["spa ce", "spa ce", false],
  ["ünicode", "ünicode", false],
];

test("normalizeName and isValidName follow PEP 503 and the core metadata spec", () => {
  for (const [input, normalized, valid] of names) {
    assert.equal(normalizeName(input), normalized, input);
    assert.equal(isValidName(input), valid, input);
    assert.equal(isNormalizedName(normalizeName(input)), valid, input);
  }
});

test("isNormalizedName accepts only the normalized form", () => {
  assert.equal(isNormalizedName("django"), true);
  assert.equal(isNormalizedName("Django"), false);
  assert.equal(isNormalizedName("zope.interface"), false);
  assert.equal(isNormalizedName("a--b"), false);
});

test("parseName returns the normalized name or explains the problem", () => {
  assert.equal(parseName("Typing_Extensions"), "typing-extensions");
  for (const [input, problem] of [["", /empty/], ["a b", /character " "/], ["-a", /start and end/]] as const) {
    assert.throws(() => parseName(input), (error) => isKilnError(error, "invalidName") && problem.test(error.message));
  }
});
