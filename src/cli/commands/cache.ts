import { rm } from "../../platform/node-fs-promises.js";
import { join } from "node:path";
import { KilnError } from "../../core/index.js";
import { pruneCache, sumPruneResults } from "../../cache/index.js";
import { limitConcurrency, UnpackedWheelCache } from "../../installer/index.js";
import { NodeCacheStore, isKilnCacheDirectory, isPrunableCacheDirectory, kilnCacheFolders } from "../../platform/node.js";
import { commandCacheDir } from "../command-cache-dir.js";
import { cacheUsage } from "../../platform/node-cache-usage.js";
import { nodeFileSystem } from "../../platform/node-file-system.js";
import { pruneRuntimeCaches } from "../../platform/node-prune-runtime-caches.js";
import { defineCommand, jsonOption } from "../command.js";

const cacheDirOption = { name: "cache-dir", type: "string" as const, valueName: "DIR", description: "Use this cache directory (default: KILN_CACHE_DIR, else the platform's)" };

const dirCommand = defineCommand({
  name: "dir",
  summary: "Print the cache directory",
  options: [cacheDirOption],
  run: async (context) => {
    context.output.line(commandCacheDir(context));
    return 0;
  },
});

const cleanCommand = defineCommand({
  name: "clean",
  summary: "Delete the whole cache (index pages, wheels, metadata, bytecode, runtime snapshots)",
  options: [cacheDirOption, jsonOption],
  run: async (context) => {
    const root = commandCacheDir(context);
    if (!(await isKilnCacheDirectory(root))) {
      throw new KilnError("cacheIo", `Cannot clean ${root}: it is not a kiln cache (no kiln CACHEDIR.TAG in it)`, {
        hint: "Check KILN_CACHE_DIR / --cache-dir; kiln only deletes directories it created",
      });
    }
    const entries = await new NodeCacheStore(root).list("");
    const bytes = entries.reduce((sum, e) => sum + e.size, 0);
    await rm(root, { recursive: true, force: true });
    if (context.arguments.options.json) context.output.json({ directory: root, removedFiles: entries.length, removedBytes: bytes });
    else context.output.line(`Removed ${entries.length} files (${formatBytes(bytes)}) from ${root}`);
    return 0;
  },
});

const pruneCommand = defineCommand({
  name: "prune",
  summary: "Remove unused, expired and damaged cache entries",
  description:
    "Removes index cache entries, unpacked wheels, compiled modules (bytecode/) and extension modules' compiled code\n" +
    "(side-module-code/) unused for --max-age days, byte-compiled\n" +
    "standard libraries, start profiles, patched glue, link layouts, memory snapshots and runtime descriptions of runtime\n" +
    "builds no longer in use (and unused for --max-age days), damaged entries and temporary files left by interrupted runs.\n" +
    "Environments keep what they installed from a removed unpacked wheel (hard links are independent of the cache).",
  options: [cacheDirOption, { name: "max-age", type: "string", valueName: "DAYS", description: "Remove entries unused for this many days (default 30)" }, jsonOption],
  run: async (context) => {
    const root = commandCacheDir(context);
    const days = parseDays(context.arguments.options["max-age"]);
    // Prune deletes files by name and age under the root: never in a directory that is not kiln's.
    if (!(await isPrunableCacheDirectory(root))) {
      throw new KilnError("cacheIo", `Cannot prune ${root}: it is not a kiln cache (it holds files or folders kiln does not write)`, {
        hint: "Check KILN_CACHE_DIR / --cache-dir; kiln only deletes in directories it created",
      });
    }
    const maxAgeMs = days * 86_400_000;
    const store = new NodeCacheStore(root);
    const index = await pruneCache(store, { maxAgeMs });
    const temporary = await store.removeStaleTemporaryFiles(3_600_000);
    const unpacked = await new UnpackedWheelCache({ fs: nodeFileSystem(), root: join(root, kilnCacheFolders.unpackedWheels) }).prune({ maxAgeMs, limit: limitConcurrency(16) });
    const runtime = await pruneRuntimeCaches(root, { maxAgeMs });
    const result = sumPruneResults([index, { removedFiles: temporary.files, removedBytes: temporary.bytes, keptFiles: 0, keptBytes: 0 }, unpacked, runtime]);
    const unpackedWheels = { removed: unpacked.removedEntries, kept: unpacked.keptEntries };
    if (context.arguments.options.json) context.output.json({ directory: root, ...result, unpackedWheels, ...runtime.folders });
    else {
      context.output.line(`Removed ${result.removedFiles} files (${formatBytes(result.removedBytes)}) from ${root}, including ${plural(unpackedWheels.removed, "unpacked wheel")}`);
      context.output.line(`Kept ${result.keptFiles} files (${formatBytes(result.keptBytes)}), including ${plural(unpackedWheels.kept, "unpacked wheel")}`);
    }
    return 0;
  },
});

const infoCommand = defineCommand({
  name: "info",
  summary: "Show how much space each part of the cache takes",
  options: [cacheDirOption, jsonOption],
  run: async (context) => {
    const root = commandCacheDir(context);
    const folders = cacheUsage(root);
    const total = { files: folders.reduce((sum, f) => sum + f.files, 0), bytes: folders.reduce((sum, f) => sum + f.bytes, 0) };
    if (context.arguments.options.json) {
      context.output.json({ directory: root, folders, ...total });
      return 0;
    }
    context.output.line(`Cache directory: ${root}`);
    const width = Math.max(5, ...folders.map((f) => f.name.length));
    for (const folder of folders) {
      context.output.line(`  ${folder.name.padEnd(width)}  ${formatBytes(folder.bytes).padStart(10)}  ${plural(folder.files, "file").padStart(12)}${folder.description ? `  ${folder.description}` : ""}`);
    }
    context.output.line(`  ${"total".padEnd(width)}  ${formatBytes(total.bytes).padStart(10)}  ${plural(total.files, "file").padStart(12)}`);
    return 0;
  },
});

/** `kiln cache dir | info | clean | prune`. */
export const cacheCommand = defineCommand({
  name: "cache",
  summary: "Show, measure, clean or prune kiln's cache",
  options: [],
  subcommands: [dirCommand, infoCommand, cleanCommand, pruneCommand],
});

function parseDays(value: unknown): number {
  if (value === undefined) return 30;
  if (typeof value !== "string" || !/^\d+(\.\d+)?$/.test(value)) {
    throw new KilnError("usage", `--max-age takes a number of days, not "${String(value)}"`);
  }
  return Number(value);
}

function plural(count: number, noun: string): string {
  return `${count} ${noun}${count === 1 ? "" : "s"}`;
}

function formatBytes(bytes: number): string {
  if (bytes < 1024) return `${bytes} B`;
  const units = ["KiB", "MiB", "GiB", "TiB"];
  let value = bytes / 1024;
  let unit = 0;
  while (value >= 1024 && unit < units.length - 1) {
    value /= 1024;
    unit++;
  }
  return `${value.toFixed(1)} ${units[unit]}`;
}
