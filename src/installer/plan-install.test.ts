import { strict as assert } from "node:assert";
import { test } from "node:test";
import { combineSources, type DistributionFile, type PackageSource } from "../index/index.js";
import { targetForAbi, type WheelMetadataCache, type WheelMetadataRecord } from "../resolver/index.js";
import { planInstall, splitDirectReferences, type InstallRequest } from "./plan-install.js";
import type { InstalledCandidate } from "./installed-source.js";

// name → version → Requires-Dist lines; every file is a py3-none-any wheel.
const projects: Record<string, Record<string, string[]>> = {
  app: { "1.0": ["lib>=1"], "2.0": ["lib>=2"] },
  lib: { "1.0": [], "2.0": [], "2.5": [] },
  tool: { "1.0": ["lib<2"] },
};

function fakeSource(log: string[] = []): PackageSource {
  const metadata = (name: string, version: string) => `Metadata-Version: 2.1\nName: ${name}\nVersion: ${version}\n${(projects[name]![version] ?? []).map((r) => `Requires-Dist: ${r}\n`).join("")}\n`;
  return {
    name: "fake",
    url: "https://fake.test/simple/",
    async listFiles(project) {
      log.push(project);
      return Object.keys(projects[project] ?? {}).map(
        (version): DistributionFile => ({ filename: `${project}-${version}-py3-none-any.whl`, url: `https://fake.test/${project}-${version}.whl`, hashes: {}, indexUrl: "https://fake.test/simple/" }),
      );
    },
    async fetchMetadata(file) {
      const [name, version] = file.filename.split("-") as [string, string];
      return metadata(name, version);
    },
    async fetchFile() {
      throw new Error("not in this test");
    },
  };
}

const installedCopy = (name: string, version: string): InstalledCandidate => ({
  name,
  version,
  metadata: `Metadata-Version: 2.1\nName: ${name}\nVersion: ${version}\n${(projects[name]![version] ?? []).map((r) => `Requires-Dist: ${r}\n`).join("")}\n`,
});

const cases: Array<{ title: string; request: InstallRequest; installed?: InstalledCandidate[]; expect: string[]; notAsked?: string[] }> = [
  { title: "fresh install takes the newest versions", request: { requirements: ["app"] }, expect: ["app 2.0 install", "lib 2.5 install"] },
  {
    title: "installed versions that satisfy are kept, and the index is not asked about them",
    request: { requirements: ["app"] },
    installed: [installedCopy("app", "1.0"), installedCopy("lib", "1.0")],
    expect: ["app 1.0 keep", "lib 1.0 keep"],
    notAsked: ["app", "lib"],
  },
  {
    title: "--upgrade moves the named package; its dependency moves only as needed",
    request: { requirements: ["app"], upgrade: true },
    installed: [installedCopy("app", "1.0"), installedCopy("lib", "2.0")],
    expect: ["app 2.0 upgrade", "lib 2.0 keep"],
  },
  {
    title: "--upgrade-package moves a dependency",
    request: { requirements: ["app"], upgradePackages: ["LIB"] },
    installed: [installedCopy("app", "1.0"), installedCopy("lib", "1.0")],
    expect: ["app 1.0 keep", "lib 2.5 upgrade"],
  },
  {
    title: "a requirement the installed version cannot meet moves it (second attempt with the index)",
    request: { requirements: ["app>=2"] },
    installed: [installedCopy("app", "1.0"), installedCopy("lib", "1.0")],
    expect: ["app 2.0 upgrade", "lib 2.5 upgrade"],
  },
  {
    title: "an installed version the index no longer offers still satisfies",
    request: { requirements: ["lib"] },
    installed: [installedCopy("lib", "0.9")],
    expect: ["lib 0.9 keep"],
  },
  { title: "a constraint can move an installed package down", request: { requirements: ["tool"] }, installed: [installedCopy("lib", "2.5")], expect: ["lib 1.0 downgrade", "tool 1.0 install"] },
  {
    title: "--force-reinstall reinstalls everything in the resolution",
    request: { requirements: ["app"], forceReinstall: true },
    installed: [installedCopy("app", "2.0"), installedCopy("lib", "2.5")],
    expect: ["app 2.0 reinstall", "lib 2.5 reinstall"],
  },
  { title: "--no-deps installs the named package only", request: { requirements: ["app"], noDeps: true }, expect: ["app 2.0 install"] },
  { title: "constraints narrow dependencies", request: { requirements: ["app"], constraints: ["lib<2.5"] }, expect: ["app 2.0 install", "lib 2.0 install"] },
];

for (const { title, request, installed = [], expect, notAsked = [] } of cases) {
  test(`planInstall: ${title}`, async () => {
    const log: string[] = [];
    const result = await planInstall(request, { source: fakeSource(log), target: targetForAbi("2026_0"), installed });
    assert.equal(result.kind, "planned");
    if (result.kind !== "planned") return;
    assert.deepEqual(result.packages.map((p) => `${p.name} ${p.version} ${p.action}`), expect);
    for (const name of notAsked) assert.ok(!log.includes(name), `the index was asked about ${name}`);
    for (const planned of result.packages) assert.equal(planned.requested, request.requirements.some((r) => r.startsWith(planned.name)));
  });
}

