import { KilnError, randomName } from "../core/index.js";
import { installStateDirectory } from "./environment-lock.js";
import { mapWithLimit, type ConcurrencyLimit } from "./concurrency-limit.js";
import { errorCode, type InstallFileSystem } from "./install-file-system.js";
import { shouldCopyInstead } from "./link-mode.js";
import { refuseLinkedOutside } from "./linked-outside.js";
import { isInside, joinPath, parentPath } from "./paths.js";

/**
 * One change to the environment: install a staged file at `target` (backing up what was there),
 * or remove `target` (backing it up). Targets are unique within a transaction.
 */
interface Operation {
  target: string;
  install: boolean;
  /** A whole directory tree staged under `new/<n>`, for a directory the environment lacks. */
  directory?: boolean;
}

/** A directory the environment lacks, staged as a whole and moved in with one rename. */
interface DirectoryUnit {
  target: string;
  staging: string;
}

/** A file to stage from an existing one (see {@link Transaction.stageLinks}). */
export interface StagedLink {
  target: string;
  source: string;
}

/** The journal, written before the first change to the environment. */
interface Plan {
  version: 1;
  operations: Operation[];
  /** Directories the commit creates, parents first; a rollback removes them again. */
  createdDirectories: string[];
  /** Directories that may be empty after the commit; removed if so, never above `roots`. */
  cleanupDirectories: string[];
  roots: string[];
}

const encoder = new TextEncoder();

/**
 * A set of file changes to an environment that is applied as a whole or not at all.
 *
 * How: files are first written (and verified by the caller) under
 * `<prefix>/.kiln-install/tx-<id>/new/<n>`, on the same file system as their targets, so moving
 * them in is an atomic rename. A file whose directory the environment lacks goes into a staged
 * copy of the topmost missing directory instead (`new/<n>/a/b.py` for `<root>/pkg/a/b.py`), and
 * that whole tree is one operation: a fresh install moves each new package directory in with one
 * rename, not one per file. Staging calls may run concurrently. `commit` writes the journal `plan.json`, then for each
 * operation renames the old file to `old/<n>` and the new one into place, then writes the marker
 * `committed`, then deletes the backups. The journal and the marker are each written under a
 * temporary name and renamed, so a reader finds them whole or not at all, and in that order. An interrupted transaction is repaired by
 * {@link recoverTransactions}, which every write operation runs first under the install lock:
 * without `plan.json` nothing was changed and the staging directory is deleted; with `plan.json`
 * but no `committed` marker it is rolled BACK (each step is undone by looking at which of
 * `new/<n>`, `old/<n>` still exist, so recovery itself can be interrupted and re-run); with the
 * marker it is finished. Rolling back rather than forward means a failure at any point before the
 * marker — a bad hash, a full disk, a kill — leaves the environment as it was.
 *
 * Nothing is fsynced. What a killed process leaves is in the kernel's page cache, which the next
 * process reads, so the order of the renames is what recovery needs; fsyncing the journal and the
 * marker (two of the installation's thousands of file operations) would not make the staged
 * files themselves survive a power loss either, and neither pip nor uv syncs an installation.
 *
 * @example
 * const transaction = await Transaction.begin(fs, scheme.prefix, [scheme.purelib]);
 * await transaction.stageFile("/env/lib/python3.14/site-packages/x.py", bytes, 0o644);
 * await transaction.commit();
 */
export class Transaction {
  readonly #fs: InstallFileSystem;
  readonly #directory: string;
  readonly #roots: string[];
  readonly #operations = new Map<string, Operation & { index: number }>();
  readonly #cleanup = new Set<string>();
  /** Every file target staged, in a directory unit or not: two files for one path conflict. */
  readonly #staged = new Set<string>();
  /** Every directory a staged file lies in: a file staged at one of them conflicts. */
  readonly #stagedDirectories = new Set<string>();
  /** Directory → the unit it lies in (undefined: it exists in the environment), memoized. */
  readonly #units = new Map<string, Promise<DirectoryUnit | undefined>>();
  /** Directories created inside units' staging trees. */
  readonly #stagingDirectories = new Map<string, Promise<void>>();
  /** The first staged file of each shared content (see {@link stageSharedFile}), by bytes and mode. */
  readonly #shared = new Map<Uint8Array, Map<number, Promise<string>>>();
  #nextIndex = 0;
  #finished = false;

