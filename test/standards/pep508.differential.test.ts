import { strict as assert } from "node:assert";
import { test } from "node:test";
import { isKilnError } from "../../src/core/index.js";
import {
  evaluateMarker,
  formatMarker,
  normalizeName,
  parseMarker,
  tryParseRequirement,
  type Marker,
  type MarkerEnvironment,
} from "../../src/pep508/index.js";
import { markerEnvironmentForAbi, pyodideAbis } from "../../src/tags/index.js";
import { runHostPython } from "../support/host-python.js";
import { loadCorpus } from "../support/pypi-corpus.js";
import { generateMarker, generateRequirement, mutate, seededRandom } from "./generate-requirements.js";
import { assertHostPackaging } from "./host-packaging.js";

const environments: MarkerEnvironment[] = [
  ...pyodideAbis.map((abi) => markerEnvironmentForAbi(abi)),
  {
    implementation_name: "cpython", implementation_version: "3.12.3", os_name: "posix", platform_machine: "x86_64",
    platform_python_implementation: "CPython", platform_release: "6.8.0-45-generic", platform_system: "Linux",
    platform_version: "#45-Ubuntu SMP PREEMPT_DYNAMIC", python_full_version: "3.12.3", python_version: "3.12", sys_platform: "linux",
  },
  {
    implementation_name: "pypy", implementation_version: "7.3.17", os_name: "nt", platform_machine: "AMD64",
    platform_python_implementation: "PyPy", platform_release: "10", platform_system: "Windows",
    platform_version: "10.0.22631", python_full_version: "3.10.14+", python_version: "3.10", sys_platform: "win32",
  },
  { ...markerEnvironmentForAbi("2026_0"), extras: ["test", "Dev_Tools"], dependency_groups: ["dev"] },
];
const extraSets: string[][] = [[], ["test"], ["Dev_Tools", "doc"]];

type Evaluation = boolean | "error";
interface Parsed {
  name: string;
  extras: string[];
  specifier: string;
  url: string | null;
  marker: string | null;
  evaluations: Evaluation[] | null;
}

const hostProgram = `import json, sys
from packaging.requirements import Requirement, InvalidRequirement
from packaging.markers import Marker, InvalidMarker
data = json.load(sys.stdin)
environments = []
for environment in data["environments"]:
    environment = dict(environment)
    for key in ("extras", "dependency_groups"):
        if key in environment:
            environment[key] = frozenset(environment[key])
    environments.append(environment)
def evaluate(marker):
    results = []
    for environment in environments:
        for extras in data["extraSets"]:
            try:
                if extras:
                    results.append(any(marker.evaluate({**environment, "extra": extra}) for extra in extras))
                else:
                    results.append(marker.evaluate({**environment, "extra": ""}))
            except Exception:
                results.append("error")
    return results
def text(marker):
    try:
        return str(marker)
    except ValueError:
        return "unformattable"
out = {"requirements": [], "markers": []}
for source in data["requirements"]:
    try:
        r = Requirement(source)
    except InvalidRequirement:
        out["requirements"].append(None)
        continue
    out["requirements"].append({"name": r.name, "extras": sorted(r.extras), "specifier": str(r.specifier), "url": r.url,
        "marker": None if r.marker is None else text(r.marker), "evaluations": None if r.marker is None else evaluate(r.marker)})
for source in data["markers"]:
    try:
        m = Marker(source)
    except InvalidMarker:
        out["markers"].append(None)
        continue
    out["markers"].append({"marker": text(m), "evaluations": evaluate(m)})
print(json.dumps(out))`;

function evaluations(marker: Marker): Evaluation[] {
  return environments.flatMap((environment) =>
    extraSets.map((extras) => {
      try {
        return evaluateMarker(marker, environment, { extras });
      } catch (error) {
        if (isKilnError(error, "invalidMarkerEvaluation")) return "error";
        throw error;
      }
    }),
  );
}

/**
 * Deliberate differences, each with its reason:
 * - a marker value holding a backslash, line break or NUL (possible through escapes) or both
 *   quote characters: packaging prints it unescaped (or cannot print it), so its string form does
 *   not parse back to the same marker; kiln escapes it;
 * - a comparison of two variables or two strings: packaging looks the right-hand side up by the
 *   *text* of the other operand (comparing `os_name == sys_platform` against the literal
 *   "sys_platform"); kiln compares the two variables' values, and refuses two literals;
 * - `\N{...}` escapes need Python's Unicode name database; kiln refuses them.
 */
