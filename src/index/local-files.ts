import type { RandomAccessSource, ZipCodecs } from "../archive/index.js";

/**
 * Local file access for `--find-links` directories, injected like {@link HttpClient} so the
 * index layer stays browser-safe; `src/platform/node-local-files.ts` implements it. Locations
 * are `file:` URLs.
 *
 * @example
 * const names = await files.listDirectory("file:///home/me/wheels/");
 */
export interface LocalFiles {
  /** The names of the files directly inside a directory; `undefined` when it is not a directory. */
  listDirectory(directoryUrl: string): Promise<string[] | undefined>;
  readFile(fileUrl: string): Promise<Uint8Array>;
  /** A random-access view of a file, for reading one zip entry without reading the whole file. */
  openFile(fileUrl: string): Promise<RandomAccessSource>;
  /** The platform's native zip codecs, for reading METADATA out of local wheels faster. */
  zipCodecs?: ZipCodecs;
  /**
   * A string that changes whenever the file does (on Node: device, inode, size, modification
   * and change times), or undefined when the file cannot be identified. With it, what is read
   * out of a local wheel (its METADATA) is cached, so an unchanged wheel is not opened again.
   */
  identity?(fileUrl: string): Promise<string | undefined>;
}
