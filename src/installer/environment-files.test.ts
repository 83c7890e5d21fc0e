import { strict as assert } from "node:assert";
import { test } from "node:test";
import { environmentFileRole } from "./environment-files.js";
import { venvScheme } from "./install-scheme.js";

const scheme = venvScheme("/env", "3.14");

const cases: [string, string | undefined][] = [
  ["/env/.kiln-install/lock", "kiln's install lock and journal"],
  ["/env/.kiln-install/tx-1/plan.json", "kiln's install lock and journal"],
  ["/env/lib/../.kiln-install", "kiln's install lock and journal"],
  ["/env/pyvenv.cfg", "the environment's configuration"],
  ["/env/bin/python", "the environment's interpreter"],
  ["/env/bin/python3", "the environment's interpreter"],
  ["/env/bin/python3.14", "the environment's interpreter"],
  ["/env/bin/python3.9", "the environment's interpreter"],
  // Everything else is an ordinary install target, launchers that only start with "python" too.
  ["/env/bin/python-config", undefined],
  ["/env/bin/pythonw", undefined],
  ["/env/bin/pip", undefined],
  ["/env/lib/python3.14/site-packages/python", undefined],
  ["/env/lib/python3.14/site-packages/pyvenv.cfg", undefined],
  ["/env/.kiln-installer", undefined],
  ["/env/share/pyvenv.cfg", undefined],
];

for (const [path, role] of cases) {
  test(`environmentFileRole(${path}) is ${role ?? "undefined"}`, () => {
    assert.equal(environmentFileRole(scheme, path), role);
  });
}
