/**
 * Handing a start's preparation (see `prepareStart`) from the thread that did it to the thread
 * that runs Python, over a message port: the snapshot's memory is shared while it is still being
 * read (else moved), the compiled module is shared, and the verdict on the snapshot follows.
 */
import type { MessagePort, Worker } from "node:worker_threads";
import type { PreparedStart, PreparedStartPromises, SnapshotRejection } from "../runtime/index.js";
import { isFromWasmCodeCache } from "./node-wasm-code-cache.js";

/**
 * The messages of a hand-over. With `verifying`, the snapshot's shared memory is still being read
 * and checked: a `prepared-verdict` follows. `fromCodeCache`: the module is V8's code kept in the
 * cache (see `loadWasmCode`). `prepared-profile` says whether the build had a start
 * profile, and what one is recorded for (see `recordMissingStartCaches`).
 */
export type PreparedMessage =
  | { kind: "prepared-snapshot"; value: (Omit<PreparedStart, "wasmModule" | "verified"> & { verifying?: boolean }) | undefined }
  | { kind: "prepared-verdict"; rejection: SnapshotRejection | undefined }
  | { kind: "prepared-wasm"; module: unknown; fromCodeCache: boolean }
  | { kind: "prepared-profile"; found: boolean; identity: string | undefined };

/** Either end of a thread's message channel. */
type Port = Pick<MessagePort | Worker, "postMessage" | "on" | "off">;

/**
 * Posts each part of `prepared` to `port` as it becomes ready.
 *
 * @example
 * postPreparedStart(worker, prepareStart(host, { startup }));
 */
export function postPreparedStart(port: Port, prepared: PreparedStartPromises): void {
  void prepared.snapshot.then((ready) => {
    const verified = ready?.verified;
    const value: Omit<PreparedStart, "verified"> | undefined = ready && { buildIdentity: ready.buildIdentity, key: ready.key, name: ready.name, ...(ready.snapshot ? { snapshot: ready.snapshot } : {}) };
    const message: PreparedMessage = { kind: "prepared-snapshot", value: value && { ...value, verifying: verified !== undefined } };
    const buffer = value?.snapshot?.buffer;
    try {
      port.postMessage(message, buffer instanceof ArrayBuffer ? [buffer] : []);
    } catch {
      port.postMessage(message);
    }
    void verified?.then((rejection) => port.postMessage({ kind: "prepared-verdict", rejection } satisfies PreparedMessage));
  });
  void prepared.wasmModule.then((module) => {
    try {
      port.postMessage({ kind: "prepared-wasm", module, fromCodeCache: isFromWasmCodeCache(module) } satisfies PreparedMessage);
    } catch {
      port.postMessage({ kind: "prepared-wasm", module: undefined, fromCodeCache: false } satisfies PreparedMessage);
    }
  });
  void Promise.all([prepared.profile, prepared.profileIdentity]).then(([profile, identity]) =>
    port.postMessage({ kind: "prepared-profile", found: profile !== undefined, identity } satisfies PreparedMessage),
  );
}

/** What {@link receivePreparedStart} gives: the preparation, and what it found about start profiles. */
export interface ReceivedPreparedStart extends PreparedStartPromises {
  profileFound: Promise<boolean>;
  /** Whether the compiled module came from the cache of V8's code (see `loadWasmCode`). */
  wasmFromCodeCache: Promise<boolean>;
  /** The other side is gone: what has not come resolves as if nothing was prepared. */
  abandon(): void;
}

/**
 * The other end of {@link postPreparedStart}: the preparation as promises that resolve as its
 * messages arrive. Stops listening once all have come, so the port keeps no thread alive.
 *
 * @example
 * const prepared = receivePreparedStart(parentPort!);
 * await startRuntime(host, { startup, prepared });
 */
export function receivePreparedStart(port: Port): ReceivedPreparedStart {
  let resolveSnapshot: (value: Omit<PreparedStart, "wasmModule"> | undefined) => void = () => undefined;
  let resolveModule: (module: unknown) => void = () => undefined;
  let resolveFromCodeCache: (used: boolean) => void = () => undefined;
  let resolveVerdict: (rejection: SnapshotRejection | undefined) => void = () => undefined;
  let resolveProfile: (value: { found: boolean; identity: string | undefined }) => void = () => undefined;
  const snapshot = new Promise<Omit<PreparedStart, "wasmModule"> | undefined>((resolve) => (resolveSnapshot = resolve));
  const wasmModule = new Promise<unknown>((resolve) => (resolveModule = resolve));
  const wasmFromCodeCache = new Promise<boolean>((resolve) => (resolveFromCodeCache = resolve));
  const verified = new Promise<SnapshotRejection | undefined>((resolve) => (resolveVerdict = resolve));
  const profile = new Promise<{ found: boolean; identity: string | undefined }>((resolve) => (resolveProfile = resolve));
  let pending = 3;
  const listener = (message: PreparedMessage) => {
    if (message.kind === "prepared-snapshot") {
      const value = message.value;
      if (value?.verifying) pending += 1;
      resolveSnapshot(
        value && { buildIdentity: value.buildIdentity, key: value.key, name: value.name, ...(value.snapshot ? { snapshot: value.snapshot } : {}), ...(value.verifying ? { verified } : {}) },
      );
    } else if (message.kind === "prepared-verdict") resolveVerdict(message.rejection);
    else if (message.kind === "prepared-wasm") {
      resolveModule(message.module);
      resolveFromCodeCache(message.fromCodeCache);
    }
    else if (message.kind === "prepared-profile") resolveProfile(message);
    else return;
    if (--pending === 0) port.off("message", listener);
  };
  port.on("message", listener);
  return {
    snapshot,
    wasmModule,
    abandon: () => {
      port.off("message", listener);
      resolveSnapshot(undefined);
      resolveModule(undefined);
      resolveFromCodeCache(false);
      resolveVerdict("truncated");
      resolveProfile({ found: false, identity: undefined });
    },
    wasmFromCodeCache,
    profileFound: profile.then((value) => value.found),
    profileIdentity: profile.then((value) => value.identity),
  };
}
