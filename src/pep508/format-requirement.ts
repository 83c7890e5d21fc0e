import { formatMarker } from "./format-marker.js";
import type { Requirement } from "./requirement.js";

/**
 * Formats a requirement the way `str(packaging.requirements.Requirement)` does: name as written,
 * extras sorted, specifiers without spaces, ` @ url`, then `; marker`.
 *
 * @example
 * formatRequirement(parseRequirement("Foo [b, a] >= 1.0 ; os_name=='nt'")); // 'Foo[a,b]>=1.0; os_name == "nt"'
 */
export function formatRequirement(requirement: Requirement): string {
  let text = requirement.name;
  if (requirement.extras.length > 0) text += `[${[...new Set(requirement.extras)].sort().join(",")}]`;
  text += requirement.specifier.toString();
  if (requirement.url !== undefined) text += ` @ ${requirement.url}${requirement.marker ? " " : ""}`;
  if (requirement.marker !== undefined) text += `; ${formatMarker(requirement.marker)}`;
  return text;
}
