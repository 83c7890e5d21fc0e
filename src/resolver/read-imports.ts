import { bytesSource, openZip, type RandomAccessSource } from "../archive/index.js";
import { BlobCache, digestHex, readCacheRecord, writeCacheRecord } from "../cache/index.js";
import { HttpRangeSource, redactUrl, verifyHashes, type DistributionFile, type HttpSession } from "../index/index.js";
import { wheelImports } from "./wheel-imports.js";

/** Options for {@link readImports}. */
export interface ReadImportsOptions {
  session: HttpSession;
  /** How many wheels are read at once; default 16. */
  concurrency?: number;
}

/**
 * The top-level import names of each wheel, for `pyodide-lock.json`: from the Pyodide
 * repository's own record, from the wheel in the cache, else from the wheel's zip directory over
 * HTTP range requests (one request for most wheels; the whole wheel when the server ignores
 * ranges, which is then verified and cached). Answers are cached by the wheel's sha256. A wheel
 * that cannot be read (offline and not cached, a server error) gets no entry: its imports are
 * unknown, and the caller writes `[]`.
 *
 * @example
 * const imports = await readImports(packages.map((p) => p.wheels[0]!), { session });
 * imports.get(wheel.url); // ["attr", "attrs"]
 */
export async function readImports(wheels: readonly DistributionFile[], options: ReadImportsOptions): Promise<Map<string, string[]>> {
  const found = new Map<string, string[]>();
  const queue = [...wheels];
  const worker = async () => {
    for (let wheel = queue.shift(); wheel; wheel = queue.shift()) {
      try {
        const imports = await importsOf(wheel, options.session);
        if (imports) found.set(wheel.url, imports);
      } catch (error) {
        options.session.reporter.debug(`Cannot read the import names of ${redactUrl(wheel.url)}: ${(error as Error).message}`);
      }
    }
  };
  await Promise.all(Array.from({ length: Math.min(options.concurrency ?? 16, queue.length) }, worker));
  return found;
}

async function importsOf(wheel: DistributionFile, session: HttpSession): Promise<string[] | undefined> {
  if (wheel.pyodide) return wheel.pyodide.imports;
  if (!wheel.filename.endsWith(".whl")) return undefined;
  const sha256 = wheel.hashes.sha256 && /^[0-9a-f]{64}$/.test(wheel.hashes.sha256) ? wheel.hashes.sha256 : undefined;
  const key = sha256 && session.cache ? `metadata/v1/${await digestHex("sha256", new TextEncoder().encode(`imports:sha256:${sha256}`))}` : undefined;
  const cached = key ? await readCacheRecord<{ url: string }>(session.cache!, key) : undefined;
  if (cached) return JSON.parse(new TextDecoder().decode(cached.body)) as string[];
  const blob = sha256 && session.cache ? await new BlobCache(session.cache).get(sha256) : undefined;
  let source: RandomAccessSource;
  if (blob) source = bytesSource(blob);
  else if (session.offline) return undefined;
  else source = await HttpRangeSource.open(session, wheel.url);
  const imports = await wheelImports(await openZip(source));
  const whole = source instanceof HttpRangeSource ? source.wholeFile : undefined;
  if (whole) await session.storeVerifiedFile(whole, await verifyHashes(whole, wheel.hashes, redactUrl(wheel.url)));
  if (key) await writeCacheRecord(session.cache!, key, { url: wheel.url }, new TextEncoder().encode(JSON.stringify(imports)));
  return imports;
}
