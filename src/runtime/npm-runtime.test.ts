import { strict as assert } from "node:assert";
import { test } from "node:test";
import { isKilnError } from "../core/index.js";
import { fetchNpmRuntime, matchesRuntimeRequest, resolveNpmRuntimeVersion } from "./npm-runtime.js";

const requests: Array<[string, string, boolean]> = [
  ["0.29.3", "0.29.3", true],
  ["0.29.3", "0.29.x", true],
  ["0.29.3", "0.29", true],
  ["0.29.3", "0.29.*", true],
  ["0.29.3", "0.2", false],
  ["0.290.1", "0.29", false],
  ["0.28.3", "0.29.x", false],
  ["315.0.0-alpha.1", "315.0.x", false],
  ["315.0.0-alpha.1", "315.0.0-alpha.1", true],
  ["314.0.7", "314", true],
];

for (const [version, request, expected] of requests) {
  test(`pyodide ${version} ${expected ? "matches" : "does not match"} "${request}"`, () => {
    assert.equal(matchesRuntimeRequest(version, request), expected);
  });
}

/** A minimal ustar archive, then gzip: enough to stand in for an npm tarball. */
async function tgz(files: Record<string, string>): Promise<Uint8Array> {
  const blocks: Uint8Array<ArrayBuffer>[] = [];
  for (const [path, text] of Object.entries(files)) {
    const data = new TextEncoder().encode(text);
    const header = new Uint8Array(512);
    const put = (offset: number, value: string) => header.set(new TextEncoder().encode(value), offset);
    put(0, path);
    put(100, "0000644\0");
    put(108, "0000000\0");
    put(116, "0000000\0");
    put(124, `${data.length.toString(8).padStart(11, "0")}\0`);
    put(136, "00000000000\0");
    put(148, "        ");
    put(156, "0");
    put(257, "ustar\u000000");
    const sum = header.reduce((total, byte) => total + byte, 0);
    put(148, `${sum.toString(8).padStart(6, "0")}\0 `);
    blocks.push(header, data, new Uint8Array((512 - (data.length % 512)) % 512));
  }
  blocks.push(new Uint8Array(1024));
  const tar = new Uint8Array(await new Blob(blocks).arrayBuffer());
  const stream = new Blob([tar]).stream().pipeThrough(new CompressionStream("gzip"));
  return new Uint8Array(await new Response(stream).arrayBuffer());
}

async function integrityOf(bytes: Uint8Array): Promise<string> {
  const digest = new Uint8Array(await crypto.subtle.digest("SHA-512", bytes as Uint8Array<ArrayBuffer>));
  return `sha512-${btoa(String.fromCharCode(...digest))}`;
}

/** A registry in a function: a map from URL to a response body or status. */
function registry(routes: Record<string, unknown>): typeof fetch {
  return (async (input: string | URL | Request) => {
    const url = String(input);
    const body = routes[url];
    if (body === undefined) return new Response("not found", { status: 404 });
    if (typeof body === "number") return new Response("error", { status: body });
    if (body instanceof Uint8Array) return new Response(body as Uint8Array<ArrayBuffer>);
    return new Response(typeof body === "string" ? body : JSON.stringify(body));
  }) as typeof fetch;
}

const base = "http://registry.test/";

test("a runtime is fetched, verified and unpacked without its package/ prefix", async () => {
  const tarball = await tgz({ "package/package.json": '{"version":"0.29.3"}', "package/pyodide.mjs": "export {}" });
  const fetch = registry({
    [`${base}pyodide/0.29.3`]: { dist: { tarball: `${base}t.tgz`, integrity: await integrityOf(tarball) } },
    [`${base}t.tgz`]: tarball,
  });
  const files = await fetchNpmRuntime("0.29.3", { registry: base, fetch });
  assert.deepEqual(files.map((file) => file.path).sort(), ["package.json", "pyodide.mjs"]);
  assert.equal(new TextDecoder().decode(files.find((file) => file.path === "pyodide.mjs")!.data), "export {}");
});

test("a range resolves to the newest matching release, never a pre-release", async () => {
  const fetch = registry({ [`${base}pyodide`]: { versions: { "0.29.1": {}, "0.29.10": {}, "0.29.2": {}, "0.30.0": {}, "0.29.11-alpha.1": {} } } });
  assert.equal(await resolveNpmRuntimeVersion("0.29.x", { registry: base, fetch }), "0.29.10");
  await assert.rejects(resolveNpmRuntimeVersion("0.31", { registry: base, fetch }), (error) => isKilnError(error, "runtimeNotFound"));
});

const hostile: Array<[string, () => Promise<Record<string, unknown>>, string, RegExp]> = [
  [
    "a tarball that does not match its integrity",
    async () => ({
      [`${base}pyodide/1.0.0`]: { dist: { tarball: `${base}t.tgz`, integrity: await integrityOf(new Uint8Array([1])) } },
      [`${base}t.tgz`]: await tgz({ "package/x": "x" }),
    }),
    "runtimeInvalid",
    /does not match the registry's integrity/,
  ],
  [
    "a tarball with a file outside package/",
    async () => {
      const tarball = await tgz({ "package/x": "x", "other/evil": "x" });
      return { [`${base}pyodide/1.0.0`]: { dist: { tarball: `${base}t.tgz`, integrity: await integrityOf(tarball) } }, [`${base}t.tgz`]: tarball };
    },
    "runtimeInvalid",
    /outside its package\/ directory/,
  ],
  ["an unknown version", async () => ({}), "runtimeNotFound", /answered 404/],
  ["a registry that errors", async () => ({ [`${base}pyodide/1.0.0`]: 503 }), "runtimeNotFound", /answered 503/],
  ["a registry that answers garbage", async () => ({ [`${base}pyodide/1.0.0`]: "<html>" }), "runtimeNotFound", /not JSON/],
  ["a manifest without integrity", async () => ({ [`${base}pyodide/1.0.0`]: { dist: { tarball: `${base}t.tgz` } } }), "runtimeInvalid", /no tarball with a sha512/],
];

for (const [name, routes, code, message] of hostile) {
  test(`fetching a runtime refuses ${name}`, async () => {
    const fetch = registry(await routes());
    await assert.rejects(fetchNpmRuntime("1.0.0", { registry: base, fetch }), (error) => isKilnError(error) && error.code === code && message.test(error.message));
  });
}
