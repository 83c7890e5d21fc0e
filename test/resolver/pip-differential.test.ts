// kiln's resolution for pyemscripten_2026_0_wasm32 / CPython 3.14 against pip's dry run for the same
// target on the live public index. Packages only one side picks must be explained by markers: pip
// evaluates environment markers for the host interpreter, not for --platform/--python-version.
import { strict as assert } from "node:assert";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { test } from "node:test";
import { formatVersion } from "../../src/pep440/index.js";
import { normalizeName } from "../../src/pep508/index.js";
import { resolveRequirements, targetForAbi } from "../../src/resolver/index.js";
import { runHostPython } from "../support/host-python.js";
import { liveSource, requirementSets } from "./live-source.js";

interface PipItem {
  name: string;
  version: string;
  requiresDist: string[];
}

/** pip's dry run (it needs --target when --platform is given). */
function pipResolve(requirements: string[]): PipItem[] {
  const target = mkdtempSync(join(tmpdir(), "kiln-pip-target-"));
  try {
    return runHostPython<PipItem[]>(
      [
        "import json, subprocess, sys",
        "args = json.load(sys.stdin)",
        "out = subprocess.run([sys.executable, '-m', 'pip', 'install', '--dry-run', '--quiet', '--ignore-installed', '--report', '-', '--target', args['target'],",
        "  '--only-binary=:all:', '--platform', 'pyemscripten_2026_0_wasm32', '--python-version', '3.14', '--implementation', 'cp', '--abi', 'cp314', *args['requirements']],",
        "  check=True, capture_output=True, text=True).stdout",
        "report = json.loads(out)",
        "print(json.dumps([{'name': i['metadata']['name'], 'version': i['metadata']['version'], 'requiresDist': i['metadata'].get('requires_dist', [])} for i in report['install']]))",
      ].join("\n"),
      { target, requirements },
    );
  } finally {
    rmSync(target, { recursive: true, force: true });
  }
}

/** For each (requirement, environment) pair: whether its marker holds, as packaging evaluates it. */
function markerValues(requirements: string[], environments: Record<string, Record<string, string>>): Record<string, Record<string, boolean>> {
  return runHostPython(
    [
      "import json, sys",
      "from packaging.requirements import Requirement",
      "from packaging.markers import default_environment",
      "args = json.load(sys.stdin)",
      "out = {}",
      "for text in args['requirements']:",
      "    r = Requirement(text)",
      "    out[text] = {k: (r.marker is None or r.marker.evaluate({**default_environment(), **env} if k == 'host' else env)) for k, env in args['environments'].items()}",
      "print(json.dumps(out))",
    ].join("\n"),
    { requirements, environments },
  );
}

const target = targetForAbi("2026_0");

for (const [name, requirements] of Object.entries(requirementSets)) {
  test(`kiln resolves the ${name} stack as pip does`, { timeout: 600_000 }, async (t) => {
    const pip = pipResolve(requirements);
    const result = await resolveRequirements(requirements, { source: liveSource(), target });
    assert.equal(result.kind, "resolved", result.kind === "unsatisfiable" ? result.explanation : "");
    if (result.kind !== "resolved") return;
    const ours = new Map(result.packages.map((p) => [p.name, formatVersion(p.version)]));
    const theirs = new Map(pip.map((p) => [normalizeName(p.name), p.version]));
    for (const [package_, version] of ours) {
      if (theirs.has(package_)) assert.equal(version, theirs.get(package_), `${package_}: kiln ${version}, pip ${theirs.get(package_)}`);
    }
    const onlyPip = [...theirs.keys()].filter((n) => !ours.has(n));
    const onlyKiln = [...ours.keys()].filter((n) => !theirs.has(n));
    t.diagnostic(`${ours.size} packages by kiln, ${theirs.size} by pip; pip only: ${onlyPip.join(", ") || "none"}; kiln only: ${onlyKiln.join(", ") || "none"}`);
    if (onlyPip.length === 0 && onlyKiln.length === 0) return;
    // Explain each difference by a marker that differs between the host (pip) and the target (kiln).
    const edges = pip.flatMap((item) => item.requiresDist.map((text) => ({ from: normalizeName(item.name), text })));
    const values = markerValues(edges.map((e) => e.text), { host: {}, target: { ...target.markerEnvironment, extra: "" } as unknown as Record<string, string> });
    const explained = (dependency: string, hostValue: boolean) =>
      edges.some((e) => ours.has(e.from) && theirs.has(e.from) && normalizeName(e.text.split(/[\s;<>=!~[(@]/)[0]!) === dependency && values[e.text]!.host === hostValue && values[e.text]!.target === !hostValue);
    for (const dependency of onlyPip) assert.ok(explained(dependency, true), `pip alone picks ${dependency}, and no marker explains it`);
    for (const dependency of onlyKiln) assert.ok(explained(dependency, false), `kiln alone picks ${dependency}, and no marker explains it`);
  });
}
