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
  /** The target's ABI (`2026_0`); a Pyodide repository for another ABI then offers nothing. */
  targetAbi?: string;
}

/**
 * The sources the settings describe, combined with the settings' strategy, in this priority
 * order (what first-index-wins consults first):
 * 1. `--find-links` locations (files the user put there on purpose);
 * 2. `--extra-index-url`s, in the order given (private indexes, which a public upload must not
 *    shadow);
 * 3. `--index-url` (PyPI by default);
 * then, as a fallback for a project none of those has a usable file for, the Pyodide repository
 * (builds made for the runtime's exact ABI, such as numpy, which PyPI has no wasm wheel of).
 * It is a fallback rather than a first choice because its lock pins one older build of each
 * package: `pytest>=9.1` must not fail because Pyodide ships 9.0.2, and PEP 783 wheels on the
 * index are the primary distribution channel. It is trusted (it is the runtime's own), so it
 * cannot be used for dependency confusion the way a public index could.
 * `--no-index` drops 2 and 3; `no-pyodide-index` drops the fallback. The combination's
 * `withoutFallbacks()` is what the resolver tries first: the fallback joins only when the other
 * sources cannot satisfy the requirements.
 *
 * @example
 * const source = buildPackageSource(settings, { session, files: nodeLocalFiles, pyodide: { baseUrl: pyodideCdnUrl("314.0.7") } });
 */
export function buildPackageSource(settings: IndexSettings, options: BuildPackageSourceOptions): PackageSource {
  const { session } = options;
  const sources: PackageSource[] = settings.findLinks.map((location) => new FindLinksSource({ location, session, files: options.files }));
  if (!settings.noIndex) sources.push(...settings.extraIndexUrls.map((url) => new SimpleIndexSource({ url, session })));
  if (!settings.noIndex) sources.push(new SimpleIndexSource({ url: settings.indexUrl, session }));
  const fallbacks: PackageSource[] = [];
  const pyodideBase = settings.pyodideBaseUrl ?? options.pyodide?.baseUrl;
  if (!settings.noPyodideIndex && pyodideBase) {
    const lockText = settings.pyodideBaseUrl === undefined ? options.pyodide?.lockText : undefined;
    fallbacks.push(new PyodideLockSource({ baseUrl: pyodideBase, session, lockText, ...(options.targetAbi ? { abiVersion: options.targetAbi } : {}) }));
  }
  return combineSources(sources, { strategy: settings.indexStrategy, fallbacks });
}
