import { mkdir, readFile, rename, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { corpusProjects } from "./pypi-corpus.js";

/** One file listed on a project's PEP 503 page. */
export interface IndexFile {
  project: string;
  filename: string;
  /** The file's URL without its `#sha256=` fragment. */
  url: string;
}

/**
 * Every file (wheels, sdists, eggs, installers) the PEP 503 pages of the corpus projects list,
 * for differential tests of filename parsing. Each project's list is cached in
 * `.cache/files/<project>.json`; `KILN_CORPUS_REFRESH=1` fetches again.
 *
 * @example
 * const files = await loadIndexFiles();
 * files.filter((file) => file.filename.endsWith(".whl"));
 */
export async function loadIndexFiles(): Promise<IndexFile[]> {
  await mkdir(cacheDir, { recursive: true });
  const refresh = process.env.KILN_CORPUS_REFRESH === "1";
  const lists = await mapConcurrently(corpusProjects, (project) => loadProject(project, refresh));
  return lists.flat();
}

/**
 * The distinct filenames of {@link loadIndexFiles}, sorted.
 *
 * @example
 * const filenames = await loadFilenames();
 */
export async function loadFilenames(): Promise<string[]> {
  return [...new Set((await loadIndexFiles()).map((file) => file.filename))].sort();
}

/**
 * Real core metadata files: the `<wheel-url>.metadata` file (PEP 658) of the newest wheel of each
 * corpus project that has one, cached in `.cache/metadata/<project>.txt`.
 *
 * @example
 * const files = await loadMetadataFiles(); // [{ project: "six", text: "Metadata-Version: 2.1\n…" }, …]
 */
export async function loadMetadataFiles(): Promise<{ project: string; text: string }[]> {
  await mkdir(metadataDir, { recursive: true });
  const files = await loadIndexFiles();
  const newest = new Map<string, IndexFile>();
  for (const file of files) if (file.filename.endsWith(".whl")) newest.set(file.project, file);
  const texts = await mapConcurrently([...newest.values()], async (file) => {
    const cache = join(metadataDir, `${file.project}.txt`);
    const cached = await readFile(cache, "utf8").catch(() => undefined);
    if (cached !== undefined) return { project: file.project, text: cached };
    const text = (await fetchPage(`${file.url}.metadata`)) ?? "";
    await writeAtomically(cache, text);
    return { project: file.project, text };
  });
  return texts.filter((entry) => entry.text !== "");
}

const root = fileURLToPath(new URL("../..", import.meta.url));
const cacheDir = join(root, ".cache", "files");
const metadataDir = join(root, ".cache", "metadata");
const concurrency = 8;

async function loadProject(project: string, refresh: boolean): Promise<IndexFile[]> {
  const file = join(cacheDir, `${project}.json`);
  if (!refresh) {
    const cached = await readFile(file, "utf8").catch(() => undefined);
    if (cached !== undefined) return JSON.parse(cached) as IndexFile[];
  }
  const base = `https://pypi.org/simple/${project}/`;
  const html = await fetchPage(base);
  const files = html === undefined ? [] : [...html.matchAll(/<a\s([^>]*)>([^<]*)<\/a>/g)].map((match) => {
    const href = decodeEntities(/href="([^"]*)"/.exec(match[1]!)?.[1] ?? "");
    return { project, filename: decodeEntities(match[2]!.trim()), url: new URL(href, base).href.replace(/#.*$/, "") };
  });
  await writeAtomically(file, JSON.stringify(files));
  return files;
}

async function writeAtomically(file: string, text: string): Promise<void> {
  const temporary = `${file}.${process.pid}.tmp`;
  await writeFile(temporary, text);
  await rename(temporary, file);
}

async function mapConcurrently<T, R>(items: readonly T[], task: (item: T) => Promise<R>): Promise<R[]> {
  const results: R[] = new Array(items.length);
  let next = 0;
  const worker = async () => {
    while (next < items.length) {
      const index = next++;
      results[index] = await task(items[index]!);
    }
  };
  await Promise.all(Array.from({ length: concurrency }, worker));
  return results;
}

async function fetchPage(url: string): Promise<string | undefined> {
  let lastError: unknown;
  for (let attempt = 1; attempt <= 4; attempt++) {
    try {
      const response = await fetch(url, { headers: { accept: "text/html" } });
      if (response.status === 404) return undefined;
      if (response.ok) return await response.text();
      lastError = new Error(`HTTP ${response.status}`);
    } catch (error) {
      lastError = error;
    }
    await new Promise((resolve) => setTimeout(resolve, 250 * attempt));
  }
  throw new Error(`Cannot fetch ${url} for the filename corpus (is https://pypi.org reachable?)`, { cause: lastError });
}

function decodeEntities(text: string): string {
  return text
    .replace(/&lt;/g, "<")
    .replace(/&gt;/g, ">")
    .replace(/&quot;/g, '"')
    .replace(/&#0*39;|&#x0*27;/gi, "'")
    .replace(/&amp;/g, "&");
}
