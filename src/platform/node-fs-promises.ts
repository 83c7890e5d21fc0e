/**
 * The functions of `node:fs/promises` kiln uses, loading that module on the first call. Node 20
 * builds it with `readline`'s interface, the directory and watcher classes (~1 ms of every
 * command that imports it), which a warm `kiln pip install` (synchronous metadata calls and small
 * reads; see node-file-system.ts) never calls: only its cold paths do (large writes, downloads,
 * builds, caches being filled). Same signatures and behaviour as the originals.
 *
 * @example
 * import { readFile } from "./node-fs-promises.js";
 * const text = await readFile("/etc/hostname", "utf8");
 */
import type * as FsPromises from "node:fs/promises";

let loaded: typeof FsPromises | undefined;
const fsPromises = (): typeof FsPromises => (loaded ??= process.getBuiltinModule("node:fs/promises"));

/** Calls `node:fs/promises`'s function `name` with the same arguments (its overloads kept by the cast). */
function lazy<Name extends keyof typeof FsPromises>(name: Name): (typeof FsPromises)[Name] {
  return ((...args: unknown[]) => (fsPromises()[name] as (...args: unknown[]) => unknown)(...args)) as (typeof FsPromises)[Name];
}

export const chmod = lazy("chmod");
export const copyFile = lazy("copyFile");
export const link = lazy("link");
export const mkdir = lazy("mkdir");
export const mkdtemp = lazy("mkdtemp");
export const open = lazy("open");
export const readdir = lazy("readdir");
export const readFile = lazy("readFile");
export const rename = lazy("rename");
export const rm = lazy("rm");
export const stat = lazy("stat");
export const symlink = lazy("symlink");
export const unlink = lazy("unlink");
export const utimes = lazy("utimes");
export const writeFile = lazy("writeFile");
