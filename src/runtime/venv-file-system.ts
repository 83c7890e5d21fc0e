/** The file operations creating and reading a virtual environment needs; the host implements them. */
export interface VenvFileSystem {
  /** The file's text, or undefined when it does not exist. */
  readText(path: string): Promise<string | undefined>;
  /** Writes the file (replacing it), with `mode` (default 0o644). */
  writeText(path: string, text: string, options?: { mode?: number }): Promise<void>;
  /** Creates the directory and its parents; existing ones are fine. */
  mkdir(path: string): Promise<void>;
  /** Creates (or replaces) a symbolic link at `path` pointing to `target`. */
  symlink(target: string, path: string): Promise<void>;
  /** The names in a directory, undefined when it does not exist, or "file" when it is not a directory. */
  list(path: string): Promise<string[] | undefined | "file">;
  /** Removes a file or a whole directory tree; absent paths are fine. */
  remove(path: string): Promise<void>;
}
