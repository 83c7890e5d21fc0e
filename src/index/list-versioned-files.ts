import type { ListVersionsOptions, PackageSource } from "./package-source.js";
import { groupFilesByVersion, type VersionedFiles } from "./versioned-files.js";

/**
 * A project's files grouped by version from any source: its own `listVersions` when it has one
 * (decoded lazily), else its `listFiles` grouped.
 *
 * @example
 * const listing = await listVersionedFiles(source, "idna");
 */
export function listVersionedFiles(source: PackageSource, project: string, options: ListVersionsOptions = {}): Promise<VersionedFiles> {
  if (source.listVersions) return source.listVersions(project, options);
  const { onStale, ...rest } = options;
  const onStaleFiles = onStale && ((files: Parameters<typeof groupFilesByVersion>[0]) => onStale(groupFilesByVersion(files)));
  return source.listFiles(project, { ...rest, ...(onStaleFiles ? { onStaleFiles } : {}) }).then(groupFilesByVersion);
}
