// One kiln install as a process, for hyperfine: node bench/install-once.mjs PREFIX WHEEL...
// Uses the built package (npm run build), as the kiln command does.
import { readFileSync } from "node:fs";
import { basename } from "node:path";
import { installWheels, venvScheme } from "../dist/installer/index.js";
import { nodeFileSystem } from "../dist/platform/node-file-system.js";

const [prefix, ...paths] = process.argv.slice(2);
const version = process.env.BENCH_PYTHON_VERSION ?? "3.14";
const wheels = paths.map((path) => ({ wheel: new Uint8Array(readFileSync(path)), filename: basename(path), requested: true }));
await installWheels(wheels, { scheme: venvScheme(prefix, version), fs: nodeFileSystem() });
