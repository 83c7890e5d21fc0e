import { KilnError } from "../core/index.js";
import {
  fetchCoreMetadata,
  readWheelMetadata,
  verifyHashes,
  type DistributionFile,
  type FetchFileOptions,
  type HttpSession,
  type ListFilesOptions,
  type LocalFiles,
  type PackageSource,
} from "../index/index.js";
import { normalizeName } from "../pep508/index.js";
import { parseWheelFilename } from "../wheel-name/index.js";

/** Where direct references (`./dist/x.whl`, `name @ https://…/x.whl`) are listed from. */
export const directSourceUrl = "kiln-direct:";

/** Options for {@link DirectFilesSource}. */
export interface DirectFilesSourceOptions {
  /** The files, with `url` the wheel's own (`file:` or http(s)) and `indexUrl` ignored. */
  files: readonly DistributionFile[];
  /** For http(s) URLs. */
  session?: HttpSession;
  /** For `file:` URLs. */
  localFiles?: LocalFiles;
}

/**
 * The wheels named directly on a command line or in a requirements file (local paths and
 * `name @ URL`), as a {@link PackageSource} that lists each only for its own project. Put first
 * in a first-index combination, it makes the named file the only candidate for its project, as
 * pip does for a direct reference.
 *
 * @example
 * const direct = new DirectFilesSource({ files: [{ filename: "demo-1.0-py3-none-any.whl", url: "file:///w/demo-1.0-py3-none-any.whl", hashes: {}, indexUrl: "" }], localFiles });
 * await direct.listFiles("demo"); // that one file
 */
export class DirectFilesSource implements PackageSource {
  readonly name = "direct references";
  readonly url = directSourceUrl;
  private readonly byProject = new Map<string, DistributionFile[]>();

  constructor(private readonly options: DirectFilesSourceOptions) {
    for (const file of options.files) {
      if (!file.filename.endsWith(".whl")) {
        throw new KilnError("invalidWheelFilename", `Cannot install ${file.url}: it is not a wheel`, {
          hint: "kiln installs wheels only; build the project into a wheel first (kiln build, or python -m build)",
        });
      }
      const project = normalizeName(parseWheelFilename(file.filename).name);
      const listed = { ...file, indexUrl: directSourceUrl };
      this.byProject.set(project, [...(this.byProject.get(project) ?? []), listed]);
    }
  }

  /** Normalized names of the projects that have a direct file. */
  get projects(): string[] {
    return [...this.byProject.keys()];
  }

  async listFiles(project: string, _options?: ListFilesOptions): Promise<DistributionFile[]> {
    return this.byProject.get(normalizeName(project)) ?? [];
  }

  async fetchMetadata(file: DistributionFile, options: ListFilesOptions = {}): Promise<string> {
    if (file.url.startsWith("file:")) return readWheelMetadata(await this.local().openFile(file.url), file.filename, this.local().zipCodecs);
    return fetchCoreMetadata(this.http(file), file, options);
  }

  async fetchFile(file: DistributionFile, options: FetchFileOptions = {}): Promise<Uint8Array> {
    if (!file.url.startsWith("file:")) {
      return this.http(file).getFile(file.url, { hashes: file.hashes, ...(options.signal ? { signal: options.signal } : {}), ...(options.onProgress ? { onProgress: options.onProgress } : {}) });
    }
    const bytes = await this.local().readFile(file.url);
    await verifyHashes(bytes, file.hashes, file.url);
    return bytes;
  }

  private local(): LocalFiles {
    if (!this.options.localFiles) throw new TypeError("DirectFilesSource needs localFiles for file: URLs");
    return this.options.localFiles;
  }

  private http(file: DistributionFile): HttpSession {
    if (!this.options.session) throw new TypeError(`DirectFilesSource needs a session for ${file.url}`);
    return this.options.session;
  }
}
