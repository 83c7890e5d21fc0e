// A shared library of the runtime's Pyodide repository (a zip of .so files, not a wheel) from a
// lock to an environment: kiln lock writes it as a PEP 751 archive, kiln pip sync installs it
// into <prefix>/lib as Pyodide's loader does in a venv, and uninstalls it when the lock drops it.
import { strict as assert } from "node:assert";
import { createHash } from "node:crypto";
import { existsSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { after, before, test } from "node:test";
import { zipSync } from "fflate";
import { startLoopbackServer, type LoopbackServer } from "../index/loopback-server.js";
import { kiln, pipEnvironment } from "./support.js";

const library = new Uint8Array([0, 97, 115, 109, 1, 0, 0, 0]);
let server: LoopbackServer;
const roots: string[] = [];

before(async () => {
  // A copy of the embedded repository on loopback (its CDN is out of reach), libgeos served.
  const archive = zipSync({ "libgeos.so": library, "libgeos_c.so": library });
  const lock = JSON.parse(readFileSync(new URL("../../node_modules/pyodide/pyodide-lock.json", import.meta.url), "utf8"));
  lock.packages.libgeos = { ...lock.packages.libgeos, sha256: createHash("sha256").update(archive).digest("hex") };
  server = await startLoopbackServer({
    "/pyodide/pyodide-lock.json": (_request, response) => response.writeHead(200, { "content-type": "application/json" }).end(JSON.stringify(lock)),
    [`/pyodide/${lock.packages.libgeos.file_name}`]: (_request, response) => response.writeHead(200).end(archive),
  });
});

after(async () => {
  await server.close();
  for (const root of roots) rmSync(root, { recursive: true, force: true });
});

test("kiln lock records a repository shared library as an archive; kiln pip sync installs it into <prefix>/lib and removes it again", async () => {
  const env = pipEnvironment(roots);
  const repository = ["--no-index", "--pyodide-base-url", `${server.url}/pyodide/`];
  const locked = await kiln(["lock", "libgeos", ...repository, "-o", "pylock.toml"], { cwd: env.root });
  assert.equal(locked.code, 0, locked.stderr);
  assert.match(readFileSync(join(env.root, "pylock.toml"), "utf8"), /^tool\.kiln = \{ pyodide-package-type = "shared_library", pyodide-install-dir = "dynlib" \}$/m);
  const synced = await env.pip("sync", "pylock.toml");
  assert.equal(synced.code, 0, synced.stderr);
  for (const name of ["libgeos.so", "libgeos_c.so"]) assert.deepEqual(new Uint8Array(readFileSync(join(env.prefix, "lib", name))), library);
  assert.match((await env.pip("list")).stdout, /^libgeos\s+3\.12\.1$/m);
  writeFileSync(join(env.root, "pylock.empty.toml"), 'lock-version = "1.0"\ncreated-by = "test"\n');
  const emptied = await env.pip("sync", "pylock.empty.toml");
  assert.equal(emptied.code, 0, emptied.stderr);
  assert.equal(existsSync(join(env.prefix, "lib", "libgeos_c.so")), false);
});