function stringFormDiffers(marker: Marker): boolean {
  return someComparison(marker, (c) =>
    [c.left, c.right].some((operand) => operand.kind === "string" && (/[\\\n\r\0]/.test(operand.value) || (operand.value.includes('"') && operand.value.includes("'")))),
  );
}
function evaluationDiffers(marker: Marker): boolean {
  return someComparison(marker, (c) => c.left.kind === c.right.kind);
}
function someComparison(marker: Marker, predicate: (comparison: Extract<Marker["terms"][number], { kind: "comparison" }>) => boolean): boolean {
  return marker.terms.some((term) => (term.kind === "comparison" ? predicate(term) : someComparison(term, predicate)));
}

function inputs(corpus: string[]) {
  const random = seededRandom(508);
  const generated = Array.from({ length: 4000 }, () => generateRequirement(random));
  const mutated = [...corpus.slice(0, 3000), ...generated].map((text) => mutate(random, text));
  const markers = Array.from({ length: 3000 }, () => generateMarker(random));
  const mutatedMarkers = markers.map((text) => mutate(random, text));
  return { requirements: [...new Set([...corpus, ...generated, ...mutated])], markers: [...new Set([...markers, ...mutatedMarkers])] };
}

test("requirements and markers agree with packaging 26.3 on real, generated and mutated inputs", async () => {
  assertHostPackaging();
  const corpus = (await loadCorpus()).requirements;
  assert.ok(corpus.length > 1000, `the corpus has real requirements (${corpus.length})`);
  const { requirements, markers } = inputs(corpus);
  const expected = runHostPython<{ requirements: (Parsed | null)[]; markers: ({ marker: string; evaluations: Evaluation[] } | null)[] }>(
    hostProgram,
    { requirements, markers, environments, extraSets },
  );
  const tally = { valid: 0, invalid: 0, deliberate: 0, evaluations: 0 };
  requirements.forEach((source, index) => {
    const want = expected.requirements[index]!;
    if (source.includes("\\N{") && want !== null) return void tally.deliberate++;
    const requirement = tryParseRequirement(source);
    if (want === null || requirement === undefined) {
      assert.equal(requirement === undefined, want === null, `validity of ${JSON.stringify(source)}: packaging says ${JSON.stringify(want)}`);
      tally.invalid++;
      return;
    }
    tally.valid++;
    const marker = requirement.marker;
    const got: Parsed = {
      name: requirement.name,
      extras: [...requirement.extras].sort(),
      specifier: requirement.specifier.toString(),
      url: requirement.url ?? null,
      marker: marker === undefined ? null : formatMarker(marker),
      evaluations: marker === undefined ? null : evaluations(marker),
    };
    if (marker !== undefined && stringFormDiffers(marker)) {
      got.marker = want.marker;
      tally.deliberate++;
    }
    if (marker !== undefined && evaluationDiffers(marker)) {
      got.evaluations = want.evaluations;
      tally.deliberate++;
    }
    tally.evaluations += got.evaluations?.length ?? 0;
    assert.deepEqual(got, want, JSON.stringify(source));
  });
  markers.forEach((source, index) => {
    const want = expected.markers[index]!;
    let marker: Marker | undefined;
    try {
      marker = parseMarker(source);
    } catch (error) {
      if (!isKilnError(error, "invalidMarker")) throw error;
    }
    assert.equal(marker === undefined, want === null, `validity of marker ${JSON.stringify(source)}`);
    if (marker === undefined || want === null) return;
    if (!stringFormDiffers(marker)) assert.equal(formatMarker(marker), want.marker, source);
    if (!evaluationDiffers(marker)) assert.deepEqual(evaluations(marker), want.evaluations, source);
  });
  // The mix must exercise both sides of every question.
  assert.ok(tally.valid > 5000 && tally.invalid > 2000, JSON.stringify(tally));
  console.log(`requirements: ${requirements.length} (${JSON.stringify(tally)}), markers: ${markers.length}`);
});

test("extra names compare normalized on both sides", () => {
  const marker = parseMarker(`extra == "Dev_Tools"`);
  assert.equal(evaluateMarker(marker, environments[0]!, { extras: ["dev.tools"] }), true);
  assert.equal(normalizeName("Dev_Tools"), "dev-tools");
});
