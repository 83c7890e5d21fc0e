/**
 * Checks of single core metadata values that are not PEP 440/508 syntax. Each returns a problem
 * description, or undefined when the value is fine.
 */

// Python's reserved words; an import name may not be one.
const pythonKeywords = new Set(
  ("False None True and as assert async await break class continue def del elif else except finally for from " +
    "global if import in is lambda nonlocal not or pass raise return try while with yield").split(" "),
);
const identifier = /^[\p{XID_Start}_][\p{XID_Continue}]*$/u;
const lineBoundary = /\r\n|[\n\r\v\f\x1c\x1d\x1e\x85\u2028\u2029]/;

/** `Summary` must be one line. */
export function summaryProblem(value: string): string | undefined {
  return lineBoundary.test(value) ? "must be a single line" : undefined;
}

/** `Description-Content-Type`: text/plain, text/x-rst or text/markdown, UTF-8, a known Markdown variant. */
export function contentTypeProblem(value: string): string | undefined {
  const [type = "", ...parameterTexts] = value.split(";");
  const contentType = type.trim().toLowerCase();
  if (!["text/plain", "text/x-rst", "text/markdown"].includes(contentType)) {
    return `must be text/plain, text/x-rst or text/markdown, not "${value}"`;
  }
  const parameters = new Map<string, string>();
  for (const text of parameterTexts) {
    const equals = text.indexOf("=");
    if (equals === -1) continue;
    parameters.set(text.slice(0, equals).trim().toLowerCase(), text.slice(equals + 1).trim().replace(/^"(.*)"$/, "$1"));
  }
  const charset = parameters.get("charset") ?? "UTF-8";
  if (charset.toLowerCase() !== "utf-8") return `can only specify the UTF-8 charset, not "${charset}"`;
  const variant = parameters.get("variant") ?? "GFM";
  if (contentType === "text/markdown" && variant !== "GFM" && variant !== "CommonMark") {
    return `Markdown variants are GFM and CommonMark, not "${variant}"`;
  }
  return undefined;
}

/** `License-File`: a relative path with `/` separators, no `..` and no glob. */
export function licenseFileProblem(path: string): string | undefined {
  if (path.includes("..")) return `"${path}" must not contain ".."`;
  if (path.includes("*")) return `"${path}" must be a resolved path, not a glob`;
  if (path.startsWith("/") || path.startsWith("\\") || /^[a-z]:/i.test(path)) return `"${path}" must be relative`;
  if (path.includes("\\")) return `"${path}" must use "/" as the separator`;
  return undefined;
}

/** `Import-Name` / `Import-Namespace`: a dotted name of identifiers, optionally `; private`. */
export function importNameProblem(value: string): string | undefined {
  const semicolon = value.indexOf(";");
  const name = (semicolon === -1 ? value : value.slice(0, semicolon)).trimEnd();
  for (const part of name.split(".")) {
    if (!identifier.test(part)) return `"${name}": "${part}" is not a valid identifier`;
    if (pythonKeywords.has(part)) return `"${name}": "${part}" is a keyword`;
  }
  if (semicolon !== -1 && value.slice(semicolon + 1).trimStart() !== "private") {
    return `"${value}": the only option is "private"`;
  }
  return undefined;
}
