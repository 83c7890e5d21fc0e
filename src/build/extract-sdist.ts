import { bytesSource, openTar, openZip, safeEntryPath, type TarEntry } from "../archive/index.js";
import { KilnError } from "../core/index.js";
import type { InstallFileSystem } from "../installer/index.js";

/** Options for {@link extractSdist}. */
export interface ExtractSdistOptions {
  /** The sdist's file name, for messages and to tell `.zip` from `.tar.gz`. */
  filename: string;
  /** An absolute directory to extract into; created when missing. */
  destination: string;
  fs: InstallFileSystem;
}

function invalid(filename: string, why: string): KilnError {
  return new KilnError("invalidSdist", `Cannot use the source distribution "${filename}": ${why}`, {
    hint: "A source distribution is a .tar.gz holding one {name}-{version}/ directory with pyproject.toml or setup.py",
  });
}

/**
 * Extracts an sdist (`.tar.gz` as the sdist spec says, or a legacy `.zip`) and returns the path of
 * its single top-level directory. Paths and links are checked by the archive readers; links are
 * written as copies of what they point to inside the archive (the build only reads them), and
 * links to nothing are left out.
 *
 * @example
 * const projectDir = await extractSdist(bytes, { filename: "tomli-2.2.1.tar.gz", destination: "/tmp/x", fs });
 * // "/tmp/x/tomli-2.2.1"
 */
export async function extractSdist(bytes: Uint8Array, options: ExtractSdistOptions): Promise<string> {
  const entries = /\.zip$/i.test(options.filename) ? await zipEntries(bytes) : (await openTar(bytes, { name: options.filename })).entries;
  const tops = new Set(entries.map((entry) => entry.path.split("/")[0]!));
  if (tops.size !== 1) throw invalid(options.filename, tops.size === 0 ? "it is empty" : `it has ${tops.size} top-level entries, not one directory`);
  const top = [...tops][0]!;
  if (entries.some((entry) => entry.path === top && entry.type !== "directory")) throw invalid(options.filename, `its top-level entry "${top}" is not a directory`);
  const byPath = new Map(entries.map((entry) => [entry.path, entry]));
  const { fs, destination } = options;
  await fs.mkdir(`${destination}/${top}`);
  for (const entry of byPath.values()) {
    const target = `${destination}/${entry.path}`;
    if (entry.type === "directory") {
      await fs.mkdir(target);
      continue;
    }
    const file = entry.type === "symlink" ? followLink(entry, byPath) : entry;
    for (const [path, item] of file ? copiesOf(entry.path, file, byPath) : []) {
      await fs.mkdir(`${destination}/${path}`.replace(/\/[^/]+$/, ""));
      await fs.writeFile(`${destination}/${path}`, item.data, { mode: item.mode & 0o111 ? 0o755 : 0o644 });
    }
  }
  return `${destination}/${top}`;
}

async function zipEntries(bytes: Uint8Array): Promise<TarEntry[]> {
  const archive = await openZip(bytesSource(bytes));
  const entries: TarEntry[] = [];
  for (const entry of archive.entries) {
    const path = safeEntryPath(entry.name);
    if (entry.isDirectory) entries.push({ path, type: "directory", mode: 0o755, data: new Uint8Array() });
    else entries.push({ path, type: "file", mode: (entry.unixMode ?? 0o644) & 0o7777, data: await archive.readEntry(entry) });
  }
  return entries;
}

/** The entry a link leads to (following links to links a few times), or undefined when dangling. */
function followLink(link: TarEntry, byPath: Map<string, TarEntry>): TarEntry | undefined {
  let current: TarEntry | undefined = link;
  for (let hops = 0; current?.type === "symlink" && hops < 16; hops++) {
    const parts = current.path.split("/").slice(0, -1);
    for (const step of current.linkTarget!.split("/")) {
      if (step === "..") parts.pop();
      else if (step !== "" && step !== ".") parts.push(step);
    }
    const path = parts.join("/");
    current = byPath.get(path) ?? (hasChildren(path, byPath) ? { path, type: "directory", mode: 0o755, data: new Uint8Array() } : undefined);
  }
  return current?.type === "symlink" ? undefined : current;
}

function hasChildren(path: string, byPath: Map<string, TarEntry>): boolean {
  for (const key of byPath.keys()) if (key.startsWith(`${path}/`)) return true;
  return false;
}

/** The files to write for `path` when it stands for `source`: one file, or a directory's files. */
function copiesOf(path: string, source: TarEntry, byPath: Map<string, TarEntry>): Array<[string, TarEntry]> {
  if (source.type === "file") return [[path, source]];
  const copies: Array<[string, TarEntry]> = [];
  for (const [key, entry] of byPath) {
    if (entry.type === "file" && key.startsWith(`${source.path}/`)) copies.push([`${path}/${key.slice(source.path.length + 1)}`, entry]);
  }
  return copies;
}
