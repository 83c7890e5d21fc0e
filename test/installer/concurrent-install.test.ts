import { strict as assert } from "node:assert";
import { spawn } from "node:child_process";
import { mkdtempSync, readdirSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, test } from "node:test";
import { fileURLToPath } from "node:url";
import { limitConcurrency, listInstalled, UnpackedWheelCache, venvScheme } from "../../src/installer/index.js";
import { nodeFileSystem } from "../../src/platform/node-file-system.js";
import { realWheel, type RealWheelName } from "../support/real-wheels.js";
import { createHash } from "node:crypto";

const child = fileURLToPath(new URL("./install-child.ts", import.meta.url));
const root = fileURLToPath(new URL("../..", import.meta.url));
const temporary = mkdtempSync(join(tmpdir(), "kiln-concurrent-"));
after(() => rmSync(temporary, { recursive: true, force: true }));

function install(prefix: string, wheels: string[], cacheRoot?: string): Promise<{ code: number | null; stderr: string }> {
  return new Promise((resolve, reject) => {
    const process_ = spawn(process.execPath, ["--import", "tsx", child, JSON.stringify({ prefix, wheels, cacheRoot })], { cwd: root, stdio: ["ignore", "ignore", "pipe"] });
    let stderr = "";
    process_.stderr.on("data", (chunk: Buffer) => (stderr += chunk));
    process_.on("error", reject);
    process_.on("close", (code) => resolve({ code, stderr }));
  });
}

/** The environment holds exactly the four test wheels, and every file matches its RECORD hash. */
async function assertInstalledIntact(prefix: string): Promise<void> {
  const installed = await listInstalled(venvScheme(prefix, "3.14"), nodeFileSystem());
  assert.deepEqual(installed.map((dist) => dist.name), ["iniconfig", "packaging", "pluggy", "pytest"]);
  for (const dist of installed) {
    for (const row of dist.files!) {
      if (row.hash === undefined) continue;
      const bytes = readFileSync(join(dist.distInfo, "..", row.path));
      assert.equal(createHash("sha256").update(bytes).digest("base64url"), row.hash.digest, row.path);
    }
  }
}

test("installs from several processes into one environment at once are serialized, and all land", async () => {
  const prefix = join(temporary, "env");
  const names: RealWheelName[] = ["iniconfig", "pluggy", "packaging", "pytest"];
  const results = await Promise.all(names.map((name) => install(prefix, [realWheel(name)])));
  for (const result of results) assert.equal(result.code, 0, result.stderr);
  await assertInstalledIntact(prefix);
});

test("installs from several processes that share one cold wheel cache all land intact, and leave one entry per wheel", async () => {
  const cacheRoot = join(temporary, "shared-cache");
  const wheels = (["iniconfig", "pluggy", "packaging", "pytest"] as RealWheelName[]).map((name) => realWheel(name));
  const prefixes = [0, 1, 2].map((index) => join(temporary, `cached-env${index}`));
  const results = await Promise.all(prefixes.map((prefix) => install(prefix, wheels, cacheRoot)));
  for (const result of results) assert.equal(result.code, 0, result.stderr);
  const cache = new UnpackedWheelCache({ fs: nodeFileSystem(), root: cacheRoot });
  for (const wheel of wheels) assert.ok(await cache.open(createHash("sha256").update(readFileSync(wheel)).digest("hex"), limitConcurrency(8)), wheel);
  assert.deepEqual(readdirSync(join(cacheRoot, "tmp")), [], "no build directory is left behind");
  for (const prefix of prefixes) await assertInstalledIntact(prefix);
});
