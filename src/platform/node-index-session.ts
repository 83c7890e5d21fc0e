import { readFileSync, realpathSync } from "node:fs";
import { readFile } from "./node-fs-promises.js";
import { homedir } from "node:os";
import { join } from "node:path";
import { silentReporter, KilnError, type Reporter } from "../core/index.js";
import { HttpSession, defaultRetryPolicy, type HttpClient, type IndexSettings } from "../index/index.js";
import { kilnCacheDir } from "./kiln-cache-dir.js";
import { netrcCredentials, parseNetrc } from "./netrc.js";
import { NodeCacheStore } from "./node-cache-store.js";
import { deferredExtraCaCerts } from "./node-extra-ca-certs.js";
import type { NodeHttpClientOptions } from "./node-http.js";

/** Options for {@link createNodeHttpSession}. */
export interface NodeHttpSessionOptions {
  env: Record<string, string | undefined>;
  /** The cache root; `kilnCacheDir(env)` when absent; `false` for no cache (`--no-cache`). */
  cacheDir?: string | false;
  refresh?: boolean;
  reporter?: Reporter;
}

/**
 * The {@link HttpSession} a kiln command uses in Node: the `node:https` client with the
 * settings' proxy and CA bundle (both taken up on the first request), `.netrc` credentials (`NETRC`, else `~/.netrc`, on Windows
 * `~/_netrc`), the cache directory, and the settings' timeout, retries and `--offline`.
 *
 * @example
 * const session = await createNodeHttpSession(settings, { env: process.env });
 * const source = buildPackageSource(settings, { session, files: nodeLocalFiles });
 */
export async function createNodeHttpSession(settings: IndexSettings, options: NodeHttpSessionOptions): Promise<HttpSession> {
  const { env } = options;
  const netrc = await readNetrc(env);
  return new HttpSession({
    // KILN_HTTP2=0: HTTP/1.1 only, for a server or middlebox whose HTTP/2 misbehaves.
    http: lazyHttpClient({ env, proxy: settings.proxy, http2: env.KILN_HTTP2 !== "0" }, () => extraRoots(settings)),
    cache: options.cacheDir === false ? undefined : new NodeCacheStore(options.cacheDir ?? kilnCacheDir(env)),
    offline: settings.offline,
    refresh: options.refresh,
    retry: settings.retries === undefined ? defaultRetryPolicy : { ...defaultRetryPolicy, retries: settings.retries },
    idleTimeoutMs: settings.timeoutMs,
    reporter: options.reporter ?? silentReporter,
    credentialsFor: netrc ? (url) => netrcCredentials(netrc, url) : undefined,
  });
}

/**
 * The `node:https` client, loaded on the first request with the CA bundle `roots` reads:
 * `node:http`, `node:https`, `node:http2`, `node:tls` and `node:dns` cost ~20 ms of start-up, and
 * a system bundle (`SSL_CERT_FILE`, often set) ~200 kB read on the thread pool, which a command
 * that never connects (an install from local wheels, everything cached) should not pay. As pip
 * does, a CA bundle that cannot be used fails the first request (and every later one), not a
 * command that makes none.
 */
function lazyHttpClient(options: Omit<NodeHttpClientOptions, "ca">, roots: () => Promise<string | undefined>): HttpClient {
  let client: Promise<HttpClient> | undefined;
  return {
    request: async (request) => {
      client ??= Promise.all([import("./node-http.js"), roots()]).then(([{ nodeHttpClient }, ca]) => nodeHttpClient(ca === undefined ? options : { ...options, ca }));
      return (await client).request(request);
    },
  };
}

/**
 * The certificates to trust beside Node's bundled roots when kiln needs a TLS context of its own:
 * the settings' bundle (`--cert`, `PIP_CERT`, `SSL_CERT_FILE`, …), and with it the
 * `NODE_EXTRA_CA_CERTS` file, which a custom context would otherwise drop (Node adds that file
 * only to its default context), or which the launcher kept from Node's start (see
 * `node-extra-ca-certs.ts`). Undefined when Node's default context already trusts everything
 * (no bundle, or the bundle is the file Node loaded: PIP_CERT and NODE_EXTRA_CA_CERTS often name
 * the same system bundle, and a second copy would only cost parsing it). An unreadable
 * `NODE_EXTRA_CA_CERTS` is left out, as Node leaves it out with a warning.
 */
async function extraRoots(settings: IndexSettings): Promise<string | undefined> {
  const nodeExtra = process.env.NODE_EXTRA_CA_CERTS || undefined;
  const deferred = deferredExtraCaCerts() !== undefined;
  const same = settings.cert !== undefined && nodeExtra !== undefined && sameFile(settings.cert, nodeExtra);
  if (!deferred && (settings.cert === undefined || same)) return undefined;
  const bundles: string[] = [];
  if (settings.cert) bundles.push(await readCaBundle(settings.cert, settings.origins.cert));
  if (nodeExtra && !same) bundles.push(await readFile(nodeExtra, "utf8").catch(() => ""));
  const pem = bundles.filter(Boolean).join("\n");
  return pem === "" ? undefined : pem;
}

/** Whether two paths name the same file (synchronously, as readNetrc: thread-pool round trips cost more than these calls before every command that indexes). */
function sameFile(a: string, b: string): boolean {
  const real = (file: string) => {
    try {
      return realpathSync.native(file);
    } catch {
      return undefined;
    }
  };
  const first = real(a);
  return first !== undefined && first === real(b);
}

async function readCaBundle(path: string, origin: string | undefined): Promise<string> {
  try {
    const text = await readFile(path, "utf8");
    if (!text.includes("-----BEGIN CERTIFICATE-----")) throw new Error("it holds no PEM certificate");
    return text;
  } catch (error) {
    throw new KilnError("invalidIndexConfig", `Cannot use the CA bundle ${path}${origin ? ` (from ${origin})` : ""}: ${(error as Error).message}`, {
      hint: "Point SSL_CERT_FILE, PIP_CERT or --cert at a PEM file of CA certificates",
    });
  }
}

async function readNetrc(env: Record<string, string | undefined>) {
  const path = env.NETRC ?? join(env.HOME ?? homedir(), process.platform === "win32" ? "_netrc" : ".netrc");
  let text: string;
  try {
    text = readFileSync(path, "utf8");
  } catch {
    return undefined;
  }
  return parseNetrc(text);
}
