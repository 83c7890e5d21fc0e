import { isKilnError, KilnError } from "../core/index.js";
import { tryParseSpecifierSet, tryParseVersion } from "../pep440/index.js";
import { isValidName, normalizeName, tryParseRequirement, type Requirement } from "../pep508/index.js";
import type { CoreMetadata, MetadataProblem } from "./core-metadata.js";
import { parseEmailHeaders, type EmailHeaders } from "./email-headers.js";
import { contentTypeProblem, importNameProblem, licenseFileProblem, summaryProblem } from "./field-checks.js";
import { compareMetadataVersions, metadataFields, metadataVersions } from "./metadata-fields.js";

/** Options of {@link parseCoreMetadata}. */
export interface ParseCoreMetadataOptions {
  /**
   * Collect invalid values in `problems` (and drop them) instead of throwing. Missing or invalid
   * `Name`/`Version` still throw: without them the metadata describes nothing.
   */
  lenient?: boolean;
  /** What the text is, for messages: `"METADATA of foo-1.0-py3-none-any.whl"`. */
  source?: string;
}

const newestMetadataVersion = metadataVersions[metadataVersions.length - 1]!;

/**
 * Parses core metadata (`METADATA`, `PKG-INFO`, `<wheel-url>.metadata`) into typed fields,
 * validating versions, requirements, names and the field rules of Metadata-Version 1.0 … 2.5.
 *
 * @example
 * const metadata = parseCoreMetadata("Metadata-Version: 2.4\nName: demo\nVersion: 1.0\nRequires-Dist: rich>=13; extra == 'cli'\n");
 * metadata.requiresDist[0].name; // "rich"
 */
export function parseCoreMetadata(input: string | Uint8Array, options: ParseCoreMetadataOptions = {}): CoreMetadata {
  const headers = parseEmailHeaders(input);
  const reader = new FieldReader(headers, options);
  return reader.read();
}

/**
 * Like {@link parseCoreMetadata} with `lenient: true`, but returns undefined instead of throwing
 * when Name or Version is missing or invalid.
 *
 * @example
 * tryParseCoreMetadata("Metadata-Version: 2.1\n"); // undefined
 */
export function tryParseCoreMetadata(input: string | Uint8Array, options: Omit<ParseCoreMetadataOptions, "lenient"> = {}): CoreMetadata | undefined {
  try {
    return parseCoreMetadata(input, { ...options, lenient: true });
  } catch (error) {
    if (isKilnError(error)) return undefined;
    throw error;
  }
}

class FieldReader {
  readonly #values = new Map<string, string[]>();
  readonly #options: ParseCoreMetadataOptions;
  readonly #body: string;
  readonly warnings: MetadataProblem[] = [];
  readonly problems: MetadataProblem[] = [];

  constructor(headers: EmailHeaders, options: ParseCoreMetadataOptions) {
    this.#options = options;
    this.#body = headers.body;
    for (const { name, value } of headers.fields) {
      const key = name.toLowerCase();
      const values = this.#values.get(key);
      if (values === undefined) this.#values.set(key, [value]);
      else values.push(value);
    }
    for (const defect of headers.defects) this.warnings.push({ field: "(format)", message: defect });
  }

