import { strict as assert } from "node:assert";
import { test } from "node:test";
import { urlsafeBase64 } from "../archive/index.js";
import { hexToUrlsafeBase64 } from "./check-record.js";

// sha256 of "hello\n" (as Python's hashlib and base64.urlsafe_b64encode give it).
test("hex digests become RECORD's URL-safe base64 exactly as the general encoder writes it", () => {
  assert.equal(hexToUrlsafeBase64("5891b5b522d5df086d0ff0b110fbd9d21bb4fc7163af34d08286a2e846f6be03"), "WJG1tSLV3whtD_CxEPvZ0hu0_HFjrzTQgoai6Eb2vgM");
  let state = 11;
  for (let length = 0; length <= 70; length++) {
    const bytes = Uint8Array.from({ length }, () => (state = (state * 1103515245 + 12345) % 2 ** 31) & 0xff);
    const hex = Array.from(bytes, (b) => b.toString(16).padStart(2, "0")).join("");
    assert.equal(hexToUrlsafeBase64(hex), urlsafeBase64(bytes), `${length} bytes`);
  }
});
