import { hashString } from "./snapshot-key.js";
import { hintByte, hintStrategy, hintTier } from "./wasm-compilation-hints.js";

/**
 * Which functions of a runtime's `pyodide.asm.wasm` a warm start (snapshot restore, then
 * `-c pass`) runs: V8 compiles each lazily, on the Python thread, the first time it is called
 * (~1,200 functions, tens of milliseconds), and tiers the interpreter's hottest ones up with
 * TurboFan on a background thread, which the process then waits for at exit. With a profile, kiln
 * compiles those functions ahead, on background threads, while the worker thread starts.
 */
export interface StartProfile {
  /** What it was recorded for (see {@link startProfileIdentity}). */
  buildIdentity: string;
  /** Function indices compiled (baseline) during a warm start. */
  baseline: number[];
  /** Function indices V8 tiered up during a warm start, largest body first. */
  optimized: number[];
}

const profileFormat = 1;

/**
 * What a profile is recorded for: the runtime build, and the byte-compiled standard library it
 * starts with when there is one (loading bytecode instead of source runs other functions).
 *
 * @example
 * startProfileIdentity(files); // "314.0.7|/path|...|stdlib:stdlib-0a1b...:2900000:1795263002398"
 */
export function startProfileIdentity(files: { buildIdentity: string; stdlib?: { identity: string } }): string {
  return files.stdlib ? `${files.buildIdentity}|stdlib:${files.stdlib.identity}` : files.buildIdentity;
}

/**
 * The name a build's profile is stored under.
 *
 * @example
 * startProfileName(files.buildIdentity); // "profile-0a1b2c3d4e5f60"
 */
export function startProfileName(buildIdentity: string): string {
  return `profile-${hashString(buildIdentity)}`;
}

/**
 * Reads V8's `--trace-wasm-compilation-times` output (lines such as `Compiled function
 * 0x55d0c8a8#3792 using TurboFan, took 235 ms and ...; bodysize 78952 codesize 203456 ...`) into a
 * profile of the module with the most compiled functions (Pyodide's main module; its helper
 * modules have a handful). Undefined when the text has no such lines (another V8's format).
 *
 * @example
 * const profile = parseWasmCompileTrace(stdout, files.buildIdentity);
 */
export function parseWasmCompileTrace(text: string, buildIdentity: string): StartProfile | undefined {
  const modules = new Map<string, { baseline: Set<number>; optimized: Map<number, number> }>();
  for (const match of text.matchAll(/^Compiled function (\S+)#(\d+) using (Liftoff|TurboFan)\b(.*)$/gm)) {
    const [, module, index, tier, rest] = match;
    const bodySize = /\bbodysize (\d+)/.exec(rest!)?.[1];
    let entry = modules.get(module!);
    if (!entry) modules.set(module!, (entry = { baseline: new Set(), optimized: new Map() }));
    if (tier === "Liftoff") entry.baseline.add(Number(index));
    else entry.optimized.set(Number(index), Number(bodySize ?? 0));
  }
  const main = [...modules.values()].sort((a, b) => b.baseline.size + b.optimized.size - (a.baseline.size + a.optimized.size))[0];
  if (!main || main.baseline.size === 0) return undefined;
  return {
    buildIdentity,
    baseline: [...main.baseline].sort((a, b) => a - b),
    optimized: [...main.optimized].sort((a, b) => b[1] - a[1]).map(([index]) => index),
  };
}

/**
 * The stored form of a profile.
 *
 * @example
 * await host.startProfiles.write(startProfileName(profile.buildIdentity), encodeStartProfile(profile));
 */
export function encodeStartProfile(profile: StartProfile): Uint8Array {
  return new TextEncoder().encode(JSON.stringify({ format: profileFormat, ...profile }));
}

/**
 * A stored profile, when it is one for `buildIdentity` (anything else, damaged or not, is
 * undefined: a missing profile only means a slower start).
 *
 * @example
 * const profile = decodeStartProfile(bytes, files.buildIdentity);
 */
export function decodeStartProfile(bytes: Uint8Array, buildIdentity: string): StartProfile | undefined {
  try {
    const value = JSON.parse(new TextDecoder().decode(bytes)) as Partial<StartProfile> & { format?: number };
    const indices = (list: unknown) => Array.isArray(list) && list.every((index) => Number.isInteger(index) && index >= 0);
    if (value.format !== profileFormat || value.buildIdentity !== buildIdentity) return undefined;
    if (!indices(value.baseline) || !indices(value.optimized)) return undefined;
    return { buildIdentity, baseline: value.baseline!, optimized: value.optimized! };
  } catch {
    return undefined;
  }
}

/**
 * The compilation hint for each function under a profile: the functions a warm start runs are
 * compiled at once with Liftoff, and those it tiers up are also optimized (TurboFan) at once, in
 * the background: a warm start tiers CPython's interpreter loop up within its first milliseconds
 * of Python, and its ~100 ms of TurboFan work would otherwise still be running when a short
 * program ends, and the process waits for it before it can exit. Everything else stays lazy, as
 * without a profile.
 *
 * @example
 * const hinted = withCompilationHints(bytes, compilationHintsFor(profile));
 */
export function compilationHintsFor(profile: StartProfile): (functionIndex: number) => number {
  const baseline = new Set(profile.baseline);
  const optimized = new Set(profile.optimized);
  const lazy = hintByte({ strategy: hintStrategy.lazy });
  const eager = hintByte({ strategy: hintStrategy.eager, baselineTier: hintTier.baseline });
  const eagerOptimized = hintByte({ strategy: hintStrategy.eager, baselineTier: hintTier.baseline, topTier: hintTier.optimized });
  return (index) => (optimized.has(index) ? eagerOptimized : baseline.has(index) ? eager : lazy);
}

/**
 * The compilation hint for each function when the module is compiled once to be kept (see the
 * platform's wasm code cache): every function a warm start runs is optimized (TurboFan) at once,
 * since V8 keeps only optimized code of a module it serializes; everything else stays lazy.
 *
 * @example
 * const hinted = withCompilationHints(bytes, optimizedCompilationHintsFor(profile));
 */
export function optimizedCompilationHintsFor(profile: StartProfile): (functionIndex: number) => number {
  const used = new Set([...profile.baseline, ...profile.optimized]);
  const lazy = hintByte({ strategy: hintStrategy.lazy });
  const optimized = hintByte({ strategy: hintStrategy.eager, baselineTier: hintTier.optimized, topTier: hintTier.optimized });
  return (index) => (used.has(index) ? optimized : lazy);
}

/**
 * A short digest of what a profile names, for the keys of what is built from it.
 *
 * @example
 * startProfileDigest(profile); // "0a1b2c3d4e5f60"
 */
export function startProfileDigest(profile: StartProfile): string {
  return hashString(`${profile.baseline.join(",")}|${profile.optimized.join(",")}`);
}
