/**
 * The proxy URL to use for a request, from the explicit setting (pip's `proxy`) or the usual
 * variables: `HTTPS_PROXY`/`https_proxy` for https, `HTTP_PROXY`/`http_proxy` for http, then
 * `ALL_PROXY`; `NO_PROXY`/`no_proxy` (comma-separated hosts, `.domain` or `domain` suffixes,
 * optional `:port`, `*`, IP addresses) exempts a host. Loopback is never proxied implicitly.
 *
 * @example
 * proxyFor(new URL("https://pypi.org/simple/"), { HTTPS_PROXY: "http://proxy:3128" }); // "http://proxy:3128"
 */
export function proxyFor(url: URL, env: Record<string, string | undefined>, explicit?: string): string | undefined {
  if (isExempt(url, env.NO_PROXY ?? env.no_proxy ?? "")) return undefined;
  if (explicit) return explicit;
  const https = url.protocol === "https:";
  const fromEnv = https ? (env.HTTPS_PROXY ?? env.https_proxy) : (env.http_proxy ?? env.HTTP_PROXY);
  const chosen = fromEnv || env.ALL_PROXY || env.all_proxy;
  if (!chosen || isLoopback(url.hostname)) return undefined;
  return /^[a-z][a-z0-9+.-]*:\/\//i.test(chosen) ? chosen : `http://${chosen}`;
}

function isExempt(url: URL, noProxy: string): boolean {
  const host = url.hostname.toLowerCase().replace(/^\[|\]$/g, "");
  const port = url.port || (url.protocol === "https:" ? "443" : "80");
  for (const raw of noProxy.split(/[,\s]+/).filter(Boolean)) {
    if (raw === "*") return true;
    const match = /^(.*?)(?::(\d+))?$/.exec(raw.toLowerCase().replace(/^\[|\]$/g, ""))!;
    const [entryHost, entryPort] = [match[1]!.replace(/^\*?\./, "."), match[2]];
    if (entryPort && entryPort !== port) continue;
    const bare = entryHost.replace(/^\./, "");
    if (host === bare || host.endsWith(`.${bare}`)) return true;
  }
  return false;
}

function isLoopback(hostname: string): boolean {
  return hostname === "localhost" || hostname === "127.0.0.1" || hostname === "[::1]" || hostname === "::1";
}
