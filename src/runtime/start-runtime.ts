import { KilnError, silentReporter, type Reporter } from "../core/index.js";
import { kilnMainSource } from "./kiln-main-source.js";
import type { PyodideApi } from "./pyodide-api.js";
import { checkPreload, preloadKey, preloadNames, type PreloadCheck, type PreloadRequest } from "./preload-snapshot.js";
import { PythonRuntime } from "./python-runtime.js";
import type { RuntimeFiles, RuntimeHost, RuntimeSpec } from "./runtime-host.js";
import { decodeSnapshotFile, encodeSnapshotFile, type SnapshotRejection } from "./snapshot-file.js";
import { openStreamedSnapshot, type OpenedSnapshot } from "./streamed-snapshot.js";
import { snapshotKey, snapshotName } from "./snapshot-key.js";
import { decodeStartProfile, startProfileIdentity, startProfileName, type StartProfile } from "./start-profile.js";
import { defaultStartupConfig, type StartupConfig } from "./startup-config.js";

/** Options for {@link startRuntime}. */
export interface StartRuntimeOptions {
  /** Which runtime; the bundled `pyodide` dependency when absent. */
  runtime?: RuntimeSpec;
  /** Interpreter options and `PYTHON*` variables for CPython's start-up. */
  startup?: StartupConfig;
  /** Start from (and keep) a memory snapshot in the host's store. Default true. */
  snapshot?: boolean;
  /**
   * Work done ahead, possibly on another thread while this one was starting (see
   * {@link prepareStart}). Used only when it was done for the same runtime build and start-up.
   */
  prepared?: PreparedStartPromises;
  /** Start with these modules imported, from a preload snapshot when a valid one exists (see {@link PreloadRequest}). */
  preload?: PreloadRequest;
  reporter?: Reporter;
}

/** What {@link prepareStart} hands to {@link startRuntime}: the snapshot, checked, and the compiled wasm. */
export interface PreparedStart {
  /** The runtime build and snapshot key this was prepared for, and the snapshot's name in the store. */
  buildIdentity: string;
  key: string;
  name: string;
  /** The snapshot payload; undefined when there is no valid snapshot (a cold start follows). */
  snapshot?: Uint8Array;
  /**
   * Present while `snapshot` (shared memory) is still being read and checked by the preparing
   * side: resolves once it is whole and its checksum matches, to undefined, or to the reason it
   * was refused. Pyodide may set up its module meanwhile, but must not use the snapshot before.
   */
  verified?: Promise<SnapshotRejection | undefined>;
  /** `pyodide.asm.wasm`, compiled (a `WebAssembly.Module`), when the host can compile it. */
  wasmModule?: unknown;
}

/**
 * The parts of a {@link PreparedStart} as they become ready: the snapshot first (it decides how
 * the runtime starts), the compiled module later (it is needed only when the wasm is instantiated).
 */
export interface PreparedStartPromises {
  snapshot: Promise<Omit<PreparedStart, "wasmModule"> | undefined>;
  wasmModule: Promise<unknown>;
  /** The build's start profile the wasm was compiled with, if any (for the preparing side only). */
  profile?: Promise<StartProfile | undefined>;
  /** What a start profile for this start is recorded for (see `startProfileIdentity`). */
  profileIdentity?: Promise<string | undefined>;
}

/**
 * Does the part of {@link startRuntime} that needs no interpreter, so that another thread can do
 * it while the interpreter's thread starts: finds the runtime, reads its memory snapshot and
 * checks it (header, key, checksum; a refused snapshot is removed), and compiles the wasm. With
 * `opened`, the interpreter's thread has chosen the snapshot and read its header itself (see
 * {@link openStartSnapshot}): this fills its payload.
 *
 * @example
 * const prepared = prepareStart(host, { startup });   // on the main thread
 * // ...hand prepared.snapshot and prepared.wasmModule to the worker, which passes them on:
 * await startRuntime(workerHost, { startup, prepared });
 */
