import type { SpecifierSet, Version } from "../pep440/index.js";
import type { Requirement } from "../pep508/index.js";

/** A problem found in core metadata: the field (as spelled in the spec) and what is wrong. */
export interface MetadataProblem {
  field: string;
  message: string;
}

/**
 * Core metadata of a distribution (`METADATA` / `PKG-INFO`), Metadata-Version 1.0 to 2.5.
 * Multiple-use fields are arrays (empty when absent); single-use fields are optional.
 */
export interface CoreMetadata {
  metadataVersion: string;
  /** The name as written (compare with `normalizeName`). */
  name: string;
  version: Version;
  /** Lower-cased field names whose values the sdist's build may change (2.2+). */
  dynamic: string[];
  platforms: string[];
  supportedPlatforms: string[];
  summary?: string;
  /** From the `Description` header (continuation prefixes removed) or the message body. */
  description?: string;
  descriptionContentType?: string;
  keywords: string[];
  homePage?: string;
  downloadUrl?: string;
  author?: string;
  authorEmail?: string;
  maintainer?: string;
  maintainerEmail?: string;
  license?: string;
  /** The SPDX license expression as written (2.4+). */
  licenseExpression?: string;
  licenseFiles: string[];
  classifiers: string[];
  requiresDist: Requirement[];
  requiresPython?: SpecifierSet;
  requiresExternal: string[];
  /** `Project-URL` label → URL, in file order. */
  projectUrls: Record<string, string>;
  /** Extra names, PEP 685-normalized. */
  providesExtra: string[];
  providesDist: string[];
  obsoletesDist: string[];
  /** `Import-Name` values as written (2.5+). */
  importNames: string[];
  importNamespaces: string[];
  /** Metadata 1.1 fields, superseded in 1.2 but still seen. */
  requires: string[];
  provides: string[];
  obsoletes: string[];
  /** Fields kiln does not know, lower-cased name → values. */
  unknownFields: Record<string, string[]>;
  /**
   * Irregularities that do not change the meaning: unknown fields, fields newer than the declared
   * Metadata-Version, a newer minor Metadata-Version, header-format defects.
   */
  warnings: MetadataProblem[];
  /** In lenient mode, the invalid values that were dropped; always empty in strict mode. */
  problems: MetadataProblem[];
}
