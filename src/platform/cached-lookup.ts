import { lookup as dnsLookup, type LookupAddress, type LookupAllOptions, type LookupOptions } from "node:dns";

type LookupCallback = (error: NodeJS.ErrnoException | null, address: string | LookupAddress[], family?: number) => void;

/** Options for {@link cachedLookup}. */
export interface CachedLookupOptions {
  /** How long an answer is reused; default 60 s. */
  ttlMs?: number;
  /** The resolver to cache; `dns.lookup` by default. */
  resolve?: (hostname: string) => Promise<LookupAddress[]>;
  now?: () => number;
}

/**
 * A `lookup` for `http.Agent` that asks the system resolver once per host name and shares the
 * answer (and any lookup in flight) between every connection for `ttlMs`. Node otherwise calls
 * `getaddrinfo` for each new socket; opening tens of connections at once to one index then
 * costs tens of identical queries, and on a resolver that drops a query now and then each drop
 * stalls its connection for the resolver's 5 s retry timeout. A failed lookup is not kept.
 *
 * @example
 * const agent = new https.Agent({ keepAlive: true, lookup: cachedLookup() });
 */
export function cachedLookup(options: CachedLookupOptions = {}) {
  const ttlMs = options.ttlMs ?? 60_000;
  const now = options.now ?? Date.now;
  const resolve = options.resolve ?? systemLookup;
  const answers = new Map<string, { expires: number; addresses: Promise<LookupAddress[]> }>();
  return (hostname: string, lookupOptions: LookupOptions | LookupAllOptions, callback: LookupCallback): void => {
    let entry = answers.get(hostname);
    if (!entry || entry.expires <= now()) {
      entry = { expires: now() + ttlMs, addresses: resolve(hostname) };
      answers.set(hostname, entry);
      const current = entry;
      current.addresses.catch(() => {
        if (answers.get(hostname) === current) answers.delete(hostname);
      });
    }
    entry.addresses.then(
      (addresses) => {
        const wanted = lookupOptions.family === 4 || lookupOptions.family === 6 ? addresses.filter((a) => a.family === lookupOptions.family) : addresses;
        if (wanted.length === 0) {
          callback(Object.assign(new Error(`getaddrinfo ENOTFOUND ${hostname}`), { code: "ENOTFOUND", hostname }), []);
        } else if (lookupOptions.all) callback(null, wanted);
        else callback(null, wanted[0]!.address, wanted[0]!.family);
      },
      (error: NodeJS.ErrnoException) => callback(error, []),
    );
  };
}

function systemLookup(hostname: string): Promise<LookupAddress[]> {
  return new Promise((resolve, reject) => dnsLookup(hostname, { all: true }, (error, addresses) => (error ? reject(error) : resolve(addresses))));
}
