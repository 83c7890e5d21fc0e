// A child process for the two-process cache test: writes records under one shared key and
// reads them back, reporting any read that fails its checksum.
import { decodeRecord, writeCacheRecord } from "../../src/cache/index.js";
import { NodeCacheStore } from "../../src/platform/node.js";

const [root, label, rounds] = process.argv.slice(2) as [string, string, string];
const store = new NodeCacheStore(root);
const body = new Uint8Array(512 * 1024).fill(label.charCodeAt(0));
let torn = 0;
for (let i = 0; i < Number(rounds); i++) {
  await writeCacheRecord(store, "http/v1/shared", { writer: label, i }, body);
  const bytes = await store.read("http/v1/shared");
  if (!bytes || !(await decodeRecord(bytes))) torn++;
}
process.stdout.write(JSON.stringify({ torn }));
