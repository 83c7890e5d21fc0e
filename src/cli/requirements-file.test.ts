import { strict as assert } from "node:assert";
import { rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, test } from "node:test";
import { pathToFileURL } from "node:url";
import { isKilnError } from "../core/index.js";
import { startLoopbackServer, type LoopbackServer } from "../../test/index/loopback-server.js";
import { readRequirementsLocation, requirementsReader } from "./requirements-file.js";

// A remote -r file is fetched with the index's timeouts: a server that stalls or trickles bytes
// cannot hold `kiln lock -r https://…` forever.
const text = "packaging==26.3\n# a comment that makes the file longer than a few bytes\n";
let server: LoopbackServer;

before(async () => {
  server = await startLoopbackServer({
    "/ok.txt": (_q, response) => response.writeHead(200, { "content-type": "text/plain" }).end(text),
    "/missing.txt": (_q, response) => response.writeHead(404).end(),
    "/stall.txt": () => {},
    // Each byte restarts an idle timer; unguarded, the file arrives whole after ~1.5 s.
    "/trickle.txt": (_q, response) => {
      response.writeHead(200, { "content-type": "text/plain", "content-length": String(text.length) });
      let sent = 0;
      const timer = setInterval(() => {
        response.write(text.slice(sent, ++sent));
        if (sent === text.length) {
          clearInterval(timer);
          response.end();
        }
      }, 20);
      response.on("close", () => clearInterval(timer));
    },
  });
});

after(() => server.close());

test("readRequirementsLocation reads an http URL", async () => {
  assert.equal(await readRequirementsLocation(`${server.url}/ok.txt`, { timeoutMs: 2_000 }), text);
});

for (const [path, message] of [
  ["/missing.txt", /Cannot read requirements file ".*\/missing\.txt": .* answered HTTP 404/],
  ["/stall.txt", /Cannot read requirements file ".*\/stall\.txt": No response from .* for 300 ms \(gave up after 4 attempts\)/],
  ["/trickle.txt", /Cannot read requirements file ".*\/trickle\.txt": .* sent only \d+ bytes in 300 ms \(gave up after 4 attempts\)/],
] as const) {
  test(`readRequirementsLocation of ${path} is an invalidRequirementsFile error naming the URL`, async () => {
    await assert.rejects(readRequirementsLocation(`${server.url}${path}`, { timeoutMs: 300 }), (error) => {
      assert.ok(isKilnError(error, "invalidRequirementsFile"), (error as Error).message);
      assert.match(error.message, message);
      assert.ok(error.hint);
      return true;
    });
  });
}

// A command's reader takes the timeout of the user's index settings (--timeout, PIP_TIMEOUT,
// UV_HTTP_TIMEOUT, pip.conf) as the index does, and refuses an invalid one as the index does;
// a local file is read without them.
const noConfig = { PIP_CONFIG_FILE: "/dev/null" };
const readerCases = [
  { name: "PIP_TIMEOUT", options: { env: { ...noConfig, PIP_TIMEOUT: "0.3" } }, outcome: /sent only \d+ bytes in 300 ms/ },
  { name: "--timeout over UV_HTTP_TIMEOUT", options: { env: { ...noConfig, UV_HTTP_TIMEOUT: "60" }, timeout: "0.3" }, outcome: /sent only \d+ bytes in 300 ms/ },
  { name: "an invalid UV_HTTP_TIMEOUT", options: { env: { ...noConfig, UV_HTTP_TIMEOUT: "soon" } }, outcome: /UV_HTTP_TIMEOUT must be a number of seconds, not "soon"/ },
] as const;

for (const { name, options, outcome } of readerCases) {
  test(`requirementsReader: a remote file with ${name}`, async () => {
    const read = requirementsReader({ cwd: tmpdir(), ...options });
    await assert.rejects(read(`${server.url}/trickle.txt`), (error) => {
      assert.match((error as Error).message, outcome);
      return true;
    });
  });
}

test("requirementsReader: a local file is read without the index settings", async () => {
  const path = join(tmpdir(), `kiln-requirements-${process.pid}.txt`);
  writeFileSync(path, text);
  after(() => rmSync(path, { force: true }));
  const read = requirementsReader({ cwd: tmpdir(), env: { ...noConfig, PIP_TIMEOUT: "soon" } });
  assert.equal(await read(pathToFileURL(path).href), text);
});
