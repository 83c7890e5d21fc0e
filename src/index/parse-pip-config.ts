/**
 * Parses a pip configuration file (`pip.conf` / `pip.ini`), an INI file as Python's configparser
 * reads it: `[section]` headers, `key = value` or `key: value`, indented continuation lines
 * (pip's way of listing several `extra-index-url`s), `#` and `;` comment lines. Section and key
 * names are lower-cased and `_` in keys becomes `-` (pip accepts `index_url`). Lines it cannot
 * read are returned as `problems`, not thrown: a stray line should not stop an install.
 *
 * @example
 * parsePipConfig("[global]\nindex-url = https://example.org/simple/\n").sections.global;
 * // { "index-url": "https://example.org/simple/" }
 */
export function parsePipConfig(text: string): { sections: Record<string, Record<string, string>>; problems: string[] } {
  const sections: Record<string, Record<string, string>> = {};
  const problems: string[] = [];
  let section: Record<string, string> | undefined;
  let lastKey: string | undefined;
  text.split(/\r?\n/).forEach((line, index) => {
    if (/^\s*([#;]|$)/.test(line)) return;
    if (/^\s/.test(line) && section && lastKey !== undefined) {
      section[lastKey] = `${section[lastKey]}\n${line.trim()}`.replace(/^\n/, "");
      return;
    }
    const header = /^\[([^\]]+)\]\s*$/.exec(line);
    if (header) {
      const name = header[1]!.trim().toLowerCase();
      section = sections[name] ??= {};
      lastKey = undefined;
      return;
    }
    const pair = /^([^=:]+?)\s*[=:]\s*(.*)$/.exec(line);
    if (!pair || !section) {
      problems.push(`line ${index + 1}: ${section ? "not a key = value line" : "a setting outside any [section]"}`);
      return;
    }
    lastKey = pair[1]!.trim().toLowerCase().replace(/_/g, "-");
    section[lastKey] = pair[2]!.trim();
  });
  return { sections, problems };
}
