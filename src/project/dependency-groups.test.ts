import { strict as assert } from "node:assert";
import { test } from "node:test";
import { isKilnError } from "../core/index.js";
import { hasDependencyGroup, resolveDependencyGroup } from "./dependency-groups.js";

// The examples of PEP 735 and the cases of its reference implementation (dependency-groups).
const groups = {
  test: ["pytest", "coverage"],
  docs: ["sphinx", "sphinx-rtd-theme"],
  typing: ["mypy", "types-requests"],
  "typing-test": [{ "include-group": "typing" }, { "include-group": "Test" }, "useful-types"],
};

const expanded: Array<[string, string[]]> = [
  ["test", ["pytest", "coverage"]],
  ["TEST", ["pytest", "coverage"]],
  ["typing_test", ["mypy", "types-requests", "pytest", "coverage", "useful-types"]],
];

for (const [name, requirements] of expanded) {
  test(`expands dependency group ${name}`, () => {
    assert.deepEqual(resolveDependencyGroup(groups, name, "pyproject.toml"), requirements);
  });
}

test("finds groups by normalized name", () => {
  assert.equal(hasDependencyGroup(groups, "Typing.Test"), true);
  assert.equal(hasDependencyGroup(groups, "dev"), false);
});

const refused: Array<{ name: string; groups: Record<string, unknown>; group: string; message: RegExp }> = [
  { name: "an unknown group", groups, group: "dev", message: /no dependency group "dev"/ },
  { name: "a cycle", groups: { a: [{ "include-group": "b" }], b: [{ "include-group": "A" }] }, group: "a", message: /cycle: a -> b -> a/ },
  { name: "a self-include", groups: { a: ["x", { "include-group": "a" }] }, group: "a", message: /cycle/ },
  { name: "names that normalize alike", groups: { Foo: ["a"], foo_: ["b"], "foo-": [] }, group: "foo", message: /same normalized name/ },
  { name: "a group that is not a list", groups: { a: "pytest" }, group: "a", message: /not a list/ },
  { name: "an invalid requirement", groups: { a: ["pytest >>> 1"] }, group: "a", message: /not a PEP 508 requirement/ },
  { name: "an entry with other keys", groups: { a: [{ "include-group": "b", x: 1 }], b: [] }, group: "a", message: /neither a requirement nor/ },
  { name: "a number", groups: { a: [3] }, group: "a", message: /neither a requirement nor/ },
];

for (const item of refused) {
  test(`refuses ${item.name}`, () => {
    assert.throws(
      () => resolveDependencyGroup(item.groups, item.group, "/p/pyproject.toml"),
      (error: unknown) => isKilnError(error, "invalidTestConfig") && item.message.test(error.message),
    );
  });
}
