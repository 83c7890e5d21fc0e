/**
 * Core metadata (https://packaging.python.org/en/latest/specifications/core-metadata/) and the
 * RFC 822-style header format it shares with `WHEEL` files.
 *
 * Quirks: the format is "whatever Python's email.parser accepts with the compat32 policy", so
 * folded values keep their line breaks; the description may be a header (each continuation line
 * prefixed with spaces and `|`) or the message body; field names are case-insensitive; fields
 * newer than the declared Metadata-Version and unknown fields occur in the wild and are warnings,
 * not errors; `entry_points.txt` (https://packaging.python.org/en/latest/specifications/entry-points/)
 * is an INI file, not this format, read as `importlib.metadata` reads it (`=` splits at the first
 * one; `;` and `#` start comments).
 */
export { headerValue, headerValues, parseEmailHeaders, type EmailField, type EmailHeaders } from "./email-headers.js";
export { type CoreMetadata, type MetadataProblem } from "./core-metadata.js";
export { parseCoreMetadata, tryParseCoreMetadata, type ParseCoreMetadataOptions } from "./parse-core-metadata.js";
export { parseEntryPoints, parseScriptEntryPoints, isInterpreterName, type EntryPoint } from "./entry-points.js";
export { compareMetadataVersions, metadataFields, metadataVersions, type FieldDefinition, type FieldShape } from "./metadata-fields.js";
