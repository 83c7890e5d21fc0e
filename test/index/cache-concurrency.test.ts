import { strict as assert } from "node:assert";
import { spawn } from "node:child_process";
import { mkdtempSync, readdirSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { test } from "node:test";
import { fileURLToPath } from "node:url";
import { decodeRecord } from "../../src/cache/index.js";
import { NodeCacheStore } from "../../src/platform/node.js";

const writer = fileURLToPath(new URL("./cache-writer.ts", import.meta.url));

function run(root: string, label: string): Promise<{ torn: number }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ["--import", "tsx", writer, root, label, "60"], { stdio: ["ignore", "pipe", "inherit"] });
    let out = "";
    child.stdout.on("data", (chunk) => (out += chunk));
    child.on("error", reject);
    child.on("exit", (code) => (code === 0 ? resolve(JSON.parse(out)) : reject(new Error(`writer ${label} exited ${code}`))));
  });
}

test("two kiln processes writing and reading the same cache entry never see a torn record", async () => {
  const root = mkdtempSync(join(tmpdir(), "kiln-cache-race-"));
  const store = new NodeCacheStore(root);
  let reads = 0;
  let torn = 0;
  const children = Promise.all([run(root, "a"), run(root, "b")]);
  let done = false;
  void children.finally(() => (done = true));
  while (!done) {
    const bytes = await store.read("http/v1/shared");
    if (bytes) {
      reads++;
      if (!(await decodeRecord(bytes))) torn++;
    }
    await new Promise((resolve) => setTimeout(resolve, 1));
  }
  const results = await children;
  assert.deepEqual(results, [{ torn: 0 }, { torn: 0 }]);
  assert.equal(torn, 0, `${torn} of ${reads} reads in the parent were torn`);
  assert.deepEqual(readdirSync(join(root, "http", "v1")), ["shared"], "no temporary files left");
});
