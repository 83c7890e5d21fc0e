import { strict as assert } from "node:assert";
import { test } from "node:test";
import { isKilnError } from "../core/index.js";
import { parseTestConfig } from "./test-config.js";
import { splitCommandLine } from "./split-command-line.js";

test("reads every [tool.kiln.test] key", () => {
  const config = parseTestConfig(
    [
      "[project]",
      'name = "demo"',
      'dynamic = ["version"]',
      "[project.optional-dependencies]",
      'Test_Extra = ["hypothesis"]',
      "[tool.kiln.test]",
      `command = "python -m pytest -k 'not slow'"`,
      'requires = ["pytest>=8", "pytest-mock"]',
      'extras = ["test-extra"]',
      'groups = ["dev"]',
      'sources = ["tests", "conftest.py"]',
      'environment = { DEMO_MODE = "wasm", LEVEL = 3 }',
      'runtimes = ["bundled"]',
    ].join("\n"),
    "/p/pyproject.toml",
  );
  assert.deepEqual(config, {
    name: "demo",
    command: ["python", "-m", "pytest", "-k", "not slow"],
    requires: ["pytest>=8", "pytest-mock"],
    extras: ["test-extra"],
    groups: ["dev"],
    sources: ["tests", "conftest.py"],
    environment: { DEMO_MODE: "wasm", LEVEL: "3" },
    runtimes: ["bundled"],
    optionalDependencies: { "test-extra": ["hypothesis"] },
    dynamicOptionalDependencies: false,
    dependencyGroups: {},
  });
});

test("a project without pyproject.toml or without [tool.kiln.test] has an empty config", () => {
  const empty = { environment: {}, optionalDependencies: {}, dynamicOptionalDependencies: false, dependencyGroups: {} };
  assert.deepEqual(parseTestConfig(undefined, "/p/pyproject.toml"), empty);
  assert.deepEqual(parseTestConfig('[project]\nname = "x"\ndynamic = ["optional-dependencies"]\n', "/p/pyproject.toml"), {
    ...empty,
    name: "x",
    dynamicOptionalDependencies: true,
  });
});

test("a command may be a list of words", () => {
  assert.deepEqual(parseTestConfig('[tool.kiln.test]\ncommand = ["pytest", "-x", "a b"]\n', "p").command, ["pytest", "-x", "a b"]);
});

const refused: Array<{ name: string; toml: string; message: RegExp }> = [
  { name: "broken TOML", toml: "[tool.kiln.test\n", message: /not valid TOML/ },
  { name: "an unknown key", toml: "[tool.kiln.test]\ncomand = 'pytest'\n", message: /unknown key "comand"/ },
  { name: "a table that is not one", toml: "[tool]\nkiln = 3\n", message: /\[tool\.kiln\] is not a table/ },
  { name: "requires that are not strings", toml: "[tool.kiln.test]\nrequires = [1]\n", message: /requires is not a list of strings/ },
  { name: "a requirement that is not PEP 508", toml: "[tool.kiln.test]\nrequires = ['pytest >>> 3']\n", message: /not a PEP 508 requirement/ },
  { name: "an empty command", toml: "[tool.kiln.test]\ncommand = ''\n", message: /command is empty/ },
  { name: "an unclosed quote", toml: "[tool.kiln.test]\ncommand = 'pytest -k \"a'\n", message: /quote is not closed/ },
  { name: "a source outside the project", toml: "[tool.kiln.test]\nsources = ['../elsewhere']\n", message: /not a path inside the project/ },
  { name: "an absolute source", toml: "[tool.kiln.test]\nsources = ['/etc']\n", message: /not a path inside the project/ },
  { name: "an environment value that is a table", toml: "[tool.kiln.test.environment]\nA = { b = 1 }\n", message: /A is not a string/ },
  { name: "a bad variable name", toml: "[tool.kiln.test.environment]\n'A-B' = '1'\n", message: /not a variable name/ },
];

for (const item of refused) {
  test(`refuses ${item.name}`, () => {
    assert.throws(
      () => parseTestConfig(item.toml, "/p/pyproject.toml"),
      (error: unknown) => isKilnError(error, "invalidTestConfig") && item.message.test(error.message) && error.message.includes("/p/pyproject.toml") && error.hint !== undefined,
    );
  });
}

const splits: Array<[string, string[]]> = [
  ["python -m pytest", ["python", "-m", "pytest"]],
  ["  pytest   -x  ", ["pytest", "-x"]],
  [`pytest -k "not slow and not net"`, ["pytest", "-k", "not slow and not net"]],
  [`pytest -k 'a "b"'`, ["pytest", "-k", 'a "b"']],
  [`a\\ b "c\\"d" 'e\\f'`, ["a b", 'c"d', "e\\f"]],
  [`x""y ''`, ["xy", ""]],
  ["", []],
];

for (const [text, words] of splits) {
  test(`splits ${JSON.stringify(text)} as shlex.split does`, () => {
    assert.deepEqual(splitCommandLine(text, "command"), words);
  });
}
