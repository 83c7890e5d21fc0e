import { strict as assert } from "node:assert";
import { test } from "node:test";
import { isSkippedSourcePath, projectSourceKey, type DirectoryEntry } from "./project-source-key.js";

test("what is not a source of the build", () => {
  const cases: Array<[string, DirectoryEntry["kind"], boolean]> = [
    [".git", "directory", true],
    ["sub/.hg", "directory", true],
    ["src/pkg/__pycache__", "directory", true],
    [".pytest_cache", "directory", true],
    [".mypy_cache", "directory", true],
    [".tox", "directory", true],
    [".venv", "directory", true],
    ["build", "directory", true],
    ["dist", "directory", true],
    ["src/pkg.egg-info", "directory", true],
    ["src/build", "directory", false],
    ["docs/dist", "directory", false],
    ["src/pkg", "directory", false],
    ["src/pkg/mod.py", "file", false],
    ["src/pkg/mod.pyc", "file", true],
    [".coverage", "file", true],
    [".coverage.host.123", "file", true],
    ["build", "file", false],
    ["pyproject.toml", "file", false],
    [".gitignore", "file", false],
  ];
  for (const [path, kind, skipped] of cases) assert.equal(isSkippedSourcePath(path, kind), skipped, `${path} (${kind})`);
});

test("the key covers paths and contents, in a fixed order, and the given inputs", async () => {
  const tree = (files: Record<string, string>) => ({
    listDirectory: async (path: string) => {
      const names = new Map<string, DirectoryEntry["kind"]>();
      for (const key of Object.keys(files)) {
        if (!key.startsWith(`${path}/`)) continue;
        const rest = key.slice(path.length + 1);
        names.set(rest.split("/")[0]!, rest.includes("/") ? "directory" : "file");
      }
      // Listing order is the file system's; the key must not depend on it.
      return [...names].map(([name, kind]) => ({ name, kind })).reverse();
    },
    readBytes: async (path: string) => new TextEncoder().encode(files[path]),
  });
  const base = { "/p/a.py": "1", "/p/pkg/b.py": "2" };
  const key = await projectSourceKey(tree(base), "/p", { kiln: "1" });
  assert.match(key, /^[0-9a-f]{64}$/);
  assert.equal(await projectSourceKey(tree({ "/p/pkg/b.py": "2", "/p/a.py": "1" }), "/p", { kiln: "1" }), key);
  assert.notEqual(await projectSourceKey(tree({ ...base, "/p/a.py": "3" }), "/p", { kiln: "1" }), key, "content");
  assert.notEqual(await projectSourceKey(tree({ "/p/a.py": "1", "/p/pkg/c.py": "2" }), "/p", { kiln: "1" }), key, "a renamed file");
  assert.notEqual(await projectSourceKey(tree({ ...base, "/p/empty": "" }), "/p", { kiln: "1" }), key, "a new empty file");
  assert.notEqual(await projectSourceKey(tree(base), "/p", { kiln: "2" }), key, "inputs");
  assert.equal(await projectSourceKey(tree({ ...base, "/p/pkg/__pycache__/b.cpython-314.pyc": "x", "/p/venv/pyvenv.cfg": "", "/p/venv/lib/x.py": "" }), "/p", { kiln: "1" }), key, "bytecode and a venv");
});

test("a link back up the tree is followed once, not forever", async () => {
  // /p/loop -> /p: listing /p/loop lists /p again.
  const listDirectory = async (path: string): Promise<DirectoryEntry[]> => {
    if (!/^\/p(\/loop)*$/.test(path)) return [];
    return [
      { name: "a.py", kind: "file" },
      { name: "loop", kind: "directory", symlink: true },
    ];
  };
  const seen: string[] = [];
  const readBytes = async (path: string) => {
    seen.push(path);
    return new TextEncoder().encode("x");
  };
  assert.match(await projectSourceKey({ listDirectory, readBytes }, "/p", {}), /^[0-9a-f]{64}$/);
  assert.deepEqual(seen, ["/p/a.py", "/p/loop/a.py"]);
});
