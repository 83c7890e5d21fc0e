import { digestHex, readCacheRecord, writeCacheRecord } from "../cache/index.js";
import { KilnError } from "../core/index.js";
import { normalizeName, parseName } from "../pep508/index.js";
import type { DistributionFile } from "./distribution-file.js";
import { filterRequiresPython } from "./filter-requires-python.js";
import { fetchCoreMetadata } from "./fetch-core-metadata.js";
import { isSafeFilename } from "./file-url.js";
import type { HttpSession } from "./http-session.js";
import type { LocalFiles } from "./local-files.js";
import type { FetchFileOptions, ListFilesOptions, PackageSource } from "./package-source.js";
import { parseSimpleHtml } from "./parse-simple-html.js";
import { readWheelMetadata } from "./read-wheel-metadata.js";
import { redactUrl } from "./redact-url.js";
import { verifyHashes } from "./verify-hashes.js";

/** Options for {@link FindLinksSource}. */
export interface FindLinksSourceOptions {
  /** An http(s) URL of a page of links, or a `file:` URL of a directory or HTML file. */
  location: string;
  session: HttpSession;
  /** Needed for `file:` locations. */
  files?: LocalFiles;
}

const distributionSuffixes = [".whl", ".tar.gz", ".zip", ".tar.bz2", ".tar.xz", ".tgz", ".tar"];

/**
 * pip's `--find-links`: a flat list of distributions for every project at once, from a local
 * directory or an HTML page of links (`<a href>`, hashes in fragments, as PEP 503). Files are
 * matched to a project by the name at the start of the file name.
 *
 * @example
 * const local = new FindLinksSource({ location: "file:///home/me/wheels/", session, files: nodeLocalFiles });
 * await local.listFiles("demo");
 */
export class FindLinksSource implements PackageSource {
  readonly url: string;
  readonly name: string;
  private readonly session: HttpSession;
  private readonly files: LocalFiles | undefined;
  /** Every file found, with the normalized project of each wheel (worked out once, not once per project asked for). */
  private listing: Promise<{ files: DistributionFile[]; wheelProjects: (string | undefined)[] }> | undefined;

  constructor(options: FindLinksSourceOptions) {
    this.session = options.session;
    this.files = options.files;
    this.url = options.session.registerCredentials(options.location.trim());
    this.name = `find-links ${this.url}`;
    const scheme = safeProtocol(this.url);
    if (scheme === "file:" && !this.files) throw new TypeError("FindLinksSource needs `files` for a file: location");
    if (scheme !== "file:" && scheme !== "http:" && scheme !== "https:") {
      throw new KilnError("invalidIndexUrl", `Cannot use "${redactUrl(options.location)}" for --find-links: not a directory or http(s) URL`, {
        hint: "Give a local directory, or the URL of a page of links",
      });
    }
  }

  async listFiles(project: string, options: ListFilesOptions = {}): Promise<DistributionFile[]> {
    const wanted = parseName(project);
    this.listing ??= this.listAll(options).then(
      (files) => ({ files, wheelProjects: files.map((file) => wheelProject(file.filename)) }),
      (error) => {
        this.listing = undefined;
        throw error;
      },
    );
    const { files: all, wheelProjects } = await this.listing;
    const files = all.filter((file, index) => (wheelProjects[index] === undefined ? belongsTo(file.filename, wanted) : wheelProjects[index] === wanted));
    return options.pythonVersion ? filterRequiresPython(files, options.pythonVersion) : files;
  }

  async fetchMetadata(file: DistributionFile, options: ListFilesOptions = {}): Promise<string> {
    if (!file.url.startsWith("file:")) return fetchCoreMetadata(this.session, file, options);
    if (!file.filename.endsWith(".whl")) {
      throw new KilnError("metadataUnavailable", `Cannot read the metadata of ${file.filename} without building it`, {
        hint: "kiln resolves from wheels; source distributions need a build step it does not run",
      });
    }
    return this.localMetadata(file);
  }

  /**
   * A local wheel's METADATA, cached (in the session's cache, as remote wheels' metadata is) under
   * the file's URL and identity, so resolving from an unchanged directory opens no wheel.
   */
  private async localMetadata(file: DistributionFile): Promise<string> {
    const files = this.files!;
    const cache = this.session.cache;
    const before = cache ? await files.identity?.(file.url) : undefined;
    const key = before === undefined ? undefined : `metadata/v1/${await digestHex("sha256", new TextEncoder().encode(`local:${file.url}\n${before}`))}`;
    const cached = key ? await readCacheRecord(cache!, key) : undefined;
    if (cached) return new TextDecoder().decode(cached.body);
    const text = await readWheelMetadata(await files.openFile(file.url), file.filename, files.zipCodecs);
    // What was read while the file was being replaced belongs to neither version.
    if (key && (await files.identity!(file.url)) === before) await writeCacheRecord(cache!, key, { url: file.url }, new TextEncoder().encode(text));
    return text;
  }

  async fetchFile(file: DistributionFile, options: FetchFileOptions = {}): Promise<Uint8Array> {
    if (!file.url.startsWith("file:")) {
      return this.session.getFile(file.url, { hashes: file.hashes, signal: options.signal, onProgress: options.onProgress });
    }
    const bytes = await this.files!.readFile(file.url);
    await verifyHashes(bytes, file.hashes, file.url);
    return bytes;
  }

  private async listAll(options: ListFilesOptions): Promise<DistributionFile[]> {
    if (this.url.startsWith("file:")) {
      const directory = this.url.endsWith("/") ? this.url : `${this.url}/`;
      const names = await this.files!.listDirectory(directory);
      if (names === undefined) {
        const html = new TextDecoder().decode(await this.files!.readFile(this.url));
        return parseSimpleHtml(html, { url: this.url, indexUrl: this.url }).files;
      }
      return names
        .filter((name) => isSafeFilename(name) && distributionSuffixes.some((suffix) => name.toLowerCase().endsWith(suffix)))
        .sort()
        .map((name) => ({ filename: name, url: new URL(encodeURIComponent(name), directory).href, hashes: {}, indexUrl: this.url }));
    }
    const page = await this.session.getPage(this.url, {
      accept: "text/html",
      signal: options.signal,
      parse: (fetched) => parseSimpleHtml(new TextDecoder().decode(fetched.body), { url: fetched.url, indexUrl: this.url }),
    });
    if (!page) {
      throw new KilnError("httpStatus", `The --find-links page ${redactUrl(this.url)} does not exist`, { hint: "Check the URL" });
    }
    for (const warning of page.warnings) this.session.reporter.debug(warning);
    return page.files;
  }
}

/**
 * Whether a distribution file name is for `project` (normalized): a wheel's first component
 * is its escaped name; an sdist's name runs up to the `-` before the version, which starts
 * with a digit (names may contain `-` in old sdists).
 */
function belongsTo(filename: string, project: string): boolean {
  const wheel = wheelProject(filename);
  if (wheel !== undefined) return wheel === project;
  const normalized = normalizeName(filename);
  return normalized.startsWith(`${project}-`) && /^v?\d/.test(normalized.slice(project.length + 1));
}

/** The normalized project of a wheel's file name (its first component), or undefined for any other file. */
function wheelProject(filename: string): string | undefined {
  return filename.toLowerCase().endsWith(".whl") ? normalizeName(filename.split("-")[0] ?? "") : undefined;
}

function safeProtocol(url: string): string {
  try {
    return new URL(url).protocol;
  } catch {
    return "";
  }
}