export function prepareStart(
  host: RuntimeHost,
  options: { runtime?: RuntimeSpec; startup?: StartupConfig; preload?: PreloadRequest; opened?: OpenedSnapshot; ahead?: CompiledAhead; reporter?: Reporter } = {},
): PreparedStartPromises {
  const reporter = options.reporter ?? silentReporter;
  const files = host.locateRuntime(options.runtime ?? { kind: "bundled" });
  // What was compiled ahead serves when it was for the same build and compiled standard library
  // (a first run compiles the standard library after the helper started).
  const ahead = options.ahead;
  const reusable = ahead
    ? Promise.all([ahead.files, files]).then(([early, now]) => startProfileIdentity(early) === startProfileIdentity(now)).catch(() => false)
    : Promise.resolve(false);
  const profile = reusable.then((reuse) => (reuse ? ahead!.profile : readProfileOf(host, files)));
  // First the snapshot's header, so that the other side can start as soon as it has it; then the
  // compile (with a profile it keeps this thread busy while V8 compiles the profile's functions);
  // then the snapshot's payload, which the other side needs last.
  const opened = profile.then(() => files).then(async (found) => {
    const expected = options.opened?.buildIdentity === found.buildIdentity ? options.opened : undefined;
    const { key, name } = expected ?? (await chooseSnapshot(host, { baseKey: baseKeyOf(found, options.startup), reporter, ...(options.preload ? { preload: options.preload } : {}) }));
    return { found, key, name, streamed: await openStreamedSnapshot(host, { key, name, reporter, ...(expected ? { expected } : {}) }) };
  });
  const wasmModule = reusable.then((reuse) => (reuse ? ahead!.wasmModule : opened.then(nextTask).then(() => compileWith(files, profile))));
  const snapshot = opened.then(async ({ found, key, name, streamed }) => {
    if (streamed) {
      // The payload is read in a later task: what is ready (this snapshot, the module) is handed on first.
      const ready = "readPayload" in streamed ? { snapshot: streamed.snapshot, verified: wasmModule.then(nextTask).then(streamed.readPayload) } : {};
      return { buildIdentity: found.buildIdentity, key, name, ...ready };
    }
    const payload = await readSnapshot(host, { key, name, reporter });
    return { buildIdentity: found.buildIdentity, key, name, ...(payload ? { snapshot: payload } : {}) };
  });
  return {
    snapshot: snapshot.catch(() => undefined),
    wasmModule,
    profile,
    profileIdentity: files.then(startProfileIdentity).catch(() => undefined),
  };
}

/**
 * The part of {@link prepareStart} that the thread running Python does itself, at once: chooses
 * the snapshot and reads and checks its header, and allocates its payload's (shared) memory, so
 * that Pyodide can start while another thread, passed the result as `prepareStart`'s `opened`,
 * reads the payload (see {@link preparedWithOpenedSnapshot}). Undefined when there is no usable
 * snapshot or the store cannot be read in parts: then the other thread does it all.
 *
 * @example
 * const opened = await openStartSnapshot(host, { startup });
 * // post `opened` to the helper, which runs prepareStart(host, { startup, opened })
 */
export async function openStartSnapshot(
  host: RuntimeHost,
  options: { runtime?: RuntimeSpec; startup?: StartupConfig; preload?: PreloadRequest; reporter?: Reporter } = {},
): Promise<OpenedSnapshot | undefined> {
  const reporter = options.reporter ?? silentReporter;
  const files = await host.locateRuntime(options.runtime ?? { kind: "bundled" });
  const { key, name } = await chooseSnapshot(host, { baseKey: baseKeyOf(files, options.startup), reporter, ...(options.preload ? { preload: options.preload } : {}) });
  const streamed = await openStreamedSnapshot(host, { key, name, reporter });
  if (!streamed || !("readPayload" in streamed)) return undefined;
  await streamed.close();
  return { buildIdentity: files.buildIdentity, key, name, head: streamed.head, snapshot: streamed.snapshot };
}

/**
 * The preparation another thread does for `opened` (its `prepareStart(host, { opened })`), with
 * the snapshot known at once: its payload is verified when the other thread has filled it, or,
 * when the other thread handed nothing on (it failed), filled here.
 *
 * @example
 * const prepared = preparedWithOpenedSnapshot(host, receivePreparedStart(helper), opened);
 */
export function preparedWithOpenedSnapshot<T extends PreparedStartPromises>(host: RuntimeHost, prepared: T, opened: OpenedSnapshot): T {
  const fillHere = async () => {
    const streamed = await openStreamedSnapshot(host, { key: opened.key, name: opened.name, reporter: silentReporter, expected: opened });
    return streamed && "readPayload" in streamed ? streamed.readPayload() : "replaced";
  };
  // The other thread fills `opened` when it found the same runtime build (it always should): a
  // preparation for another build (its files changed in between) is used for nothing.
  const agrees = (ready: Omit<PreparedStart, "wasmModule"> | undefined) => ready?.buildIdentity === opened.buildIdentity && ready.key === opened.key;
  const verified = prepared.snapshot.then((ready) => (!ready ? fillHere() : agrees(ready) && ready.verified ? ready.verified : ("replaced" as const)));
  const wasmModule = Promise.all([prepared.wasmModule, prepared.snapshot]).then(([module, ready]) => (!ready || agrees(ready) ? module : undefined));
  const { buildIdentity, key, name, snapshot } = opened;
  return { ...prepared, snapshot: Promise.resolve({ buildIdentity, key, name, snapshot, verified }), wasmModule };
}

