import { strict as assert } from "node:assert";
import { test } from "node:test";
import fc from "fast-check";
import { explainFailure, solve } from "./index.js";
import { intervals, range, registryProvider, simplifier, version, versionText, type Registry } from "../../test/support/integer-ranges.js";

async function run(registry: Registry, options: { simplify?: boolean } = {}) {
  const log: string[] = [];
  const result = await solve({ algebra: intervals, provider: registryProvider(registry, log), rootPackage: "root", rootVersion: version("1.0.0") });
  if (result.kind === "solved") {
    return { log, solution: Object.fromEntries([...result.solution].map(([name, v]) => [name, versionText(v)])) };
  }
  const simplify = options.simplify ? simplifier(registry) : undefined;
  return { log, explanation: explainFailure(result.incompatibility, { algebra: intervals, rootPackage: "root", ...(simplify ? { simplify } : {}) }) };
}

// The examples of PubGrub's documentation (dart-lang/pub doc/solver.md, "Examples").
const solvable: Array<{ name: string; registry: Registry; solution: Record<string, string>; log?: string[] }> = [
  {
    name: "no conflicts",
    registry: {
      root: { "1.0.0": { foo: "^1.0.0" } },
      foo: { "1.0.0": { bar: "^1.0.0" } },
      bar: { "1.0.0": {}, "2.0.0": {} },
    },
    solution: { root: "1.0.0", foo: "1.0.0", bar: "1.0.0" },
  },
  {
    name: "avoiding conflict during decision making",
    registry: {
      root: { "1.0.0": { foo: "^1.0.0", bar: "^1.0.0" } },
      foo: { "1.1.0": { bar: "^2.0.0" }, "1.0.0": {} },
      bar: { "1.0.0": {}, "1.1.0": {}, "2.0.0": {} },
    },
    solution: { root: "1.0.0", foo: "1.0.0", bar: "1.1.0" },
    // foo 1.1.0 is looked at but never decided: its dependency already contradicts bar ^1.0.0.
    log: ["root 1.0.0", "foo 1.1.0", "foo 1.0.0", "bar 1.1.0"],
  },
  {
    name: "performing conflict resolution",
    registry: {
      root: { "1.0.0": { foo: ">=1.0.0" } },
      foo: { "2.0.0": { bar: "^1.0.0" }, "1.0.0": {} },
      bar: { "1.0.0": { foo: "^1.0.0" } },
    },
    solution: { root: "1.0.0", foo: "1.0.0" },
  },
  {
    name: "conflict resolution with a partial satisfier",
    registry: {
      root: { "1.0.0": { foo: "^1.0.0", target: "^2.0.0" } },
      foo: { "1.1.0": { left: "^1.0.0", right: "^1.0.0" }, "1.0.0": {} },
      left: { "1.0.0": { shared: ">=1.0.0" } },
      right: { "1.0.0": { shared: "<2.0.0" } },
      shared: { "2.0.0": {}, "1.0.0": { target: "^1.0.0" } },
      target: { "2.0.0": {}, "1.0.0": {} },
    },
    solution: { root: "1.0.0", target: "2.0.0", foo: "1.0.0" },
  },
  {
    name: "a self-dependency inside its own version is ignored",
    registry: { root: { "1.0.0": { foo: "any" } }, foo: { "1.0.0": { foo: "^1.0.0" } } },
    solution: { root: "1.0.0", foo: "1.0.0" },
  },
  {
    name: "an unavailable version is skipped",
    registry: { root: { "1.0.0": { foo: "any" } }, foo: { "1.0.0": {}, "2.0.0": { foo: "^1.0.0" } } },
    solution: { root: "1.0.0", foo: "1.0.0" },
  },
];

for (const example of solvable) {
  test(`solve: ${example.name}`, async () => {
    const { solution, log } = await run(example.registry);
    assert.deepEqual(solution, example.solution);
    if (example.log) assert.deepEqual(log, example.log);
  });
}

