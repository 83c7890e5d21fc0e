import { strict as assert } from "node:assert";
import { test } from "node:test";
import { isKilnError } from "../core/index.js";
import { runHostPython } from "../../test/support/host-python.js";
import { isInterpreterName, parseEntryPoints, parseScriptEntryPoints } from "./entry-points.js";

const sample = `
# a comment
[console_scripts]
pytest = pytest:console_main
py.test=pytest:console_main
tool = pkg.cli:main.run [extra1, extra2]

; another comment
[gui_scripts]
app = pkg.gui : start

[pytest11]
plugin = pkg.plugin
`;

test("parseEntryPoints reads groups, names, modules, attributes and extras", () => {
  assert.deepEqual(parseEntryPoints(sample), [
    { group: "console_scripts", name: "pytest", module: "pytest", attr: "console_main", extras: [] },
    { group: "console_scripts", name: "py.test", module: "pytest", attr: "console_main", extras: [] },
    { group: "console_scripts", name: "tool", module: "pkg.cli", attr: "main.run", extras: ["extra1", "extra2"] },
    { group: "gui_scripts", name: "app", module: "pkg.gui", attr: "start", extras: [] },
    { group: "pytest11", name: "plugin", module: "pkg.plugin", extras: [] },
  ]);
});

test("parseEntryPoints agrees with importlib.metadata", () => {
  const python = runHostPython<{ group: string; name: string; module: string; attr: string | null; extras: string[] }[]>(
    String.raw`
import json, sys
from importlib.metadata import EntryPoints
text = json.load(sys.stdin).replace(";", "#")
print(json.dumps([{"group": e.group, "name": e.name, "module": e.module, "attr": e.attr, "extras": e.extras} for e in EntryPoints._from_text(text)]))
`,
    sample,
  );
  const ours = parseEntryPoints(sample).map((e) => ({ group: e.group, name: e.name, module: e.module, attr: e.attr ?? null, extras: e.extras }));
  assert.deepEqual(ours, python);
});

for (const [label, text, why] of [
  ["an entry before any group", "a = b:c\n", /before any \[group\]/],
  ["a line without =", "[g]\njust words\n", /expected "name = value"/],
  ["a bad value", "[g]\na = b:c:d\n", /is not "name = module:attr/],
  ["an empty name", "[g]\n = b:c\n", /is not "name = module:attr/],
] as const) {
  test(`parseEntryPoints refuses ${label}`, () => {
    assert.throws(() => parseEntryPoints(text), (error) => isKilnError(error, "invalidEntryPoints") && why.test(error.message));
  });
}

test("parseScriptEntryPoints keeps console_scripts and gui_scripts only", () => {
  assert.deepEqual(parseScriptEntryPoints(sample, "x.whl").map((e) => `${e.group}:${e.name}`), ["console_scripts:pytest", "console_scripts:py.test", "console_scripts:tool", "gui_scripts:app"]);
});

for (const name of ["../x", "bin/x", "a\\b", ".", ".."]) {
  test(`parseScriptEntryPoints refuses the script name ${JSON.stringify(name)}, naming the wheel`, () => {
    assert.throws(() => parseScriptEntryPoints(`[console_scripts]\n${name} = m:f\n`, "x-1.0-py3-none-any.whl"), (error) =>
      isKilnError(error, "invalidEntryPoints") && /x-1\.0-py3-none-any\.whl: script name .* is not a file name/.test(error.message));
  });
}

test("isInterpreterName: python, python3, python3.N only", () => {
  assert.deepEqual(["python", "python3", "python3.14", "python2", "pythonw", "python3.x", "pytest"].map(isInterpreterName), [true, true, true, false, false, false, false]);
});
