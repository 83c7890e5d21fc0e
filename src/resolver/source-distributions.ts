import type { DistributionFile } from "../index/index.js";
import { normalizeName } from "../pep508/index.js";

/**
 * What the resolver needs to use sdists: the core metadata of the wheel an sdist would build. The
 * resolver cannot build (builds run a PEP 517 backend in the WASM runtime, a higher layer); the
 * caller injects this, typically `prepareSdistMetadata` of src/build, cached by the sdist's hash.
 * It throws a `nativeBuildUnsupported` KilnError for a project that needs a compiler.
 *
 * @example
 * const sdists: SdistMetadataProvider = { metadata: (file) => prepareFromSource(file) };
 * await resolveRequirements(["docopt"], { source, sdists });
 */
export interface SdistMetadataProvider {
  metadata(file: DistributionFile): Promise<string>;
}

/** pip's `--only-binary` and `--no-binary`: normalized names, and `:all:` for every project. */
export interface BinaryPolicy {
  /** Never use sdists of these. */
  onlyBinary: ReadonlySet<string>;
  /** Never use wheels of these (build the sdist). */
  noBinary: ReadonlySet<string>;
}

/** Which distributions of a project a resolution may use. */
export type DistributionChoice = "wheels" | "sdists" | "either";

/**
 * The choice for one project, in pip's order (`FormatControl.get_allowed_formats`): a name in
 * `onlyBinary`, a name in `noBinary`, then `:all:` in `onlyBinary`, then `:all:` in `noBinary`.
 * Wheels only when nothing can build sdists.
 *
 * @example
 * distributionChoice("Docopt", { onlyBinary: new Set([":all:"]), noBinary: new Set(["docopt"]) }, true); // "sdists"
 */
export function distributionChoice(name: string, policy: BinaryPolicy | undefined, canBuild: boolean): DistributionChoice {
  if (!canBuild) return "wheels";
  if (!policy) return "either";
  const normalized = normalizeName(name);
  if (policy.onlyBinary.has(normalized)) return "wheels";
  if (policy.noBinary.has(normalized)) return "sdists";
  if (policy.onlyBinary.has(":all:")) return "wheels";
  if (policy.noBinary.has(":all:")) return "sdists";
  return "either";
}

/**
 * Reads `--only-binary`/`--no-binary` values as pip does: comma-separated names, `:all:`, and
 * `:none:` to clear what came before in the same flag; a name given to one flag is taken out of
 * the other, and `:all:` in one clears the other (in the order: --only-binary, then --no-binary).
 *
 * @example
 * parseBinaryPolicy({ onlyBinary: [":all:"], noBinary: ["docopt"] }); // docopt from source, the rest wheels
 */
export function parseBinaryPolicy(values: { onlyBinary: readonly string[]; noBinary: readonly string[] }): BinaryPolicy {
  const onlyBinary = new Set<string>();
  const noBinary = new Set<string>();
  const add = (items: readonly string[], target: Set<string>, other: Set<string>) => {
    for (const item of items.flatMap((value) => value.split(",")).map((value) => value.trim()).filter(Boolean)) {
      if (item === ":all:") {
        other.clear();
        target.clear();
        target.add(":all:");
      } else if (item === ":none:") target.clear();
      else {
        other.delete(normalizeName(item));
        target.add(normalizeName(item));
      }
    }
  };
  add(values.onlyBinary, onlyBinary, noBinary);
  add(values.noBinary, noBinary, onlyBinary);
  return { onlyBinary, noBinary };
}