function baseKeyOf(files: RuntimeFiles, startup: StartupConfig | undefined): string {
  return snapshotKey({ buildIdentity: files.buildIdentity, startup: startup ?? defaultStartupConfig, driverSource: kilnMainSource, ...stdlibOf(files) });
}

/** What {@link compileAhead} has under way: the runtime located, its start profile, the compile. */
export interface CompiledAhead {
  files: Promise<RuntimeFiles>;
  profile: Promise<StartProfile | undefined>;
  wasmModule: Promise<unknown>;
}

/**
 * Starts the part of {@link prepareStart} that depends only on the runtime: locating it, reading
 * its start profile and compiling its wasm, before it is known what else the start needs (a
 * helper thread started with the process does this while the process loads); `prepareStart`'s
 * `ahead` takes it over when it was for the same runtime build and compiled standard library. With a start profile, the compile is synchronous: this thread is busy
 * until it is done.
 *
 * @example
 * const ahead = compileAhead(host, {});
 * // ...later, told what to prepare:
 * prepareStart(host, { startup, opened, ahead });
 */
export function compileAhead(host: RuntimeHost, options: { runtime?: RuntimeSpec } = {}): CompiledAhead {
  const files = host.locateRuntime(options.runtime ?? { kind: "bundled" });
  const profile = readProfileOf(host, files);
  return { files, profile, wasmModule: compileWith(files, profile) };
}

function readProfileOf(host: RuntimeHost, files: Promise<RuntimeFiles>): Promise<StartProfile | undefined> {
  return files.then((found) => readStartProfile(host, startProfileIdentity(found))).catch(() => undefined);
}

function compileWith(files: Promise<RuntimeFiles>, profile: Promise<StartProfile | undefined>): Promise<unknown> {
  return files
    .then(async (found) => found.compileWasm?.(await startProfileOption(profile)))
    .catch(() => undefined);
}

/** Resolves after the tasks already queued (a message handed on before this thread gets busy). */
function nextTask(): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, 0));
}

async function startProfileOption(profile: Promise<StartProfile | undefined>): Promise<{ profile?: StartProfile }> {
  const found = await profile;
  // An empty profile records that recording found nothing to use (see recordStartProfile).
  return found && found.baseline.length > 0 ? { profile: found } : {};
}

async function readStartProfile(host: RuntimeHost, identity: string): Promise<StartProfile | undefined> {
  const bytes = await host.startProfiles?.read(startProfileName(identity)).catch(() => undefined);
  return bytes ? decodeStartProfile(bytes, identity) : undefined;
}

/**
 * Starts a Pyodide runtime, from a cached memory snapshot when a valid one exists, otherwise from
 * scratch (then saving a snapshot for next time). A snapshot that is stale, truncated, corrupt or
 * refused by Pyodide is dropped and rebuilt; it never fails the start.
 *
 * @example
 * const runtime = await startRuntime(createNodeRuntimeHost(), { startup: { args: ["-u"], env: {} } });
 * runtime.runPython("print('hi')");
 */
