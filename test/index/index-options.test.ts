import { strict as assert } from "node:assert";
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { test } from "node:test";
import { pathToFileURL } from "node:url";
import type { CommandContext } from "../../src/cli/command.js";
import { indexOptions, openPackageSource } from "../../src/cli/index-options.js";
import { Output } from "../../src/cli/output.js";
import { parseArguments } from "../../src/cli/parse-arguments.js";

function context(argv: string[], env: Record<string, string>, cwd: string): CommandContext {
  const command = { name: "demo", summary: "demo", options: indexOptions };
  const sink = { write: () => true };
  return { arguments: parseArguments(command, argv), output: new Output({ stdout: sink, stderr: sink, env }), env, cwd };
}

test("openPackageSource: flags, requirement-file index lines and the runtime's Pyodide repository", async () => {
  const cwd = mkdtempSync(join(tmpdir(), "kiln-options-"));
  writeFileSync(join(cwd, "pyproject.toml"), '[tool.kiln]\nindex-strategy = "unsafe-best-match"\n');
  const env = { KILN_CACHE_DIR: join(cwd, "cache"), PIP_CONFIG_FILE: "/dev/null", HOME: cwd };
  const opened = await openPackageSource(context(["--find-links", "wheels", "--extra-index-url", "https://private.example/simple/", "--timeout", "5"], env, cwd), {
    fromRequirementsFile: { indexUrl: "https://from-file.example/simple/" },
  });
  assert.equal(opened.settings.indexUrl, "https://from-file.example/simple/");
  assert.equal(opened.settings.indexStrategy, "unsafe-best-match");
  assert.equal(opened.settings.timeoutMs, 5000);
  assert.deepEqual(opened.settings.findLinks, [pathToFileURL(join(cwd, "wheels")).href]);
  assert.match(opened.source.name, /^find-links file:.*\/wheels, https:\/\/private\.example\/simple\/, https:\/\/from-file\.example\/simple\/, Pyodide repository https:\/\/cdn\.jsdelivr\.net\/pyodide\/v[\d.]+\/full\/pyodide-lock\.json \(fallback\)$/);
});

test("openPackageSource: the embedded runtime's lock lists Pyodide's packages without a request", async () => {
  const cwd = mkdtempSync(join(tmpdir(), "kiln-options-"));
  const env = { KILN_CACHE_DIR: join(cwd, "cache"), PIP_CONFIG_FILE: "/dev/null", HOME: cwd };
  const { session, source } = await openPackageSource(context(["--no-index", "--offline"], env, cwd));
  assert.equal(session.offline, true);
  const [numpy] = await source.listFiles("numpy");
  assert.match(numpy!.filename, /^numpy-.*-pyemscripten_2026_0_wasm32\.whl$/);
  assert.equal(numpy!.pyodide?.packageType, "package");
  const none = await openPackageSource(context(["--no-index", "--no-pyodide-index"], env, cwd));
  assert.equal(none.source.name, "");
});
