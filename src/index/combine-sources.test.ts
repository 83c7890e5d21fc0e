import { strict as assert } from "node:assert";
import { test } from "node:test";
import { isKilnError } from "../core/index.js";
import { combineSources } from "./combine-sources.js";
import type { DistributionFile } from "./distribution-file.js";
import type { PackageSource } from "./package-source.js";

function memorySource(url: string, projects: Record<string, string[]>): PackageSource {
  const file = (filename: string): DistributionFile => ({ filename, url: `${url}${filename}`, hashes: {}, indexUrl: url });
  return {
    name: url,
    url,
    listFiles: async (project) => (projects[project] ?? []).map(file),
    fetchMetadata: async (f) => `from ${url}: ${f.filename}`,
    fetchFile: async (f) => new TextEncoder().encode(`from ${url}: ${f.filename}`),
  };
}

test("a combination of combinations routes each file to the source that listed it", async () => {
  const links = memorySource("file:///opt/wheels/", { six: ["six-1.0-py3-none-any.whl"] });
  const pypi = memorySource("https://pypi.org/simple/", { pytest: ["pytest-9.0-py3-none-any.whl"] });
  const direct = memorySource("kiln-direct:", { demo: ["demo-1.0-py3-none-any.whl"] });
  const combined = combineSources([direct, combineSources([links, pypi])]);
  for (const [project, owner] of [["demo", "kiln-direct:"], ["six", "file:///opt/wheels/"], ["pytest", "https://pypi.org/simple/"]]) {
    const [file] = await combined.listFiles(project!);
    assert.equal(await combined.fetchMetadata(file!), `from ${owner}: ${file!.filename}`);
    assert.equal(new TextDecoder().decode(await combined.fetchFile(file!)), `from ${owner}: ${file!.filename}`);
  }
});

test("a file no member listed is refused", () => {
  const combined = combineSources([memorySource("https://a.example/simple/", {})]);
  const stray: DistributionFile = { filename: "x-1.0-py3-none-any.whl", url: "https://b.example/x.whl", hashes: {}, indexUrl: "https://b.example/simple/" };
  assert.throws(() => combined.fetchFile(stray), (error) => isKilnError(error, "invalidIndexPage") && /not configured/.test(error.message));
});
