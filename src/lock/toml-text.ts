/**
 * A TOML basic string. JSON's escapes are all valid TOML escapes; TOML also forbids a raw DEL.
 *
 * @example
 * tomlString('say "hi"'); // "\"say \\\"hi\\\"\""
 */
export function tomlString(value: string): string {
  return JSON.stringify(value).replace(/\u007f/g, "\\u007F");
}

/**
 * A TOML inline table from already-formatted values, skipping undefined ones.
 *
 * @example
 * tomlInlineTable([["name", tomlString("b")]]); // '{ name = "b" }'
 */
export function tomlInlineTable(entries: Array<[string, string | undefined]>): string {
  const present = entries.filter((entry): entry is [string, string] => entry[1] !== undefined);
  return `{ ${present.map(([key, value]) => `${tomlKey(key)} = ${value}`).join(", ")} }`;
}

/** A bare key when TOML allows one, else a quoted key. */
export function tomlKey(key: string): string {
  return /^[A-Za-z0-9_-]+$/.test(key) ? key : tomlString(key);
}

const offsetDateTime = /^\d{4}-\d{2}-\d{2}[Tt ]\d{2}:\d{2}:\d{2}(\.\d+)?([Zz]|[+-]\d{2}:\d{2})$/;

/**
 * An RFC 3339 timestamp as a TOML offset date-time, or undefined when it is not one.
 *
 * @example
 * tomlDateTime("2025-01-25T11:30:10.164985Z"); // "2025-01-25T11:30:10.164985Z"
 */
export function tomlDateTime(value: string): string | undefined {
  return offsetDateTime.test(value) ? value : undefined;
}