test("planInstall: an unsatisfiable request is an explanation, not an exception", async () => {
  const result = await planInstall({ requirements: ["app>=2", "tool"] }, { source: fakeSource(), target: targetForAbi("2026_0"), installed: [] });
  assert.equal(result.kind, "unsatisfiable");
  if (result.kind === "unsatisfiable") assert.match(result.explanation, /tool/);
});

test("splitDirectReferences pins a wheel URL to its version and keeps extras, markers and hashes", () => {
  const { requirements, directFiles } = splitDirectReferences([
    "Demo[x] @ https://h.test/p/demo-1.0-py3-none-any.whl#sha256=ABC ; python_version >= '3'",
    "plain>=1",
  ]);
  assert.deepEqual(requirements, ['Demo[x]==1.0; python_version >= "3"', "plain>=1"]);
  assert.deepEqual(directFiles.map((f) => [f.filename, f.url, f.hashes]), [["demo-1.0-py3-none-any.whl", "https://h.test/p/demo-1.0-py3-none-any.whl", { sha256: "abc" }]]);
});

test("splitDirectReferences refuses sdists, VCS URLs, a wheel of another project and file names that are not plain", () => {
  for (const text of [
    "demo @ https://h.test/demo-1.0.tar.gz",
    "demo @ git+https://h.test/demo.git",
    "demo @ https://h.test/other-1.0-py3-none-any.whl",
    // A malformed percent-escape, and an escaped slash or NUL in the file name.
    "demo @ https://h.test/demo-1.0%zz-py3-none-any.whl",
    "demo @ https://h.test/..%2F..%2Fdemo-1.0-py3-none-any.whl",
    "demo @ https://h.test/demo-1.0-py3-none-any.whl%00",
  ]) {
    assert.throws(() => splitDirectReferences([text]), (error: Error & { code?: string }) => error.code === "invalidRequirement", text);
  }
});

// The runtime's Pyodide repository as a fallback: its packages carry their dependencies as
// `depends`, and it joins only when the index alone cannot satisfy the request.
function pyodideRepository(): PackageSource {
  const url = "https://cdn.test/pyodide-lock.json";
  const entries: Record<string, { version: string; depends: string[] }> = { wasmonly: { version: "3.0", depends: ["lib"] }, lib: { version: "0.9", depends: [] } };
  return {
    name: "pyodide",
    url,
    async listFiles(project) {
      const entry = entries[project];
      if (!entry) return [];
      const filename = `${project}-${entry.version}-cp314-cp314-pyemscripten_2026_0_wasm32.whl`;
      const pyodide = { name: project, version: entry.version, depends: entry.depends, imports: [project], packageType: "package", installDir: "site" };
      return [{ filename, url: `https://cdn.test/${filename}`, hashes: { sha256: "0".repeat(64) }, indexUrl: url, pyodide }];
    },
    async fetchMetadata() {
      throw new Error("the resolver reads depends, not the repository's metadata");
    },
    async fetchFile() {
      throw new Error("not in this test");
    },
  };
}

test("planInstall: the Pyodide repository fills in what the index lacks, with its depends; --no-deps drops them", async () => {
  const source = combineSources([fakeSource()], { fallbacks: [pyodideRepository()] });
  const target = targetForAbi("2026_0");
  const planned = async (request: InstallRequest) => {
    const result = await planInstall(request, { source, target, installed: [] });
    assert.equal(result.kind, "planned");
    return result.kind === "planned" ? result.packages.map((p) => `${p.name} ${p.version}`) : [];
  };
  assert.deepEqual(await planned({ requirements: ["wasmonly"] }), ["lib 2.5", "wasmonly 3.0"], "lib from the index, which comes first");
  assert.deepEqual(await planned({ requirements: ["wasmonly"], noDeps: true }), ["wasmonly 3.0"]);
  assert.deepEqual(await planned({ requirements: ["app"] }), ["app 2.0", "lib 2.5"]);
});

test("planInstall: --no-deps reads the metadata cache without Requires-Dist and leaves no stripped records in it", async () => {
  const records = new Map<string, WheelMetadataRecord>();
  let hits = 0;
  const metadataCache: WheelMetadataCache = {
    keyOf: async (file) => file.url,
    get: (key) => {
      const record = records.get(key);
      if (record) hits++;
      return record;
    },
    set: (key, record) => void records.set(key, record),
  };
  const plan = async (request: InstallRequest) => {
    const result = await planInstall(request, { source: fakeSource(), target: targetForAbi("2026_0"), installed: [], metadataCache });
    assert.equal(result.kind, "planned");
    return result.kind === "planned" ? result.packages.map((p) => `${p.name} ${p.version}`) : [];
  };
  // A --no-deps run first (an empty cache), then a full one, then --no-deps again (a warm cache).
  assert.deepEqual(await plan({ requirements: ["app"], noDeps: true }), ["app 2.0"]);
  assert.deepEqual(await plan({ requirements: ["app"] }), ["app 2.0", "lib 2.5"]);
  assert.ok(records.size > 0, "the full run fills the cache");
  const stored = JSON.stringify([...records]);
  hits = 0;
  assert.deepEqual(await plan({ requirements: ["app"], noDeps: true }), ["app 2.0"]);
  assert.ok(hits > 0, "a warm --no-deps run reads the cache's records");
  assert.equal(JSON.stringify([...records]), stored, "and changes none");
  assert.deepEqual(await plan({ requirements: ["app"] }), ["app 2.0", "lib 2.5"]);
});
