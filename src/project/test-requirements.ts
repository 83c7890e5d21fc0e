import { normalizeName, parseRequirement } from "../pep508/index.js";
import { hasDependencyGroup, resolveDependencyGroup } from "./dependency-groups.js";
import type { ProjectTestConfig } from "./test-config.js";

/** What a test run installs besides the project itself. */
export interface TestRequirements {
  /** PEP 508 requirements, pytest among them. */
  requirements: string[];
  /** Extras of the project to install with it (`name[test]`). */
  extras: string[];
  /** Where they came from, for the log: `extra "test"`, `dependency group "dev"`, … */
  origin: string;
}

const conventionalExtras = ["test", "tests", "testing"];
const conventionalGroups = ["test", "dev"];

/**
 * Finds a project's test requirements: `[tool.kiln.test] requires`, `extras` and `groups` when
 * any is set; otherwise the first extra named `test`, `tests` or `testing`; otherwise the first
 * PEP 735 dependency group named `test` or `dev`. pytest is always added unless a requirement
 * already names it. `wheelExtras` are the extras the built wheel provides, for projects whose
 * optional dependencies are dynamic.
 *
 * @example
 * testRequirements(parseTestConfig('[project]\nname = "x"\n[project.optional-dependencies]\ntest = ["hypothesis"]\n', "pyproject.toml"));
 * // { requirements: ["pytest"], extras: ["test"], origin: 'extra "test"' }
 */
export function testRequirements(config: ProjectTestConfig, options: { wheelExtras?: string[]; where?: string } = {}): TestRequirements {
  const where = options.where ?? "pyproject.toml";
  const configured = config.requires !== undefined || config.extras !== undefined || config.groups !== undefined;
  const found = configured ? fromConfig(config) : discover(config, options.wheelExtras ?? []);
  const requirements = [...found.requires, ...found.groups.flatMap((group) => resolveDependencyGroup(config.dependencyGroups, group, where))];
  if (!requirements.some((text) => normalizeName(parseRequirement(text).name) === "pytest")) requirements.push("pytest");
  return { requirements, extras: found.extras, origin: found.origin };
}

interface Found {
  requires: string[];
  extras: string[];
  groups: string[];
  origin: string;
}

function fromConfig(config: ProjectTestConfig): Found {
  const parts = [
    config.requires ? "[tool.kiln.test] requires" : "",
    config.extras?.length ? `extras ${config.extras.map((e) => `"${e}"`).join(", ")}` : "",
    config.groups?.length ? `dependency groups ${config.groups.map((g) => `"${g}"`).join(", ")}` : "",
  ];
  return {
    requires: config.requires ?? [],
    extras: config.extras ?? [],
    groups: config.groups ?? [],
    origin: parts.filter(Boolean).join(" + ") || "[tool.kiln.test] (nothing beyond pytest)",
  };
}

function discover(config: ProjectTestConfig, wheelExtras: string[]): Found {
  const available = new Set([...Object.keys(config.optionalDependencies), ...wheelExtras.map(normalizeName)]);
  const extra = conventionalExtras.find((name) => available.has(name));
  if (extra) return { requires: [], extras: [extra], groups: [], origin: `extra "${extra}"` };
  const group = conventionalGroups.find((name) => hasDependencyGroup(config.dependencyGroups, name));
  if (group) return { requires: [], extras: [], groups: [group], origin: `dependency group "${group}"` };
  return { requires: [], extras: [], groups: [], origin: "no test extra or dependency group found (pytest only)" };
}
