import type { InstallFileSystem } from "./install-file-system.js";
import type { InstallScheme } from "./install-scheme.js";
import { listDistInfos, type InstalledDistribution, type ReadInstalledOptions } from "./installed-distributions.js";
import type { InstalledCandidate } from "./installed-source.js";
import { joinPath } from "./paths.js";
import type { DirectUrl } from "./stage-wheel.js";

/** An installed distribution with its METADATA text. */
export type InstalledWithMetadata = InstalledDistribution & InstalledCandidate;

/**
 * Every installed distribution with its core metadata text (empty when METADATA is missing), as
 * the planner and `pip check` / `pip show` need them; `{ record: false }` skips reading RECORD.
 *
 * @example
 * const installed = await readInstalledWithMetadata(scheme, fs);
 */
export async function readInstalledWithMetadata(scheme: InstallScheme, fs: InstallFileSystem, options: ReadInstalledOptions = {}): Promise<InstalledWithMetadata[]> {
  return (await listDistInfos(scheme, fs, options)).map(({ distribution, metadata }) => ({ ...distribution, metadata: metadata ?? "" }));
}

/**
 * The PEP 610 `direct_url.json` of an installed distribution, when it was installed from a path
 * or URL; undefined otherwise or when the file is unreadable.
 *
 * @example
 * (await readDirectUrl(fs, dist.distInfo))?.url; // "file:///work/dist/demo-1.0-py3-none-any.whl"
 */
export async function readDirectUrl(fs: InstallFileSystem, distInfo: string): Promise<DirectUrl | undefined> {
  const path = joinPath(distInfo, "direct_url.json");
  if ((await fs.stat(path))?.kind !== "file") return undefined;
  try {
    const parsed = JSON.parse(new TextDecoder().decode(await fs.readFile(path))) as DirectUrl;
    return typeof parsed?.url === "string" ? parsed : undefined;
  } catch {
    return undefined;
  }
}
