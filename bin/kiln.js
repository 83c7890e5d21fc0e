#!/usr/bin/env node
// The bundled CLI (scripts/bundle.mjs, part of `npm run build`): a few chunks load much faster
// than the ~220 modules tsc emits into dist/.
import { runCli } from "../dist/bundle/kiln.js";

const code = await runCli(process.argv.slice(2), {
  stdout: process.stdout,
  stderr: process.stderr,
  env: process.env,
  cwd: process.cwd(),
});
process.exitCode = code;