  private constructor(fs: InstallFileSystem, directory: string, roots: string[]) {
    this.#fs = fs;
    this.#directory = directory;
    this.#roots = roots.map((root) => joinPath(root));
  }

  /** Creates the staging directory. `roots` bound the empty-directory cleanup after removals. */
  static async begin(fs: InstallFileSystem, prefix: string, roots: string[]): Promise<Transaction> {
    const directory = joinPath(prefix, installStateDirectory, `tx-${Date.now().toString(36)}-${randomName(8)}`);
    // `old/` is made by the first backup: a fresh install replaces nothing, and every directory
    // made and deleted again costs the file system an inode (see applyOperation).
    await fs.mkdir(joinPath(directory, "new"));
    return new Transaction(fs, directory, roots);
  }

  /** True when `target` is already installed or removed by this transaction. */
  has(target: string): boolean {
    const key = joinPath(target);
    return this.#staged.has(key) || this.#operations.has(key);
  }

  /** Writes `data` to staging, to be moved to `target` on commit. */
  async stageFile(target: string, data: Uint8Array, mode: number): Promise<void> {
    await this.#fs.writeFile(await this.#stagingPathFor(target), data, { mode });
  }

  /**
   * Stages `data` for `target` as {@link stageFile} does, but as a hard link to the file staged
   * first with the same bytes (the same array) and mode, where the file system allows: every
   * `.dist-info` of an installation gets the same INSTALLER (and REQUESTED), and a link creates
   * no new inode, which costs a file system far more than a directory entry. The files share one
   * inode within this environment only; a link that fails for a reason a copy avoids is written.
   */
  async stageSharedFile(target: string, data: Uint8Array, mode: number): Promise<void> {
    const path = await this.#stagingPathFor(target);
    let byMode = this.#shared.get(data);
    if (byMode === undefined) this.#shared.set(data, (byMode = new Map()));
    const first = byMode.get(mode);
    if (first === undefined) {
      const written = this.#fs.writeFile(path, data, { mode }).then(() => path);
      byMode.set(mode, written);
      await written;
      return;
    }
    try {
      await this.#fs.link(await first, path);
    } catch (error) {
      if (!shouldCopyInstead(error)) throw error;
      await this.#fs.writeFile(path, data, { mode });
    }
  }

