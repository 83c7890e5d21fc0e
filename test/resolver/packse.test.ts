// Every packse scenario that applies to one target environment runs against the resolver, served
// from an in-process index built from its TOML. The rest are listed with the reason they are left out.
import { strict as assert } from "node:assert";
import { test } from "node:test";
import { formatVersion, parseSpecifierSet } from "../../src/pep440/index.js";
import { resolveRequirements, type TargetEnvironment } from "../../src/resolver/index.js";
import { loadScenarios, scenarioSource, type Scenario, type VersionEntry } from "./packse-scenarios.js";


/** Linux x86_64 CPython: the platform packse's expectations were written for. */
function linuxTarget(python: string): TargetEnvironment {
  const [major, minor] = python.split(".");
  const full = python.split(".").length >= 3 ? python : `${python}.0`;
  const platformTags: string[] = [];
  for (let glibc = 17; glibc >= 5; glibc--) {
    platformTags.push(`manylinux_2_${glibc}_x86_64`);
    if (glibc === 17) platformTags.push("manylinux2014_x86_64");
    if (glibc === 12) platformTags.push("manylinux2010_x86_64");
    if (glibc === 5) platformTags.push("manylinux1_x86_64");
  }
  platformTags.push("linux_x86_64");
  return {
    pythonVersion: full,
    platformTags,
    markerEnvironment: {
      implementation_name: "cpython",
      implementation_version: full,
      os_name: "posix",
      platform_machine: "x86_64",
      platform_python_implementation: "CPython",
      platform_release: "6.0.0",
      platform_system: "Linux",
      platform_version: "#1",
      python_full_version: full,
      python_version: `${major}.${minor}`,
      sys_platform: "linux",
    },
  };
}

/** Why a scenario does not apply to a single-target, wheels-only resolver; undefined when it does. */
function skipReason(scenario: Scenario): string | undefined {
  const options = scenario.resolver_options ?? {};
  if (options.universal) return "universal (all-platforms) resolution; kiln resolves for one target environment";
  if (options.no_binary?.length) return "--no-binary asks for source builds; kiln installs wheels only";
  if (scenario.name === "python-less-than-current") return "uv ignores Requires-Python upper bounds; kiln, like pip, enforces them";
  if (scenario.expected.satisfiable && needsSourceBuild(scenario)) return "the expected solution needs a source distribution built (kiln installs wheels only)";
  return undefined;
}

/**
 * True when an expected package version, or every version of a package the user requires, has
 * no wheel the Linux target can use (wrong platform or Python tag, or Requires-Python).
 */
function needsSourceBuild(scenario: Scenario): boolean {
  const python = targetPython(scenario);
  const [major, minor] = python.split(".");
  const platforms = new Set([...linuxTarget(python).platformTags, "any"]);
  const interpreters = new Set([`py3`, `py${major}${minor}`, `cp${major}${minor}`]);
  const hasWheel = (entry: VersionEntry | undefined) =>
    entry !== undefined &&
    entry.wheel !== false &&
    (entry.requires_python === undefined || parseSpecifierSet(entry.requires_python).contains(python, { prereleases: true })) &&
    (entry.wheel_tags ?? ["py3-none-any"]).some((tag) => {
      const [interpreter, , platform] = tag.split("-");
      return interpreter!.split(".").some((i) => interpreters.has(i)) && platform!.split(".").some((p) => platforms.has(p));
    });
  for (const [name, version] of Object.entries(scenario.expected.packages ?? {})) {
    if (!hasWheel(scenario.packages[name]?.versions[version])) return true;
  }
  for (const requirement of scenario.root.requires ?? []) {
    const name = requirement.split(/[\s\[<>=!~;]/)[0]!;
    const versions = Object.values(scenario.packages[name]?.versions ?? {});
    if (versions.length > 0 && !versions.some(hasWheel)) return true;
  }
  return false;
}

function targetPython(scenario: Scenario): string {
  return scenario.resolver_options?.python ?? scenario.environment?.python ?? "3.12";
}

const scenarios = loadScenarios();

test("the packse corpus is present", () => {
  assert.ok(scenarios.length > 100, `found ${scenarios.length} scenarios`);
});

for (const scenario of scenarios) {
  const reason = skipReason(scenario);
  test(`packse ${scenario.file}`, { skip: reason }, async () => {
    const result = await resolveRequirements(scenario.root.requires ?? [], {
      source: scenarioSource(scenario),
      target: linuxTarget(targetPython(scenario)),
      pre: scenario.resolver_options?.prereleases === true,
    });
    if (!scenario.expected.satisfiable) {
      assert.equal(result.kind, "unsatisfiable", `expected no solution (${scenario.expected.explanation ?? ""}), got ${JSON.stringify(result.kind === "resolved" ? result.packages.map((p) => `${p.name}==${formatVersion(p.version)}`) : [])}`);
      return;
    }
    assert.equal(result.kind, "resolved", result.kind === "unsatisfiable" ? `${result.explanation}\n${result.hints.join("\n")}` : "");
    if (result.kind !== "resolved" || !scenario.expected.packages) return;
    const got = Object.fromEntries(result.packages.map((p) => [p.name, formatVersion(p.version)]));
    assert.deepEqual(got, { ...scenario.expected.packages }, scenario.expected.explanation);
  });
}
