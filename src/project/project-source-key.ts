import { digestHex } from "../cache/index.js";

/** One entry of a directory listing. */
export interface DirectoryEntry {
  name: string;
  /** What the entry is, symbolic links followed (`other` for sockets, dangling links and the like). */
  kind: "file" | "directory" | "other";
  /** True for a symbolic link (`kind` says what it points to). */
  symlink?: boolean;
}

/** How {@link projectSourceKey} reads the tree. */
export interface SourceTreeReader {
  /** The entries of a directory; empty when it does not exist. */
  listDirectory(path: string): Promise<DirectoryEntry[]>;
  readBytes(path: string): Promise<Uint8Array>;
}

// What a build does not read as its input: version-control data, caches, environments and the
// outputs of earlier builds (setuptools writes build/ and *.egg-info into the tree itself).
const skippedDirectories = new Set([
  ".git", ".hg", ".svn", ".bzr", ".jj", "_darcs", "CVS",
  "__pycache__", ".pytest_cache", ".mypy_cache", ".ruff_cache", ".hypothesis", ".ipynb_checkpoints", ".cache",
  ".tox", ".nox", ".venv", ".eggs",
]);
const skippedTopLevelDirectories = new Set(["build", "dist"]);
const skippedFiles = /(\.py[co]|^\.DS_Store|^\.coverage(\..*)?)$/;

/**
 * Whether a path of the project (relative, `/`-separated) is left out of its source key: VCS
 * directories, caches (`__pycache__`, `.pytest_cache`, tool caches), environments (`.venv`,
 * `.tox`, `.nox`, and any directory holding a `pyvenv.cfg`, checked by the walk), build outputs
 * (top-level `build/` and `dist/`, `*.egg-info`, `.eggs`) and bytecode.
 *
 * @example
 * isSkippedSourcePath("src/pkg/__pycache__", "directory"); // true
 * isSkippedSourcePath("src/build", "directory"); // false: only the top-level build/ is output
 */
export function isSkippedSourcePath(path: string, kind: DirectoryEntry["kind"]): boolean {
  const name = path.slice(path.lastIndexOf("/") + 1);
  if (kind === "directory") return skippedDirectories.has(name) || name.endsWith(".egg-info") || (!path.includes("/") && skippedTopLevelDirectories.has(name));
  return skippedFiles.test(name);
}

/**
 * A SHA-256 over the project's source files (each path with its content's digest, in a fixed
 * order; see {@link isSkippedSourcePath} for what is left out) and `inputs` (the build system,
 * kiln's version, the variables a backend reads): the key of a built wheel, so a wheel is
 * rebuilt when any file the build could read changes and reused otherwise. A file that cannot be
 * read counts by its name alone, as the build could not read it either. A symbolic link to a
 * directory is followed, but not a second one inside it, so a link back up the tree cannot
 * make the walk endless.
 *
 * @example
 * const key = await projectSourceKey(host, "/src/demo", { buildSystem, kiln: "0.1.0" });
 */
export async function projectSourceKey(reader: SourceTreeReader, projectDir: string, inputs: Record<string, unknown>): Promise<string> {
  const lines: string[] = [JSON.stringify(inputs)];
  const walk = async (relative: string, insideLink: boolean): Promise<void> => {
    const entries = await reader.listDirectory(relative ? `${projectDir}/${relative}` : projectDir);
    // A virtual environment, whatever its name, is not the project's source.
    if (relative && entries.some((entry) => entry.name === "pyvenv.cfg" && entry.kind === "file")) return;
    entries.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
    for (const entry of entries) {
      const path = relative ? `${relative}/${entry.name}` : entry.name;
      if (isSkippedSourcePath(path, entry.kind)) continue;
      if (entry.kind === "directory" && !(insideLink && entry.symlink)) await walk(path, insideLink || entry.symlink === true);
      else if (entry.kind === "directory") lines.push(`${path}\t(link not followed)`);
      else if (entry.kind === "file") lines.push(`${path}\t${await fileDigest(reader, `${projectDir}/${path}`)}`);
      else lines.push(`${path}\t-`);
    }
  };
  await walk("", false);
  return digestHex("sha256", new TextEncoder().encode(lines.join("\n")));
}

async function fileDigest(reader: SourceTreeReader, path: string): Promise<string> {
  try {
    return await digestHex("sha256", await reader.readBytes(path));
  } catch {
    return "unreadable";
  }
}
