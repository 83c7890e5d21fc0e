import { mkdir, readFile, rename, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { corpusProjects } from "./pypi-corpus.js";

/**
 * Real distribution filenames (wheels, sdists, eggs, installers: everything a PEP 503 page
 * lists) of the corpus projects, for differential tests of filename parsing. Each project's list
 * is cached in `.cache/filenames/<project>.json`; `KILN_CORPUS_REFRESH=1` fetches again.
 *
 * @example
 * const filenames = await loadFilenames();
 * filenames.filter((name) => name.endsWith(".whl"));
 */
export async function loadFilenames(): Promise<string[]> {
  await mkdir(cacheDir, { recursive: true });
  const refresh = process.env.KILN_CORPUS_REFRESH === "1";
  const lists: string[][] = [];
  let next = 0;
  const worker = async () => {
    while (next < corpusProjects.length) {
      const project = corpusProjects[next++]!;
      lists.push(await loadProject(project, refresh));
    }
  };
  await Promise.all(Array.from({ length: concurrency }, worker));
  return [...new Set(lists.flat())].sort();
}

const root = fileURLToPath(new URL("../..", import.meta.url));
const cacheDir = join(root, ".cache", "filenames");
const concurrency = 8;

async function loadProject(project: string, refresh: boolean): Promise<string[]> {
  const file = join(cacheDir, `${project}.json`);
  if (!refresh) {
    const cached = await readFile(file, "utf8").catch(() => undefined);
    if (cached !== undefined) return JSON.parse(cached) as string[];
  }
  const html = await fetchPage(`https://pypi.org/simple/${project}/`);
  const filenames = html === undefined ? [] : [...html.matchAll(/<a\s[^>]*>([^<]*)<\/a>/g)].map((match) => decodeEntities(match[1]!.trim()));
  const temporary = `${file}.${process.pid}.tmp`;
  await writeFile(temporary, JSON.stringify(filenames));
  await rename(temporary, file);
  return filenames;
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
