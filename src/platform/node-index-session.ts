import { readFileSync, realpathSync } from "node:fs";
import { readFile } from "node:fs/promises";
import { homedir } from "node:os";
import { join } from "node:path";
import { silentReporter, KilnError, type Reporter } from "../core/index.js";
import { HttpSession, defaultRetryPolicy, type HttpClient, type IndexSettings } from "../index/index.js";
import { kilnCacheDir } from "./kiln-cache-dir.js";
import { netrcCredentials, parseNetrc } from "./netrc.js";
import { NodeCacheStore } from "./node-cache-store.js";
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
 * settings' proxy and CA bundle, `.netrc` credentials (`NETRC`, else `~/.netrc`, on Windows
 * `~/_netrc`), the cache directory, and the settings' timeout, retries and `--offline`.
 *
 * @example
 * const session = await createNodeHttpSession(settings, { env: process.env });
 * const source = buildPackageSource(settings, { session, files: nodeLocalFiles });
 */
export async function createNodeHttpSession(settings: IndexSettings, options: NodeHttpSessionOptions): Promise<HttpSession> {
  const { env } = options;
  const ca = settings.cert && !(await trustedByNode(settings.cert)) ? await readCaBundle(settings.cert, settings.origins.cert) : undefined;
  const netrc = await readNetrc(env);
  return new HttpSession({
    // KILN_HTTP2=0: HTTP/1.1 only, for a server or middlebox whose HTTP/2 misbehaves.
    http: lazyHttpClient({ env, proxy: settings.proxy, ca, http2: env.KILN_HTTP2 !== "0" }),
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
 * The `node:https` client, loaded on the first request: `node:http`, `node:https`, `node:http2`,
 * `node:tls` and `node:dns` cost ~20 ms of start-up, which a command that never connects (an
 * install from local wheels, everything cached) should not pay.
 */
function lazyHttpClient(options: NodeHttpClientOptions): HttpClient {
  let client: Promise<HttpClient> | undefined;
  return {
    request: async (request) => {
      client ??= import("./node-http.js").then(({ nodeHttpClient }) => nodeHttpClient(options));
      return (await client).request(request);
    },
  };
}

/**
 * Whether the bundle is the file `NODE_EXTRA_CA_CERTS` names, which Node already adds to its
 * roots at start-up: a second copy would only cost parsing a few hundred certificates into a
 * custom TLS context (PIP_CERT and NODE_EXTRA_CA_CERTS often name the system bundle both).
 */
async function trustedByNode(path: string): Promise<boolean> {
  // The variable as this process started with it: Node read it then, not from a command's env.
  const extra = process.env.NODE_EXTRA_CA_CERTS;
  if (!extra) return false;
  // Synchronously (as readNetrc): thread-pool round trips cost more than these calls before every command that indexes.
  const real = (file: string) => {
    try {
      return realpathSync.native(file);
    } catch {
      return undefined;
    }
  };
  const a = real(path);
  return a !== undefined && a === real(extra);
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
