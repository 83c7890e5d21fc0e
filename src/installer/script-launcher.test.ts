import { strict as assert } from "node:assert";
import { spawnSync } from "node:child_process";
import { chmodSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { test } from "node:test";
import { isKilnError } from "../core/index.js";
import { hostPython } from "../../test/support/host-python.js";
import { entryPointLauncher, rewritePythonShebang, shellPolyglotHeader } from "./script-launcher.js";

const decoder = new TextDecoder();
const encoder = new TextEncoder();

/** A throwaway environment whose bin/python is itself a shell script, as kiln's launcher is. */
function withFakeEnvironment(run: (directory: string, python: string) => void): void {
  const directory = mkdtempSync(join(tmpdir(), "kiln launcher ")); // a space, on purpose
  try {
    const python = join(directory, "bin", "python");
    mkdirSync(join(directory, "bin"));
    mkdirSync(join(directory, "site"));
    writeFileSync(python, `#!/bin/sh\nPYTHONPATH="${join(directory, "site")}" exec "${hostPython}" "$@"\n`);
    chmodSync(python, 0o755);
    writeFileSync(join(directory, "site", "demo_cli.py"), "import sys, json\ndef main():\n    print(json.dumps(sys.argv[1:]))\n    return 3\nclass ns:\n    @staticmethod\n    def nested():\n        print('nested')\n");
    run(directory, python);
  } finally {
    rmSync(directory, { recursive: true, force: true });
  }
}

test("a console-script launcher runs its entry point through bin/python from sh, with arguments and exit code", () => {
  withFakeEnvironment((directory, python) => {
    const script = join(directory, "bin", "demo");
    writeFileSync(script, entryPointLauncher({ group: "console_scripts", name: "demo", module: "demo_cli", attr: "main", extras: [] }, python));
    chmodSync(script, 0o755);
    const result = spawnSync(script, ["a b", "$HOME", "'q'"], { encoding: "utf8" });
    assert.deepEqual(JSON.parse(result.stdout), ["a b", "$HOME", "'q'"], result.stderr);
    assert.equal(result.status, 3);
    const nested = join(directory, "bin", "nested");
    writeFileSync(nested, entryPointLauncher({ group: "gui_scripts", name: "nested", module: "demo_cli", attr: "ns.nested", extras: [] }, python));
    chmodSync(nested, 0o755);
    assert.equal(spawnSync(nested, { encoding: "utf8" }).stdout, "nested\n");
  });
});

test("a #!python script is rewritten to run through bin/python, keeping interpreter options", () => {
  withFakeEnvironment((directory, python) => {
    for (const [first, expected] of [["#!python", "ok []"], ["#!python -u", "ok []"], ["#!pythonw", "ok []"]] as const) {
      const script = join(directory, "bin", "tool");
      writeFileSync(script, rewritePythonShebang(encoder.encode(`${first}\nimport sys\nprint("ok", sys.argv[1:])\n`), python));
      chmodSync(script, 0o755);
      const result = spawnSync(script, { encoding: "utf8" });
      assert.equal(result.stdout.trim(), expected, `${first}: ${result.stderr}`);
    }
  });
});

test("scripts without #!python are left byte for byte", () => {
  for (const text of ["#!/bin/sh\necho hi\n", "#!python3\nprint(1)\n", "print(1)\n", ""]) {
    const bytes = encoder.encode(text);
    assert.equal(rewritePythonShebang(bytes, "/env/bin/python"), bytes);
  }
  assert.equal(decoder.decode(rewritePythonShebang(encoder.encode("#!python\r\nx\r\n"), "/e/python")), `${shellPolyglotHeader("/e/python")}x\r\n`);
});

test("an interpreter path a shell cannot quote is refused", () => {
  for (const path of ['/a"b/python', "/a$b/python", "/a`b/python", "/a\\b/python"]) {
    assert.throws(() => shellPolyglotHeader(path), (error) => isKilnError(error, "invalidInstallScheme"), path);
  }
});

test("an entry point without an attribute cannot become a script", () => {
  assert.throws(
    () => entryPointLauncher({ group: "console_scripts", name: "x", module: "pkg", extras: [] }, "/env/bin/python"),
    (error) => isKilnError(error, "invalidEntryPoints"),
  );
});
