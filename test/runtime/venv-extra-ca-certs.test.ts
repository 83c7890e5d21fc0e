// A venv's bin/python keeps NODE_EXTRA_CA_CERTS from Node's start (which parses the file on every
// start) and gives it back: to Python unchanged, and to kiln's HTTPS client, which adds the
// certificates itself when pip connects (src/platform/node-extra-ca-certs.ts).
import { strict as assert } from "node:assert";
import { execFile, execFileSync } from "node:child_process";
import { createHash } from "node:crypto";
import { readFileSync } from "node:fs";
import { createServer, type Server } from "node:https";
import type { AddressInfo } from "node:net";
import { join } from "node:path";
import { after, before, test } from "node:test";
import { buildWheel } from "../support/wheel-builder.js";
import { baseEnv, kiln, makeTree, type Outcome } from "./support.js";

const work = makeTree();
const caPath = join(work, "ca.pem");
const wheel = buildWheel("cademo-1.0-py3-none-any.whl", { "cademo/__init__.py": "VALUE = 42\n" });
let server: Server;
let index = "";
let venv = "";

before(async () => {
  const keyPath = join(work, "key.pem");
  execFileSync("openssl", ["req", "-x509", "-newkey", "rsa:2048", "-nodes", "-keyout", keyPath, "-out", caPath, "-days", "2", "-subj", "/CN=127.0.0.1", "-addext", "subjectAltName=IP:127.0.0.1"], { stdio: "ignore" });
  const sha256 = createHash("sha256").update(wheel).digest("hex");
  server = createServer({ key: readFileSync(keyPath), cert: readFileSync(caPath) }, (request, response) => {
    if (request.url === "/simple/cademo/") {
      response.writeHead(200, { "content-type": "text/html" }).end(`<a href="/files/cademo-1.0-py3-none-any.whl#sha256=${sha256}">cademo-1.0-py3-none-any.whl</a>`);
    } else if (request.url === "/files/cademo-1.0-py3-none-any.whl") {
      response.writeHead(200, { "content-type": "application/octet-stream" }).end(wheel);
    } else {
      response.writeHead(404).end();
    }
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  index = `https://127.0.0.1:${(server.address() as AddressInfo).port}/simple/`;
  venv = join(work, "venv");
  const created = kiln(["venv", venv]);
  assert.equal(created.status, 0, created.stderr);
});

after(() => server.close());

/** Runs a venv command without blocking this process's event loop (the index is served from here). */
function python(args: string[], extra: Record<string, string>): Promise<Outcome> {
  const env = baseEnv({ PIP_CONFIG_FILE: "/dev/null" });
  delete env.NODE_EXTRA_CA_CERTS;
  Object.assign(env, extra);
  return new Promise((resolve) => {
    execFile(join(venv, "bin", "python"), args, { env, encoding: "utf8", timeout: 120_000 }, (error, stdout, stderr) => {
      const status = error ? (typeof error.code === "number" ? error.code : null) : 0;
      resolve({ status, signal: error?.signal ?? null, stdout, stderr });
    });
  });
}

test("bin/python -m pip trusts the certificates NODE_EXTRA_CA_CERTS names, alone or beside a PIP_CERT bundle", async () => {
  // Another CA's certificate: a PIP_CERT that does not cover the index, so only NODE_EXTRA_CA_CERTS can.
  const otherPath = join(work, "other.pem");
  execFileSync("openssl", ["req", "-x509", "-newkey", "rsa:2048", "-nodes", "-keyout", join(work, "other-key.pem"), "-out", otherPath, "-days", "2", "-subj", "/CN=other.kiln.test"], { stdio: "ignore" });
  for (const pipCert of [{}, { PIP_CERT: otherPath }] as Record<string, string>[]) {
    const install = ["-m", "pip", "install", "--index-url", index, "--no-cache-dir", "--retries", "0", "--force-reinstall", "cademo"];
    const installed = await python(install, { NODE_EXTRA_CA_CERTS: caPath, ...pipCert });
    assert.equal(installed.status, 0, installed.stderr);
    const imported = await python(["-c", "import cademo; print(cademo.VALUE)"], {});
    assert.equal(imported.stdout.trim(), "42", imported.stderr);
    const untrusted = await python(install, { NODE_EXTRA_CA_CERTS: "", ...pipCert });
    assert.notEqual(untrusted.status, 0, "without the variable the self-signed index is not trusted");
    assert.match(untrusted.stderr, /self-signed certificate/);
  }
});

test("Python sees NODE_EXTRA_CA_CERTS as the user set it, and Node does not read it at start (no warning for a missing file)", async () => {
  const script = "import os; print(repr(os.environ.get('NODE_EXTRA_CA_CERTS'))); print([k for k in os.environ if k.startswith('KILN_DEFERRED')])";
  for (const value of [caPath, "", "/nonexistent/ca.pem"]) {
    const result = await python(["-c", script], { NODE_EXTRA_CA_CERTS: value });
    assert.equal(result.status, 0, result.stderr);
    assert.deepEqual(result.stdout.trim().split("\n"), [`'${value}'`, "[]"]);
    assert.doesNotMatch(result.stderr, /extra certs/i);
  }
  const unset = await python(["-c", script], {});
  assert.deepEqual(unset.stdout.trim().split("\n"), ["None", "[]"]);
});
