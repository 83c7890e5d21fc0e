import type { FileStat, InstallFileSystem, LockOwner, WriteFileOptions } from "./install-file-system.js";
import { baseName, joinPath, parentPath } from "./paths.js";

type Node = ({ kind: "file"; data: Uint8Array; mode: number } | { kind: "directory"; mode: number }) & { modifiedMs?: number };

/** Options for {@link memoryFileSystem}. */
export interface MemoryFileSystemOptions {
  /** Total bytes of file content allowed; a write beyond fails with `ENOSPC`. */
  capacity?: number;
  /** The lock owner this file system reports as itself. */
  owner?: LockOwner;
  /** Make every `link` fail with this code (`EXDEV`, …), as across devices. */
  linkError?: string;
  /** Owners considered alive; default: only `owner`. */
  isAlive?: (owner: LockOwner) => boolean | undefined;
  /** The clock for modification times; default `Date.now`. */
  now?: () => number;
}

/** An in-memory {@link InstallFileSystem}, with a way to look inside. */
export interface MemoryFileSystem extends InstallFileSystem {
  /** Every file path and its content, sorted by path. */
  snapshot(): Map<string, Uint8Array>;
  /** An independent copy, directories and modes included. */
  clone(): MemoryFileSystem;
}

function fail(code: string, message: string): never {
  throw Object.assign(new Error(`${code}: ${message}`), { code });
}

/**
 * An {@link InstallFileSystem} held in memory, with POSIX semantics (parents must exist, renames
 * replace files, non-empty directories are not removed): for dry runs and tests, and a model for
 * a browser implementation.
 *
 * @example
 * const fs = memoryFileSystem({ capacity: 1_000_000 });
 * await fs.mkdir("/env/bin");
 */
export function memoryFileSystem(options: MemoryFileSystemOptions = {}): MemoryFileSystem {
  return createMemoryFileSystem(options, new Map([["/", { kind: "directory", mode: 0o755 }]]));
}

function createMemoryFileSystem(options: MemoryFileSystemOptions, nodes: Map<string, Node>): MemoryFileSystem {
  const owner = options.owner ?? { pid: 1, hostname: "memory" };
  const now = options.now ?? Date.now;
  let used = [...nodes.values()].reduce((sum, node) => sum + (node.kind === "file" ? node.data.length : 0), 0);
  const directory = (path: string) => {
    const node = nodes.get(path);
    if (node === undefined) fail("ENOENT", path);
    if (node.kind !== "directory") fail("ENOTDIR", path);
  };
  const linkedElsewhere = (node: Node, except?: string) => [...nodes].some(([path, other]) => other === node && path !== except);
  const children = (path: string) => [...nodes.keys()].filter((key) => key !== path && parentPath(key) === path);
  const fs: MemoryFileSystem = {
    async readFile(path) {
      const node = nodes.get(joinPath(path));
      if (node === undefined) fail("ENOENT", path);
      if (node.kind !== "file") fail("EISDIR", path);
      return node.data.slice();
    },
    async writeFile(path, data, writeOptions: WriteFileOptions = {}) {
      const target = joinPath(path);
      directory(parentPath(target));
      const existing = nodes.get(target);
      if (existing?.kind === "directory") fail("EISDIR", path);
      if (existing && writeOptions.exclusive) fail("EEXIST", path);
      const freed = existing?.kind === "file" ? existing.data.length : 0;
      if (options.capacity !== undefined && used - freed + data.length > options.capacity) fail("ENOSPC", path);
      used += data.length - freed;
      // Writing an existing file writes through to its inode, hard links included, as POSIX does.
      if (existing?.kind === "file") Object.assign(existing, { data: data.slice(), mode: writeOptions.mode ?? 0o644, modifiedMs: now() });
      else nodes.set(target, { kind: "file", data: data.slice(), mode: writeOptions.mode ?? 0o644, modifiedMs: now() });
    },
    async link(from, to) {
      const node = nodes.get(joinPath(from));
      if (node === undefined) fail("ENOENT", from);
      if (node.kind !== "file") fail("EPERM", from);
      directory(parentPath(joinPath(to)));
      if (nodes.has(joinPath(to))) fail("EEXIST", to);
      if (options.linkError) fail(options.linkError, to);
      // The same node object under two paths: one "inode", as a hard link is.
      nodes.set(joinPath(to), node);
    },
    async copyFile(from, to) {
      const node = nodes.get(joinPath(from));
      if (node === undefined) fail("ENOENT", from);
      if (node.kind !== "file") fail("EISDIR", from);
      await fs.writeFile(to, node.data, { mode: node.mode, exclusive: true });
    },
    async mkdir(path) {
      const target = joinPath(path);
      const node = nodes.get(target);
      if (node?.kind === "directory") return;
      if (node) fail("EEXIST", path);
      await fs.mkdir(parentPath(target));
      nodes.set(target, { kind: "directory", mode: 0o755, modifiedMs: now() });
    },
    async rename(from, to) {
      const source = joinPath(from);
      const target = joinPath(to);
      const node = nodes.get(source);
      if (node === undefined) fail("ENOENT", from);
      directory(parentPath(target));
      if (source === target) return;
      const existing = nodes.get(target);
      if (existing?.kind === "directory" && (node.kind !== "directory" || children(target).length > 0)) fail("ENOTEMPTY", to);
      if (existing?.kind === "file" && node.kind === "directory") fail("ENOTDIR", to);
      if (existing?.kind === "file" && !linkedElsewhere(existing, target)) used -= existing.data.length;
      for (const key of [...nodes.keys()]) {
        if (key === source || key.startsWith(`${source}/`)) {
          const moved = nodes.get(key)!;
          nodes.delete(key);
          nodes.set(target + key.slice(source.length), moved);
        }
      }
    },
    async remove(path, removeOptions = {}) {
      const target = joinPath(path);
      const node = nodes.get(target);
      if (node === undefined) return;
      if (node.kind === "directory" && !removeOptions.recursive && children(target).length > 0) fail("ENOTEMPTY", path);
      for (const key of [...nodes.keys()]) {
        if (key === target || key.startsWith(`${target}/`)) {
          const removed = nodes.get(key)!;
          nodes.delete(key);
          if (removed.kind === "file" && !linkedElsewhere(removed)) used -= removed.data.length;
        }
      }
    },
    async list(path) {
      const target = joinPath(path);
      directory(target);
      return children(target).map(baseName);
    },
    async stat(path): Promise<FileStat | undefined> {
      const node = nodes.get(joinPath(path));
      if (node === undefined) return undefined;
      return { kind: node.kind, size: node.kind === "file" ? node.data.length : 0, mode: node.mode, ...(node.modifiedMs === undefined ? {} : { modifiedMs: node.modifiedMs }) };
    },
    async setModified(path, timeMs) {
      const node = nodes.get(joinPath(path));
      if (node === undefined) fail("ENOENT", path);
      node.modifiedMs = timeMs;
    },
    async exists(path) {
      return nodes.has(joinPath(path));
    },
    lockOwner: () => owner,
    isAlive: (other) => (options.isAlive ? options.isAlive(other) : other.pid === owner.pid && other.hostname === owner.hostname),
    snapshot() {
      const files = [...nodes].filter(([, node]) => node.kind === "file").sort(([a], [b]) => (a < b ? -1 : 1));
      return new Map(files.map(([path, node]) => [path, (node as { data: Uint8Array }).data]));
    },
    clone: () => createMemoryFileSystem(options, new Map([...nodes].map(([path, node]) => [path, node.kind === "file" ? { ...node, data: node.data.slice() } : { ...node }]))),
  };
  return fs;
}