  /**
   * Stages existing files for their targets without reading them, as hard links when `hardlink`
   * is true and the file system allows them, else as copies: the targets are claimed together, their staging
   * directories made once each, and the links made in one batch where the file system has
   * `linkMany`, so a wheel's thousands of files cost no promise each. Once a hard link fails for
   * a reason a copy avoids, this file and the rest are copied. Returns whether every file linked.
   */
  async stageLinks(links: readonly StagedLink[], options: { hardlink: boolean; limit: ConcurrencyLimit }): Promise<boolean> {
    const paths = await this.#stagingPathsFor(links.map((link) => link.target));
    const pairs = links.map((link, index) => [link.source, paths[index]!] as const);
    let copyFrom = 0;
    if (options.hardlink && this.#fs.linkMany) {
      const { linked, error } = await this.#fs.linkMany(pairs);
      if (error === undefined) return true;
      if (!shouldCopyInstead(error)) throw error;
      copyFrom = linked;
    } else if (options.hardlink) {
      let allLinked = true;
      await mapWithLimit(pairs, options.limit, async ([from, to]) => {
        if (allLinked) {
          try {
            return await this.#fs.link(from, to);
          } catch (error) {
            if (!shouldCopyInstead(error)) throw error;
            allLinked = false;
          }
        }
        await this.#fs.copyFile(from, to);
      });
      return allLinked;
    }
    await mapWithLimit(pairs.slice(copyFrom), options.limit, ([from, to]) => this.#fs.copyFile(from, to));
    return false;
  }

  /** Marks `target` for removal on commit (a staged file for the same target wins). */
  removeFile(target: string): void {
    const key = joinPath(target);
    this.#cleanup.add(parentPath(key));
    if (!this.#staged.has(key) && !this.#operations.has(key)) this.#operations.set(key, { target: key, install: false, index: this.#nextIndex++ });
  }

  /** Claims `target` (synchronously, so concurrent calls see each other) and returns where to stage it. */
  async #stagingPathFor(target: string): Promise<string> {
    return (await this.#stagingPathsFor([target]))[0]!;
  }

  /**
   * Claims every target (synchronously, so concurrent calls see each other; two claims of one
   * path conflict) and returns where to stage each: inside the staged tree of the directory unit
   * it lies in (whose directories are made here), else `new/<n>` of its own operation.
   */
  async #stagingPathsFor(targets: readonly string[]): Promise<string[]> {
    const keys = targets.map((target) => joinPath(target));
    // Each key's parent, as an index into `parents`: a wheel's files come sorted, so a key shares
    // its parent with the key before it far more often than not, and that parent string is then
    // reused as it is (no slice to allocate, hash and look up again per file).
    const parents: string[] = [];
    const parentOf = new Uint32Array(keys.length);
    for (let index = 0; index < keys.length; index++) {
      const key = keys[index]!;
      if (this.#staged.has(key)) throw new KilnError("installConflict", `Cannot install "${key}": another file of this installation goes there too`);
      if (this.#stagedDirectories.has(key)) throw fileAndDirectory(key);
      this.#staged.add(key);
      const previous = parents.at(-1);
      const parent = previous !== undefined && key.length > previous.length && key.startsWith(previous) && key.lastIndexOf("/") === previous.length ? previous : parentOfNormal(key);
      if (parent !== previous) parents.push(parent);
      parentOf[index] = parents.length - 1;
      // Ancestors are claimed as directories, stopping at the first one already claimed (its own
      // ancestors were then checked), so a wheel's thousands of files cost about one step each.
      for (let directory = parent; directory !== "/" && !this.#stagedDirectories.has(directory); directory = parentOfNormal(directory)) {
        if (this.#staged.has(directory)) throw fileAndDirectory(directory);
        this.#stagedDirectories.add(directory);
      }
    }
    // Where each parent's files are staged: inside the staged tree of the unit it lies in (made
    // here, once per directory), or nowhere (undefined) when the directory exists in the
    // environment and each file is an operation of its own. Keys are normal absolute paths, so
    // parents and staging paths are slices and concatenations.
    const units = await Promise.all(parents.map((parent) => this.#unitOf(parent)));
    const stagingDirectories = parents.map((parent, index): string | undefined => {
      const unit = units[index];
      if (unit === undefined) return undefined;
      return parent === unit.target ? unit.staging : `${unit.staging}/${parent.slice(unit.target.length + 1)}`;
    });
    const paths = keys.map((key, index) => {
      const stagingDirectory = stagingDirectories[parentOf[index]!];
      if (stagingDirectory !== undefined) return `${stagingDirectory}/${key.slice(key.lastIndexOf("/") + 1)}`;
      const existing = this.#operations.get(key);
      const operationIndex = existing?.index ?? this.#nextIndex++;
      this.#operations.set(key, { target: key, install: true, index: operationIndex });
      return joinPath(this.#directory, "new", String(operationIndex));
    });
    for (const directory of new Set(stagingDirectories)) if (directory !== undefined) await this.#stagingDirectory(directory);
    return paths;
  }

  /** The unit `directory` lies in, or undefined when it exists (or is a root or outside them). */
  #unitOf(directory: string): Promise<DirectoryUnit | undefined> {
    let unit = this.#units.get(directory);
    if (unit === undefined) {
      unit = (async () => {
        if (!this.#roots.some((root) => root !== directory && isInside(root, directory))) return undefined;
        // Parent first: inside a directory the environment lacks, this one is missing too, so only
        // the topmost missing directory of each new tree is looked up, not every directory in it.
        const outer = await this.#unitOf(parentPath(directory));
        if (outer !== undefined) return outer;
        const existing = await this.#fs.stat(directory);
        if (existing?.kind === "file") throw fileAndDirectory(directory, "the environment has a file there");
        if (existing !== undefined) return undefined;
        const index = this.#nextIndex++;
        this.#operations.set(directory, { target: directory, install: true, directory: true, index });
        const staging = joinPath(this.#directory, "new", String(index));
        this.#stagingDirectories.set(staging, this.#fs.mkdir(staging));
        return { target: directory, staging };
      })();
      this.#units.set(directory, unit);
    }
    return unit;
  }

  /** Creates a directory inside a unit's staging tree once, however many files go there. */
  #stagingDirectory(path: string): Promise<void> {
    let created = this.#stagingDirectories.get(path);
    if (created === undefined) {
      created = this.#fs.mkdir(path);
      this.#stagingDirectories.set(path, created);
    }
    return created;
  }

  /** Applies every operation, or none: on failure the environment is rolled back and the error rethrown. */
  async commit(): Promise<void> {
    this.#assertOpen();
    const operations = [...this.#operations.values()]
      .sort((a, b) => a.index - b.index)
      .map(({ target, install, directory }): Operation => (directory ? { target, install, directory } : { target, install }));
    // Nothing has touched the environment yet: refuse before the journal is written.
    await refuseLinkedOutside(this.#fs, parentPath(parentPath(this.#directory)), operations);
    const plan: Plan = {
      version: 1,
      operations,
      createdDirectories: await this.#missingDirectories(operations),
      cleanupDirectories: [...this.#cleanup],
      roots: this.#roots,
    };
    await writeWhole(this.#fs, joinPath(this.#directory, "plan.json"), encoder.encode(JSON.stringify(plan)));
    try {
      for (const directory of plan.createdDirectories) await this.#fs.mkdir(directory);
      const backups = { made: false };
      for (const [index, operation] of operations.entries()) await applyOperation(this.#fs, this.#directory, index, operation, backups);
      await writeWhole(this.#fs, joinPath(this.#directory, "committed"), new Uint8Array());
    } catch (error) {
      this.#finished = true;
      await rollBack(this.#fs, this.#directory, plan);
      throw error;
    }
    this.#finished = true;
    await finish(this.#fs, this.#directory, plan);
  }

  /** Discards everything staged; the environment was never touched. */
  async abort(): Promise<void> {
    if (this.#finished) return;
    this.#finished = true;
    await this.#fs.remove(this.#directory, { recursive: true });
  }

  #assertOpen(): void {
    if (this.#finished) throw new TypeError("The transaction is already committed or aborted");
  }

  async #missingDirectories(operations: Operation[]): Promise<string[]> {
    const missing = new Set<string>();
    const known = new Set<string>();
    for (const { target, install } of operations) {
      if (!install) continue;
      const chain: string[] = [];
      for (let directory = parentPath(target); directory !== "/" && !known.has(directory); directory = parentPath(directory)) {
        const stat = await this.#fs.stat(directory);
        known.add(directory);
        if (stat !== undefined) break;
        chain.push(directory);
      }
      for (const directory of chain.reverse()) missing.add(directory);
    }
    return [...missing].sort((a, b) => a.split("/").length - b.split("/").length);
  }
}

/** The error for a path that an installation needs both as a file and as a directory. */
function fileAndDirectory(path: string, why = "one file of this installation goes there and others below it"): KilnError {
  return new KilnError("installConflict", `Cannot install "${path}": it would be both a file and a directory (${why})`, {
    hint: "A wheel (or two wheels installed together) may not put a file where another needs a directory; the wheel is damaged or conflicts with what is installed",
  });
}

/** The parent of a normal absolute path (as joinPath returns), without normalizing it again. */
function parentOfNormal(path: string): string {
  const slash = path.lastIndexOf("/");
  return slash <= 0 ? "/" : path.slice(0, slash);
}

/** Writes a file that readers see whole or not at all: under a temporary name, then renamed. */
async function writeWhole(fs: InstallFileSystem, path: string, data: Uint8Array): Promise<void> {
  await fs.writeFile(`${path}.tmp`, data);
  await fs.rename(`${path}.tmp`, path);
}

/** `backups.made`: whether `old/` was made (by the first backup of the commit). */
async function applyOperation(fs: InstallFileSystem, directory: string, index: number, operation: Operation, backups: { made: boolean }): Promise<void> {
  const staged = joinPath(directory, "new", String(index));
  const backup = joinPath(directory, "old", String(index));
  const existing = await fs.stat(operation.target);
  if (operation.directory && existing !== undefined) {
    throw new KilnError("installConflict", `Cannot install "${operation.target}": it appeared while the installation was being prepared`, {
      hint: "Another program changed the environment; run the installation again",
    });
  }
  if (existing?.kind === "directory") {
    throw new KilnError("installConflict", `Cannot install "${operation.target}": a directory is in the way`, {
      hint: "Remove the directory, or uninstall the distribution that created it",
    });
  }
  if (existing !== undefined) {
    if (!backups.made) await fs.mkdir(parentPath(backup));
    backups.made = true;
    await fs.rename(operation.target, backup);
  }
  if (operation.install) await fs.rename(staged, operation.target);
}

/** Undoes whatever part of a plan was applied; safe to run again if interrupted. */
async function rollBack(fs: InstallFileSystem, directory: string, plan: Plan): Promise<void> {
  for (let index = plan.operations.length - 1; index >= 0; index--) {
    const operation = plan.operations[index]!;
    const staged = joinPath(directory, "new", String(index));
    const backup = joinPath(directory, "old", String(index));
    if (operation.install && !(await fs.exists(staged)) && (await fs.exists(operation.target))) {
      await fs.rename(operation.target, staged);
    }
    if (await fs.exists(backup)) {
      await fs.mkdir(parentPath(operation.target));
      await fs.rename(backup, operation.target);
    }
  }
  for (const created of [...plan.createdDirectories].reverse()) await removeIfEmpty(fs, created);
  await fs.remove(directory, { recursive: true });
}

/** Completes a committed plan: drops backups and directories left empty by removals. */
async function finish(fs: InstallFileSystem, directory: string, plan: Plan): Promise<void> {
  await fs.remove(joinPath(directory, "old"), { recursive: true });
  for (const start of plan.cleanupDirectories) {
    // Walk up while strictly inside a root: site-packages or bin must survive their last package.
    const removable = (path: string) => plan.roots.some((root) => isInside(root, path)) && !plan.roots.includes(path);
    for (let current = start; removable(current); current = parentPath(current)) {
      if (!(await removeIfEmpty(fs, current))) break;
    }
  }
  await fs.remove(directory, { recursive: true });
}

async function removeIfEmpty(fs: InstallFileSystem, path: string): Promise<boolean> {
  try {
    const stat = await fs.stat(path);
    if (stat?.kind !== "directory" || (await fs.list(path)).length > 0) return stat === undefined;
    await fs.remove(path);
    return true;
  } catch (error) {
    if (errorCode(error) === "ENOTEMPTY" || errorCode(error) === "EEXIST") return false;
    throw error;
  }
}

/**
 * Whether `prefix` has a transaction directory, finished or not: what {@link recoverTransactions}
 * would look at. Needs no lock (it only lists a directory).
 *
 * @example
 * if (await hasTransactions(fs, prefix)) await withEnvironmentLock(prefix, fs, {}, () => recoverTransactions(fs, prefix));
 */
export async function hasTransactions(fs: InstallFileSystem, prefix: string): Promise<boolean> {
  const state = joinPath(prefix, installStateDirectory);
  if ((await fs.stat(state))?.kind !== "directory") return false;
  return (await fs.list(state)).some((entry) => entry.startsWith("tx-"));
}

/**
 * Repairs every interrupted transaction under `prefix` (see {@link Transaction}); call it while
 * holding the install lock. Returns how many were rolled back and finished.
 *
 * @example
 * await withEnvironmentLock(prefix, fs, {}, () => recoverTransactions(fs, prefix));
 */
export async function recoverTransactions(fs: InstallFileSystem, prefix: string): Promise<{ rolledBack: number; finished: number; discarded: number }> {
  const state = joinPath(prefix, installStateDirectory);
  const result = { rolledBack: 0, finished: 0, discarded: 0 };
  if (!(await fs.exists(state))) return result;
  for (const name of (await fs.list(state)).filter((entry) => entry.startsWith("tx-")).sort()) {
    const directory = joinPath(state, name);
    const planPath = joinPath(directory, "plan.json");
    if (!(await fs.exists(planPath))) {
      await fs.remove(directory, { recursive: true });
      result.discarded++;
      continue;
    }
    const unrecoverable = (why: string, cause?: unknown) =>
      new KilnError("installFailed", `Cannot recover the interrupted installation in "${directory}": ${why}`, {
        hint: "Inspect that directory by hand, then delete it",
        ...(cause === undefined ? {} : { cause }),
      });
    let plan: Plan;
    try {
      plan = JSON.parse(new TextDecoder().decode(await fs.readFile(planPath))) as Plan;
    } catch (error) {
      throw unrecoverable("its journal is unreadable", error);
    }
    const outside = journalProblem(plan, prefix);
    if (outside !== undefined) throw unrecoverable(outside);
    try {
      if (await fs.exists(joinPath(directory, "committed"))) {
        await finish(fs, directory, plan);
        result.finished++;
      } else {
        await rollBack(fs, directory, plan);
        result.rolledBack++;
      }
    } catch (error) {
      if (error instanceof KilnError) throw error;
      throw unrecoverable((error as Error)?.message ?? String(error), error);
    }
  }
  return result;
}

/**
 * Why a journal must not be replayed, or undefined when it may: recovery renames and deletes the
 * paths a journal names, so it acts only on journals whose every path lies inside the environment
 * (a journal is data on disk, which a hostile archive or another program could have written).
 */
function journalProblem(plan: Plan, prefix: string): string | undefined {
  const isPaths = (value: unknown) => Array.isArray(value) && value.every((path) => typeof path === "string");
  if (typeof plan !== "object" || plan === null || !Array.isArray(plan.operations) || !isPaths(plan.createdDirectories) || !isPaths(plan.cleanupDirectories) || !isPaths(plan.roots)) {
    return "its journal is not one kiln wrote";
  }
  const targets = plan.operations.map((operation) => (typeof operation === "object" && operation !== null ? operation.target : undefined));
  const root = joinPath(prefix);
  const inside = (path: unknown) => typeof path === "string" && path.startsWith("/") && isInside(root, path);
  // The environment's root may be a root of the cleanup (its data scheme is the root), never a target.
  const badTarget = targets.find((target) => !inside(target) || joinPath(target!) === root);
  const badDirectory = [...plan.createdDirectories, ...plan.cleanupDirectories, ...plan.roots].find((path) => !inside(path));
  const bad = badTarget === undefined ? badDirectory : badTarget;
  if (bad !== undefined || targets.includes(undefined)) return `its journal names ${JSON.stringify(bad ?? null)}, which is not inside the environment`;
  return undefined;
}