  read(): CoreMetadata {
    const metadataVersion = this.#metadataVersion();
    const name = this.#required("Name");
    if (!isValidName(name)) this.#report("Name", `"${name}" is not a valid project name`);
    const versionText = this.#required("Version");
    const version = tryParseVersion(versionText);
    if (version === undefined) throw this.#error("Version", `"${versionText}" is not a valid PEP 440 version`, true);
    this.#checkFieldVersions(metadataVersion);
    const metadata: CoreMetadata = {
      metadataVersion,
      name,
      version,
      dynamic: this.#dynamic(),
      platforms: this.#all("Platform"),
      supportedPlatforms: this.#all("Supported-Platform"),
      keywords: this.#keywords(),
      licenseFiles: this.#checked("License-File", licenseFileProblem),
      classifiers: this.#all("Classifier"),
      requiresDist: this.#requirements(),
      requiresExternal: this.#all("Requires-External"),
      projectUrls: this.#projectUrls(),
      providesExtra: this.#extras(),
      providesDist: this.#all("Provides-Dist"),
      obsoletesDist: this.#all("Obsoletes-Dist"),
      importNames: this.#checked("Import-Name", importNameProblem),
      importNamespaces: this.#checked("Import-Namespace", importNameProblem),
      requires: this.#all("Requires"),
      provides: this.#all("Provides"),
      obsoletes: this.#all("Obsoletes"),
      unknownFields: this.#unknownFields(),
      warnings: this.warnings,
      problems: this.problems,
    };
    this.#setOptionalStrings(metadata);
    return metadata;
  }

  #setOptionalStrings(metadata: CoreMetadata): void {
    const summary = this.#single("Summary");
    if (summary !== undefined && !this.#problem("Summary", summaryProblem(summary))) metadata.summary = summary;
    const description = this.#description();
    if (description !== undefined) metadata.description = description;
    const contentType = this.#single("Description-Content-Type");
    if (contentType !== undefined && !this.#problem("Description-Content-Type", contentTypeProblem(contentType))) {
      metadata.descriptionContentType = contentType;
    }
    const strings = [
      ["Home-Page", "homePage"], ["Download-URL", "downloadUrl"], ["Author", "author"], ["Author-email", "authorEmail"],
      ["Maintainer", "maintainer"], ["Maintainer-email", "maintainerEmail"], ["License", "license"],
      ["License-Expression", "licenseExpression"],
    ] as const;
    for (const [field, key] of strings) {
      const value = this.#single(field);
      if (value !== undefined) metadata[key] = value;
    }
    const requiresPython = this.#single("Requires-Python");
    if (requiresPython !== undefined) {
      const specifier = tryParseSpecifierSet(requiresPython);
      if (specifier === undefined) this.#report("Requires-Python", `"${requiresPython}" is not a valid PEP 440 version specifier`);
      else metadata.requiresPython = specifier;
    }
  }

