import { strict as assert } from "node:assert";
import { mkdirSync, mkdtempSync, rmSync, truncateSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, test } from "node:test";
import { isKilnError } from "../core/index.js";
import { ensureNpmRuntime, recordRuntimeFiles } from "./node-npm-runtime.js";

const root = mkdtempSync(join(tmpdir(), "kiln-npm-runtime-"));
after(() => rmSync(root, { recursive: true, force: true }));
// No registry is reachable: a cached runtime must be served (or refused) without one. No pip
// configuration file of the machine's either.
const offline = { npm_config_registry: "http://127.0.0.1:9/", PIP_CONFIG_FILE: "/dev/null" };
let counter = 0;

/** A cache holding pyodide@0.29.9 as a completed fetch leaves it, with or without its file list. */
async function cachedRuntime(options: { recorded: boolean }): Promise<{ cacheDir: string; directory: string }> {
  const cacheDir = join(root, `cache${counter++}`);
  const directory = join(cacheDir, "runtimes", "pyodide-0.29.9");
  mkdirSync(directory, { recursive: true });
  writeFileSync(join(directory, "pyodide.asm.wasm"), new Uint8Array(1000));
  writeFileSync(join(directory, "pyodide-lock.json"), '{"info": {}, "packages": {}}');
  writeFileSync(join(directory, "package.json"), '{"version": "0.29.9"}');
  if (options.recorded) await recordRuntimeFiles(directory);
  writeFileSync(join(directory, ".kiln-complete"), "pyodide@0.29.9\n");
  return { cacheDir, directory };
}

test("a cached runtime whose files are as fetched is used offline", async () => {
  const { cacheDir, directory } = await cachedRuntime({ recorded: true });
  assert.equal(await ensureNpmRuntime("0.29.9", cacheDir, offline), directory);
  assert.equal(await ensureNpmRuntime("0.29.x", cacheDir, offline), directory);
});

test("a runtime cached before kiln recorded file sizes is used as it is", async () => {
  const { cacheDir, directory } = await cachedRuntime({ recorded: false });
  assert.equal(await ensureNpmRuntime("0.29.9", cacheDir, offline), directory);
});

// The registry is fetched with the index settings' timeout, and an invalid one is refused as by
// every command; a runtime served from the cache reads no settings (kiln run's fast path).
test("an invalid PIP_TIMEOUT is refused as the index settings refuse it when the runtime must be fetched, not read when it is cached", async () => {
  const { cacheDir, directory } = await cachedRuntime({ recorded: true });
  assert.equal(await ensureNpmRuntime("0.29.9", cacheDir, { ...offline, PIP_TIMEOUT: "soon" }), directory);
  await assert.rejects(ensureNpmRuntime("0.29.9", join(root, `cache${counter++}`), { ...offline, PIP_TIMEOUT: "soon" }), (error) => {
    assert.ok(isKilnError(error, "invalidIndexConfig"), String(error));
    assert.match(error.message, /PIP_TIMEOUT must be a number of seconds, not "soon"/);
    return true;
  });
});

const damages: [string, (directory: string) => void, RegExp][] = [
  ["a truncated pyodide.asm.wasm", (directory) => truncateSync(join(directory, "pyodide.asm.wasm"), 500), /pyodide\.asm\.wasm is 500 bytes, not 1000/],
  ["a missing pyodide-lock.json", (directory) => rmSync(join(directory, "pyodide-lock.json")), /pyodide-lock\.json is missing/],
];

for (const [label, damage, message] of damages) {
  test(`a cached runtime with ${label} is fetched again, and without a registry is a runtimeInvalid error naming the damage`, async () => {
    const { cacheDir, directory } = await cachedRuntime({ recorded: true });
    damage(directory);
    await assert.rejects(ensureNpmRuntime("0.29.9", cacheDir, offline), (error) => {
      assert.ok(isKilnError(error, "runtimeInvalid"), String(error));
      assert.match(error.message, message);
      assert.ok(error.message.includes(directory), error.message);
      assert.match(error.hint ?? "", /remove/i);
      return true;
    });
  });
}

test("the registry is read with the HTTP timeouts: a trickling answer fails with the URL, other answers pass through", async () => {
  const { startLoopbackServer } = await import("../../test/index/loopback-server.js");
  const manifest = JSON.stringify({ name: "pyodide", version: "0.29.9", note: "trickled a byte at a time, too slowly to ever finish" });
  const server = await startLoopbackServer({
    "/pyodide": (_q, response) => response.writeHead(200, { "content-type": "application/json" }).end(JSON.stringify({ versions: { "0.29.9": {} } })),
    "/pyodide/0.29.9": (_q, response) => response.writeHead(200, { "content-type": "application/json" }).end(manifest),
    "/slow/pyodide/0.29.9": (_q, response) => {
      response.writeHead(200, { "content-type": "application/json", "content-length": String(manifest.length) });
      let sent = 0;
      const timer = setInterval(() => {
        response.write(manifest.slice(sent, ++sent));
        if (sent === manifest.length) (clearInterval(timer), response.end());
      }, 20);
      response.on("close", () => clearInterval(timer));
    },
  });
  try {
    const cacheDir = () => join(root, `cache${counter++}`);
    const env = (path: string) => ({ npm_config_registry: `${server.url}${path}`, UV_HTTP_TIMEOUT: "0.3", PIP_CONFIG_FILE: "/dev/null" });
    await assert.rejects(ensureNpmRuntime("0.29.9", cacheDir(), env("/slow/")), (error) =>
      isKilnError(error, "runtimeNotFound") && /\/slow\/pyodide\/0\.29\.9 sent only \d+ bytes in 300 ms/.test(error.message));
    // The timeout of a pip configuration file too, as for the index.
    const pipConf = join(root, `pip${counter++}.conf`);
    writeFileSync(pipConf, "[global]\ntimeout = 0.3\n");
    await assert.rejects(ensureNpmRuntime("0.29.9", cacheDir(), { npm_config_registry: `${server.url}/slow/`, PIP_CONFIG_FILE: pipConf }), (error) =>
      isKilnError(error, "runtimeNotFound") && /sent only \d+ bytes in 300 ms/.test(error.message));
    // A version document and a manifest arrive whole (this one has no tarball), a 404 is the registry's answer.
    await assert.rejects(ensureNpmRuntime("0.29.x", cacheDir(), env("/")), (error) => isKilnError(error, "runtimeInvalid") && /has no tarball/.test(error.message));
    await assert.rejects(ensureNpmRuntime("0.29.9", cacheDir(), env("/missing/")), (error) => isKilnError(error, "runtimeNotFound") && /answered 404/.test(error.message));
  } finally {
    await server.close();
  }
});
