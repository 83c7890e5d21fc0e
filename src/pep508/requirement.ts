import type { SpecifierSet } from "../pep440/index.js";
import type { Marker } from "./marker.js";

/**
 * A PEP 508 dependency specifier: `name[extras] specifier ; marker` or `name[extras] @ url ; marker`.
 * `name` and `extras` are kept as written (compare them with `normalizeName`).
 */
export interface Requirement {
  name: string;
  /** The extras as written, without duplicates, in written order. */
  extras: string[];
  /** The version specifiers; empty for a URL requirement or a bare name. */
  specifier: SpecifierSet;
  url?: string;
  marker?: Marker;
}
