import { strict as assert } from "node:assert";
import { createHash } from "node:crypto";
import { test } from "node:test";
import { recordHash } from "../archive/index.js";
import { useHostDigest } from "../cache/index.js";
import { fileRecordHash } from "./file-record-hash.js";

test("fileRecordHash agrees with recordHash, with crypto.subtle and with a host digest", async (t) => {
  const inputs = [new Uint8Array(), new TextEncoder().encode("hello\n"), new Uint8Array(100_000).map((_, i) => i * 7)];
  let hostCalls = 0;
  for (const host of [undefined, (name: string, bytes: Uint8Array) => (hostCalls++, createHash(name).update(bytes).digest("hex"))]) {
    useHostDigest(host);
    for (const bytes of inputs) {
      for (const algorithm of ["sha256", "sha384", "sha512", "sha1"]) {
        assert.deepEqual(await fileRecordHash(bytes, algorithm), await recordHash(bytes, algorithm), `${algorithm} of ${bytes.length} bytes, host digest ${host ? "on" : "off"}`);
      }
    }
  }
  t.after(() => useHostDigest(undefined));
  assert.equal(hostCalls, inputs.length * 3, "the host digest computed sha256, sha384 and sha512");
});
