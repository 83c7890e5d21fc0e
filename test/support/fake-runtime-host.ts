import type { RuntimeHost } from "../../src/runtime/runtime-host.js";

/**
 * A `RuntimeHost` for unit tests of the start: the runtime and the snapshot store are the test's;
 * everything else answers as an empty, unchanging host would (no file stamps, no directory
 * entries, no mounts, checksum 0, time 0). `overrides` replace any of those.
 *
 * @example
 * const host = fakeRuntimeHost({ locateRuntime: async () => files, snapshots: memoryStore(blobs) });
 */
export function fakeRuntimeHost(overrides: Pick<RuntimeHost, "locateRuntime" | "snapshots"> & Partial<RuntimeHost>): RuntimeHost {
  return {
    checksum: () => 0,
    fileStamps: async (paths) => paths.map(() => undefined),
    directoryNames: async () => [],
    mounts: () => [],
    mount: () => undefined,
    stdio: undefined as never,
    env: {},
    cwd: "/w",
    now: () => 0,
    ...overrides,
  };
}
