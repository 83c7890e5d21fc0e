import { readdirSync, readFileSync, statSync } from "node:fs";
import { chmod, mkdir, rm, symlink, writeFile } from "./node-fs-promises.js";
import type { VenvFileSystem } from "../runtime/index.js";

/**
 * The Node.js {@link VenvFileSystem}: real files, modes applied after writing (the umask must not
 * strip a launcher's execute bits). Reads are synchronous: every kiln pip command reads the small
 * pyvenv.cfg first, and a thread-pool round trip (a pool thread and then the main thread woken)
 * costs more than the read, milliseconds on a busy machine.
 *
 * @example
 * await createVirtualEnvironment({ ...options, fs: nodeVenvFileSystem() });
 */
export function nodeVenvFileSystem(): VenvFileSystem {
  return {
    async readText(path) {
      try {
        return readFileSync(path, "utf8");
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code === "ENOENT") return undefined;
        throw error;
      }
    },
    async writeText(path, text, options = {}) {
      await rm(path, { force: true });
      await writeFile(path, text);
      await chmod(path, options.mode ?? 0o644);
    },
    mkdir: async (path) => void (await mkdir(path, { recursive: true })),
    async symlink(target, path) {
      await rm(path, { force: true });
      await symlink(target, path);
    },
    async list(path) {
      try {
        if (!statSync(path).isDirectory()) return "file";
        return readdirSync(path);
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code === "ENOENT") return undefined;
        throw error;
      }
    },
    remove: (path) => rm(path, { recursive: true, force: true }),
  };
}
