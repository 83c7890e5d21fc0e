import { strict as assert } from "node:assert";
import { spawn } from "node:child_process";
import { readdirSync, readFileSync, truncateSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { test } from "node:test";
import { silentReporter, type Reporter } from "../../src/core/index.js";
import { createNodeRuntimeHost } from "../../src/platform/node-runtime-host.js";
import { encodeSnapshotFile, prepareStart, startRuntime, type RuntimeHost } from "../../src/runtime/index.js";
import { baseEnv, kilnBin, makeTree } from "./support.js";

// Each case starts real runtimes against its own empty cache, so what it sees is what it did.

function freshHost(): RuntimeHost & { cacheDir: string } {
  return createNodeRuntimeHost({ cacheDir: join(makeTree(), "cache") });
}

function snapshotFiles(host: { cacheDir: string }): string[] {
  try {
    return readdirSync(join(host.cacheDir, "snapshots")).sort();
  } catch {
    return [];
  }
}

function recordingReporter(): Reporter & { warnings: string[] } {
  const warnings: string[] = [];
  return { ...silentReporter, warnings, warn: (message) => warnings.push(message) };
}

async function startAndCheck(host: RuntimeHost, reporter: Reporter = silentReporter): Promise<boolean> {
  const runtime = await startRuntime(host, { reporter });
  assert.equal(runtime.runPython("6 * 7"), 42);
  return runtime.fromSnapshot;
}

test("the first start builds a snapshot, the next one starts from it", async () => {
  const host = freshHost();
  assert.equal(await startAndCheck(host), false);
  assert.equal(snapshotFiles(host).length, 1);
  assert.equal(await startAndCheck(host), true);
});

test("a snapshot of another runtime build is never used", async () => {
  const host = freshHost();
  await startAndCheck(host);
  const otherBuild: RuntimeHost = {
    ...host,
    locateRuntime: async (spec) => ({ ...(await host.locateRuntime(spec)), buildIdentity: "another build" }),
  };
  assert.equal(await startAndCheck(otherBuild), false);
  assert.equal(snapshotFiles(host).length, 2);
  assert.equal(await startAndCheck(otherBuild), true);
});

const damage: Array<[string, (path: string) => void]> = [
  ["truncated", (path) => truncateSync(path, 1_000_000)],
  ["emptied", (path) => truncateSync(path, 0)],
  ["corrupted (flipped bytes in the heap)", (path) => {
    const bytes = readFileSync(path);
    for (let at = 5_000_000; at < bytes.length; at += 3_000_000) bytes[at] = bytes[at]! ^ 0xff;
    writeFileSync(path, bytes);
  }],
];

for (const [name, spoil] of damage) {
  test(`a ${name} snapshot is detected and rebuilt`, async () => {
    const host = freshHost();
    await startAndCheck(host);
    const [file] = snapshotFiles(host);
    spoil(join(host.cacheDir, "snapshots", file!));
    assert.equal(await startAndCheck(host), false);
    assert.equal(await startAndCheck(host), true);
  });
}

test("a snapshot that passes kiln's checks but that Pyodide refuses falls back to a cold start", async () => {
  const host = freshHost();
  await startAndCheck(host);
  const [file] = snapshotFiles(host);
  const path = join(host.cacheDir, "snapshots", file!);
  const original = readFileSync(path);
  // The key follows the header's 28 fixed bytes (src/runtime/snapshot-file.ts).
  const key = new TextDecoder().decode(original.subarray(28, 28 + original.readUInt32LE(12)));
  writeFileSync(path, encodeSnapshotFile(new Uint8Array(64 * 1024), { key, checksum: host.checksum }));
  const reporter = recordingReporter();
  assert.equal(await startAndCheck(host, reporter), false);
  assert.match(reporter.warnings.join("\n"), /Cannot start from the memory snapshot/);
  assert.equal(await startAndCheck(host), true);
});

test("concurrent first runs all succeed and leave one valid snapshot", async () => {
  const cacheDir = join(makeTree(), "cache");
  const env = baseEnv({ KILN_CACHE_DIR: cacheDir, KILN_DEBUG: "1" });
  const run = () =>
    new Promise<{ code: number | null; stdout: string; stderr: string }>((resolve) => {
      const child = spawn(process.execPath, [kilnBin, "run", "-c", "print(sum(range(10)))"], { env });
      let stdout = "";
      let stderr = "";
      child.stdout.on("data", (chunk) => (stdout += chunk));
      child.stderr.on("data", (chunk) => (stderr += chunk));
      child.on("close", (code) => resolve({ code, stdout, stderr }));
    });
  const results = await Promise.all([run(), run(), run()]);
  for (const result of results) assert.deepEqual([result.code, result.stdout], [0, "45\n"], result.stderr);
  const files = readdirSync(join(cacheDir, "snapshots"));
  assert.equal(files.length, 1, files.join(", "));
  const after = await run();
  assert.equal(after.stdout, "45\n");
  assert.match(after.stderr, /from memory snapshot/);
});

test("a start prepared ahead uses the snapshot it checked; a damaged one is refused ahead and rebuilt", async () => {
  const host = freshHost();
  await startAndCheck(host);
  const prepared = prepareStart(host);
  assert.ok((await prepared.snapshot)?.snapshot, "the prepared start carries the snapshot");
  assert.ok((await prepared.wasmModule) instanceof WebAssembly.Module, "the prepared start carries the compiled wasm");
  const restored = await startRuntime(host, { prepared });
  assert.equal(restored.fromSnapshot, true);
  assert.equal(restored.runPython("6 * 7"), 42);

  const [file] = snapshotFiles(host);
  truncateSync(join(host.cacheDir, "snapshots", file!), 1_000_000);
  const refused = prepareStart(host);
  assert.equal((await refused.snapshot)?.snapshot, undefined);
  const rebuilt = await startRuntime(host, { prepared: refused });
  assert.equal(rebuilt.fromSnapshot, false);
  assert.equal(rebuilt.runPython("6 * 7"), 42);
  assert.equal(await startAndCheck(host), true);
});

test("a prepared snapshot is handed on before it is read; one corrupted in its heap is refused before Pyodide uses it", async () => {
  const host = freshHost();
  await startAndCheck(host);
  const prepared = prepareStart(host);
  const ready = await prepared.snapshot;
  assert.ok(ready?.snapshot && ready.verified, "the prepared start carries the snapshot's memory and a pending check");
  assert.equal(await ready.verified, undefined);
  assert.equal((await startRuntime(host, { prepared })).fromSnapshot, true);

  const [file] = snapshotFiles(host);
  const path = join(host.cacheDir, "snapshots", file!);
  const bytes = readFileSync(path);
  bytes[bytes.length - 4096] = bytes[bytes.length - 4096]! ^ 0xff;
  writeFileSync(path, bytes);
  const damaged = prepareStart(host);
  assert.ok((await damaged.snapshot)?.snapshot, "the header is sound, so the payload is handed on");
  const reporter = recordingReporter();
  const rebuilt = await startRuntime(host, { prepared: damaged, reporter });
  assert.equal(rebuilt.fromSnapshot, false);
  assert.equal(rebuilt.runPython("6 * 7"), 42);
  assert.equal(await (await damaged.snapshot)?.verified, "checksum");
  assert.deepEqual(reporter.warnings, [], "a refused snapshot is rebuilt quietly, as when it is refused before the start");
  assert.equal(await startAndCheck(host), true);
});

test("a start prepared for another runtime build is not used", async () => {
  const host = freshHost();
  await startAndCheck(host);
  const otherBuild: RuntimeHost = {
    ...host,
    locateRuntime: async (spec) => ({ ...(await host.locateRuntime(spec)), buildIdentity: "another build" }),
  };
  const runtime = await startRuntime(otherBuild, { prepared: prepareStart(host) });
  assert.equal(runtime.fromSnapshot, false);
  assert.equal(runtime.runPython("6 * 7"), 42);
});
