import { strict as assert } from "node:assert";
import { test } from "node:test";
import { silentReporter } from "../core/index.js";
import type { BlobStore, RuntimeFiles, RuntimeHost } from "./runtime-host.js";
import { encodeSnapshotFile } from "./snapshot-file.js";
import { openStartSnapshot, preparedWithOpenedSnapshot, type PreparedStart, type PreparedStartPromises } from "./start-runtime.js";
import { openStreamedSnapshot, type OpenedSnapshot } from "./streamed-snapshot.js";
import { kilnMainSource } from "./kiln-main-source.js";
import { snapshotKey, snapshotName } from "./snapshot-key.js";
import { defaultStartupConfig } from "./startup-config.js";
import { fakeRuntimeHost } from "../../test/support/fake-runtime-host.js";

const key = "build|startup";
const name = "snapshot-test";
/** A simple, position-dependent checksum (the real one is CRC-32). */
const checksum = (bytes: Uint8Array) => bytes.reduce((sum, byte, index) => (sum * 31 + byte + index) >>> 0, 7);

/** A payload of two 64 KiB pages with data and one of zeros between them (stored as two extents). */
function payload(fill: number): Uint8Array {
  const bytes = new Uint8Array(3 * 65536);
  bytes.fill(fill, 0, 100);
  bytes.fill(fill + 1, 2 * 65536, 2 * 65536 + 10);
  return bytes;
}

function memoryStore(files: Map<string, Uint8Array>, removed: string[]): BlobStore {
  return {
    read: async (name) => files.get(name),
    write: async (name, bytes) => void files.set(name, bytes),
    remove: async (name) => {
      removed.push(name);
      files.delete(name);
    },
    open: async (name) => {
      const file = files.get(name);
      if (!file) return undefined;
      return {
        size: file.length,
        readInto: async (offset, target) => {
          const part = file.subarray(offset, offset + target.length);
          target.set(part);
          return part.length;
        },
        close: async () => undefined,
      };
    },
  };
}

function host(files: Map<string, Uint8Array>, removed: string[] = []): RuntimeHost {
  const runtime: RuntimeFiles = { pyodideVersion: "314.0.0", indexURL: "/fake/", buildIdentity: "build", loadPyodide: async () => ({}) };
  return fakeRuntimeHost({ locateRuntime: async () => runtime, snapshots: memoryStore(files, removed), checksum });
}

/** The snapshot as the interpreter's thread opens it (header read, payload still empty). */
async function opened(files: Map<string, Uint8Array>): Promise<OpenedSnapshot> {
  const streamed = await openStreamedSnapshot(host(files), { key, name, reporter: silentReporter });
  assert.ok(streamed && "readPayload" in streamed);
  await streamed.close();
  return { buildIdentity: "build", key, name, head: streamed.head, snapshot: streamed.snapshot };
}

test("a snapshot opened on one side is filled on the other, into the same memory, when the file is unchanged", async () => {
  const files = new Map([[name, encodeSnapshotFile(payload(3), { key, checksum })]]);
  const expected = await opened(files);
  assert.ok(expected.snapshot.buffer instanceof SharedArrayBuffer);
  assert.ok(expected.snapshot.every((byte) => byte === 0), "opening reads no payload");
  const streamed = await openStreamedSnapshot(host(files), { key, name, reporter: silentReporter, expected });
  assert.ok(streamed && "readPayload" in streamed);
  assert.equal(streamed.snapshot, expected.snapshot);
  assert.equal(await streamed.readPayload(), undefined);
  assert.deepEqual(expected.snapshot, payload(3));
});

test("a snapshot replaced or removed between its opening and its filling is refused as replaced, and left alone", async () => {
  const cases: Array<[string, (files: Map<string, Uint8Array>) => void]> = [
    ["replaced by another snapshot of the same key", (files) => files.set(name, encodeSnapshotFile(payload(5).subarray(0, 2 * 65536), { key, checksum }))],
    ["replaced by one with the same layout", (files) => files.set(name, encodeSnapshotFile(payload(9), { key, checksum }))],
    ["removed", (files) => files.delete(name)],
  ];
  for (const [label, change] of cases) {
    const files = new Map([[name, encodeSnapshotFile(payload(3), { key, checksum })]]);
    const expected = await opened(files);
    change(files);
    const removed: string[] = [];
    const streamed = await openStreamedSnapshot(host(files, removed), { key, name, reporter: silentReporter, expected });
    assert.ok(streamed && "readPayload" in streamed, label);
    assert.equal(await streamed.readPayload(), "replaced", label);
    assert.deepEqual(removed, [], label);
    assert.ok(expected.snapshot.every((byte) => byte === 0), `${label}: nothing read into the payload`);
  }
});

test("a damaged payload is refused by its checksum and removed, also when filled for the other side", async () => {
  const file = encodeSnapshotFile(payload(3), { key, checksum });
  const files = new Map([[name, file]]);
  const expected = await opened(files);
  file[file.length - 1] = file[file.length - 1]! ^ 0xff;
  const removed: string[] = [];
  const streamed = await openStreamedSnapshot(host(files, removed), { key, name, reporter: silentReporter, expected });
  assert.ok(streamed && "readPayload" in streamed);
  assert.equal(await streamed.readPayload(), "checksum");
  assert.deepEqual(removed, [name]);
});

/** A preparation as another thread hands it on: the snapshot it filled (or none), a module. */
function preparation(ready: Omit<PreparedStart, "wasmModule"> | undefined, module: unknown): PreparedStartPromises {
  return { snapshot: Promise.resolve(ready), wasmModule: Promise.resolve(module) };
}

test("preparedWithOpenedSnapshot takes the other side's verdict, fills the payload itself when nothing came, and uses no preparation for another build", async () => {
  assert.equal(await openStartSnapshot(host(new Map()), {}), undefined, "no snapshot, nothing opened");
  const startKey = snapshotKey({ buildIdentity: "build", startup: defaultStartupConfig, driverSource: kilnMainSource });
  const files = new Map([[snapshotName(startKey), encodeSnapshotFile(payload(3), { key: startKey, checksum })]]);
  const expected = await openStartSnapshot(host(files), {});
  assert.ok(expected);
  assert.equal(expected.key, startKey);
  const module = { compiled: true };
  const ready = { buildIdentity: "build", key: startKey, name: expected.name };

  const agreed = preparedWithOpenedSnapshot(host(files), preparation({ ...ready, snapshot: expected.snapshot, verified: Promise.resolve("checksum") }, module), expected);
  const agreedSnapshot = await agreed.snapshot;
  assert.equal(agreedSnapshot?.snapshot, expected.snapshot);
  assert.equal(await agreedSnapshot?.verified, "checksum", "the other side's verdict");
  assert.equal(await agreed.wasmModule, module);

  const abandoned = preparedWithOpenedSnapshot(host(files), preparation(undefined, undefined), expected);
  assert.equal(await (await abandoned.snapshot)?.verified, undefined, "filled here");
  assert.deepEqual(expected.snapshot, payload(3));

  const other = preparedWithOpenedSnapshot(host(files), preparation({ ...ready, buildIdentity: "other-build", verified: Promise.resolve(undefined) }, module), expected);
  assert.equal(await (await other.snapshot)?.verified, "replaced");
  assert.equal(await other.wasmModule, undefined);
});
