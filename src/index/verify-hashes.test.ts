import { strict as assert } from "node:assert";
import { createHash } from "node:crypto";
import { test } from "node:test";
import { isKilnError } from "../core/index.js";
import { useHostDigest } from "../cache/index.js";
import { verifyHashes } from "./verify-hashes.js";

const bytes = new TextEncoder().encode("a wheel");
const hex = (name: string) => createHash(name).update(bytes).digest("hex");

test("verifyHashes checks a legacy hash (md5, sha1, sha224) when it is the only one, as pip does", async (t) => {
  useHostDigest((name, data) => createHash(name).update(data).digest("hex"));
  t.after(() => useHostDigest(undefined));
  for (const name of ["md5", "sha1", "sha224"]) {
    assert.equal(await verifyHashes(bytes, { [name]: hex(name) }, "file:///x.whl"), hex("sha256"));
    await assert.rejects(verifyHashes(bytes, { [name]: "00" }, "file:///x.whl"), (error) => isKilnError(error, "hashMismatch") && error.message.includes(`its ${name} hash: expected 00`));
  }
  assert.equal(await verifyHashes(bytes, { md5: "00", sha256: hex("sha256") }, "file:///x.whl"), hex("sha256"), "a strong hash is checked instead");
});

test("without a host digest, SHA-1 is checked with crypto.subtle; MD5 cannot be and is left", async () => {
  useHostDigest(undefined);
  await assert.rejects(verifyHashes(bytes, { sha1: "00" }, "file:///x.whl"), (error) => isKilnError(error, "hashMismatch"));
  assert.equal(await verifyHashes(bytes, { md5: "00" }, "file:///x.whl"), hex("sha256"));
});
