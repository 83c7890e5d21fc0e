import { createHash } from "node:crypto";
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { Readable } from "node:stream";
import { join } from "node:path";
import { runCli } from "../../src/cli/main.js";
import { startLoopbackServer, type LoopbackServer, type Route } from "../index/loopback-server.js";
import { makeWheel, type MakeWheelOptions } from "../installer/make-wheel.js";

/** A wheel the test index serves. */
export type IndexWheel = MakeWheelOptions;

/** A PEP 503 index on loopback serving synthetic wheels, with `#sha256=` fragments. */
export interface TestIndex {
  /** The simple index URL (`…/simple/`). */
  url: string;
  server: LoopbackServer;
  /** Wheel file name → bytes, to write some to disk for path installs. */
  wheels: Map<string, Uint8Array>;
  close(): Promise<void>;
}

const sha256 = (bytes: Uint8Array) => createHash("sha256").update(bytes).digest("hex");

/**
 * Serves `wheels` as a PEP 503 index with `.metadata` files (PEP 658), so resolution needs no
 * range requests.
 *
 * @example
 * const index = await startTestIndex([{ name: "demo", version: "1.0" }]);
 */
export async function startTestIndex(wheels: readonly IndexWheel[]): Promise<TestIndex> {
  const routes: Record<string, Route> = {};
  const byProject = new Map<string, string[]>();
  const files = new Map<string, Uint8Array>();
  for (const options of wheels) {
    const { bytes, filename } = makeWheel(options);
    files.set(filename, bytes);
    const project = options.name.toLowerCase().replace(/[-_.]+/g, "-");
    const metadata = `Metadata-Version: 2.1\nName: ${options.name}\nVersion: ${options.version}\n${(options.requires ?? []).map((r) => `Requires-Dist: ${r}\n`).join("")}\n`;
    routes[`/files/${filename}`] = (_request, response) => response.writeHead(200, { "content-type": "application/octet-stream" }).end(bytes);
    routes[`/files/${filename}.metadata`] = (_request, response) => response.writeHead(200).end(metadata);
    const link = `<a href="../../files/${filename}#sha256=${sha256(bytes)}" data-dist-info-metadata="sha256=${sha256(new TextEncoder().encode(metadata))}">${filename}</a>`;
    byProject.set(project, [...(byProject.get(project) ?? []), link]);
  }
  for (const [project, links] of byProject) {
    routes[`/simple/${project}/`] = (_request, response) => response.writeHead(200, { "content-type": "text/html" }).end(`<!DOCTYPE html><html><body>\n${links.join("\n")}\n</body></html>`);
  }
  const server = await startLoopbackServer(routes);
  return { url: `${server.url}/simple/`, server, wheels: files, close: () => server.close() };
}

/** Runtimes a fake venv can record: the embedded one, or the previous ABI's. */
const fakeRuntimes = {
  "2026_0": { python: "3.14.2", pyodide: "314.0.7", tags: "pyemscripten_2026_0_wasm32 pyodide_2026_0_wasm32 emscripten_5_0_3_wasm32 any" },
  "2025_0": { python: "3.13.2", pyodide: "0.29.3", tags: "pyemscripten_2025_0_wasm32 pyodide_2025_0_wasm32 emscripten_4_0_9_wasm32 any" },
} as const;

/**
 * A directory laid out as `kiln venv` lays one out (pyvenv.cfg with the recorded runtime, bin,
 * site-packages), without starting the runtime: enough for install, list, show and check.
 *
 * @example
 * const venv = fakeVenv(); // { root, prefix, sitePackages }
 */
export function fakeVenv(options: { abi?: keyof typeof fakeRuntimes; runtime?: string } = {}): { root: string; prefix: string; sitePackages: string } {
  const abi = options.abi ?? "2026_0";
  const runtime = fakeRuntimes[abi];
  const [major, minor] = runtime.python.split(".");
  const root = mkdtempSync(join(tmpdir(), "kiln-pip-"));
  const prefix = join(root, ".venv-wasm");
  const sitePackages = join(prefix, "lib", `python${major}.${minor}`, "site-packages");
  mkdirSync(sitePackages, { recursive: true });
  mkdirSync(join(prefix, "bin"));
  writeFileSync(
    join(prefix, "pyvenv.cfg"),
    [
      "home = /usr/bin",
      "implementation = CPython",
      `version = ${runtime.python}`,
      "include-system-site-packages = false",
      "kiln = 0.1.0",
      `kiln-runtime = ${options.runtime ?? "bundled"}`,
      `kiln-pyodide-version = ${runtime.pyodide}`,
      `kiln-abi-version = ${abi}`,
      `kiln-platform-tag = ${runtime.tags.split(" ")[0]}`,
      `kiln-platform-tags = ${runtime.tags}`,
      `kiln-ext-suffix = .cpython-${major}${minor}-wasm32-emscripten.so`,
      `kiln-cache-tag = cpython-${major}${minor}`,
      "",
    ].join("\n"),
  );
  return { root, prefix, sitePackages };
}

/** Runs `kiln ARGS` in this process and captures its output. */
export async function kiln(args: string[], options: { cwd: string; env?: Record<string, string>; stdin?: string }): Promise<{ code: number; stdout: string; stderr: string }> {
  let stdout = "";
  let stderr = "";
  const code = await runCli(args, {
    stdout: { write: (text: string) => (stdout += text) },
    stderr: { write: (text: string) => (stderr += text) },
    // No byte-compiling (a runtime start per test): pip-install-bytecode.test.ts covers it.
    env: { KILN_CACHE_DIR: join(options.cwd, ".kiln-cache"), NO_COLOR: "1", PIP_CONFIG_FILE: "/dev/null", PIP_NO_COMPILE: "1", ...options.env },
    cwd: options.cwd,
    // Answers to questions (uninstall's "Proceed (Y/n)?"); without one, stdin is empty.
    stdin: Readable.from(options.stdin === undefined ? [] : [options.stdin]),
  });
  return { code, stdout, stderr };
}

/** Reads a file inside a directory as text. */
export function readText(...parts: string[]): string {
  return readFileSync(join(...parts), "utf8");
}

/**
 * A fresh fake venv with `pip(...args)` run in it and `installed()` listing its `*.dist-info`
 * directories; its root is pushed onto `roots` so the test file can remove it afterwards.
 *
 * @example
 * const env = pipEnvironment(roots);
 * await env.pip("install", "app", "--index-url", index.url);
 */
export function pipEnvironment(roots: string[], options: Parameters<typeof fakeVenv>[0] = {}) {
  const venv = fakeVenv(options);
  roots.push(venv.root);
  const pip = (...args: string[]) => kiln(["pip", ...args], { cwd: venv.root });
  const installed = () => readdirSync(venv.sitePackages).filter((name) => name.endsWith(".dist-info")).sort();
  return { ...venv, pip, installed };
}
