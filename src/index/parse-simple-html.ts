import { checkApiVersion } from "./api-version.js";
import type { DistributionFile } from "./distribution-file.js";
import { resolveFileUrl } from "./file-url.js";
import type { PageLocation, ProjectPage } from "./project-page.js";
import { scanHtml } from "./scan-html.js";

/**
 * Parses a PEP 503 project page (and a find-links page): every `<a href>` is a file; the URL
 * fragment carries its hash; `data-requires-python` (entity-decoded), `data-yanked` (PEP 592),
 * `data-core-metadata` falling back to `data-dist-info-metadata` (PEP 658/714) and
 * `data-upload-time` add detail. Relative links resolve against the first `<base href>`, itself
 * resolved against the page's final URL. Unusable links (bad URL, foreign scheme, unsafe file
 * name) are skipped with a warning, never fatal; a newer major API version is.
 *
 * @example
 * const page = parseSimpleHtml('<a href="demo-1.0.tar.gz#sha256=ab" data-requires-python="&gt;=3.8">demo-1.0.tar.gz</a>', {
 *   url: "https://example.org/simple/demo/",
 *   indexUrl: "https://example.org/simple/",
 * });
 * page.files[0]; // { filename: "demo-1.0.tar.gz", requiresPython: ">=3.8", hashes: { sha256: "ab" }, … }
 */
export function parseSimpleHtml(html: string, location: PageLocation): ProjectPage {
  const anchors: Map<string, string>[] = [];
  const warnings: string[] = [];
  let base: string | undefined;
  let apiVersion = "1.0";
  for (const token of scanHtml(html)) {
    if (token.type !== "start") continue;
    if (token.name === "a" && token.attributes.has("href")) anchors.push(token.attributes);
    else if (token.name === "base" && base === undefined && token.attributes.has("href")) {
      base = resolveBase(token.attributes.get("href")!, location.url);
    } else if (token.name === "meta" && token.attributes.get("name") === "pypi:repository-version") {
      apiVersion = token.attributes.get("content") ?? apiVersion;
    }
  }
  const warning = checkApiVersion(apiVersion, location.url);
  if (warning) warnings.push(warning);
  const files: DistributionFile[] = [];
  for (const attributes of anchors) {
    const file = fileFromAnchor(attributes, base ?? location.url, location.indexUrl);
    if (file) files.push(file);
    else warnings.push(`Skipped the link "${attributes.get("href")!.slice(0, 200)}" on ${location.url}: not a usable file URL`);
  }
  return { apiVersion, files, warnings };
}

function resolveBase(href: string, pageUrl: string): string | undefined {
  try {
    return new URL(href.trim(), pageUrl).href;
  } catch {
    return undefined;
  }
}

function fileFromAnchor(attributes: Map<string, string>, base: string, indexUrl: string): DistributionFile | undefined {
  const resolved = resolveFileUrl(attributes.get("href")!, base);
  if (!resolved) return undefined;
  const file: DistributionFile = { filename: resolved.filename, url: resolved.url, hashes: resolved.hashes, indexUrl };
  const requiresPython = attributes.get("data-requires-python")?.trim();
  if (requiresPython) file.requiresPython = requiresPython;
  const yanked = attributes.get("data-yanked");
  if (yanked !== undefined) file.yanked = yanked.trim() === "" ? true : yanked;
  const metadata = attributes.get("data-core-metadata") ?? attributes.get("data-dist-info-metadata");
  if (metadata !== undefined) file.coreMetadata = parseMetadataAttribute(metadata);
  const uploadTime = attributes.get("data-upload-time")?.trim();
  if (uploadTime) file.uploadTime = uploadTime;
  return file;
}

/** PEP 658: `true`, or `<hashname>=<hexdigest>` (the hash of the metadata file). */
function parseMetadataAttribute(value: string): DistributionFile["coreMetadata"] {
  const trimmed = value.trim();
  if (trimmed.toLowerCase() === "false") return false;
  const match = /^([A-Za-z0-9_-]+)=([0-9A-Fa-f]+)$/.exec(trimmed);
  return match ? { [match[1]!.toLowerCase()]: match[2]!.toLowerCase() } : true;
}
