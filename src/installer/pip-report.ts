import { headerValues, metadataFields, parseEmailHeaders } from "../metadata/index.js";
import type { TargetEnvironment } from "../resolver/index.js";
import type { PlannedPackage } from "./plan-install.js";

/** One entry of the `install` list of pip's installation report. */
export interface PipReportItem {
  download_info: { url: string; archive_info: { hash?: string; hashes?: Record<string, string> } };
  is_direct: boolean;
  is_yanked: boolean;
  requested: boolean;
  requested_extras?: string[];
  metadata: Record<string, string | string[]>;
}

/** pip's installation report (https://pip.pypa.io/en/stable/reference/installation-report/), version 1. */
export interface PipReport {
  version: "1";
  pip_version: string;
  install: PipReportItem[];
  environment: Record<string, string>;
}

/**
 * pip's `--report` JSON for the packages a plan installs (what pip would download and install;
 * kept packages are left out, as pip leaves out already-satisfied requirements).
 * `metadataOf` gives each package's core metadata text.
 *
 * @example
 * const report = await pipInstallReport(plan.packages, { target: plan.target, version: "kiln 0.1.0", metadataOf });
 */
export async function pipInstallReport(
  packages: readonly PlannedPackage[],
  options: {
    target: TargetEnvironment;
    version: string;
    metadataOf: (planned: PlannedPackage) => Promise<string>;
    /** The sha256 (hex) of a file the index gave no hash for, when it can be had cheaply (a local file), as pip hashes what it got. */
    sha256Of?: (url: string) => Promise<string | undefined>;
  },
): Promise<PipReport> {
  const install: PipReportItem[] = [];
  for (const planned of packages) {
    if (planned.action === "keep" || planned.wheel === undefined) continue;
    const file = planned.wheel;
    const sha256 = file.hashes.sha256 ?? (await options.sha256Of?.(file.url));
    const item: PipReportItem = {
      download_info: { url: file.url, archive_info: sha256 ? { hash: `sha256=${sha256}`, hashes: { ...file.hashes, sha256 } } : {} },
      is_direct: planned.direct,
      is_yanked: file.yanked !== undefined && file.yanked !== false,
      requested: planned.requested,
      metadata: metadataToJson(await options.metadataOf(planned)),
    };
    if (planned.requested && planned.extras.length) item.requested_extras = planned.extras;
    install.push(item);
  }
  return { version: "1", pip_version: options.version, install, environment: stringMarkers(options.target.markerEnvironment) };
}

/**
 * Core metadata as JSON, by PEP 566's rule as pip applies it: keys lower-cased with `-` as `_`,
 * multiple-use fields as lists, `keywords` split on commas (or white space), the message body
 * as `description`. Unknown fields are left out.
 *
 * @example
 * metadataToJson("Metadata-Version: 2.1\nName: a\nVersion: 1\nRequires-Dist: b\n"); // { metadata_version: "2.1", name: "a", version: "1", requires_dist: ["b"] }
 */
export function metadataToJson(text: string): Record<string, string | string[]> {
  const headers = parseEmailHeaders(text);
  const result: Record<string, string | string[]> = {};
  for (const [lower, definition] of metadataFields) {
    const values = headerValues(headers, definition.spelling);
    if (values.length === 0) continue;
    const key = lower.replace(/-/g, "_");
    if (definition.shape === "multiple") result[key] = values;
    else if (key === "keywords") result[key] = values[0]!.includes(",") ? values[0]!.split(",").map((word) => word.trim()) : values[0]!.split(/\s+/).filter(Boolean);
    else result[key] = values[0]!;
  }
  if (headers.body.trim() !== "") result.description = headers.body;
  return result;
}

function stringMarkers(environment: TargetEnvironment["markerEnvironment"]): Record<string, string> {
  const result: Record<string, string> = {};
  for (const [key, value] of Object.entries(environment)) if (typeof value === "string") result[key] = value;
  return result;
}