export async function startRuntime(host: RuntimeHost, options: StartRuntimeOptions = {}): Promise<PythonRuntime> {
  const reporter = options.reporter ?? silentReporter;
  // A runtime from npm may have to be fetched first: the preparing side does that, and this one
  // then finds it in the cache instead of fetching it a second time.
  if (options.prepared && options.runtime?.kind === "npm") await options.prepared.snapshot;
  const files = await host.locateRuntime(options.runtime ?? { kind: "bundled" });
  files.preload?.();
  const startup = options.startup ?? defaultStartupConfig;
  if (options.snapshot === false) return new PythonRuntime(await boot(files, startup, {}), files, false);
  const baseKey = baseKeyOf(files, startup);
  const preload = options.preload;
  const prepared = await usablePreparation(options.prepared, { files, baseKey, reporter, ...(preload ? { preload } : {}) });
  const chosen: ChosenSnapshot = prepared ? { key: prepared.key, name: prepared.name } : await chooseSnapshot(host, { baseKey, reporter, ...(preload ? { preload } : {}) });
  const { key, name } = chosen;
  const preloaded = key !== baseKey;
  // Without the preload snapshot, this process takes one (Pyodide must be told at load).
  const preloadState = !preload ? "none" : preloaded ? "restored" : await preloadWanted(host, { baseKey, preload, reporter, ...(chosen.check ? { check: chosen.check } : {}) });
  const makeSnapshot = preloadState === "wanted" ? { _makeSnapshot: true } : {};
  const payload = prepared ? prepared.snapshot : await readSnapshot(host, { key, name, reporter });
  const wasm = prepared ? { wasmModule: prepared.wasmModule } : undefined;
  if (payload) {
    const verified = prepared?.verified;
    try {
      const extras = wasm && verified ? { ...wasm, ready: verified } : wasm;
      const runtime = new PythonRuntime(await boot(files, startup, { _loadSnapshot: payload, ...makeSnapshot }, extras), files, true);
      reporter.debug(`Started Pyodide ${files.pyodideVersion} from ${preloaded ? "preload" : "memory"} snapshot ${name}`);
      if (preload) runtime.preload = { state: preloadState, baseKey };
      return runtime;
    } catch (error) {
      // Refused by the check that ran alongside (the preparing side removed it): as if never found.
      const rejection = verified ? await verified : undefined;
      if (rejection) reporter.debug(`Memory snapshot ${name} refused (${rejection}); rebuilding it`);
      else {
        reporter.warn(`Cannot start from the memory snapshot ${name}, rebuilding it: ${describe(error)}`);
        await host.snapshots.remove(name).catch(() => undefined);
      }
    }
  }
  const pyodide = await boot(files, startup, { _makeSnapshot: true }, wasm);
  const baseName = snapshotName(baseKey);
  reporter.debug(`Started Pyodide ${files.pyodideVersion} without a snapshot; saving ${baseName}`);
  await saveSnapshot(host, pyodide, { key: baseKey, name: baseName, reporter });
  const runtime = new PythonRuntime(pyodide, files, false);
  if (preload) runtime.preload = { state: preloadState === "none" ? "none" : "wanted", baseKey };
  return runtime;
}

/** The snapshot a start restores, and the preload check that chose it (when one was made). */
interface ChosenSnapshot {
  key: string;
  name: string;
  check?: PreloadCheck;
}

/** The preload snapshot when it is valid for this process, else the runtime's own. */
async function chooseSnapshot(host: RuntimeHost, options: { baseKey: string; preload?: PreloadRequest; reporter: Reporter }): Promise<ChosenSnapshot> {
  const base = { key: options.baseKey, name: snapshotName(options.baseKey) };
  if (!options.preload) return base;
  const check = await checkPreloadSafely(host, options.baseKey, options.preload);
  return check.ok ? { key: check.key, name: preloadNames(options.baseKey, options.preload).snapshot, check } : { ...base, check };
}

function checkPreloadSafely(host: RuntimeHost, baseKey: string, preload: PreloadRequest): Promise<PreloadCheck> {
  return checkPreload(host, baseKey, preload).catch((error: Error) => ({ ok: false as const, reason: error.message, remake: false }));
}

/**
 * Whether a process that does not start from a preload snapshot should take one (`wanted`), and
 * why not; `check` is the one that chose the snapshot, when this thread made it.
 */
async function preloadWanted(host: RuntimeHost, options: { baseKey: string; preload: PreloadRequest; reporter: Reporter; check?: PreloadCheck }): Promise<"wanted" | "none"> {
  const check = options.check ?? (await checkPreloadSafely(host, options.baseKey, options.preload));
  if (check.ok) return "none";
  options.reporter.debug(`Not starting from a preload snapshot: ${check.reason}`);
  return check.remake ? "wanted" : "none";
}

/** True when `key` is a preload snapshot key for this base key and request (whatever its manifest). */
function isPreloadKeyFor(key: string, baseKey: string, preload: PreloadRequest): boolean {
  return key.startsWith(preloadKey(baseKey, preload).slice(0, -1));
}

/** The prepared work, when it was done for this build and key; the module stays a promise. */
async function usablePreparation(
  prepared: PreparedStartPromises | undefined,
  options: { files: RuntimeFiles; baseKey: string; preload?: PreloadRequest; reporter: Reporter },
): Promise<{ key: string; name: string; snapshot?: Uint8Array; verified?: Promise<SnapshotRejection | undefined>; wasmModule: Promise<unknown> } | undefined> {
  if (!prepared) return undefined;
  const ready = await prepared.snapshot;
  const keyFits = (key: string) => key === options.baseKey || (options.preload !== undefined && isPreloadKeyFor(key, options.baseKey, options.preload));
  if (!ready || ready.buildIdentity !== options.files.buildIdentity || !keyFits(ready.key)) {
    options.reporter.debug("The prepared start was for another runtime build or start-up; not using it");
    return undefined;
  }
  options.reporter.debug(
    !ready.snapshot ? "No usable memory snapshot (checked ahead)" : ready.verified ? "Memory snapshot being read ahead" : "Memory snapshot read and checked ahead",
  );
  return {
    key: ready.key,
    name: ready.name,
    ...(ready.snapshot ? { snapshot: ready.snapshot } : {}),
    ...(ready.snapshot && ready.verified ? { verified: ready.verified } : {}),
    wasmModule: prepared.wasmModule,
  };
}

