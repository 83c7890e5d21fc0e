#!/usr/bin/env node
// CommonJS (bin/package.json), so that no command pays for Node's ES-module loader before kiln's
// own code runs (~3 ms of every `kiln pip`). The bundled CLI (scripts/bundle.mjs): a few chunks
// load much faster than the ~220 modules tsc emits into dist/. `kiln pip …`, `kiln run …` and
// `kiln test …` run the same CLI from its one-file CommonJS bundle through V8's code cache instead
// (src/platform/node-code-cache.ts; off with KILN_NO_CODE_CACHE=1): compiling kiln's code is a
// large part of such short commands.
"use strict";
const { existsSync } = require("node:fs");
const { join } = require("node:path");

const argv = process.argv.slice(2);
const bundle = join(__dirname, "..", "dist", "bundle", "kiln-cli.cjs");

async function main() {
  // The helper thread a warm `kiln run` waits for starts before kiln's modules load
  // (src/platform/node-early-start-helper.ts), and before Node's ES-module loader does.
  if (argv[0] === "run") {
    const { startHelperEarly } = require("../dist/bundle/node-early-start-helper.cjs");
    startHelperEarly({ args: argv.slice(1), env: process.env, bundled: !argv[1]?.startsWith("--runtime") });
  }
  const streams = () => ({ stdout: process.stdout, stderr: process.stderr, env: process.env, cwd: process.cwd() });
  let code;
  if ((argv[0] === "pip" || argv[0] === "run" || argv[0] === "test") && existsSync(bundle)) {
    const { codeCacheWanted, lazyStdio, runWithCodeCache } = require("../dist/bundle/node-code-cache.cjs");
    if (codeCacheWanted(process.env)) {
      // kiln pip's and kiln run's stdout and stderr are made when first written to: a quiet install
      // writes nothing, and made streams set O_NONBLOCK on a pipe that Python's writes share.
      const lazy = { stdout: lazyStdio(1), stderr: lazyStdio(2), env: process.env, cwd: process.cwd() };
      code = await runWithCodeCache({ bundle, argv, streams: argv[0] === "test" ? streams() : lazy });
    }
  }
  code ??= await (await import("../dist/bundle/kiln.js")).runCli(argv, streams());
  process.exitCode = code;
}

// A failure outside the CLI's own error handling ends the process as an uncaught error would.
main().catch((error) => {
  process.exitCode = 1;
  throw error;
});
