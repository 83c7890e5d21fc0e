import { strict as assert } from "node:assert";
import { test } from "node:test";
import { isKilnError } from "../core/index.js";
import { formatVenvConfig, parseVenvConfig } from "./venv-config.js";
import { formatRuntimeSetting, parseRuntimeSetting } from "./virtual-environment.js";

const configs: Array<[string, Record<string, string>]> = [
  ["home = /usr/bin\nversion = 3.14.2\n", { home: "/usr/bin", version: "3.14.2" }],
  ["Home=/x\r\n\n# comment\ninclude-system-site-packages = TRUE\n", { home: "/x", "include-system-site-packages": "TRUE" }],
  ["command = kiln venv /a=b\n", { command: "kiln venv /a=b" }],
  ["no equals sign here\n", {}],
];

for (const [text, expected] of configs) {
  test(`parses pyvenv.cfg ${JSON.stringify(text)}`, () => assert.deepEqual(parseVenvConfig(text), expected));
}

test("pyvenv.cfg round-trips and refuses entries that would break its lines", () => {
  const entries: Array<[string, string]> = [["home", "/usr/bin"], ["kiln-platform-tags", "a b c"]];
  assert.deepEqual(parseVenvConfig(formatVenvConfig(entries)), Object.fromEntries(entries));
  assert.throws(() => formatVenvConfig([["a=b", "c"]]), (error) => isKilnError(error, "venvInvalid"));
  assert.throws(() => formatVenvConfig([["a", "c\nd"]]), (error) => isKilnError(error, "venvInvalid"));
});

const runtimes: Array<[string, object]> = [
  ["bundled", { kind: "bundled" }],
  ["", { kind: "bundled" }],
  ["pyodide@0.29.3", { kind: "npm", version: "0.29.3" }],
  ["0.27.7", { kind: "npm", version: "0.27.7" }],
  ["pyodide@314.0.7", { kind: "npm", version: "314.0.7" }],
];

for (const [text, expected] of runtimes) {
  test(`parses runtime setting "${text}"`, () => {
    assert.deepEqual(parseRuntimeSetting(text), expected);
    if (text !== "" && text.startsWith("p")) assert.equal(formatRuntimeSetting(parseRuntimeSetting(text)), text);
  });
}

for (const bad of ["pyodide@", "pyodide@latest", "pyodide@1.0; rm -rf /", "../x"]) {
  test(`refuses runtime setting "${bad}"`, () => {
    assert.throws(() => parseRuntimeSetting(bad), (error) => isKilnError(error, "runtimeNotFound"));
  });
}
