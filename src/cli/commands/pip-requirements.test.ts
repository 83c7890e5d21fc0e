import { strict as assert } from "node:assert";
import { mkdirSync, mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { test } from "node:test";
import { pathToFileURL } from "node:url";
import { isKilnError } from "../../core/index.js";
import { localArgument, requirementFromArgument } from "./pip-requirements.js";

const cwd = mkdtempSync(join(tmpdir(), "kiln-local-"));
mkdirSync(join(cwd, "demo"));
writeFileSync(join(cwd, "demo-1.0.tar.gz"), "");
writeFileSync(join(cwd, "demo-1.0-py3-none-any.whl"), "");

const cases: Array<[string, ReturnType<typeof localArgument>]> = [
  ["./demo", { text: "./demo", kind: "directory", location: join(cwd, "demo"), editable: false, extras: [] }],
  ["./demo[test, docs]", { text: "./demo[test, docs]", kind: "directory", location: join(cwd, "demo"), editable: false, extras: ["test", "docs"] }],
  ["demo-1.0.tar.gz", { text: "demo-1.0.tar.gz", kind: "sdist", location: join(cwd, "demo-1.0.tar.gz"), editable: false, extras: [] }],
  ["https://example.org/x/demo-1.0.tar.gz#sha256=ab", { text: "https://example.org/x/demo-1.0.tar.gz#sha256=ab", kind: "sdist", location: "https://example.org/x/demo-1.0.tar.gz#sha256=ab", editable: false, extras: [] }],
  [
    `Demo[x] @ ${pathToFileURL(join(cwd, "demo")).href} ; python_version >= "3"`,
    { text: `Demo[x] @ ${pathToFileURL(join(cwd, "demo")).href} ; python_version >= "3"`, kind: "directory", location: join(cwd, "demo"), editable: false, name: "Demo", extras: ["x"], marker: 'python_version >= "3"' },
  ],
  // Not built: a bare name that happens to be a directory (pip reads it as a requirement), wheels, requirements.
  ["demo", undefined],
  ["./demo-1.0-py3-none-any.whl", undefined],
  ["https://example.org/demo-1.0-py3-none-any.whl", undefined],
  ["requests>=2", undefined],
  ["./missing", undefined],
];

for (const [argument, expected] of cases) {
  test(`localArgument(${JSON.stringify(argument)})`, () => {
    assert.deepEqual(localArgument(argument, cwd, false), expected);
  });
}

// A URL argument's last segment is the wheel's file name: a malformed percent-escape or an escaped
// path separator is a usage problem named as such, not a URIError or a path.
for (const argument of ["https://example.org/demo-1.0%zz-py3-none-any.whl", "https://example.org/..%2Fdemo-1.0-py3-none-any.whl"]) {
  test(`requirementFromArgument refuses ${argument}`, () => {
    assert.throws(() => requirementFromArgument(argument, cwd), (error) => isKilnError(error, "invalidRequirement") && error.message.includes(argument));
  });
}

test("requirementFromArgument names a path that exists but is not a file as such", () => {
  assert.throws(() => requirementFromArgument("/dev/null", cwd), (error) => isKilnError(error, "invalidRequirement") && /\/dev\/null: it is not a regular file/.test(error.message));
  assert.throws(() => requirementFromArgument("./gone-1.0-py3-none-any.whl", cwd), (error) => isKilnError(error, "invalidRequirement") && /no such file/.test(error.message));
});