async function readSnapshot(
  host: RuntimeHost,
  options: { key: string; name: string; reporter: Reporter },
): Promise<Uint8Array | undefined> {
  const bytes = await host.snapshots.read(options.name).catch(() => undefined);
  if (bytes === undefined) return undefined;
  const decoded = decodeSnapshotFile(bytes, { key: options.key, checksum: host.checksum });
  if (decoded.ok) return decoded.payload;
  options.reporter.debug(`Memory snapshot ${options.name} refused (${decoded.reason}); rebuilding it`);
  await host.snapshots.remove(options.name).catch(() => undefined);
  return undefined;
}

async function saveSnapshot(
  host: RuntimeHost,
  pyodide: PyodideApi,
  options: { key: string; name: string; reporter: Reporter },
): Promise<void> {
  if (!pyodide.makeMemorySnapshot) return;
  try {
    const file = encodeSnapshotFile(pyodide.makeMemorySnapshot(), { key: options.key, checksum: host.checksum });
    await host.snapshots.write(options.name, file);
  } catch (error) {
    options.reporter.warn(`Cannot save the memory snapshot ${options.name}: ${describe(error)}`);
  }
}

async function boot(
  files: RuntimeFiles,
  startup: StartupConfig,
  extra: Record<string, unknown>,
  wasm?: { wasmModule: Promise<unknown>; ready?: Promise<string | undefined> },
): Promise<PyodideApi> {
  let pyodide: PyodideApi;
  const early: string[] = [];
  try {
    pyodide = (await files.loadPyodide({
      indexURL: files.indexURL,
      ...(files.stdlib ? { stdLibURL: files.stdlib.url } : {}),
      // A copy: Emscripten's callMain() unshifts the program name into the array it is given.
      args: [...startup.args],
      // PYTHONINSPECT: Pyodide sets it so that PyErr_Print never exits; kiln's driver handles
      // SystemExit itself, and sys.flags.inspect must say what the user asked for.
      env: { ...startup.env, HOME: "/home/pyodide", PYTHONINSPECT: startup.args.includes("-i") ? "1" : "" },
      // Until connectStdio, stdin is at its end. Pyodide's default reads Node's process.stdin,
      // whose creation makes the inherited descriptor 0 non-blocking for every process sharing it
      // (a shell's next reader of the same pipe then fails with EAGAIN).
      stdin: () => null,
      stdout: (line: string) => early.push(line),
      stderr: (line: string) => early.push(line),
      ...extra,
    }, wasm)) as PyodideApi;
  } catch (error) {
    throw new KilnError("runtimeStart", `Cannot start Pyodide ${files.pyodideVersion} from ${files.indexURL}: ${describe(error)}`, {
      cause: error,
      hint: early.length ? early.join("\n") : "Run with KILN_DEBUG=1 for details, or try --runtime with another version",
    });
  }
  installDriver(pyodide);
  return pyodide;
}

function installDriver(pyodide: PyodideApi): void {
  // A runtime restored from a snapshot already has the driver (the snapshot key covers its source).
  if (pyodide.runPython("'_kiln_main' in __import__('sys').modules") === true) return;
  const namespace = pyodide.toPy({ source: kilnMainSource });
  pyodide.runPython(
    "import sys, types\n" +
      "module = types.ModuleType('_kiln_main')\n" +
      "exec(compile(source, '<kiln>', 'exec'), module.__dict__)\n" +
      "sys.modules['_kiln_main'] = module\n",
    { globals: namespace },
  );
}

function stdlibOf(files: RuntimeFiles): { stdlib?: string } {
  return files.stdlib ? { stdlib: files.stdlib.identity } : {};
}

/** The first line of what was thrown: Emscripten's ExitStatus is no Error but has a message. */
function describe(error: unknown): string {
  const message = (error as { message?: unknown } | null)?.message;
  if (typeof message === "string") return message.split("\n")[0]!;
  if (typeof error === "object" && error !== null) {
    try {
      return JSON.stringify(error);
    } catch {
      return String(error);
    }
  }
  return String(error);
}
