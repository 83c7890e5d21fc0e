// The live public index with a cache under the repo's .cache/, for differential tests and benchmarks.
import { fileURLToPath } from "node:url";
import { fetchHttpClient, HttpSession, SimpleIndexSource, type PackageSource } from "../../src/index/index.js";
import { NodeCacheStore } from "../../src/platform/node.js";

export const testCacheDir = fileURLToPath(new URL("../../.cache/kiln-live-index", import.meta.url));

export function liveSource(options: { cacheDir?: string | undefined } = {}): PackageSource {
  const cacheDir = options.cacheDir === undefined ? testCacheDir : options.cacheDir;
  const session = new HttpSession({ http: fetchHttpClient(), ...(cacheDir ? { cache: new NodeCacheStore(cacheDir) } : {}) });
  return new SimpleIndexSource({ url: "https://pypi.org/simple/", session });
}

/** Real requirement sets: a web stack, a data stack, a testing stack and a CLI stack. */
export const requirementSets: Record<string, string[]> = {
  web: ["requests", "httpx", "starlette", "itsdangerous", "python-multipart", "websockets", "h2"],
  data: ["pydantic", "python-dateutil", "pytz", "tabulate", "more-itertools", "attrs", "cattrs", "sortedcontainers"],
  testing: ["pytest", "hypothesis", "pytest-asyncio", "pytest-mock", "pytest-timeout", "freezegun"],
  cli: ["click", "rich", "typer", "packaging", "platformdirs", "tomli-w", "colorama"],
};
