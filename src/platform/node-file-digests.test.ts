import { strict as assert } from "node:assert";
import { mkdtempSync, renameSync, rmSync, utimesSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, test } from "node:test";
import { pathToFileURL } from "node:url";
import { nodeFileDigests } from "./node-file-digests.js";

const temporary = mkdtempSync(join(tmpdir(), "kiln-digests-"));
after(() => rmSync(temporary, { recursive: true, force: true }));
const digestA = "a".repeat(64);

test("a remembered digest is returned only while the file is unchanged", async (t) => {
  const changes: { name: string; change: (path: string) => void }[] = [
    { name: "rewritten with other content", change: (path) => writeFileSync(path, "other") },
    { name: "rewritten with the same size and modification time", change: (path) => (writeFileSync(path, "wheeL"), utimesSync(path, 1_000, 1_000)) },
    { name: "replaced by another file", change: (path) => (writeFileSync(`${path}.new`, "wheel"), renameSync(`${path}.new`, path)) },
    { name: "deleted", change: (path) => rmSync(path) },
  ];
  for (const [index, { name, change }] of changes.entries()) {
    await t.test(name, async () => {
      const path = join(temporary, `w${index}.whl`);
      writeFileSync(path, "wheel");
      utimesSync(path, 1_000, 1_000);
      const url = pathToFileURL(path).href;
      const digests = nodeFileDigests(join(temporary, "cache"));
      assert.equal(await digests.get(url), undefined);
      await (await digests.beforeRead(url))(digestA);
      assert.equal(await digests.get(url), digestA);
      change(path);
      assert.equal(await digests.get(url), undefined);
    });
  }
});

test("a digest of bytes read while the file changed is not recorded", async () => {
  const path = join(temporary, "racing.whl");
  writeFileSync(path, "one");
  const digests = nodeFileDigests(join(temporary, "cache"));
  const record = await digests.beforeRead(pathToFileURL(path).href);
  writeFileSync(path, "two, longer");
  await record(digestA);
  assert.equal(await digests.get(pathToFileURL(path).href), undefined);
});
