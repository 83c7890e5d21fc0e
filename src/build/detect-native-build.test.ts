import { strict as assert } from "node:assert";
import { test } from "node:test";
import { detectNativeBuild } from "./detect-native-build.js";
import { legacyBuildSystem, parsePyproject, readBuildSystem } from "./read-build-system.js";

const cases: Array<{ name: string; pyproject?: string; setupPy?: string; setupCfg?: string; certain: RegExp[]; likely: RegExp[] }> = [
  { name: "a pure flit project", pyproject: '[build-system]\nrequires = ["flit_core"]\nbuild-backend = "flit_core.buildapi"\n', certain: [], likely: [] },
  { name: "a maturin project", pyproject: '[build-system]\nrequires = ["maturin>=1,<2"]\nbuild-backend = "maturin"\n', certain: [/backend maturin builds Rust/, /requires maturin>=1,<2/], likely: [] },
  { name: "a scikit-build-core project", pyproject: '[build-system]\nrequires = ["scikit-build-core", "pybind11"]\nbuild-backend = "scikit_build_core.build"\n', certain: [/CMake/, /CMake/], likely: [/pybind11/] },
  { name: "a meson-python project", pyproject: '[build-system]\nrequires = ["meson-python", "Cython>=3"]\nbuild-backend = "mesonpy"\n', certain: [/Meson/, /Meson/], likely: [/Cython>=3/] },
  { name: "a setuptools-rust project", pyproject: '[build-system]\nrequires = ["setuptools", "setuptools-rust"]\nbuild-backend = "setuptools.build_meta"\n', certain: [/setuptools-rust/], likely: [] },
  {
    name: "a setup.py with ext_modules",
    setupPy: 'from setuptools import setup, Extension\n# ext_modules in a comment is ignored\nsetup(ext_modules=[Extension("_speedups", ["src/_speedups.c"])])\n',
    certain: [],
    likely: [/ext_modules/, /Extension/],
  },
  { name: "a pure setup.py", setupPy: "from setuptools import setup\n# Extension( is only a comment\nsetup(name='x')\n", certain: [], likely: [] },
  { name: "a hatch mypyc hook", pyproject: '[build-system]\nrequires = ["hatchling"]\nbuild-backend = "hatchling.build"\n[tool.hatch.build.targets.wheel.hooks.mypyc]\ndependencies = ["hatch-mypyc"]\n', certain: [], likely: [/hook "mypyc"/] },
  { name: "a poetry build script", pyproject: '[build-system]\nrequires = ["poetry-core"]\nbuild-backend = "poetry.core.masonry.api"\n[tool.poetry.build]\nscript = "build.py"\n', certain: [], likely: [/poetry.build/] },
  { name: "setuptools ext-modules in pyproject", pyproject: '[build-system]\nrequires = ["setuptools>=74"]\nbuild-backend = "setuptools.build_meta"\n[[tool.setuptools.ext-modules]]\nname = "x._x"\nsources = ["x.c"]\n', certain: [], likely: [/ext-modules/] },
  { name: "setup.cfg ext_modules", setupCfg: "[options]\next_modules =\n    x\n", certain: [], likely: [/setup.cfg/] },
];

for (const item of cases) {
  test(`detects the native build signals of ${item.name}`, () => {
    const buildSystem = item.pyproject ? readBuildSystem(item.pyproject, "x") : legacyBuildSystem;
    const signals = detectNativeBuild({
      buildSystem,
      ...(item.pyproject ? { pyproject: parsePyproject(item.pyproject, "x") } : {}),
      ...(item.setupPy ? { setupPy: item.setupPy } : {}),
      ...(item.setupCfg ? { setupCfg: item.setupCfg } : {}),
    });
    assert.equal(signals.certain.length, item.certain.length, signals.certain.join("; "));
    item.certain.forEach((pattern, i) => assert.match(signals.certain[i]!, pattern));
    assert.equal(signals.likely.length, item.likely.length, signals.likely.join("; "));
    item.likely.forEach((pattern, i) => assert.match(signals.likely[i]!, pattern));
  });
}
