// Child process for kill.test.ts: installs wheels into an environment and, when asked, kills
// itself with SIGKILL right before its Nth file-system change, so the parent can prove that an
// install interrupted at any point leaves the environment recoverable. Not a test file itself.
import { readFileSync } from "node:fs";
import { basename } from "node:path";
import { installWheels, UnpackedWheelCache, venvScheme, type InstallFileSystem } from "../../src/installer/index.js";
import { nodeFileSystem } from "../../src/platform/node-file-system.js";

interface ChildOptions {
  prefix: string;
  wheels: string[];
  /** SIGKILL this process before the Nth mutating call (1-based). */
  killBeforeOperation?: number;
  /** Install through an unpacked-wheel cache in this directory. */
  cacheRoot?: string;
}

const options = JSON.parse(process.argv[2]!) as ChildOptions;
const inner = nodeFileSystem();
let operations = 0;
const mutating = new Set(["writeFile", "mkdir", "rename", "remove", "link", "copyFile"]);
const fs = new Proxy(inner, {
  get(target, key, receiver) {
    const value = Reflect.get(target, key, receiver);
    if (typeof value !== "function" || !mutating.has(String(key))) return value;
    return (...args: unknown[]) => {
      operations++;
      if (operations === options.killBeforeOperation) process.kill(process.pid, "SIGKILL");
      return value.apply(target, args);
    };
  },
}) as InstallFileSystem;

const wheels = options.wheels.map((path) => ({ wheel: new Uint8Array(readFileSync(path)), filename: basename(path), requested: true }));
process.stdout.write("start\n");
const wheelCache = options.cacheRoot ? { wheelCache: new UnpackedWheelCache({ fs, root: options.cacheRoot }) } : {};
await installWheels(wheels, { scheme: venvScheme(options.prefix, "3.14"), fs, lockTimeoutMs: 10_000, ...wheelCache });
process.stdout.write(`done ${operations}\n`);
