import { KilnError, isKilnError } from "../core/index.js";
import { parseName } from "../pep508/index.js";
import type { DistributionFile } from "./distribution-file.js";
import { resolveFileUrl } from "./file-url.js";
import { fetchCoreMetadata } from "./fetch-core-metadata.js";
import type { HttpSession } from "./http-session.js";
import type { FetchFileOptions, ListFilesOptions, PackageSource } from "./package-source.js";
import { parsePyodideLock, type PyodideLock } from "./parse-pyodide-lock.js";
import { redactUrl } from "./redact-url.js";

/** Options for {@link PyodideLockSource}. */
export interface PyodideLockSourceOptions {
  /**
   * The Pyodide distribution's base URL: `pyodide-lock.json` is read from here, and its
   * `file_name`s resolve against it. Defaults to Pyodide's CDN for a version, see
   * {@link pyodideCdnUrl}.
   */
  baseUrl: string;
  session: HttpSession;
  /** The lock file's text when already at hand (the `pyodide` npm package ships it). */
  lockText?: string;
  /**
   * The target's ABI (`2026_0`): a lock for another ABI (`info.abi_version`) offers no files,
   * since its builds would not load in the target runtime.
   */
  abiVersion?: string;
}

/**
 * The Pyodide CDN's base URL for a Pyodide version (where its `pyodide-lock.json` and wheels are).
 *
 * @example
 * pyodideCdnUrl("314.0.7"); // "https://cdn.jsdelivr.net/pyodide/v314.0.7/full/"
 */
export function pyodideCdnUrl(version: string): string {
  return `https://cdn.jsdelivr.net/pyodide/v${version}/full/`;
}

/**
 * The runtime's own package repository: the packages Pyodide builds for its ABI, listed in
 * `pyodide-lock.json`. Each project has exactly one file; it carries a `pyodide` record
 * (`depends`, `imports`, `packageType`, `installDir`), because shared libraries and test
 * bundles are zips without core metadata.
 *
 * @example
 * const pyodide = new PyodideLockSource({ baseUrl: pyodideCdnUrl("314.0.7"), session });
 * const [numpy] = await pyodide.listFiles("numpy");
 */
export class PyodideLockSource implements PackageSource {
  readonly url: string;
  readonly name: string;
  private readonly session: HttpSession;
  private readonly lockText: string | undefined;
  private readonly abiVersion: string | undefined;
  private loading: Promise<{ lock: PyodideLock; base: string }> | undefined;

  constructor(options: PyodideLockSourceOptions) {
    this.session = options.session;
    const base = options.session.registerCredentials(options.baseUrl.trim());
    this.url = new URL("pyodide-lock.json", base.endsWith("/") ? base : `${base}/`).href;
    this.name = `Pyodide repository ${this.url}`;
    this.lockText = options.lockText;
    this.abiVersion = options.abiVersion;
  }

  /** The parsed lock file, fetched once (through the HTTP cache). */
  async lock(options: ListFilesOptions = {}): Promise<PyodideLock> {
    return (await this.loaded(options)).lock;
  }

  private loaded(options: ListFilesOptions): Promise<{ lock: PyodideLock; base: string }> {
    this.loading ??= this.load(options).catch((error) => {
      this.loading = undefined;
      throw error;
    });
    return this.loading;
  }

  async listFiles(project: string, options: ListFilesOptions = {}): Promise<DistributionFile[]> {
    const { lock, base } = await this.loaded(options);
    if (this.abiVersion !== undefined && lock.info.abiVersion !== this.abiVersion) return [];
    const entry = lock.packages.get(parseName(project));
    if (!entry) return [];
    // As on an index page: http(s) only, and file: only from a lock that is itself a local file.
    const resolved = resolveFileUrl(entry.fileName, base);
    if (!resolved) return [];
    return [
      {
        filename: resolved.filename,
        url: resolved.url,
        hashes: { sha256: entry.sha256 },
        indexUrl: this.url,
        pyodide: {
          name: entry.name,
          version: entry.version,
          depends: entry.depends,
          imports: entry.imports,
          packageType: entry.packageType,
          installDir: entry.installDir,
        },
      },
    ];
  }

  async fetchMetadata(file: DistributionFile, options: ListFilesOptions = {}): Promise<string> {
    if (file.pyodide && file.pyodide.packageType !== "package") {
      throw new KilnError("metadataUnavailable", `${file.filename} is a Pyodide ${file.pyodide.packageType}, which has no core metadata`, {
        hint: "Use the lock file's depends for it",
      });
    }
    return fetchCoreMetadata(this.session, file, options);
  }

  async fetchFile(file: DistributionFile, options: FetchFileOptions = {}): Promise<Uint8Array> {
    try {
      return await this.session.getFile(file.url, { hashes: file.hashes, signal: options.signal, onProgress: options.onProgress });
    } catch (error) {
      if (!isKilnError(error) || !["networkError", "httpTimeout", "httpStatus"].includes(error.code)) throw error;
      // Resolving never needs this repository's server; downloading does, so say how to avoid it.
      throw new KilnError(error.code, error.message, {
        cause: error,
        hint: `${file.filename} comes from the runtime's Pyodide repository (${redactUrl(this.url)}): set --pyodide-base-url to a reachable copy, or pass --no-pyodide-index to use the indexes alone`,
      });
    }
  }

  /** Files resolve against the lock file's final URL, after redirects. */
  private async load(options: ListFilesOptions): Promise<{ lock: PyodideLock; base: string }> {
    if (this.lockText !== undefined) return { lock: parsePyodideLock(this.lockText, redactUrl(this.url)), base: this.url };
    const loaded = await this.session.getPage(this.url, {
      accept: "application/json",
      signal: options.signal,
      parse: (page) => ({ lock: parsePyodideLock(new TextDecoder().decode(page.body), redactUrl(page.url)), base: page.url }),
    });
    if (!loaded) {
      throw new KilnError("httpStatus", `${redactUrl(this.url)} does not exist`, {
        hint: "Check the Pyodide repository URL (pyodide-base-url); it should point at a directory holding pyodide-lock.json",
      });
    }
    return loaded;
  }
}
