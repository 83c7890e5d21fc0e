import { parse as parseToml } from "smol-toml";
import { KilnError } from "../core/index.js";
import { normalizeName, tryParseRequirement } from "../pep508/index.js";
import { splitCommandLine } from "./split-command-line.js";

/** What `pyproject.toml` says about testing a project: `[tool.kiln.test]` plus what discovery reads. */
export interface ProjectTestConfig {
  /** `[project] name`, when the project has one. */
  name?: string;
  /** `command`: the test command as argv (a string is split like a shell does). */
  command?: string[];
  /** `requires`: PEP 508 requirements for the test run, instead of discovered ones. */
  requires?: string[];
  /** `extras`: extras of the project to install with it. */
  extras?: string[];
  /** `groups`: PEP 735 dependency groups to install. */
  groups?: string[];
  /** `sources`: paths (relative to the project) copied aside; the command runs in the copy. */
  sources?: string[];
  /** `environment`: variables set for the test command. */
  environment: Record<string, string>;
  /** `runtimes`: the default runtime matrix (`pyodide@VERSION` or `bundled`). */
  runtimes?: string[];
  /** `[project.optional-dependencies]`, keyed by normalized extra name. */
  optionalDependencies: Record<string, string[]>;
  /** True when `[project] dynamic` lists `optional-dependencies` (the built wheel knows them). */
  dynamicOptionalDependencies: boolean;
  /** `[dependency-groups]` as written (PEP 735). */
  dependencyGroups: Record<string, unknown>;
}

const knownKeys = new Set(["command", "requires", "extras", "groups", "sources", "environment", "runtimes"]);

/**
 * Reads the testing settings of a project from its `pyproject.toml` text (`undefined` for a
 * project without one). Unknown `[tool.kiln.test]` keys and wrong types are errors naming the key,
 * so a typo never silently changes what runs.
 *
 * @example
 * const config = parseTestConfig('[tool.kiln.test]\ncommand = "python -m pytest -q"\n', "/src/pkg/pyproject.toml");
 * config.command; // ["python", "-m", "pytest", "-q"]
 */
export function parseTestConfig(text: string | undefined, path: string): ProjectTestConfig {
  const document = text === undefined ? {} : parseDocument(text, path);
  const project = table(document.project, `${path}: [project]`) ?? {};
  const tool = table(table(document.tool, `${path}: [tool]`)?.kiln, `${path}: [tool.kiln]`);
  const test = table(tool?.test, `${path}: [tool.kiln.test]`) ?? {};
  const where = (key: string) => `${path}: [tool.kiln.test] ${key}`;
  for (const key of Object.keys(test)) {
    if (!knownKeys.has(key)) {
      throw invalid(`${path}: [tool.kiln.test] has an unknown key "${key}"`, `Known keys: ${[...knownKeys].join(", ")}`);
    }
  }
  const config: ProjectTestConfig = {
    environment: readEnvironment(test.environment, where("environment")),
    optionalDependencies: readOptionalDependencies(project["optional-dependencies"], `${path}: [project.optional-dependencies]`),
    dynamicOptionalDependencies: Array.isArray(project.dynamic) && project.dynamic.includes("optional-dependencies"),
    dependencyGroups: table(document["dependency-groups"], `${path}: [dependency-groups]`) ?? {},
  };
  if (typeof project.name === "string") config.name = project.name;
  if (test.command !== undefined) config.command = readCommand(test.command, where("command"));
  const lists = { requires: test.requires, extras: test.extras, groups: test.groups, sources: test.sources, runtimes: test.runtimes };
  for (const [key, value] of Object.entries(lists)) {
    if (value !== undefined) config[key as keyof typeof lists] = stringList(value, where(key));
  }
  for (const requirement of config.requires ?? []) checkRequirement(requirement, where("requires"));
  for (const source of config.sources ?? []) checkRelativePath(source, where("sources"));
  return config;
}

function parseDocument(text: string, path: string): Record<string, unknown> {
  try {
    return parseToml(text) as Record<string, unknown>;
  } catch (error) {
    const detail = (error as Error).message.split("\n")[0];
    throw invalid(`Cannot read "${path}": it is not valid TOML: ${detail}`, "Fix the TOML syntax", error);
  }
}

function invalid(message: string, hint: string, cause?: unknown): KilnError {
  return new KilnError("invalidTestConfig", message, { hint, ...(cause === undefined ? {} : { cause }) });
}

function isTable(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value) && !(value instanceof Date);
}

function table(value: unknown, where: string): Record<string, unknown> | undefined {
  if (value === undefined) return undefined;
  if (!isTable(value)) throw invalid(`${where} is not a table`, "Write it as a TOML table");
  return value;
}

function stringList(value: unknown, where: string): string[] {
  if (typeof value === "string") return [value];
  if (!Array.isArray(value) || value.some((item) => typeof item !== "string")) {
    throw invalid(`${where} is not a list of strings`, 'Write it as a list, such as ["a", "b"]');
  }
  return value as string[];
}

function readCommand(value: unknown, where: string): string[] {
  const argv = typeof value === "string" ? splitCommandLine(value, where) : stringList(value, where);
  if (argv.length === 0 || argv[0] === "") throw invalid(`${where} is empty`, 'Give a command, such as "python -m pytest"');
  return argv;
}

function readEnvironment(value: unknown, where: string): Record<string, string> {
  const environment: Record<string, string> = {};
  for (const [name, setting] of Object.entries(table(value, where) ?? {})) {
    if (typeof setting !== "string" && typeof setting !== "number" && typeof setting !== "boolean") {
      throw invalid(`${where}: ${name} is not a string`, `Write it as ${name} = "value"`);
    }
    if (!/^[A-Za-z_][A-Za-z0-9_]*$/.test(name)) throw invalid(`${where}: "${name}" is not a variable name`, "Use letters, digits and _");
    environment[name] = String(setting);
  }
  return environment;
}

function readOptionalDependencies(value: unknown, where: string): Record<string, string[]> {
  const extras: Record<string, string[]> = {};
  for (const [name, list] of Object.entries(table(value, where) ?? {})) extras[normalizeName(name)] = stringList(list, `${where} ${name}`);
  return extras;
}

function checkRequirement(text: string, where: string): void {
  if (tryParseRequirement(text) === undefined) {
    throw invalid(`${where}: "${text}" is not a PEP 508 requirement`, 'Write requirements as in pip, such as "pytest>=8"');
  }
}

function checkRelativePath(path: string, where: string): void {
  const parts = path.split(/[\\/]/);
  if (path === "" || path.startsWith("/") || /^[A-Za-z]:/.test(path) || parts.includes("..")) {
    throw invalid(`${where}: "${path}" is not a path inside the project`, 'Give paths relative to the project root, such as "tests"');
  }
}
