import { evaluateMarker, normalizeName, parseRequirement, type MarkerEnvironment } from "../pep508/index.js";
import { rangeOf } from "./pep440-algebra.js";

/** Requirements on one project that no version satisfies together. */
export interface ContradictingRequirements {
  /** Normalized name. */
  name: string;
  /** The requirements (and constraints, marked as such) as written. */
  texts: string[];
}

/**
 * The first project whose requirements, with its constraints, exclude every version by their
 * specifiers alone (`lib>=2` with `lib<2`, or one such as `lib>2,<1` or `lib===not-a-version`),
 * before any index is asked: the solver would merge them into one empty requirement and could
 * only say that no version of "lib ∅" exists, where pip names the requirements that conflict.
 * Requirements whose marker does not hold are left out.
 *
 * @example
 * contradictingRequirements(["lib>=2", "lib<2"], [], environment); // { name: "lib", texts: ["lib>=2", "lib<2"] }
 */
export function contradictingRequirements(requirements: readonly string[], constraints: readonly string[], environment: MarkerEnvironment): ContradictingRequirements | undefined {
  const byName = new Map<string, { range: ReturnType<typeof rangeOf>; texts: string[]; required: boolean }>();
  const add = (text: string, kind: "requirement" | "constraint") => {
    const requirement = parseRequirement(text);
    if (requirement.url !== undefined || (requirement.marker && !evaluateMarker(requirement.marker, environment, { extras: [] }))) return;
    const name = normalizeName(requirement.name);
    const range = rangeOf(requirement.specifier);
    const label = kind === "constraint" ? `the constraint ${text.trim()}` : text.trim();
    const previous = byName.get(name);
    byName.set(name, previous ? { range: previous.range.intersection(range), texts: [...previous.texts, label], required: previous.required || kind === "requirement" } : { range, texts: [label], required: kind === "requirement" });
  };
  for (const text of requirements) add(text, "requirement");
  for (const text of constraints) add(text, "constraint");
  for (const [name, entry] of byName) {
    if (entry.required && entry.range.isEmpty()) return { name, texts: entry.texts };
  }
  return undefined;
}
