import { listVersionedFiles, type DistributionFile, type PackageSource, type VersionedFiles } from "../index/index.js";
import type { WheelMetadataCache } from "../resolver/index.js";

/**
 * A source whose metadata declares no dependencies: how `--no-deps` resolves. The resolver still
 * picks each named requirement's best version under the constraints, `--pre`, `Requires-Python`
 * and the target's tags, but follows no `Requires-Dist`.
 *
 * @example
 * await resolveRequirements(["pytest"], { source: withoutDependencies(source), target }); // only pytest
 */
export function withoutDependencies(inner: PackageSource): PackageSource {
  return {
    ...(inner.withoutFallbacks ? { withoutFallbacks: () => withoutDependencies(inner.withoutFallbacks!()) } : {}),
    name: inner.name,
    url: inner.url,
    // The Pyodide repository's files carry their dependencies as `depends`.
    listFiles: async (project, options) => (await inner.listFiles(project, options)).map(withoutDepends),
    listVersions: async (project, options = {}) => {
      const { onStale, ...rest } = options;
      return stripListing(await listVersionedFiles(inner, project, { ...rest, ...(onStale ? { onStale: (stale) => onStale(stripListing(stale)) } : {}) }));
    },
    fetchFile: (file, options) => inner.fetchFile(file, options),
    fetchMetadata: async (file, options) => stripRequiresDist(await inner.fetchMetadata(file, options)),
  };
}

/**
 * The parsed-metadata cache as `--no-deps` sees it: a wheel's record without its Requires-Dist,
 * what the resolver would have parsed from {@link stripRequiresDist}'s text (name, version,
 * Requires-Python and extras do not depend on Requires-Dist). Nothing is stored through it: what
 * `--no-deps` reads is stripped, not the wheel's own metadata, which is all the cache may hold.
 *
 * @example
 * await resolveRequirements(["pytest"], { source: withoutDependencies(source), target, metadataCache: withoutDependencyRecords(cache) });
 */
export function withoutDependencyRecords(inner: WheelMetadataCache): WheelMetadataCache {
  return {
    keyOf: (wheel) => inner.keyOf(wheel),
    get: (key) => {
      const record = inner.get(key);
      return record === undefined ? undefined : { ...record, requiresDist: [] };
    },
    set: () => undefined,
  };
}

function withoutDepends(file: DistributionFile): DistributionFile {
  return file.pyodide ? { ...file, pyodide: { ...file.pyodide, depends: [] } } : file;
}

/** The same listing with {@link withoutDepends} applied; one wrapper per listing, so an unchanged page stays the same object. */
const stripped = new WeakMap<VersionedFiles, VersionedFiles>();

function stripListing(listing: VersionedFiles): VersionedFiles {
  let wrapper = stripped.get(listing);
  if (!wrapper) {
    const groups = new Map<string, readonly DistributionFile[]>();
    wrapper = {
      versions: listing.versions,
      filesOf: (version) => {
        let files = groups.get(version);
        if (!files) groups.set(version, (files = listing.filesOf(version).map(withoutDepends)));
        return files;
      },
      all: () => listing.all().map(withoutDepends),
    };
    stripped.set(listing, wrapper);
  }
  return wrapper;
}

/**
 * Drops `Requires-Dist` headers (with their folded continuation lines) from core metadata text;
 * the body after the first blank line is left alone.
 *
 * @example
 * stripRequiresDist("Name: a\nRequires-Dist: b\nVersion: 1\n\nbody"); // "Name: a\nVersion: 1\n\nbody"
 */
export function stripRequiresDist(text: string): string {
  const lines = text.split(/(?<=\n)/);
  const out: string[] = [];
  let dropping = false;
  for (let index = 0; index < lines.length; index++) {
    const line = lines[index]!;
    if (line === "\n" || line === "\r\n") {
      out.push(...lines.slice(index));
      break;
    }
    if (/^[ \t]/.test(line)) {
      if (!dropping) out.push(line);
      continue;
    }
    dropping = /^requires-dist\s*:/i.test(line);
    if (!dropping) out.push(line);
  }
  return out.join("");
}
