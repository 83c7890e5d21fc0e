#!/usr/bin/env node
// The bundled CLI (scripts/bundle.mjs, part of `npm run build`): a few chunks load much faster
// than the ~220 modules tsc emits into dist/. `kiln pip …`, `kiln run …` and `kiln test …` run the
// same CLI from its one-file CommonJS bundle through V8's code cache instead
// (src/platform/node-code-cache.ts; off with KILN_NO_CODE_CACHE=1): compiling kiln's code is a
// large part of such short commands.
import { existsSync } from "node:fs";
import { fileURLToPath } from "node:url";

const argv = process.argv.slice(2);
// The helper thread a warm `kiln run` waits for starts before kiln's modules load
// (src/platform/node-early-start-helper.ts).
if (argv[0] === "run") {
  const { startHelperEarly } = await import("../dist/bundle/node-early-start-helper.js");
  startHelperEarly({ args: argv.slice(1), env: process.env, bundled: !argv[1]?.startsWith("--runtime") });
}
const streams = { stdout: process.stdout, stderr: process.stderr, env: process.env, cwd: process.cwd() };
let code;
const bundle = fileURLToPath(new URL("../dist/bundle/kiln-cli.cjs", import.meta.url));
if ((argv[0] === "pip" || argv[0] === "run" || argv[0] === "test") && existsSync(bundle)) {
  const { codeCacheWanted, runWithCodeCache } = await import("../dist/bundle/node-code-cache.js");
  if (codeCacheWanted(process.env)) code = await runWithCodeCache({ bundle, argv, streams });
}
code ??= await (await import("../dist/bundle/kiln.js")).runCli(argv, streams);
process.exitCode = code;
