import { KilnError } from "../core/index.js";

/** The newest simple repository API version kiln implements (PEP 700). */
export const supportedApiVersion = "1.1";

/**
 * Checks a page's PEP 629 / PEP 691 API version: a newer major version is an error (its meaning
 * changed), a newer minor version is a warning (its additions are safe to ignore), as PEP 629
 * requires.
 *
 * @example
 * checkApiVersion("1.4", "https://example.org/simple/demo/"); // "…newer minor version…"
 * checkApiVersion("2.0", "https://example.org/simple/demo/"); // throws unsupportedIndexApi
 */
export function checkApiVersion(version: string, url: string): string | undefined {
  const match = /^\s*(\d+)\.(\d+)\s*$/.exec(version);
  if (!match) {
    throw new KilnError("invalidIndexPage", `Cannot read the API version "${version}" of ${url}`, {
      hint: "The repository API version looks like 1.0 or 1.1",
    });
  }
  const [supportedMajor, supportedMinor] = supportedApiVersion.split(".").map(Number) as [number, number];
  const major = Number(match[1]);
  const minor = Number(match[2]);
  if (major > supportedMajor) {
    throw new KilnError("unsupportedIndexApi", `${url} uses repository API version ${version}; kiln knows ${supportedApiVersion}`, {
      hint: "Upgrade kiln, or use an index that serves API version 1",
    });
  }
  if (major === supportedMajor && minor > supportedMinor) {
    return `${url} uses repository API version ${version}, newer than ${supportedApiVersion}; ignoring what is new`;
  }
  return undefined;
}
