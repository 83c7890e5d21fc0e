#!/usr/bin/env node
// Bundles the CLI into dist/bundle/ (part of `npm run build`, after tsc). Every `kiln` call pays for
// loading its modules, and Node loads ~220 separate ESM files far slower than a few large ones; the
// bundle keeps the laziness of src/cli/commands/index.ts (code splitting: each command's `import()`
// becomes a chunk) while cutting the file count.
//
// Entry points besides the CLI are the files kiln loads by path at run time, next to the chunk that
// refers to them (`new URL("./x.js", import.meta.url)`): the Python worker thread and the venv
// launcher, and the early start helper bin/kiln.js loads. Every chunk sits two directories below the package root, as the tsc output in
// dist/<layer>/ does, so the `../../bin/kiln.js` and `../../package.json` references resolve the
// same from both. `pyodide` stays external: it loads its own files (wasm, stdlib zip, lock file)
// relative to its package directory.
import { build } from "esbuild";
import { readFileSync, rmSync, writeFileSync } from "node:fs";
import { fileURLToPath } from "node:url";

const root = fileURLToPath(new URL("..", import.meta.url));

// kiln's modules have no import-time side effects (nothing in src/ is imported for its effects
// alone), so a module reached only through a folder's index.ts re-exports is left out when none of
// its exports is used. Without this esbuild must keep every module an index.ts names: `kiln pip
// install` would load the whole Python runtime layer because it uses one venv helper from it.
const sideEffectFree = {
  name: "kiln-side-effect-free",
  setup(build) {
    build.onResolve({ filter: /^\./ }, async (args) => {
      if (args.pluginData?.inner || !args.importer.startsWith(`${root}src/`)) return undefined;
      const result = await build.resolve(args.path, { kind: args.kind, importer: args.importer, resolveDir: args.resolveDir, pluginData: { inner: true } });
      if (result.errors.length > 0 || !result.path.startsWith(`${root}src/`)) return result;
      return { ...result, sideEffects: false };
    });
  },
};
const outdir = `${root}dist/bundle`;

/** In the CommonJS bundle, import-module.ts calls the host's import() (see the second build). */
const hostImport = {
  name: "kiln-host-import",
  setup(build) {
    build.onLoad({ filter: /\/src\/platform\/import-module\.ts$/ }, () => ({
      contents: "export function importModule(url) { return __kilnImport(url); }",
      loader: "js",
    }));
  },
};

rmSync(outdir, { recursive: true, force: true });
const result = await build({
  absWorkingDir: root,
  entryPoints: {
    kiln: "src/cli/main.ts",
    "node-python-worker": "src/platform/node-python-worker.ts",
    "node-start-helper": "src/platform/node-start-helper.ts",
    "node-early-start-helper": "src/platform/node-early-start-helper.ts",
    "node-venv-launcher": "src/platform/node-venv-launcher.ts",
    // What the launcher runs when the code cache is turned off (KILN_NO_CODE_CACHE).
    "node-venv-python": "src/platform/node-venv-python.ts",
    "node-code-cache": "src/platform/node-code-cache.ts",
    "node-wasm-code-writer": "src/platform/node-wasm-code-writer.ts",
  },
  outdir,
  bundle: true,
  splitting: true,
  format: "esm",
  platform: "node",
  target: "node20",
  external: ["pyodide"],
  chunkNames: "[name]-[hash]",
  logLevel: "warning",
  legalComments: "none",
  plugins: [sideEffectFree],
  metafile: process.env.KILN_BUNDLE_META !== undefined,
});
// KILN_BUNDLE_META=FILE keeps esbuild's metafile: which chunk holds which module, and what a
// command's chunks import (to check that a command loads only what it needs).
if (process.env.KILN_BUNDLE_META) writeFileSync(process.env.KILN_BUNDLE_META, JSON.stringify(result.metafile));

// What every CommonJS bundle shares: `import.meta.url` becomes the file's own URL.
const commonJs = {
  absWorkingDir: root,
  outdir,
  outExtension: { ".js": ".cjs" },
  bundle: true,
  format: "cjs",
  platform: "node",
  target: "node20",
  define: { "import.meta.url": "__kilnScriptUrl" },
  banner: { js: '"use strict";\nvar __kilnScriptUrl = require("node:url").pathToFileURL(__filename).href;' },
  logLevel: "warning",
  legalComments: "none",
};

// The same CLI as one CommonJS script, which bin/kiln.js runs for `kiln pip` through V8's code
// cache (src/platform/node-code-cache.ts): Node 20 caches no compiled code for ES modules, and a
// warm `kiln pip install` spends a sixth of its CPU compiling kiln. It lives beside the chunks, so
// `new URL("./x.js", import.meta.url)` (made a variable holding the script's own URL) finds the
// same worker and launcher files, and `../../` the package root. "use strict" first: the
// chunks are ES modules, which are always strict.
await build({
  ...commonJs,
  // The CLI, and what a venv's bin/python runs (src/platform/node-venv-launcher.ts), likewise.
  // The Python worker thread (a terminal's kiln run), likewise, run by node-code-cache.cjs's runWorkerBundle.
  entryPoints: { "kiln-cli": "src/cli/main.ts", "node-venv-python": "src/platform/node-venv-python.ts", "node-python-worker": "src/platform/node-python-worker.ts" },
  external: ["pyodide"],
  // Every import() becomes a require(): code deserialized from a code cache cannot run import()
  // on Node 20. Modules loaded by URL (Pyodide's ES modules) go through import-module.ts, which
  // here calls the import() that src/platform/node-code-cache.ts passes in.
  supported: { "dynamic-import": false },
  plugins: [sideEffectFree, hostImport],
});
// bin/kiln.js is CommonJS (bin/package.json): an ES-module entry costs every command Node's
// ES-module loader (~3 ms before kiln's own code runs). It requires the code-cache runner and the
// early start helper, which must then be CommonJS too (loading the helper's ES-module chunk
// started the loader first, ~5 ms before the helper thread could start); the ES-module chunks
// stay for the venv launcher. The start helper thread runs a one-file CommonJS bundle as well:
// a worker that loads ES modules starts Node's ES-module loader in its own isolate and reads its
// chunks asynchronously, ~8 ms longer before the helper's work begins, on the path a warm start
// waits for. It loads no module by URL, so its `import()` stays Node's own.
await build({
  ...commonJs,
  entryPoints: {
    "node-code-cache": "src/platform/node-code-cache.ts",
    "node-early-start-helper": "src/platform/node-early-start-helper.ts",
    "node-start-helper": "src/platform/node-start-helper.ts",
    // A venv's bin/python, likewise: its helper thread starts before the ES-module loader does.
    "node-venv-launcher": "src/platform/node-venv-launcher.ts",
  },
  plugins: [sideEffectFree],
});

// The one-file bundles are read as Latin-1 when they are ASCII (src/platform/node-code-cache.ts:
// ~2 ms less per command than decoding 1.2 MB of UTF-8). esbuild writes code in ASCII (its
// default charset escapes strings, templates, regular expressions and identifiers) but keeps
// comments as written, so what is left are comments, where an escape changes nothing.
for (const name of ["kiln-cli.cjs", "node-venv-python.cjs", "node-python-worker.cjs"]) {
  const file = `${outdir}/${name}`;
  const text = readFileSync(file, "utf8");
  // One \uXXXX per UTF-16 unit: the same character in a string, template or regular expression too.
  const ascii = text.replace(/[^\x00-\x7f]/g, (unit) => `\\u${unit.charCodeAt(0).toString(16).padStart(4, "0")}`);
  if (ascii !== text) writeFileSync(file, ascii);
}
