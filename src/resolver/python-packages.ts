/**
 * How Python packages appear to the solver: a normalized project name (`requests`), a virtual
 * package per requested extra (`requests[socks]`, which depends on `requests` at the same
 * version plus the extra's requirements), and the root, whose dependencies are the user's
 * requirements. The root's name cannot clash with a project name because of the angle brackets.
 */
export const rootPackage = "<root>";

/** A solver package name, split. */
export interface PackageId {
  name: string;
  extra?: string;
}

/**
 * Splits `name[extra]` into its parts.
 *
 * @example
 * parsePackageId("requests[socks]"); // { name: "requests", extra: "socks" }
 */
export function parsePackageId(id: string): PackageId {
  const open = id.indexOf("[");
  if (open < 0 || !id.endsWith("]")) return { name: id };
  return { name: id.slice(0, open), extra: id.slice(open + 1, -1) };
}

/**
 * The solver name for a project, or for one of its extras.
 *
 * @example
 * packageId("requests", "socks"); // "requests[socks]"
 */
export function packageId(name: string, extra?: string): string {
  return extra === undefined ? name : `${name}[${extra}]`;
}
