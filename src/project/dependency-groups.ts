import { KilnError } from "../core/index.js";
import { normalizeName, tryParseRequirement } from "../pep508/index.js";

/**
 * The requirements of a PEP 735 dependency group, with `{include-group = "…"}` entries expanded
 * in place. Group names compare normalized (PEP 503); two keys that normalize alike, an unknown
 * group, an include cycle, or an entry that is neither a requirement nor an include are errors,
 * as the spec's reference implementation has them.
 *
 * @example
 * resolveDependencyGroup({ test: ["pytest", { "include-group": "typing" }], typing: ["mypy"] }, "test", "pyproject.toml");
 * // ["pytest", "mypy"]
 */
export function resolveDependencyGroup(groups: Record<string, unknown>, name: string, where: string): string[] {
  const byName = normalizedGroups(groups, where);
  return expand(byName, normalizeName(name), { where, seen: [] });
}

/** True when the project declares the dependency group `name` (compared normalized). */
export function hasDependencyGroup(groups: Record<string, unknown>, name: string): boolean {
  return Object.keys(groups).some((key) => normalizeName(key) === normalizeName(name));
}

function normalizedGroups(groups: Record<string, unknown>, where: string): Map<string, { key: string; entries: unknown }> {
  const byName = new Map<string, { key: string; entries: unknown }>();
  for (const [key, entries] of Object.entries(groups)) {
    const normalized = normalizeName(key);
    const clash = byName.get(normalized);
    if (clash) throw invalid(`${where}: dependency groups "${clash.key}" and "${key}" have the same normalized name`, "Rename one of them");
    byName.set(normalized, { key, entries });
  }
  return byName;
}

function expand(
  byName: Map<string, { key: string; entries: unknown }>,
  name: string,
  state: { where: string; seen: string[] },
): string[] {
  const group = byName.get(name);
  const where = state.where;
  if (!group) throw invalid(`${where}: there is no dependency group "${name}"`, `Declared groups: ${[...byName.values()].map((g) => g.key).join(", ") || "none"}`);
  if (state.seen.includes(name)) throw invalid(`${where}: dependency groups include each other in a cycle: ${[...state.seen, name].join(" -> ")}`, "Remove one include-group");
  if (!Array.isArray(group.entries)) throw invalid(`${where}: dependency group "${group.key}" is not a list`, 'Write it as test = ["pytest"]');
  const requirements: string[] = [];
  for (const entry of group.entries) {
    if (typeof entry === "string") {
      if (tryParseRequirement(entry) === undefined) throw invalid(`${where}: "${entry}" in dependency group "${group.key}" is not a PEP 508 requirement`, 'Write requirements as in pip, such as "pytest>=8"');
      requirements.push(entry);
    } else if (isInclude(entry)) {
      requirements.push(...expand(byName, normalizeName(entry["include-group"]), { where, seen: [...state.seen, name] }));
    } else {
      throw invalid(`${where}: dependency group "${group.key}" has an entry that is neither a requirement nor {include-group = "…"}`, "See PEP 735");
    }
  }
  return requirements;
}

function isInclude(entry: unknown): entry is { "include-group": string } {
  if (typeof entry !== "object" || entry === null || Array.isArray(entry)) return false;
  const keys = Object.keys(entry);
  return keys.length === 1 && keys[0] === "include-group" && typeof (entry as Record<string, unknown>)["include-group"] === "string";
}

function invalid(message: string, hint: string): KilnError {
  return new KilnError("invalidTestConfig", message, { hint });
}
