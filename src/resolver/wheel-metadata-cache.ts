import type { DistributionFile } from "../index/index.js";
import { formatVersion, tryParseSpecifierSet, tryParseVersion, type Version } from "../pep440/index.js";
import { markerVariableNames, type Marker, type MarkerOperand, type MarkerTerm, type Requirement } from "../pep508/index.js";

/**
 * What the resolver keeps of a wheel's core metadata between runs: its Requires-Dist (the marker
 * as its parsed tree, the specifiers as text), Requires-Python, Provides-Extra and the name and
 * version as written. Plain JSON, so a cache stores it as it is.
 */
export interface WheelMetadataRecord {
  name: string;
  version: string;
  requiresPython?: string;
  /** Normalized Provides-Extra names. */
  extras: string[];
  /** `[name, extras, specifiers ("" for none), url ("" for none), marker (null for none)]`. */
  requiresDist: [string, string[], string, string, Marker | null][];
}

/**
 * Parsed metadata of wheels kept between runs, so resolving from wheels already seen reads one
 * store instead of each wheel's METADATA and parses no Requires-Dist text (parsing 108
 * requirements and 31 METADATA files of a typical set costs ~15–20 ms of a cold process).
 * `keyOf` names a wheel's exact content (its sha256, or a local file's identity: device, inode,
 * size and times), or is undefined when it cannot be told; a record is only ever found under
 * the key of the bytes it was read from. `src/platform/node-wheel-metadata-cache.ts` keeps them
 * in one file of kiln's cache.
 *
 * @example
 * const provider = new PythonProvider({ source, target, requirements, metadataCache: nodeWheelMetadataCache(cacheDir) });
 */
export interface WheelMetadataCache {
  keyOf(wheel: DistributionFile): Promise<string | undefined>;
  get(key: string): WheelMetadataRecord | undefined;
  set(key: string, record: WheelMetadataRecord): void;
}

/** What {@link decodeWheelMetadata} gives: the resolver's view of the metadata. */
export interface DecodedWheelMetadata {
  requiresDist: Requirement[];
  requiresPython?: string;
  extras: Set<string>;
  displayName: string;
  version: Version;
}

/**
 * The record of parsed metadata, for {@link WheelMetadataCache.set}.
 *
 * @example
 * cache.set(key, encodeWheelMetadata({ requiresDist, extras, displayName: "rich", version }));
 */
export function encodeWheelMetadata(metadata: DecodedWheelMetadata): WheelMetadataRecord {
  return {
    name: metadata.displayName,
    version: formatVersion(metadata.version),
    ...(metadata.requiresPython === undefined ? {} : { requiresPython: metadata.requiresPython }),
    extras: [...metadata.extras],
    requiresDist: metadata.requiresDist.map((requirement) => [
      requirement.name,
      [...requirement.extras],
      requirement.specifier.specifiers.map((specifier) => specifier.toString()).join(","),
      requirement.url ?? "",
      requirement.marker ?? null,
    ]),
  };
}

/**
 * The metadata a record holds, or undefined when the record is not one {@link encodeWheelMetadata}
 * could have written (a damaged or foreign store): the caller then reads the wheel's METADATA.
 *
 * @example
 * const metadata = decodeWheelMetadata(cache.get(key)) ?? readMetadataAgain();
 */
export function decodeWheelMetadata(record: unknown): DecodedWheelMetadata | undefined {
  if (typeof record !== "object" || record === null) return undefined;
  const { name, version: versionText, requiresPython, extras, requiresDist } = record as Partial<WheelMetadataRecord>;
  if (typeof name !== "string" || typeof versionText !== "string" || !isStringArray(extras) || !Array.isArray(requiresDist)) return undefined;
  if (requiresPython !== undefined && typeof requiresPython !== "string") return undefined;
  const version = tryParseVersion(versionText);
  if (version === undefined) return undefined;
  const requirements: Requirement[] = [];
  for (const row of requiresDist) {
    const requirement = decodeRequirement(row);
    if (requirement === undefined) return undefined;
    requirements.push(requirement);
  }
  return { requiresDist: requirements, ...(requiresPython === undefined ? {} : { requiresPython }), extras: new Set(extras), displayName: name, version };
}

function decodeRequirement(row: unknown): Requirement | undefined {
  if (!Array.isArray(row) || row.length !== 5) return undefined;
  const [name, extras, specifiers, url, marker] = row as unknown[];
  if (typeof name !== "string" || name === "" || !isStringArray(extras) || typeof specifiers !== "string" || typeof url !== "string") return undefined;
  if (marker !== null && !isMarker(marker)) return undefined;
  const specifier = tryParseSpecifierSet(specifiers);
  if (specifier === undefined) return undefined;
  return { name, extras, specifier, ...(url === "" ? {} : { url }), ...(marker === null ? {} : { marker: marker as Marker }) };
}

function isStringArray(value: unknown): value is string[] {
  return Array.isArray(value) && value.every((item) => typeof item === "string");
}

const variableNames: ReadonlySet<string> = new Set(markerVariableNames);
const comparisonOperators: ReadonlySet<string> = new Set(["<", "<=", "==", "!=", ">=", ">", "~=", "===", "in", "not in"]);

/** A marker tree as pep508's parser builds it (checked whole: evaluating a malformed one could throw or mislead). */
function isMarker(value: unknown, depth = 0): value is Marker {
  if (typeof value !== "object" || value === null || depth > 64) return false;
  const { kind, terms, operators } = value as Partial<Marker>;
  if (kind !== "marker" || !Array.isArray(terms) || !Array.isArray(operators) || terms.length === 0 || operators.length !== terms.length - 1) return false;
  if (!operators.every((operator) => operator === "and" || operator === "or")) return false;
  return terms.every((term: MarkerTerm) => (term?.kind === "marker" ? isMarker(term, depth + 1) : isComparison(term)));
}

function isComparison(value: unknown): boolean {
  if (typeof value !== "object" || value === null) return false;
  const { kind, left, operator, right } = value as { kind?: unknown; left?: unknown; operator?: unknown; right?: unknown };
  return kind === "comparison" && typeof operator === "string" && comparisonOperators.has(operator) && isOperand(left) && isOperand(right);
}

function isOperand(value: unknown): value is MarkerOperand {
  if (typeof value !== "object" || value === null) return false;
  const operand = value as { kind?: unknown; name?: unknown; value?: unknown };
  if (operand.kind === "variable") return typeof operand.name === "string" && variableNames.has(operand.name);
  return operand.kind === "string" && typeof operand.value === "string";
}
