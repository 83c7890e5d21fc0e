import { strict as assert } from "node:assert";
import { test } from "node:test";
import { KilnError } from "../core/index.js";
import { describeError } from "./output.js";

test("describeError leaves out a cause whose text the line above already quotes, and keeps the others", () => {
  const enoent = new Error("ENOENT: no such file or directory, open '/w/r.txt'");
  const quoted = new KilnError("invalidRequirementsFile", `Cannot read requirements file "/w/r.txt": ${enoent.message}`, { cause: enoent });
  assert.deepEqual(describeError(quoted).causes, []);
  const dns = new Error("getaddrinfo ENOTFOUND h.test");
  const retried = new Error(`Cannot reach https://h.test/x: ${dns.message} (gave up after 4 attempts)`, { cause: dns });
  const outer = new KilnError("networkError", retried.message, { cause: retried });
  assert.deepEqual(describeError(outer).causes, []);
  const separate = new KilnError("installFailed", "Cannot install x", { cause: new Error("disk full", { cause: new Error("ENOSPC") }) });
  assert.deepEqual(describeError(separate).causes, ["disk full", "ENOSPC"]);
});
