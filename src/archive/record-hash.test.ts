import { strict as assert } from "node:assert";
import { test } from "node:test";
import fc from "fast-check";
import { isKilnError } from "../core/index.js";
import { runHostPython } from "../../test/support/host-python.js";
import { formatRecordHash, parseRecordHash, recordHash } from "./record-hash.js";

test("recordHash of empty input is the well-known sha256 digest", async () => {
  assert.deepEqual(await recordHash(new Uint8Array()), { algorithm: "sha256", digest: "47DEQpj8HBSa-_TImW-5JCeuQeRkm5NMpJWZG3hSuFU" });
});

test("recordHash agrees with Python's hashlib + urlsafe_b64encode for every algorithm", async () => {
  const inputs = fc.sample(fc.uint8Array({ maxLength: 200 }), { numRuns: 20, seed: 7 });
  for (const algorithm of ["sha1", "sha256", "sha384", "sha512"]) {
    const expected = runHostPython<string[]>(
      String.raw`
import base64, hashlib, json, sys
data = json.load(sys.stdin)
print(json.dumps([base64.urlsafe_b64encode(hashlib.new(data["algorithm"], bytes(b)).digest()).rstrip(b"=").decode() for b in data["inputs"]]))
`,
      { algorithm, inputs: inputs.map((bytes) => [...bytes]) },
    );
    const ours = await Promise.all(inputs.map(async (bytes) => (await recordHash(bytes, algorithm)).digest));
    assert.deepEqual(ours, expected, algorithm);
  }
});

test("recordHash refuses an algorithm it cannot compute", async () => {
  await assert.rejects(recordHash(new Uint8Array(), "md5"), (error) => isKilnError(error, "unsupportedHashAlgorithm") && /"md5"/.test(error.message));
});

test("parseRecordHash and formatRecordHash", () => {
  assert.deepEqual(parseRecordHash("sha256=ab-_=="), { algorithm: "sha256", digest: "ab-_" });
  assert.equal(formatRecordHash({ algorithm: "sha512", digest: "x" }), "sha512=x");
  for (const bad of ["sha256", "=abc", "sha256=a+b", "SHA 256=x"]) {
    assert.throws(() => parseRecordHash(bad), (error) => isKilnError(error, "invalidRecord"), bad);
  }
});
