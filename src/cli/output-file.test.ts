import { strict as assert } from "node:assert";
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, test } from "node:test";
import { isKilnError } from "../core/index.js";
import { ensureOutputDirectory, writeOutputFile } from "./output-file.js";

const root = mkdtempSync(join(tmpdir(), "kiln-output-file-"));
after(() => rmSync(root, { recursive: true, force: true }));
mkdirSync(join(root, "a-directory"));
writeFileSync(join(root, "a-file"), "x");

const unwritableFiles: [string, string, RegExp][] = [
  ["a directory", join(root, "a-directory"), /Cannot write the lock file ".*a-directory": it is a directory/],
  ["a path below a missing directory", join(root, "missing", "deeper", "pylock.toml"), /Cannot write the lock file ".*pylock\.toml": its directory does not exist/],
  ["a path below a file", join(root, "a-file", "pylock.toml"), /Cannot write the lock file ".*a-file\/pylock\.toml": .*not a directory/],
];

for (const [label, path, message] of unwritableFiles) {
  test(`writeOutputFile to ${label} is an outputUnwritable error naming the path`, async () => {
    await assert.rejects(writeOutputFile(path, "text", "the lock file"), (error) => isKilnError(error, "outputUnwritable") && message.test(error.message) && error.hint !== undefined);
  });
}

test("writeOutputFile writes text and bytes", async () => {
  await writeOutputFile(join(root, "out.txt"), "text", "the report");
  await writeOutputFile(join(root, "out.bin"), new Uint8Array([1, 2]), "the wheel");
  assert.equal(readFileSync(join(root, "out.txt"), "utf8"), "text");
  assert.deepEqual([...readFileSync(join(root, "out.bin"))], [1, 2]);
});

test("ensureOutputDirectory makes missing directories and refuses a file", async () => {
  await ensureOutputDirectory(join(root, "new", "nested"), "the download directory");
  await ensureOutputDirectory(join(root, "a-directory"), "the download directory");
  await assert.rejects(ensureOutputDirectory(join(root, "a-file"), "the download directory"), (error) =>
    isKilnError(error, "outputUnwritable") && /Cannot create the download directory ".*a-file": it is a file/.test(error.message));
  await assert.rejects(ensureOutputDirectory(join(root, "a-file", "below"), "the download directory"), (error) => isKilnError(error, "outputUnwritable"));
});
