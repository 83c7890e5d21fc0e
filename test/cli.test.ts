import { strict as assert } from "node:assert";
import { spawnSync } from "node:child_process";
import { test } from "node:test";
import { fileURLToPath } from "node:url";
import { runCli } from "../src/cli/main.js";

function capture(): { sink: { write(text: string): boolean; isTTY?: boolean }; text: () => string } {
  let buffer = "";
  return { sink: { write: (text: string) => ((buffer += text), true) }, text: () => buffer };
}

async function kiln(argv: string[], env: Record<string, string> = {}) {
  const stdout = capture();
  const stderr = capture();
  const code = await runCli(argv, { stdout: stdout.sink, stderr: stderr.sink, env, cwd: process.cwd() });
  return { code, stdout: stdout.text(), stderr: stderr.text() };
}

test("--version prints the package version", async () => {
  const result = await kiln(["--version"]);
  assert.equal(result.code, 0);
  assert.match(result.stdout, /^kiln \d+\.\d+\.\d+/);
});

test("--help lists usage and exits 0; no arguments shows help and exits 2", async () => {
  const help = await kiln(["--help"]);
  assert.equal(help.code, 0);
  assert.match(help.stdout, /Usage: kiln/);
  const bare = await kiln([]);
  assert.equal(bare.code, 2);
});

test("an unknown command is a usage error with a hint", async () => {
  const result = await kiln(["frobnicate"]);
  assert.equal(result.code, 2);
  assert.match(result.stderr, /^error: "kiln" has no command "frobnicate"\nhint: /m);
});

test("errors carry no colour unless asked; --color=always paints them", async () => {
  const plain = await kiln(["frobnicate"], { FORCE_COLOR: "1", NO_COLOR: "1" });
  assert.doesNotMatch(plain.stderr, /\u001b\[/);
  const painted = await kiln(["--color=always", "frobnicate"]);
  assert.match(painted.stderr, /\u001b\[31m/);
  const bad = await kiln(["--color=purple", "--help"]);
  assert.equal(bad.code, 2);
  assert.match(bad.stderr, /--color takes auto, always or never/);
});

test("the built kiln binary runs from a shell", () => {
  const bin = fileURLToPath(new URL("../bin/kiln.js", import.meta.url));
  const result = spawnSync(process.execPath, [bin, "--version"], { encoding: "utf8" });
  assert.equal(result.status, 0, result.stderr);
  assert.match(result.stdout, /^kiln /);
});