const unsolvable: Array<{ name: string; registry: Registry; simplify?: boolean; explanation: string }> = [
  {
    name: "linear error reporting",
    registry: {
      root: { "1.0.0": { foo: "^1.0.0", baz: "^1.0.0" } },
      foo: { "1.0.0": { bar: "^2.0.0" } },
      bar: { "2.0.0": { baz: "^3.0.0" } },
      baz: { "1.0.0": {}, "3.0.0": {} },
    },
    explanation: [
      "Because foo ^1.0.0 depends on bar ^2.0.0 which depends on baz ^3.0.0, foo ^1.0.0 requires baz ^3.0.0.",
      "So, because root depends on both foo ^1.0.0 and baz ^1.0.0, version solving failed.",
    ].join("\n"),
  },
  {
    name: "branching error reporting",
    registry: {
      root: { "1.0.0": { foo: "^1.0.0" } },
      foo: { "1.0.0": { a: "^1.0.0", b: "^1.0.0" }, "1.1.0": { x: "^1.0.0", y: "^1.0.0" } },
      a: { "1.0.0": { b: "^2.0.0" } },
      b: { "1.0.0": {}, "2.0.0": {} },
      x: { "1.0.0": { y: "^2.0.0" } },
      y: { "1.0.0": {}, "2.0.0": {} },
    },
    simplify: true,
    explanation: [
      "    Because foo <1.1.0 depends on a which depends on b >=2.0.0, foo <1.1.0 requires b >=2.0.0.",
      "(1) So, because foo <1.1.0 depends on b <2.0.0, foo <1.1.0 is forbidden.",
      "",
      "    Because foo >=1.1.0 depends on x which depends on y >=2.0.0, foo >=1.1.0 requires y >=2.0.0.",
      "    And because foo >=1.1.0 depends on y <2.0.0, foo >=1.1.0 is forbidden.",
      "    And because foo <1.1.0 is forbidden (1), foo is forbidden.",
      "    So, because root depends on foo, version solving failed.",
    ].join("\n"),
  },
  {
    name: "a missing version",
    registry: { root: { "1.0.0": { foo: ">=2.0.0" } }, foo: { "1.0.0": {} } },
    explanation: "Because root depends on foo >=2.0.0 which doesn't match any versions, version solving failed.",
  },
  {
    name: "an unavailable dependency",
    registry: { root: { "1.0.0": { foo: "any" } }, foo: { "1.0.0": { bar: "any" } }, bar: { "1.0.0": { bar: "^2.0.0" } } },
    explanation: [
      "Because every version of foo depends on bar which depends on itself (bar ^2.0.0), foo is forbidden.",
      "So, because root depends on foo, version solving failed.",
    ].join("\n"),
  },
];

for (const example of unsolvable) {
  test(`solve explains: ${example.name}`, async () => {
    const { explanation } = await run(example.registry, { simplify: example.simplify ?? false });
    assert.equal(explanation, example.explanation);
  });
}

// Random registries small enough to check every combination of versions by brute force.
const packageNames = ["a", "b", "c", "d"];
const versionTexts = ["1.0.0", "2.0.0", "3.0.0"];
const rangeTexts = ["any", "^1.0.0", "^2.0.0", ">=2.0.0", "<3.0.0", "3.0.0"];

const registryArbitrary = fc
  .record({
    root: fc.dictionary(fc.constantFrom(...packageNames), fc.constantFrom(...rangeTexts), { maxKeys: 3 }),
    packages: fc.dictionary(
      fc.constantFrom(...packageNames),
      fc.dictionary(fc.constantFrom(...versionTexts), fc.dictionary(fc.constantFrom(...packageNames), fc.constantFrom(...rangeTexts), { maxKeys: 2 }), { minKeys: 1 }),
    ),
  })
  .map(({ root, packages }): Registry => ({ ...packages, root: { "1.0.0": root } }));

function satisfies(registry: Registry, chosen: Record<string, string>): boolean {
  for (const [name, v] of Object.entries(chosen)) {
    const dependencies = registry[name]?.[v];
    if (!dependencies) return false;
    for (const [dependency, text] of Object.entries(dependencies)) {
      if (dependency === name) {
        if (!intervals.contains(range(text), version(v))) return false;
        continue;
      }
      const picked = chosen[dependency];
      if (picked === undefined || !intervals.contains(range(text), version(picked))) return false;
    }
  }
  return true;
}

function bruteForce(registry: Registry): boolean {
  const names = packageNames.filter((n) => registry[n]);
  const options = names.map((n) => [undefined, ...Object.keys(registry[n]!)]);
  const search = (i: number, chosen: Record<string, string>): boolean => {
    if (i === names.length) return satisfies(registry, chosen);
    for (const option of options[i]!) {
      const next = option === undefined ? chosen : { ...chosen, [names[i]!]: option };
      if (search(i + 1, next)) return true;
    }
    return false;
  };
  return search(0, { root: "1.0.0" });
}

test("solve agrees with brute force on random registries", async () => {
  await fc.assert(
    fc.asyncProperty(registryArbitrary, async (registry) => {
      const { solution, explanation } = await run(registry);
      if (solution) assert.ok(satisfies(registry, solution), `not a solution: ${JSON.stringify(solution)}`);
      else assert.equal(bruteForce(registry), false, `solver failed on a solvable registry:\n${explanation}`);
      if (explanation) assert.match(explanation, /version solving failed\.$/);
    }),
    { numRuns: 400 },
  );
});
