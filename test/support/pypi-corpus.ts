import { mkdir, readFile, rename, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import type { RandomAccessSource } from "../../src/archive/index.js";
import { readWheelMetadata } from "../../src/index/index.js";

/**
 * Real-world strings from the public index, for differential tests and benchmarks: every version
 * string in the wheel and sdist filenames of ~300 popular projects (PEP 503 simple pages), the
 * `data-requires-python` values of those pages, and the `Requires-Dist` / `Requires-Python`
 * lines of each project's newest wheel: from its `<wheel-url>.metadata` file (PEP 658 files PyPI
 * serves even though its HTML pages do not advertise them), or, where the newest wheels have none,
 * from the wheel's own `METADATA` read with HTTP range requests.
 *
 * Everything is cached under `.cache/corpus/` (one JSON file per project) and reused; only
 * missing projects are fetched. Set `KILN_CORPUS_REFRESH=1` to fetch everything again.
 */
export interface Corpus {
  /** Version strings exactly as they appear in filenames (not normalized, possibly invalid). */
  versions: string[];
  /** `Requires-Dist` values from core metadata (PEP 508 requirement strings). */
  requirements: string[];
  /** `Requires-Python` values from core metadata and `data-requires-python` attributes. */
  requiresPython: string[];
}

/** Popular projects on the public index; the corpus is drawn from these. */
export const corpusProjects: readonly string[] = [
  ...new Set(
    `boto3 botocore urllib3 requests setuptools certifi charset-normalizer idna typing-extensions
python-dateutil s3transfer packaging six aiobotocore numpy pyyaml s3fs fsspec pip cryptography
grpcio-status pydantic cffi attrs pycparser pandas importlib-metadata jmespath zipp rsa pyasn1
click markupsafe protobuf platformdirs pydantic-core jinja2 wheel colorama filelock tomli pytz
pluggy googleapis-common-protos pyjwt virtualenv annotated-types cachetools pytest pyasn1-modules
iniconfig google-auth awscli wrapt sqlalchemy jsonschema aiohttp pyarrow multidict yarl psutil
frozenlist tzdata aiosignal docutils exceptiongroup requests-oauthlib oauthlib grpcio greenlet
soupsieve beautifulsoup4 pygments isodate decorator pyparsing tomlkit werkzeug rich openpyxl
et-xmlfile async-timeout requests-toolbelt more-itertools proto-plus distlib h11 httpx httpcore
anyio sniffio scipy lxml pillow deprecated google-api-core msgpack google-cloud-storage regex
tqdm azure-core coverage pynacl paramiko bcrypt mypy-extensions markdown-it-py mdurl dill chardet
gitpython smmap gitdb tenacity trove-classifiers poetry-core flask itsdangerous blinker fastapi
starlette uvicorn websocket-client sortedcontainers networkx matplotlib kiwisolver cycler
fonttools contourpy joblib scikit-learn threadpoolctl pytest-cov pyopenssl google-cloud-core
google-resumable-media google-crc32c tabulate shellingham keyring jaraco-classes jeepney
secretstorage backports-tarfile mock redis ruamel-yaml ruamel-yaml-clib pexpect ptyprocess
asn1crypto sqlparse alembic mako prompt-toolkit wcwidth ipython traitlets jedi parso
matplotlib-inline pure-eval executing asttokens stack-data toml black pathspec mypy isort flake8
pycodestyle pyflakes mccabe pylint astroid tomli-w setuptools-scm hatchling pyproject-hooks build
installer nodeenv identify cfgv pre-commit tox cachecontrol poetry poetry-plugin-export dulwich
crashtest cleo rapidfuzz xattr pkginfo msal msal-extensions portalocker azure-storage-blob
azure-identity google-cloud-bigquery db-dtypes pandas-gbq google-auth-oauthlib pyspark py4j
snowflake-connector-python httplib2 uritemplate google-api-python-client google-auth-httplib2
termcolor typer markdown jsonpointer jsonpatch arrow fqdn isoduration uri-template webcolors
rfc3339-validator rfc3986-validator referencing rpds-py jsonschema-specifications nest-asyncio
tornado pyzmq jupyter-core jupyter-client ipykernel debugpy comm psycopg2-binary psycopg2 pymysql
mysql-connector-python sentry-sdk structlog loguru orjson ujson simplejson python-dotenv
argcomplete xmltodict humanfriendly coloredlogs python-json-logger opentelemetry-api
opentelemetry-sdk opentelemetry-proto opentelemetry-exporter-otlp-proto-grpc
opentelemetry-semantic-conventions grpcio-tools pyrsistent typing-inspect marshmallow
dataclasses-json tzlocal babel jaraco-functools jaraco-context backoff aiofiles watchdog openai
tiktoken tokenizers huggingface-hub transformers safetensors torch sympy mpmath triton
kubernetes google-cloud-pubsub websockets pywin32 pytest-mock pytest-xdist execnet pytest-asyncio
hypothesis freezegun responses moto xlrd xlsxwriter nltk gunicorn django djangorestframework
celery kombu vine amqp billiard click-didyoumean click-repl click-plugins zope-interface twisted
automat constantly hyperlink incremental scrapy h2 hpack hyperframe brotli zstandard lz4 cython
pybind11 numba llvmlite shapely pyproj geopandas fiona xarray dask distributed cloudpickle toolz
partd locket bokeh plotly seaborn statsmodels patsy altair streamlit polars duckdb sqlglot
apache-airflow dbt-core prometheus-client pyodbc ldap3 jwcrypto authlib pyodide-py micropip
pydantic-settings python-multipart email-validator dnspython uvloop httptools watchfiles
pyproject-api tox-gh-actions nox sphinx alabaster snowballstemmer imagesize sphinxcontrib-applehelp
sphinxcontrib-devhelp sphinxcontrib-htmlhelp sphinxcontrib-jsmath sphinxcontrib-qthelp
sphinxcontrib-serializinghtml docker pywavelets scikit-image imageio tifffile opencv-python
pytest-timeout pytest-rerunfailures pytest-html pytest-metadata pyee playwright selenium trio
outcome wsproto pysocks jsonpath-ng ply cachelib flask-sqlalchemy flask-cors flask-login wtforms
pyarrow-hotfix datasets multiprocess xxhash accelerate sentencepiece langchain langchain-core
jiter distro tensorboard absl-py grpcio-health-checking google-pasta keras tensorflow h5py
ml-dtypes opt-einsum gast astunparse flatbuffers libclang termcolor`.split(/\s+/).filter(Boolean),
  ),
];

const root = fileURLToPath(new URL("../..", import.meta.url));
const cacheDir = join(root, ".cache", "corpus");
const concurrency = 16;
const attempts = 4;
const metadataTries = 6;

interface ProjectEntry {
  project: string;
  versions: string[];
  requiresPython: string[];
  /** `.metadata` URLs of the newest wheels, one per version, newest first. */
  metadataCandidates: string[];
  metadataUrl?: string;
  /** True once the range-request fallback ran (whatever it found). */
  metadataRangeTried?: boolean;
  requirements: string[];
  metadataRequiresPython: string | undefined;
}

/**
 * Loads the corpus, fetching whatever is not cached yet. Throws a clear error when the index
 * cannot be reached and the cache is incomplete.
 *
 * @example
 * const { versions } = await loadCorpus();
 */
export async function loadCorpus(): Promise<Corpus> {
  await mkdir(cacheDir, { recursive: true });
  const refresh = process.env.KILN_CORPUS_REFRESH === "1";
  const entries = await mapConcurrently(corpusProjects, concurrency, (project) => loadProject(project, refresh));
  const versions = new Set<string>();
  const requirements = new Set<string>();
  const requiresPython = new Set<string>();
  for (const entry of entries) {
    if (!entry) continue;
    for (const version of entry.versions) versions.add(version);
    for (const requirement of entry.requirements) requirements.add(requirement);
    for (const value of entry.requiresPython) requiresPython.add(value);
    if (entry.metadataRequiresPython !== undefined) requiresPython.add(entry.metadataRequiresPython);
  }
  return { versions: [...versions], requirements: [...requirements], requiresPython: [...requiresPython] };
}

async function loadProject(project: string, refresh: boolean): Promise<ProjectEntry | undefined> {
  const file = join(cacheDir, `${project}.json`);
  if (!refresh) {
    const cached = await readFile(file, "utf8").catch(() => undefined);
    if (cached !== undefined) {
      const entry = (JSON.parse(cached) as ProjectEntry | null) ?? undefined;
      // Entries cached before the range-request fallback existed get it now.
      if (entry === undefined || entry.metadataUrl !== undefined || entry.metadataCandidates.length === 0) return entry;
      if (entry.metadataRangeTried) return entry;
      await readMetadataByRanges(entry);
      await writeAtomically(file, JSON.stringify(entry));
      return entry;
    }
  }
  const page = await fetchText(`https://pypi.org/simple/${project}/`);
  if (page === undefined) {
    // The project does not exist (404); remember that so the next run does not ask again.
    await writeAtomically(file, "null");
    return undefined;
  }
  const entry = parseSimplePage(project, page);
  for (const url of entry.metadataCandidates) {
    const metadata = await fetchText(url);
    if (metadata === undefined) continue;
    useMetadata(entry, url, metadata);
    break;
  }
  if (entry.metadataUrl === undefined && entry.metadataCandidates.length > 0) await readMetadataByRanges(entry);
  await writeAtomically(file, JSON.stringify(entry));
  return entry;
}

function useMetadata(entry: ProjectEntry, url: string, metadata: string): void {
  const headers = parseMetadataHeaders(metadata);
  entry.metadataUrl = url;
  entry.requirements = headers.get("requires-dist") ?? [];
  entry.metadataRequiresPython = headers.get("requires-python")?.[0];
}

/**
 * Some wheels on the index have no `.metadata` companion file; read `METADATA` out of the newest
 * one with HTTP range requests instead (the zip's directory and that one entry, a few KiB).
 */
async function readMetadataByRanges(entry: ProjectEntry): Promise<void> {
  entry.metadataRangeTried = true;
  const url = entry.metadataCandidates[0]!.replace(/\.metadata$/, "");
  const head = await fetchWithRetries(url, { method: "HEAD" });
  const size = Number(head?.headers.get("content-length"));
  if (head === undefined || !Number.isSafeInteger(size) || size <= 0) return;
  const source: RandomAccessSource = {
    size,
    async read(offset, length) {
      if (length === 0) return new Uint8Array(0);
      const response = await fetchWithRetries(url, { headers: { range: `bytes=${offset}-${offset + length - 1}` } });
      if (response === undefined || response.status !== 206) throw new Error(`GET ${url} bytes ${offset}+${length}: HTTP ${response?.status ?? 404}`);
      const bytes = new Uint8Array(await response.arrayBuffer());
      if (bytes.length !== length) throw new Error(`GET ${url} bytes ${offset}+${length}: got ${bytes.length} bytes`);
      return bytes;
    },
  };
  const filename = decodeURIComponent(url.slice(url.lastIndexOf("/") + 1));
  useMetadata(entry, `${url}#range`, await readWheelMetadata(source, filename));
}

async function writeAtomically(file: string, text: string): Promise<void> {
  const temporary = `${file}.${process.pid}.tmp`;
  await writeFile(temporary, text);
  await rename(temporary, file);
}

/** Extracts filenames, versions and `data-requires-python` from a PEP 503 HTML page. */
export function parseSimplePage(project: string, html: string): ProjectEntry {
  const versions = new Set<string>();
  const requiresPython = new Set<string>();
  const wheels: { version: string; url: string; filename: string }[] = [];
  for (const match of html.matchAll(/<a\s([^>]*)>([^<]*)<\/a>/g)) {
    const attributes = match[1]!;
    const filename = decodeEntities(match[2]!.trim());
    const href = /href="([^"]*)"/.exec(attributes)?.[1];
    const requires = /data-requires-python="([^"]*)"/.exec(attributes)?.[1];
    if (requires !== undefined && requires !== "") requiresPython.add(decodeEntities(requires));
    const version = versionFromFilename(project, filename);
    if (version === undefined) continue;
    versions.add(version);
    if (filename.endsWith(".whl") && href !== undefined) {
      wheels.push({ version, url: decodeEntities(href).replace(/#.*$/, ""), filename });
    }
  }
  return {
    project,
    versions: [...versions],
    requiresPython: [...requiresPython],
    metadataCandidates: newestWheels(wheels).map((wheel) => `${wheel.url}.metadata`),
    requirements: [],
    metadataRequiresPython: undefined,
  };
}

/**
 * One wheel per version, newest final versions first (a numeric comparison is enough to pick
 * them), preferring a pure wheel. Some files on the index have no `.metadata` companion, so the
 * loader tries these in order.
 */
function newestWheels(wheels: { version: string; url: string; filename: string }[]) {
  const byVersion = new Map<string, { version: string; url: string; filename: string }>();
  for (const wheel of wheels) {
    const current = byVersion.get(wheel.version);
    if (current === undefined || (wheel.filename.includes("-none-any") && !current.filename.includes("-none-any"))) {
      byVersion.set(wheel.version, wheel);
    }
  }
  const isFinal = (version: string) => /^\d+(\.\d+)*$/.test(version);
  return [...byVersion.values()]
    .sort((a, b) => Number(isFinal(b.version)) - Number(isFinal(a.version)) || compareNumeric(b.version, a.version))
    .slice(0, metadataTries);
}

function compareNumeric(a: string, b: string): number {
  const left = a.split(/\D+/).map(Number);
  const right = b.split(/\D+/).map(Number);
  for (let i = 0; i < Math.max(left.length, right.length); i++) {
    const difference = (left[i] ?? 0) - (right[i] ?? 0);
    if (difference !== 0) return difference;
  }
  return 0;
}

const archiveSuffixes = [".tar.gz", ".tar.bz2", ".tar.xz", ".tar.Z", ".tgz", ".tbz", ".zip", ".tar"];

/** The version part of a wheel or sdist filename, or undefined for other files (eggs, installers). */
export function versionFromFilename(project: string, filename: string): string | undefined {
  if (filename.endsWith(".whl")) {
    const parts = filename.slice(0, -4).split("-");
    return parts.length === 5 || parts.length === 6 ? parts[1] : undefined;
  }
  const suffix = archiveSuffixes.find((candidate) => filename.endsWith(candidate));
  if (suffix === undefined) return undefined;
  const stem = filename.slice(0, -suffix.length);
  const wanted = normalizeName(project);
  // Legacy sdists spell the project name freely (`python-dateutil`, `Django`), so find the
  // dash after which the name part normalizes to the project's name.
  for (let dash = stem.indexOf("-"); dash !== -1; dash = stem.indexOf("-", dash + 1)) {
    if (normalizeName(stem.slice(0, dash)) === wanted) return stem.slice(dash + 1) || undefined;
  }
  return undefined;
}

function normalizeName(name: string): string {
  return name.toLowerCase().replace(/[-_.]+/g, "-");
}

function decodeEntities(text: string): string {
  return text
    .replace(/&lt;/g, "<")
    .replace(/&gt;/g, ">")
    .replace(/&quot;/g, '"')
    .replace(/&#0*39;|&#x0*27;|&apos;/gi, "'")
    .replace(/&amp;/g, "&");
}

/** Header fields of an RFC 822-style core metadata file, lower-cased names, values in order. */
export function parseMetadataHeaders(text: string): Map<string, string[]> {
  const headers = new Map<string, string[]>();
  let name: string | undefined;
  for (const line of text.replace(/\r\n/g, "\n").split("\n")) {
    if (line === "") break;
    if (/^[ \t]/.test(line) && name !== undefined) {
      const values = headers.get(name)!;
      values[values.length - 1] += `\n${line}`;
      continue;
    }
    const colon = line.indexOf(":");
    if (colon <= 0) continue;
    name = line.slice(0, colon).trim().toLowerCase();
    const values = headers.get(name) ?? [];
    values.push(line.slice(colon + 1).trim());
    headers.set(name, values);
  }
  return headers;
}

/** GET with retries; undefined on 404; throws a clear error when the network is unreachable. */
async function fetchText(url: string): Promise<string | undefined> {
  const response = await fetchWithRetries(url);
  return response === undefined ? undefined : await response.text();
}

/** A request with retries: the response, undefined on 404, a clear error when the network fails. */
async function fetchWithRetries(url: string, init: RequestInit = {}): Promise<Response | undefined> {
  let lastError: unknown;
  for (let attempt = 1; attempt <= attempts; attempt++) {
    try {
      const response = await fetch(url, { ...init, signal: AbortSignal.timeout(60_000) });
      if (response.status === 404) return undefined;
      if (response.ok) return response;
      lastError = new Error(`HTTP ${response.status}`);
      if (response.status < 500 && response.status !== 429) break;
    } catch (error) {
      lastError = error;
    }
    await new Promise((resolve) => setTimeout(resolve, 500 * 2 ** attempt));
  }
  const reason = lastError instanceof Error ? `${lastError.message}${causeText(lastError)}` : String(lastError);
  throw new Error(
    `Cannot fetch the PyPI corpus: ${init.method ?? "GET"} ${url} failed after ${attempts} attempts (${reason}). ` +
      `The corpus needs network access to pypi.org and files.pythonhosted.org the first time; ` +
      `it is cached in .cache/corpus/ afterwards.`,
  );
}

function causeText(error: Error): string {
  return error.cause instanceof Error ? `: ${error.cause.message}` : "";
}

async function mapConcurrently<T, R>(items: readonly T[], limit: number, task: (item: T) => Promise<R>): Promise<R[]> {
  const results: R[] = new Array(items.length);
  let next = 0;
  let failure: unknown;
  async function worker(): Promise<void> {
    while (failure === undefined && next < items.length) {
      const index = next++;
      try {
        results[index] = await task(items[index]!);
      } catch (error) {
        failure ??= error;
      }
    }
  }
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
  if (failure !== undefined) throw failure;
  return results;
}
