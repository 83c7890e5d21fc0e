import { sameBytes, type Reporter } from "../core/index.js";
import type { RuntimeHost } from "./runtime-host.js";
import { decodeSnapshotHeader, snapshotHeaderLength, snapshotPayloadRejection, type SnapshotHeader, type SnapshotRejection } from "./snapshot-file.js";

/**
 * A snapshot whose header one thread has read and checked, and whose payload (shared memory,
 * still empty) another thread fills (see {@link openStreamedSnapshot}'s `expected`): the thread
 * that runs Python can then start Pyodide at once, without waiting for a helper thread to boot.
 */
export interface OpenedSnapshot {
  /** The runtime build and snapshot key it was opened for, and its name in the store. */
  buildIdentity: string;
  key: string;
  name: string;
  /** The file's header bytes as read: the filling side checks that the file still starts with them. */
  head: Uint8Array;
  /** The payload's memory, a `SharedArrayBuffer` view of the payload's length. */
  snapshot: Uint8Array;
}

/** A snapshot being read in parts (see {@link openStreamedSnapshot}). */
export interface StreamedSnapshot {
  /** The payload's memory: zeros until `readPayload` has filled it. */
  snapshot: Uint8Array;
  head: Uint8Array;
  /** Fills `snapshot` and checks its checksums: undefined when it is whole, else why it was refused (a refused file is removed). */
  readPayload(): Promise<SnapshotRejection | undefined>;
  /** Closes the file without reading the payload. */
  close(): Promise<void>;
}

/**
 * Starts reading a snapshot into shared memory: checks its header now, and resolves with the
 * (still empty) payload and `readPayload`, which fills it and checks its checksum, so that the
 * caller can hand the payload on first. Undefined when the store cannot open blobs in parts or
 * there is no shared memory (the caller reads it whole); `{}` when there is no usable snapshot
 * (a refused one is removed).
 *
 * With `expected` (a snapshot another thread opened), the payload is read into its memory, and
 * only if the file still starts with the same header: a file replaced meanwhile is refused as
 * `replaced` (and left alone: it is another process's).
 *
 * @example
 * const streamed = await openStreamedSnapshot(host, { key, name, reporter });
 * if (streamed?.snapshot) { hand(streamed.snapshot); const rejection = await streamed.readPayload(); }
 */
export async function openStreamedSnapshot(
  host: RuntimeHost,
  options: { key: string; name: string; reporter: Reporter; expected?: OpenedSnapshot },
): Promise<StreamedSnapshot | Record<string, never> | undefined> {
  if (!host.snapshots.open || typeof SharedArrayBuffer !== "function") return undefined;
  const expected = options.expected;
  const reader = await host.snapshots.open(options.name).catch(() => undefined);
  if (!reader) return expected ? replaced(expected) : {};
  const refuse = async (reason: SnapshotRejection) => {
    options.reporter.debug(`Memory snapshot ${options.name} refused (${reason}); rebuilding it`);
    await host.snapshots.remove(options.name).catch(() => undefined);
    return reason;
  };
  let head: Uint8Array;
  let header: SnapshotHeader | { ok: false; reason: SnapshotRejection };
  try {
    head = await readHead(reader, expected ? expected.head.length : 65536 + options.key.length * 3);
    header = decodeSnapshotHeader(head, { key: options.key, fileLength: reader.size, checksum: host.checksum });
  } catch {
    head = new Uint8Array(0);
    header = { ok: false, reason: "truncated" };
  }
  if (expected && (!header.ok || !sameBytes(head, expected.head) || header.payloadLength !== expected.snapshot.length)) {
    await reader.close().catch(() => undefined);
    return replaced(expected);
  }
  if (!header.ok) {
    await reader.close().catch(() => undefined);
    await refuse(header.reason);
    return {};
  }
  const checked = header;
  const snapshot = expected ? expected.snapshot : new Uint8Array(new SharedArrayBuffer(checked.payloadLength));
  const readPayload = async (): Promise<SnapshotRejection | undefined> => {
    let rejection: SnapshotRejection | undefined;
    try {
      // The stored extents into place; the all-zero pages between them stay as allocated.
      let at = checked.headerSize;
      for (const extent of checked.extents) {
        const read = await reader.readInto(at, snapshot.subarray(extent.offset, extent.offset + extent.length));
        if (read !== extent.length) throw new RangeError("truncated");
        at += extent.length;
      }
      rejection = snapshotPayloadRejection(snapshot, checked, host.checksum);
    } catch {
      rejection = "truncated";
    } finally {
      await reader.close().catch(() => undefined);
    }
    return rejection ? refuse(rejection) : undefined;
  };
  return { snapshot, head, readPayload, close: () => reader.close().catch(() => undefined) };
}

/** The header: a first read of `length` bytes, then the whole header if it is longer (a large snapshot's extent table). */
async function readHead(reader: { size: number; readInto(offset: number, target: Uint8Array): Promise<number> }, length: number): Promise<Uint8Array> {
  let head = new Uint8Array(Math.min(reader.size, length));
  await reader.readInto(0, head);
  const headerLength = snapshotHeaderLength(head);
  if (headerLength !== undefined && headerLength > head.length && headerLength <= reader.size) {
    head = new Uint8Array(headerLength);
    await reader.readInto(0, head);
  }
  return head;
}

function replaced(expected: OpenedSnapshot): StreamedSnapshot {
  return { snapshot: expected.snapshot, head: expected.head, readPayload: async () => "replaced", close: async () => undefined };
}
