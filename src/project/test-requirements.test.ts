import { strict as assert } from "node:assert";
import { test } from "node:test";
import { parseTestConfig } from "./test-config.js";
import { testRequirements } from "./test-requirements.js";

const cases: Array<{ name: string; toml: string; wheelExtras?: string[]; expected: object }> = [
  {
    name: "[tool.kiln.test] requires wins over extras and groups",
    toml: '[project.optional-dependencies]\ntest = ["x"]\n[dependency-groups]\ntest = ["y"]\n[tool.kiln.test]\nrequires = ["pytest>=8", "hypothesis"]\n',
    expected: { requirements: ["pytest>=8", "hypothesis"], extras: [], origin: "[tool.kiln.test] requires" },
  },
  {
    name: "configured extras and groups",
    toml: '[dependency-groups]\nlint = ["ruff"]\n[tool.kiln.test]\nextras = ["all"]\ngroups = ["lint"]\n',
    expected: { requirements: ["ruff", "pytest"], extras: ["all"], origin: 'extras "all" + dependency groups "lint"' },
  },
  {
    name: "an extra named test",
    toml: '[project.optional-dependencies]\ndocs = ["sphinx"]\ntest = ["hypothesis"]\n[dependency-groups]\ntest = ["y"]\n',
    expected: { requirements: ["pytest"], extras: ["test"], origin: 'extra "test"' },
  },
  {
    name: "an extra named Testing",
    toml: '[project.optional-dependencies]\nTesting = ["pytest-mock"]\n',
    expected: { requirements: ["pytest"], extras: ["testing"], origin: 'extra "testing"' },
  },
  {
    name: "a dynamic extra the wheel provides",
    toml: '[project]\nname = "x"\ndynamic = ["optional-dependencies"]\n',
    wheelExtras: ["tests"],
    expected: { requirements: ["pytest"], extras: ["tests"], origin: 'extra "tests"' },
  },
  {
    name: "a dependency group test, with pytest pinned there",
    toml: '[dependency-groups]\ntest = ["pytest==8.3.0", {include-group = "extra"}]\nextra = ["attrs"]\n',
    expected: { requirements: ["pytest==8.3.0", "attrs"], extras: [], origin: 'dependency group "test"' },
  },
  {
    name: "a dependency group dev",
    toml: '[dependency-groups]\nDev = ["Pytest_Cov"]\n',
    expected: { requirements: ["Pytest_Cov", "pytest"], extras: [], origin: 'dependency group "dev"' },
  },
  {
    name: "nothing declared",
    toml: '[project]\nname = "x"\n',
    expected: { requirements: ["pytest"], extras: [], origin: "no test extra or dependency group found (pytest only)" },
  },
];

for (const item of cases) {
  test(`test requirements: ${item.name}`, () => {
    const config = parseTestConfig(item.toml, "pyproject.toml");
    assert.deepEqual(testRequirements(config, item.wheelExtras ? { wheelExtras: item.wheelExtras } : {}), item.expected);
  });
}
