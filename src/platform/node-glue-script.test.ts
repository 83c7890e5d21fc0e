import { strict as assert } from "node:assert";
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, test } from "node:test";
import { setFlagsFromString } from "node:v8";
import { crc32 } from "node:zlib";
import { loadGlueScript, type GlueCodeOutcome } from "./node-glue-script.js";

// Each load compiles as a new process would: V8 otherwise reuses a script compiled before in this
// isolate and never looks at the cache it is given.
setFlagsFromString("--no-compilation-cache");

const temporary = mkdtempSync(join(tmpdir(), "kiln-glue-script-"));
after(() => rmSync(temporary, { recursive: true, force: true }));
let serial = 0;

/** A stand-in for a glue script: a function taking the importer, returning a factory. */
function setup(): { scriptPath: string; codePath: string } {
  const directory = join(temporary, `case-${serial}`);
  mkdirSync(directory);
  const scriptPath = join(directory, "glue.js");
  writeFileSync(scriptPath, `(function (load) {"use strict";var tag=${serial++};return async function factory(x){var os=await load("node:os");return [tag, x * 2, typeof os.hostname];};})`);
  return { scriptPath, codePath: join(directory, "glue.code") };
}

async function load(paths: { scriptPath: string; codePath: string }): Promise<{ outcome: GlueCodeOutcome; result: unknown; keep: () => boolean }> {
  const glue = loadGlueScript({ ...paths, importer: (url) => import(url) });
  const result = await (glue.factory as (x: number) => Promise<unknown>)(21);
  return { outcome: glue.outcome, result, keep: glue.keepCompiledCode };
}

test("the first load finds no cache and keeps one after running; the next uses it, with the same result", async () => {
  const paths = setup();
  const first = await load(paths);
  assert.equal(first.outcome, "missing");
  assert.equal(first.keep(), true);
  assert.equal(first.keep(), false, "kept once");
  const second = await load(paths);
  assert.deepEqual([second.outcome, second.result], ["used", first.result]);
  assert.deepEqual((first.result as unknown[]).slice(1), [42, "function"]);
  assert.equal(second.keep(), false, "nothing to write after a use");
});

test("a damaged cache, one of another script file or one V8 refuses is never used as such, and is written again", async () => {
  const damage: Array<[GlueCodeOutcome, (paths: { scriptPath: string; codePath: string }) => void]> = [
    ["damaged", ({ codePath }) => {
      const file = readFileSync(codePath);
      file[file.length - 10]! ^= 0xff;
      writeFileSync(codePath, file);
    }],
    ["damaged", ({ codePath }) => writeFileSync(codePath, readFileSync(codePath).subarray(0, 20))],
    ["other-key", ({ scriptPath }) => writeFileSync(scriptPath, `${readFileSync(scriptPath, "utf8")}\n`)],
    ["refused-by-v8", ({ codePath }) => {
      // A whole file with the right key, whose V8 data is not V8's.
      const file = readFileSync(codePath);
      file.fill(7, 36);
      file.writeUInt32LE(crc32(file.subarray(4)), 0);
      writeFileSync(codePath, file);
    }],
  ];
  for (const [expected, spoil] of damage) {
    const paths = setup();
    const first = await load(paths);
    first.keep();
    spoil(paths);
    const spoiled = await load(paths);
    assert.deepEqual([spoiled.outcome, (spoiled.result as unknown[]).slice(1)], [expected, [42, "function"]], expected);
    assert.equal(spoiled.keep(), true, `${expected}: written again`);
    assert.equal((await load(paths)).outcome, "used", `${expected}: used after`);
  }
});

test("writers at once leave one whole file; a cache that cannot be written fails nothing", async () => {
  const paths = setup();
  const loads = [await load(paths), await load(paths), await load(paths)];
  assert.deepEqual(loads.map((each) => each.keep()), [true, true, true]);
  assert.deepEqual(readdirSync(join(paths.codePath, "..")).sort(), ["glue.code", "glue.js"]);
  assert.equal((await load(paths)).outcome, "used");

  const blocked = setup();
  mkdirSync(blocked.codePath);
  const result = await load(blocked);
  assert.equal(result.outcome, "missing");
  assert.equal(result.keep(), false);
});
