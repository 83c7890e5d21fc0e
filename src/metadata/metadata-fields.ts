/**
 * The core metadata fields: how often each may appear, and the Metadata-Version that added it.
 * Field names are the lower-cased header names.
 */

/** How a field's values are stored. */
export type FieldShape = "single" | "multiple";

/** One known core metadata field. */
export interface FieldDefinition {
  /** The spelling the spec uses, for messages (`Requires-Dist`). */
  spelling: string;
  shape: FieldShape;
  /** The Metadata-Version that introduced the field. */
  added: string;
}

function field(spelling: string, shape: FieldShape, added: string): [string, FieldDefinition] {
  return [spelling.toLowerCase(), { spelling, shape, added }];
}

/** Every field of Metadata-Version 1.0 … 2.5, keyed by lower-cased name. */
export const metadataFields: ReadonlyMap<string, FieldDefinition> = new Map([
  field("Metadata-Version", "single", "1.0"),
  field("Name", "single", "1.0"),
  field("Version", "single", "1.0"),
  field("Dynamic", "multiple", "2.2"),
  field("Platform", "multiple", "1.0"),
  field("Supported-Platform", "multiple", "1.1"),
  field("Summary", "single", "1.0"),
  field("Description", "single", "1.0"),
  field("Description-Content-Type", "single", "2.1"),
  field("Keywords", "single", "1.0"),
  field("Home-Page", "single", "1.0"),
  field("Download-URL", "single", "1.1"),
  field("Author", "single", "1.0"),
  field("Author-email", "single", "1.0"),
  field("Maintainer", "single", "1.2"),
  field("Maintainer-email", "single", "1.2"),
  field("License", "single", "1.0"),
  field("License-Expression", "single", "2.4"),
  field("License-File", "multiple", "2.4"),
  field("Classifier", "multiple", "1.1"),
  field("Requires-Dist", "multiple", "1.2"),
  field("Requires-Python", "single", "1.2"),
  field("Requires-External", "multiple", "1.2"),
  field("Project-URL", "multiple", "1.2"),
  field("Provides-Extra", "multiple", "2.1"),
  field("Provides-Dist", "multiple", "1.2"),
  field("Obsoletes-Dist", "multiple", "1.2"),
  field("Import-Name", "multiple", "2.5"),
  field("Import-Namespace", "multiple", "2.5"),
  field("Requires", "multiple", "1.1"),
  field("Provides", "multiple", "1.1"),
  field("Obsoletes", "multiple", "1.1"),
]);

/** The Metadata-Version values defined by the spec, oldest first. */
export const metadataVersions: readonly string[] = ["1.0", "1.1", "1.2", "2.1", "2.2", "2.3", "2.4", "2.5"];

/**
 * Compares two `major.minor` Metadata-Version strings numerically.
 *
 * @example
 * compareMetadataVersions("2.10", "2.5"); // > 0
 */
export function compareMetadataVersions(a: string, b: string): number {
  const [aMajor = 0, aMinor = 0] = a.split(".").map(Number);
  const [bMajor = 0, bMinor = 0] = b.split(".").map(Number);
  return aMajor - bMajor || aMinor - bMinor;
}
