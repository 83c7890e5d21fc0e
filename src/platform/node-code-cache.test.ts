import { strict as assert } from "node:assert";
import { spawn, spawnSync } from "node:child_process";
import { chmodSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, utimesSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { after, test } from "node:test";
import { buildSync } from "esbuild";
import { kilnCacheFolders } from "./kiln-cache-folders.js";
import { codeCacheCommand, codeCacheWanted, commandV8Flags, decodeBundle } from "./node-code-cache.js";

const temporary = mkdtempSync(join(tmpdir(), "kiln-code-cache-"));
after(() => rmSync(temporary, { recursive: true, force: true }));
let serial = 0;

// A stand-in for dist/bundle/kiln-cli.cjs: a CommonJS script whose runCli imports an ES module
// through the host's import() (as the real bundle loads Pyodide), which code from a code cache
// cannot do by itself on Node 20.
function bundleSource(tag: string): string {
  return `"use strict";
exports.runCli = async (argv, streams) => {
  const os = await __kilnImport("node:os");
  streams.stdout.write("${tag} " + argv.join(" ") + " " + typeof os.hostname + "\\n");
  return 3;
};
exports.other = async (argv, streams) => {
  streams.stdout.write("other ${tag} " + argv.join(" ") + "\\n");
  return 4;
};
`;
}

function setup(tag = "ran"): { bundle: string; cacheDir: string } {
  const directory = join(temporary, `case-${serial++}`);
  mkdirSync(directory);
  const bundle = join(directory, "kiln-cli.cjs");
  writeFileSync(bundle, bundleSource(tag));
  return { bundle, cacheDir: join(directory, "cache") };
}

const module = new URL("./node-code-cache.ts", import.meta.url).href;
const driver = `
  const { runWithCodeCache } = await import(${JSON.stringify(module)});
  const [bundle, ...argv] = process.argv.slice(1).filter((arg) => arg !== "--");
  const entry = process.env.CC_ENTRY ? { entry: process.env.CC_ENTRY } : {};
  process.exitCode = await runWithCodeCache({ bundle, argv, streams: { stdout: process.stdout, stderr: process.stderr, env: process.env, cwd: process.cwd() }, ...entry });`;
const driverArgs = (bundle: string, argv = ["a", "b"]) => ["--import", "tsx", "--input-type=module", "-e", driver, "--", bundle, ...argv];
const driverEnv = (cacheDir: string) => ({ ...process.env, KILN_CACHE_DIR: cacheDir, KILN_DEBUG_CODE_CACHE: "1" });

/** Runs the stand-in through runWithCodeCache in a fresh process; returns its output and what it did with the cache. */
function run(bundle: string, cacheDir: string, argv?: string[], entry?: string): { status: number | null; stdout: string; outcome: string } {
  const env = { ...driverEnv(cacheDir), CC_ENTRY: entry ?? "" };
  const result = spawnSync(process.execPath, driverArgs(bundle, argv), { encoding: "utf8", env });
  return { status: result.status, stdout: result.stdout, outcome: /code cache ([a-z-]+):/.exec(result.stderr)?.[1] ?? result.stderr };
}

function cacheFiles(cacheDir: string): string[] {
  return readdirSync(join(cacheDir, kilnCacheFolders.codeCache)).map((name) => join(cacheDir, kilnCacheFolders.codeCache, name));
}

test("the first run writes the cache, the next ones use it, with the same output (import() included)", () => {
  const { bundle, cacheDir } = setup();
  for (const expected of ["written", "used", "used"]) {
    assert.deepEqual(run(bundle, cacheDir), { status: 3, stdout: "ran a b function\n", outcome: expected });
  }
  assert.equal(cacheFiles(cacheDir).length, 1);
});

test("entry calls another function the bundle exports, from the same cache", () => {
  const { bundle, cacheDir } = setup();
  assert.deepEqual(run(bundle, cacheDir, undefined, "other"), { status: 4, stdout: "other ran a b\n", outcome: "written" });
  assert.deepEqual(run(bundle, cacheDir, undefined, "other"), { status: 4, stdout: "other ran a b\n", outcome: "used" });
});

test("a damaged cache is never given to V8: it is refused and rewritten, and the command runs the same", async (t) => {
  const damages: Array<[string, (bytes: Buffer) => Buffer]> = [
    ["a byte of the V8 data flipped", (bytes) => Buffer.concat([bytes.subarray(0, 100), Buffer.from([bytes[100]! ^ 0xff]), bytes.subarray(101)])],
    ["truncated", (bytes) => bytes.subarray(0, bytes.length - 1000)],
    ["shorter than its digest", (bytes) => bytes.subarray(0, 10)],
    ["empty", () => Buffer.alloc(0)],
  ];
  for (const [name, damage] of damages) {
    await t.test(name, () => {
      const { bundle, cacheDir } = setup();
      assert.equal(run(bundle, cacheDir).outcome, "written");
      const [file] = cacheFiles(cacheDir);
      writeFileSync(file!, damage(readFileSync(file!)));
      assert.deepEqual(run(bundle, cacheDir), { status: 3, stdout: "ran a b function\n", outcome: "damaged-and-written" });
      assert.equal(run(bundle, cacheDir).outcome, "used");
    });
  }
});

test("another build of the bundle has its own cache; a cache V8 refuses is rewritten", () => {
  const { bundle, cacheDir } = setup();
  assert.equal(run(bundle, cacheDir).outcome, "written");
  const [first] = cacheFiles(cacheDir);
  writeFileSync(bundle, bundleSource("changed"));
  assert.deepEqual(run(bundle, cacheDir), { status: 3, stdout: "changed a b function\n", outcome: "written" });
  const second = cacheFiles(cacheDir).find((file) => file !== first)!;
  // Whole (its digest checks out) but made for the other script: V8 refuses it.
  writeFileSync(second, readFileSync(first!));
  assert.deepEqual(run(bundle, cacheDir), { status: 3, stdout: "changed a b function\n", outcome: "rejected-and-written" });
  assert.equal(run(bundle, cacheDir).outcome, "used");
});

test("a bundle rewritten in place with the same size but new times has its own cache", () => {
  const { bundle, cacheDir } = setup("one");
  assert.equal(run(bundle, cacheDir).outcome, "written");
  writeFileSync(bundle, bundleSource("two"));
  // A rebuild is seconds apart; the file system's clock may not tick between two writes in a test.
  utimesSync(bundle, new Date(Date.now() + 5000), new Date(Date.now() + 5000));
  assert.deepEqual(run(bundle, cacheDir), { status: 3, stdout: "two a b function\n", outcome: "written" });
  assert.equal(cacheFiles(cacheDir).length, 2);
});

test("a bundle that is not ASCII is decoded as UTF-8 (an ASCII one as Latin-1, the same text)", () => {
  const { bundle, cacheDir } = setup("\u2205 caf\u00e9 \u{1F600}");
  for (const outcome of ["written", "used"]) {
    assert.deepEqual(run(bundle, cacheDir), { status: 3, stdout: "\u2205 caf\u00e9 \u{1F600} a b function\n", outcome });
  }
  const cases = ["exports.x = 1;\n", "// \u2205\nexports.x = '\u00e9';", "\u{1F600}", ""];
  for (const text of cases) assert.equal(decodeBundle(Buffer.from(text, "utf8")), text);
});

test("processes writing the cache at once all run, and leave a cache the next run uses", async () => {
  const { bundle, cacheDir } = setup();
  const runs = Array.from({ length: 4 }, () =>
    new Promise<{ status: number | null; stdout: string }>((resolve) => {
      const child = spawn(process.execPath, driverArgs(bundle), { env: driverEnv(cacheDir) });
      let stdout = "";
      child.stdout.on("data", (chunk: Buffer) => (stdout += chunk.toString()));
      child.on("close", (status) => resolve({ status, stdout }));
    }),
  );
  for (const result of await Promise.all(runs)) assert.deepEqual(result, { status: 3, stdout: "ran a b function\n" });
  assert.equal(cacheFiles(cacheDir).length, 1, "no temporary file is left");
  assert.equal(run(bundle, cacheDir).outcome, "used");
});

test("a cache directory that cannot be written does not fail the command", { skip: process.getuid?.() === 0 && "root writes anywhere" }, () => {
  const { bundle, cacheDir } = setup();
  mkdirSync(cacheDir);
  chmodSync(cacheDir, 0o500);
  try {
    assert.deepEqual(run(bundle, cacheDir), { status: 3, stdout: "ran a b function\n", outcome: "not-written" });
  } finally {
    chmodSync(cacheDir, 0o700);
  }
});

test("a cache directory that is a file (root can write anywhere else) does not fail the command either", () => {
  const { bundle, cacheDir } = setup();
  writeFileSync(cacheDir, "not a directory");
  assert.deepEqual(run(bundle, cacheDir), { status: 3, stdout: "ran a b function\n", outcome: "not-written" });
});

test("writing a cache deletes caches not written for a week, and keeps recent ones", () => {
  const { bundle, cacheDir } = setup();
  const folder = join(cacheDir, kilnCacheFolders.codeCache);
  mkdirSync(folder, { recursive: true });
  writeFileSync(join(folder, "old.bin"), "x");
  utimesSync(join(folder, "old.bin"), new Date(Date.now() - 8 * 86_400_000), new Date(Date.now() - 8 * 86_400_000));
  writeFileSync(join(folder, "recent.bin"), "x");
  assert.equal(run(bundle, cacheDir).outcome, "written");
  const names = readdirSync(folder);
  assert.ok(!names.includes("old.bin") && names.includes("recent.bin") && names.length === 2, names.join(", "));
});

test("KILN_NO_CODE_CACHE turns the cache off", () => {
  assert.equal(codeCacheWanted({}), true);
  assert.equal(codeCacheWanted({ KILN_NO_CODE_CACHE: "" }), true);
  assert.equal(codeCacheWanted({ KILN_NO_CODE_CACHE: "1" }), false);
});

test("kiln pip runs with its own V8 flags and its own cache, which neither it nor another command refuses", () => {
  const { bundle, cacheDir } = setup();
  const pip = ["pip", "list"];
  assert.deepEqual(run(bundle, cacheDir, pip), { status: 3, stdout: "ran pip list function\n", outcome: "written" });
  assert.equal(run(bundle, cacheDir).outcome, "written");
  assert.equal(cacheFiles(cacheDir).length, commandV8Flags(pip) === undefined ? 1 : 2);
  // Flags set after V8 checked the cache would make every other run refuse the cache written by the one before.
  for (let round = 0; round < 2; round++) {
    assert.equal(run(bundle, cacheDir, pip).outcome, "used");
    assert.equal(run(bundle, cacheDir).outcome, "used");
  }
});

test("commandV8Flags: kiln pip's commands tier up later on V8 11 (Node 20) and mark without increments; others keep V8's defaults", () => {
  const expected = /^11\./.test(process.versions.v8) ? "--interrupt-budget=1000000 --no-incremental-marking" : "--no-incremental-marking";
  assert.equal(commandV8Flags(["pip", "install", "pytest"]), expected);
  assert.equal(commandV8Flags(["pip"]), expected);
  assert.equal(commandV8Flags(["run", "-c", "pass"]), undefined);
  assert.equal(commandV8Flags([]), undefined);
});

test("each command has its own cache, written by its first run; arguments other than the command's words do not count", () => {
  const { bundle, cacheDir } = setup();
  assert.equal(run(bundle, cacheDir, ["pip", "install", "x"]).outcome, "written");
  assert.equal(run(bundle, cacheDir, ["pip", "list"]).outcome, "written");
  assert.equal(run(bundle, cacheDir, ["pip", "install", "y", "--no-deps"]).outcome, "used");
  assert.equal(run(bundle, cacheDir, ["pip", "list", "--format", "json"]).outcome, "used");
  assert.equal(cacheFiles(cacheDir).length, 2);
  assert.equal(codeCacheCommand(["pip", "install", "-r", "r.txt"]), "pip install");
  assert.equal(codeCacheCommand(["pip", "--version"]), "pip");
  assert.equal(codeCacheCommand(["pip", "/some/path"]), "pip");
  assert.equal(codeCacheCommand(["--help"]), "");
  assert.equal(codeCacheCommand(["run", "build", "--fast"]), "run", "a script named like a word is Python's argument");
});

// A stand-in for dist/bundle/node-start-helper.cjs: a worker's bundle that reads its workerData,
// answers, and keeps its code (as keepWorkerCode does, through the same global hook).
const workerBundleSource = (tag: string) => `"use strict";
const { parentPort, workerData } = require("node:worker_threads");
parentPort.postMessage("${tag} " + workerData + " " + typeof __filename + " " + typeof require("node:path").join);
globalThis[Symbol.for("kiln.keepWorkerCode")]();
`;
const workerDriver = `
  import { Worker } from "node:worker_threads";
  const [runner, bundle] = process.argv.slice(2);
  const worker = new Worker("require(" + JSON.stringify(runner) + ").runWorkerBundle(" + JSON.stringify(bundle) + ")", { eval: true, workerData: "data" });
  worker.on("message", (message) => process.stdout.write(message + "\\n"));`;

// The worker requires this module as CommonJS, as it does dist/bundle/node-code-cache.cjs (tsx
// compiles only what the ES-module loader loads, not what an eval'd worker requires).
let runner: string | undefined;
function workerRunner(): string {
  if (runner) return runner;
  runner = join(temporary, "node-code-cache.cjs");
  buildSync({
    entryPoints: [fileURLToPath(new URL("./node-code-cache.ts", import.meta.url))],
    outfile: runner,
    bundle: true,
    format: "cjs",
    platform: "node",
    define: { "import.meta.url": "__kilnScriptUrl" },
    banner: { js: 'var __kilnScriptUrl = require("node:url").pathToFileURL(__filename).href;' },
    logLevel: "warning",
  });
  return runner;
}

function runWorker(bundle: string, cacheDir: string): { status: number | null; stdout: string; outcome: string } {
  const runner = workerRunner();
  // A file, not -e with --input-type=module: the worker's eval'd source is CommonJS.
  const driver = join(temporary, "worker-driver.mjs");
  writeFileSync(driver, workerDriver);
  const result = spawnSync(process.execPath, ["--import", "tsx", driver, runner, bundle], { encoding: "utf8", env: driverEnv(cacheDir) });
  return { status: result.status, stdout: result.stdout, outcome: /worker code cache ([a-z-]+):/.exec(result.stderr)?.[1] ?? result.stderr };
}

test("a worker's bundle runs through the code cache: written after its work, then used, a damaged one refused and rewritten", () => {
  const { bundle, cacheDir } = setup();
  writeFileSync(bundle, workerBundleSource("worker"));
  for (const expected of ["written", "used"]) assert.deepEqual(runWorker(bundle, cacheDir), { status: 0, stdout: "worker data string function\n", outcome: expected });
  const [file] = cacheFiles(cacheDir);
  writeFileSync(file!, readFileSync(file!).subarray(0, 100));
  assert.deepEqual(runWorker(bundle, cacheDir), { status: 0, stdout: "worker data string function\n", outcome: "damaged-and-written" });
  assert.equal(cacheFiles(cacheDir).length, 1);
});
