import { strict as assert } from "node:assert";
import { createHash } from "node:crypto";
import { readFileSync } from "node:fs";
import { test } from "node:test";
import { baseEnv, kiln } from "./support.js";

// A start from a snapshot reads the standard library archive when Python first opens it: a short
// program never does; an import the snapshot does not hold reads it then, the same bytes.

const firstUse = /kiln debug: read the standard library (\S+) at its first use/;

test("the standard library is read at its first use, and Python sees the same archive", () => {
  const env = baseEnv({ KILN_DEBUG: "1" });
  assert.equal(kiln(["run", "-c", "pass"], { env: baseEnv() }).status, 0); // a snapshot to start from
  const short = kiln(["run", "-c", "print('short')"], { env });
  assert.deepEqual([short.status, short.stdout], [0, "short\n"], short.stderr);
  assert.match(short.stderr, /from memory snapshot/);
  assert.doesNotMatch(short.stderr, firstUse);

  const script = [
    "import colorsys, hashlib, os, sys, wave",
    "archive = next(p for p in sys.path if p.endswith('.zip'))",
    "print(colorsys.rgb_to_hsv(1, 0, 0), os.path.getsize(archive), hashlib.sha256(open(archive, 'rb').read()).hexdigest())",
  ].join("\n");
  const importing = kiln(["run", "-c", script], { env });
  assert.equal(importing.status, 0, importing.stderr);
  const host = firstUse.exec(importing.stderr)?.[1];
  assert.ok(host, importing.stderr);
  const bytes = readFileSync(host);
  assert.equal(importing.stdout, `(0.0, 1.0, 1) ${bytes.length} ${createHash("sha256").update(bytes).digest("hex")}\n`);
});