  #metadataVersion(): string {
    const value = this.#single("Metadata-Version");
    if (value === undefined) {
      this.#report("Metadata-Version", "is missing");
      return "";
    }
    if (metadataVersions.includes(value)) return value;
    // 2.0 and 1.3 come from withdrawn drafts that old tools wrote; newer 2.x minors are
    // readable by design. Both are read with a warning; a new major version is refused.
    if (/^[12]\.\d+$/.test(value)) {
      const newer = compareMetadataVersions(value, newestMetadataVersion) > 0;
      this.warnings.push({
        field: "Metadata-Version",
        message: newer ? `${value} is newer than ${newestMetadataVersion}, the newest kiln knows` : `${value} is not a standard Metadata-Version`,
      });
      return value;
    }
    this.#report("Metadata-Version", `"${value}" is not a Metadata-Version kiln can read (1.0 … ${newestMetadataVersion})`);
    return value;
  }

  #checkFieldVersions(metadataVersion: string): void {
    if (!/^\d+\.\d+$/.test(metadataVersion)) return;
    for (const key of this.#values.keys()) {
      const definition = metadataFields.get(key);
      if (definition !== undefined && compareMetadataVersions(definition.added, metadataVersion) > 0) {
        this.warnings.push({
          field: definition.spelling,
          message: `introduced in Metadata-Version ${definition.added}, but the file declares ${metadataVersion}`,
        });
      }
    }
  }

  #required(field: "Name" | "Version"): string {
    const value = this.#single(field);
    if (value === undefined || value === "") throw this.#error(field, "is missing", true);
    return value;
  }

  #single(field: string): string | undefined {
    const values = this.#values.get(field.toLowerCase());
    if (values === undefined) return undefined;
    if (values.length > 1) this.#report(field, `may appear once, but appears ${values.length} times`);
    return values[0];
  }

  #all(field: string): string[] {
    return this.#values.get(field.toLowerCase()) ?? [];
  }

  #checked(field: string, check: (value: string) => string | undefined): string[] {
    return this.#all(field).filter((value) => !this.#problem(field, check(value)));
  }

  #description(): string | undefined {
    const header = this.#values.get("description");
    const body = this.#body === "" ? undefined : this.#body;
    if (header !== undefined && body !== undefined) {
      this.#report("Description", "is given both as a header and as the message body; using the body");
    }
    if (body !== undefined) return body;
    if (header === undefined) return undefined;
    // The header form continues each line with 7 (setuptools: 8) spaces and "|".
    return this.#single("Description")!.replace(/(\r\n|\r|\n) {7,8}\|/g, "$1");
  }

  #dynamic(): string[] {
    return this.#all("Dynamic")
      .map((value) => value.toLowerCase())
      .filter((value) => {
        if (["name", "version", "metadata-version"].includes(value)) return !this.#problem("Dynamic", `"${value}" cannot be dynamic`);
        if (!metadataFields.has(value)) return !this.#problem("Dynamic", `"${value}" is not a core metadata field`);
        return true;
      });
  }

  #keywords(): string[] {
    const value = this.#single("Keywords");
    return value === undefined ? [] : value.split(",").map((keyword) => keyword.trim());
  }

  #requirements(): Requirement[] {
    const requirements: Requirement[] = [];
    for (const text of this.#all("Requires-Dist")) {
      const requirement = tryParseRequirement(text);
      if (requirement === undefined) this.#report("Requires-Dist", `"${text}" is not a valid PEP 508 requirement`);
      else requirements.push(requirement);
    }
    return requirements;
  }

  #projectUrls(): Record<string, string> {
    const urls: Record<string, string> = {};
    for (const pair of this.#all("Project-URL")) {
      const comma = pair.indexOf(",");
      const label = (comma === -1 ? pair : pair.slice(0, comma)).trim();
      const url = comma === -1 ? "" : pair.slice(comma + 1).trim();
      if (Object.hasOwn(urls, label)) this.#report("Project-URL", `the label "${label}" appears more than once`);
      else urls[label] = url;
    }
    return urls;
  }

  #extras(): string[] {
    return this.#all("Provides-Extra").map((extra) => {
      if (!isValidName(extra)) this.#report("Provides-Extra", `"${extra}" is not a valid extra name`);
      return normalizeName(extra);
    });
  }

  #unknownFields(): Record<string, string[]> {
    const unknown: Record<string, string[]> = {};
    for (const [key, values] of this.#values) {
      if (metadataFields.has(key)) continue;
      unknown[key] = values;
      this.warnings.push({ field: key, message: "is not a core metadata field" });
    }
    return unknown;
  }

  /** Reports `message` for `field` when there is one; true when it did. */
  #problem(field: string, message: string | undefined): boolean {
    if (message === undefined) return false;
    this.#report(field, message);
    return true;
  }

  #report(field: string, message: string): void {
    if (!this.#options.lenient) throw this.#error(field, message, false);
    this.problems.push({ field, message });
  }

  #error(field: string, message: string, fatal: boolean): KilnError {
    const source = this.#options.source ?? "core metadata";
    const name = this.#values.get("name")?.[0];
    const of = this.#options.source === undefined && name !== undefined ? ` of "${name}"` : "";
    return new KilnError("invalidMetadata", `Cannot read ${source}${of}: ${field} ${message}`, {
      hint: fatal
        ? "Core metadata needs Metadata-Version, Name and Version headers (https://packaging.python.org/en/latest/specifications/core-metadata/)"
        : "Fix the field, or read the metadata leniently to skip invalid values",
    });
  }
}
