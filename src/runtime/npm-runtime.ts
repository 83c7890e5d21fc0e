import { KilnError } from "../core/index.js";

/** One file of a runtime package, its path relative to the package root. */
export interface RuntimeFile {
  path: string;
  mode: number;
  data: Uint8Array;
}

/** Options for fetching a Pyodide runtime from the npm registry. */
export interface NpmRuntimeFetchOptions {
  /** The registry's base URL, ending in `/`. */
  registry: string;
  fetch: typeof globalThis.fetch;
}

/** The default npm registry. */
export const defaultNpmRegistry = "https://registry.npmjs.org/";

/**
 * True when `version` satisfies a runtime request: an exact version (`0.29.3`), a partial one
 * (`0.29`) or one with an `x` wildcard (`0.29.x`). Pre-releases only match exactly.
 *
 * @example
 * matchesRuntimeRequest("0.29.3", "0.29.x"); // true
 */
export function matchesRuntimeRequest(version: string, request: string): boolean {
  if (version === request) return true;
  if (version.includes("-")) return false;
  const wanted = request.replace(/(\.[x*])+$/i, "").split(".");
  const parts = version.split(".");
  return wanted.length < 3 && wanted.every((part, index) => part === parts[index]);
}

/** True when `request` names one exact version. */
export function isExactRuntimeRequest(request: string): boolean {
  return /^\d+\.\d+\.\d+(-[0-9A-Za-z.]+)?$/.test(request);
}

/**
 * The newest published `pyodide` version matching `request`, from the registry's package document.
 *
 * @example
 * await resolveNpmRuntimeVersion("0.29.x", { registry: defaultNpmRegistry, fetch }); // "0.29.5"
 */
export async function resolveNpmRuntimeVersion(request: string, options: NpmRuntimeFetchOptions): Promise<string> {
  if (isExactRuntimeRequest(request)) return request;
  const document = (await getJson(`${options.registry}pyodide`, options)) as { versions?: Record<string, unknown> };
  const matching = Object.keys(document.versions ?? {}).filter((version) => matchesRuntimeRequest(version, request));
  const newest = matching.sort(compareVersions).pop();
  if (newest === undefined) {
    throw new KilnError("runtimeNotFound", `No published pyodide version matches "${request}"`, {
      hint: "See the versions with: npm view pyodide versions",
    });
  }
  return newest;
}

/**
 * Downloads `pyodide@version` from the npm registry, checks the tarball against the registry's
 * `dist.integrity` (SHA-512), and returns its files with the leading `package/` removed.
 *
 * @example
 * const files = await fetchNpmRuntime("0.29.3", { registry: defaultNpmRegistry, fetch });
 */
export async function fetchNpmRuntime(version: string, options: NpmRuntimeFetchOptions): Promise<RuntimeFile[]> {
  const manifest = (await getJson(`${options.registry}pyodide/${encodeURIComponent(version)}`, options)) as {
    dist?: { tarball?: string; integrity?: string };
  };
  const tarball = manifest.dist?.tarball;
  const integrity = manifest.dist?.integrity;
  if (!tarball || !integrity?.startsWith("sha512-")) {
    throw new KilnError("runtimeInvalid", `The registry's entry for pyodide@${version} has no tarball with a sha512 integrity`);
  }
  const bytes = await getBytes(tarball, options);
  const digest = new Uint8Array(await crypto.subtle.digest("SHA-512", bytes as Uint8Array<ArrayBuffer>));
  if (toBase64(digest) !== integrity.slice("sha512-".length)) {
    throw new KilnError("runtimeInvalid", `The tarball of pyodide@${version} does not match the registry's integrity ${integrity}`, {
      hint: "Try again; if it persists, the registry or a proxy serves a different file",
    });
  }
  // Loaded here, not at the top: every `kiln run` imports this module through the runtime's index,
  // and only a first fetch of a runtime needs the archive code.
  const { openTar } = await import("../archive/index.js");
  const archive = await openTar(bytes, { name: `pyodide-${version}.tgz` });
  return archive.entries
    .filter((entry) => entry.type === "file")
    .map((entry) => ({ path: packagePath(entry.path, version), mode: entry.mode, data: entry.data }));
}

function packagePath(path: string, version: string): string {
  const [top, ...inner] = path.split("/");
  if (top !== "package" || inner.length === 0) {
    throw new KilnError("runtimeInvalid", `The tarball of pyodide@${version} holds "${path}" outside its package/ directory`);
  }
  return inner.join("/");
}

async function getJson(url: string, options: NpmRuntimeFetchOptions): Promise<unknown> {
  const bytes = await getBytes(url, options, "application/json");
  try {
    return JSON.parse(new TextDecoder().decode(bytes));
  } catch (error) {
    throw new KilnError("runtimeNotFound", `Cannot read the npm registry's answer from ${url}: not JSON`, { cause: error });
  }
}

async function getBytes(url: string, options: NpmRuntimeFetchOptions, accept?: string): Promise<Uint8Array<ArrayBuffer>> {
  let response: Response;
  try {
    response = await options.fetch(url, accept ? { headers: { accept } } : {});
  } catch (error) {
    throw new KilnError("runtimeNotFound", `Cannot reach the npm registry at ${url}: ${(error as Error).message}`, {
      cause: error,
      hint: "Check the network, or set npm_config_registry to a reachable registry",
    });
  }
  if (!response.ok) {
    throw new KilnError("runtimeNotFound", `The npm registry answered ${response.status} for ${url}`, {
      hint: response.status === 404 ? "Check the version: npm view pyodide versions" : "Try again later",
    });
  }
  return new Uint8Array(await response.arrayBuffer());
}

function toBase64(bytes: Uint8Array): string {
  let binary = "";
  for (const byte of bytes) binary += String.fromCharCode(byte);
  return btoa(binary);
}

function compareVersions(a: string, b: string): number {
  const pa = a.split(/[.-]/).map((part) => Number(part));
  const pb = b.split(/[.-]/).map((part) => Number(part));
  for (let index = 0; index < 3; index++) {
    const difference = (pa[index] ?? 0) - (pb[index] ?? 0);
    if (difference !== 0) return difference;
  }
  return 0;
}
