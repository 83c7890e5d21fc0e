import { strict as assert } from "node:assert";
import { spawn } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, test } from "node:test";
import { fileURLToPath } from "node:url";
import { listInstalled, venvScheme } from "../../src/installer/index.js";
import { nodeFileSystem } from "../../src/platform/node-file-system.js";
import { realWheel, type RealWheelName } from "../support/real-wheels.js";
import { createHash } from "node:crypto";

const child = fileURLToPath(new URL("./install-child.ts", import.meta.url));
const root = fileURLToPath(new URL("../..", import.meta.url));
const temporary = mkdtempSync(join(tmpdir(), "kiln-concurrent-"));
after(() => rmSync(temporary, { recursive: true, force: true }));

function install(prefix: string, wheels: string[]): Promise<{ code: number | null; stderr: string }> {
  return new Promise((resolve, reject) => {
    const process_ = spawn(process.execPath, ["--import", "tsx", child, JSON.stringify({ prefix, wheels })], { cwd: root, stdio: ["ignore", "ignore", "pipe"] });
    let stderr = "";
    process_.stderr.on("data", (chunk: Buffer) => (stderr += chunk));
    process_.on("error", reject);
    process_.on("close", (code) => resolve({ code, stderr }));
  });
}

test("installs from several processes into one environment at once are serialized, and all land", async () => {
  const prefix = join(temporary, "env");
  const names: RealWheelName[] = ["iniconfig", "pluggy", "packaging", "pytest"];
  const results = await Promise.all(names.map((name) => install(prefix, [realWheel(name)])));
  for (const result of results) assert.equal(result.code, 0, result.stderr);
  const installed = await listInstalled(venvScheme(prefix, "3.14"), nodeFileSystem());
  assert.deepEqual(installed.map((dist) => dist.name), ["iniconfig", "packaging", "pluggy", "pytest"]);
  for (const dist of installed) {
    for (const row of dist.files!) {
      if (row.hash === undefined) continue;
      const bytes = readFileSync(join(dist.distInfo, "..", row.path));
      assert.equal(createHash("sha256").update(bytes).digest("base64url"), row.hash.digest, row.path);
    }
  }
});
