import { KilnError } from "../core/index.js";
import { parseSimpleHtml } from "./parse-simple-html.js";
import { parseSimpleJson } from "./parse-simple-json.js";
import type { PageLocation, ProjectPage } from "./project-page.js";

/**
 * The `Accept` header for project pages (PEP 691): JSON preferred, the HTML serializations as
 * fallbacks, so a PEP 503-only index (or a static file server) still answers.
 */
export const simpleApiAccept =
  "application/vnd.pypi.simple.v1+json, application/vnd.pypi.simple.v1+html;q=0.2, text/html;q=0.01";

/**
 * Parses a project page in whichever serialization the server chose, by its `Content-Type`
 * (PEP 691). An unknown content type is tried as HTML, as pip does, because static file servers
 * label pages loosely; a `+json` type with an unknown version is an error.
 *
 * @example
 * const page = parseProjectPage(body, "application/vnd.pypi.simple.v1+json", location);
 */
export function parseProjectPage(body: Uint8Array, contentType: string | null, location: PageLocation): ProjectPage {
  const type = (contentType ?? "").split(";")[0]!.trim().toLowerCase();
  const text = decodeText(body, location);
  if (type === "application/vnd.pypi.simple.v1+json" || type === "application/vnd.pypi.simple.latest+json") {
    return parseSimpleJson(text, location);
  }
  const versioned = /^application\/vnd\.pypi\.simple\.v(\d+)\+(json|html)$/.exec(type);
  if (versioned && versioned[1] !== "1") {
    throw new KilnError("unsupportedIndexApi", `${location.url} answered with "${type}", a repository API kiln does not know`, {
      hint: "Upgrade kiln, or use an index that serves API version 1",
    });
  }
  if (type === "application/json") return parseSimpleJson(text, location);
  return parseSimpleHtml(text, location);
}

function decodeText(body: Uint8Array, location: PageLocation): string {
  try {
    return new TextDecoder("utf-8", { fatal: true }).decode(body);
  } catch {
    throw new KilnError("invalidIndexPage", `Cannot parse the index page ${location.url}: it is not UTF-8 text`, {
      hint: "The server sent binary data where an index page belongs; check the index URL",
    });
  }
}
