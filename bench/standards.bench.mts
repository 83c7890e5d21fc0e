// Throughput of kiln's standards core beside packaging 26.3 on the same real inputs, same run:
// requirement parsing (corpus Requires-Dist strings), marker evaluation (their markers, Pyodide
// 2026_0 environment) and wheel filename parsing (corpus wheel filenames).
// Run: npx tsx bench/standards.bench.ts
import { parseRequirement, evaluateMarker } from "../src/pep508/index.js";
import { markerEnvironmentForAbi } from "../src/tags/index.js";
import { parseWheelFilename } from "../src/wheel-name/index.js";
import { loadCorpus } from "../test/support/pypi-corpus.js";
import { loadFilenames } from "../test/support/pypi-filenames.js";
import { runHostPython } from "../test/support/host-python.js";

const rounds = 5;

function best(task: () => void): number {
  let fastest = Infinity;
  for (let round = 0; round < rounds; round++) {
    const start = performance.now();
    task();
    fastest = Math.min(fastest, performance.now() - start);
  }
  return fastest;
}

const requirements = (await loadCorpus()).requirements.filter((text) => {
  try {
    parseRequirement(text);
    return true;
  } catch {
    return false;
  }
});
const wheels = (await loadFilenames()).filter((name) => name.endsWith(".whl")).slice(0, 100_000);
const environment = markerEnvironmentForAbi("2026_0");
const parsed = requirements.map(parseRequirement).filter((requirement) => requirement.marker !== undefined);

const ours = {
  requirements: best(() => requirements.forEach((text) => parseRequirement(text))),
  markers: best(() => parsed.forEach((requirement) => evaluateMarker(requirement.marker!, environment, { extras: ["test"] }))),
  wheels: best(() => wheels.forEach((name) => { try { parseWheelFilename(name); } catch { /* invalid names are part of the corpus */ } })),
};

const peer = runHostPython<typeof ours>(
  `import json, sys, time
from packaging.requirements import Requirement
from packaging.utils import parse_wheel_filename, InvalidWheelFilename
data = json.load(sys.stdin)
def best(task):
    fastest = float("inf")
    for _ in range(${rounds}):
        start = time.perf_counter(); task(); fastest = min(fastest, time.perf_counter() - start)
    return fastest * 1000
environment = dict(data["environment"], extra="test")
parsed = [r for r in map(Requirement, data["requirements"]) if r.marker is not None]
def wheels():
    for name in data["wheels"]:
        try: parse_wheel_filename(name)
        except InvalidWheelFilename: pass
print(json.dumps({
    "requirements": best(lambda: [Requirement(t) for t in data["requirements"]]),
    "markers": best(lambda: [r.marker.evaluate(environment) for r in parsed]),
    "wheels": best(wheels),
}))`,
  { requirements, wheels, environment },
);

const counts = { requirements: requirements.length, markers: parsed.length, wheels: wheels.length };
console.log("| task | inputs | kiln (ms) | packaging 26.3 (ms) | packaging / kiln |");
console.log("| --- | --- | --- | --- | --- |");
for (const key of ["requirements", "markers", "wheels"] as const) {
  console.log(`| ${key} | ${counts[key]} | ${ours[key].toFixed(1)} | ${peer[key].toFixed(1)} | ${(peer[key] / ours[key]).toFixed(2)}× |`);
}
