import { combineSources } from "./combine-sources.js";
import { FindLinksSource } from "./find-links-source.js";
import type { HttpSession } from "./http-session.js";
import type { IndexSettings } from "./index-settings.js";
import type { LocalFiles } from "./local-files.js";
import type { PackageSource } from "./package-source.js";
import { PyodideLockSource } from "./pyodide-lock-source.js";
import { SimpleIndexSource } from "./simple-index-source.js";

/** Options for {@link buildPackageSource}. */
export interface BuildPackageSourceOptions {
  session: HttpSession;
  /** Needed when `findLinks` has `file:` locations. */
  files?: LocalFiles;
  /**
   * The runtime's Pyodide repository when the settings do not name one: its base URL (the CDN
   * for the runtime's version) and, when at hand, the lock file's text.
   */
  pyodide?: { baseUrl: string; lockText?: string };
}

/**
 * The sources the settings describe, combined with the settings' strategy, in this priority
 * order (what first-index-wins consults first):
 * 1. `--find-links` locations (files the user put there on purpose);
 * 2. `--extra-index-url`s, in the order given (private indexes, which a public upload must not
 *    shadow);
 * 3. the Pyodide repository (builds made for the runtime's exact ABI);
 * 4. `--index-url` (PyPI by default).
 * `--no-index` drops 2 and 4; `no-pyodide-index` drops 3.
 *
 * @example
 * const source = buildPackageSource(settings, { session, files: nodeLocalFiles, pyodide: { baseUrl: pyodideCdnUrl("314.0.7") } });
 */
export function buildPackageSource(settings: IndexSettings, options: BuildPackageSourceOptions): PackageSource {
  const { session } = options;
  const sources: PackageSource[] = settings.findLinks.map((location) => new FindLinksSource({ location, session, files: options.files }));
  if (!settings.noIndex) sources.push(...settings.extraIndexUrls.map((url) => new SimpleIndexSource({ url, session })));
  const pyodideBase = settings.pyodideBaseUrl ?? options.pyodide?.baseUrl;
  if (!settings.noPyodideIndex && pyodideBase) {
    const lockText = settings.pyodideBaseUrl === undefined ? options.pyodide?.lockText : undefined;
    sources.push(new PyodideLockSource({ baseUrl: pyodideBase, session, lockText }));
  }
  if (!settings.noIndex) sources.push(new SimpleIndexSource({ url: settings.indexUrl, session }));
  return combineSources(sources, { strategy: settings.indexStrategy });
}
