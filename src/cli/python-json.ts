/**
 * JSON text as Python's `json.dumps(value)` writes it with its defaults, which is what pip prints
 * for `pip list --format json`: `", "` and `": "` as separators and every character outside
 * printable ASCII escaped as `\uXXXX` (astral ones as surrogate pairs). Scripts compare pip's
 * output as text, not only as parsed JSON.
 *
 * @example
 * formatPythonJson([{ name: "café", version: "1.0" }]); // '[{"name": "caf\\u00e9", "version": "1.0"}]'
 */
export function formatPythonJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(formatPythonJson).join(", ")}]`;
  if (value !== null && typeof value === "object") {
    const members = Object.entries(value).filter(([, item]) => item !== undefined);
    return `{${members.map(([key, item]) => `${asciiString(key)}: ${formatPythonJson(item)}`).join(", ")}}`;
  }
  if (typeof value === "string") return asciiString(value);
  return JSON.stringify(value) ?? "null";
}

function asciiString(text: string): string {
  // JSON.stringify already escapes quotes, backslashes and control characters as Python does;
  // Python's ensure_ascii also escapes DEL and everything above it, one UTF-16 unit at a time.
  return JSON.stringify(text).replace(/[\u007f-\uffff]/g, (unit) => `\\u${unit.charCodeAt(0).toString(16).padStart(4, "0")}`);
}
