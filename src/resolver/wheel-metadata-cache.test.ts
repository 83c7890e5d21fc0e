import { strict as assert } from "node:assert";
import { test } from "node:test";
import type { DistributionFile, PackageSource } from "../index/index.js";
import { parseCoreMetadata } from "../metadata/index.js";
import { formatVersion } from "../pep440/index.js";
import { evaluateMarker, formatRequirement } from "../pep508/index.js";
import { resolveRequirements } from "./resolve-requirements.js";
import { targetForAbi } from "./target-environment.js";
import { decodeWheelMetadata, encodeWheelMetadata, type WheelMetadataCache, type WheelMetadataRecord } from "./wheel-metadata-cache.js";

const metadataText = [
  "Metadata-Version: 2.4",
  "Name: Demo.Pkg",
  "Version: 1.0.0",
  "Requires-Python: >=3.9",
  "Provides-Extra: Socks",
  "Provides-Extra: dev",
  "Requires-Dist: idna<4,>=2.5",
  "Requires-Dist: charset_normalizer[unicode]~=3.0",
  "Requires-Dist: PySocks!=1.5.7,>=1.5.6; extra == \"socks\"",
  "Requires-Dist: pytest>=7; (python_version < \"3.11\" or platform_system == \"Emscripten\") and extra == 'dev'",
  "Requires-Dist: local @ https://example.org/local-1.0-py3-none-any.whl ; sys_platform != \"win32\"",
  "Requires-Dist: typing-extensions",
  "",
  "Long description.",
].join("\n");

function decodedOf(text: string) {
  const core = parseCoreMetadata(text, { lenient: true, source: "test" });
  return { requiresDist: core.requiresDist, requiresPython: core.requiresPython!.toString(), extras: new Set(core.providesExtra.map((e) => e.toLowerCase())), displayName: core.name, version: core.version };
}

test("a record round-trips through JSON to the same requirements, markers and versions", () => {
  const original = decodedOf(metadataText);
  const decoded = decodeWheelMetadata(JSON.parse(JSON.stringify(encodeWheelMetadata(original))));
  assert.ok(decoded);
  assert.deepEqual(decoded.requiresDist.map(formatRequirement), original.requiresDist.map(formatRequirement));
  assert.equal(decoded.displayName, "Demo.Pkg");
  assert.equal(formatVersion(decoded.version), "1.0.0");
  assert.equal(decoded.requiresPython, ">=3.9");
  assert.deepEqual([...decoded.extras], ["socks", "dev"]);
  const environment = targetForAbi().markerEnvironment;
  for (const extras of [[], ["socks"], ["dev"]]) {
    const applies = (requirements: typeof original.requiresDist) => requirements.map((r) => (r.marker ? evaluateMarker(r.marker, environment, { extras }) : true));
    assert.deepEqual(applies(decoded.requiresDist), applies(original.requiresDist), `extras ${extras.join(",")}`);
  }
});

test("a record that encodeWheelMetadata cannot have written is refused, not half-used", () => {
  const good = encodeWheelMetadata(decodedOf(metadataText));
  const row = good.requiresDist[2]!;
  const cases: Array<[string, unknown]> = [
    ["not an object", "x"],
    ["null", null],
    ["no name", { ...good, name: 3 }],
    ["an invalid version", { ...good, version: "one" }],
    ["extras not strings", { ...good, extras: [1] }],
    ["requiresPython not a string", { ...good, requiresPython: 3 }],
    ["a short requirement row", { ...good, requiresDist: [row.slice(0, 4)] }],
    ["an empty requirement name", { ...good, requiresDist: [["", [], "", "", null]] }],
    ["a bad specifier", { ...good, requiresDist: [["a", [], ">=>1", "", null]] }],
    ["a marker of the wrong kind", { ...good, requiresDist: [["a", [], "", "", { kind: "comparison" }]] }],
    ["a marker with an unknown variable", { ...good, requiresDist: [["a", [], "", "", { kind: "marker", operators: [], terms: [{ kind: "comparison", left: { kind: "variable", name: "os" }, operator: "==", right: { kind: "string", value: "x" } }] }]] }],
    ["a marker with an unknown operator", { ...good, requiresDist: [["a", [], "", "", { kind: "marker", operators: [], terms: [{ kind: "comparison", left: { kind: "variable", name: "extra" }, operator: "=~", right: { kind: "string", value: "x" } }] }]] }],
    ["a marker with operators not between its terms", { ...good, requiresDist: [["a", [], "", "", { ...(row[4] as object), operators: ["and", "and"] }]] }],
  ];
  for (const [name, record] of cases) assert.equal(decodeWheelMetadata(record), undefined, name);
  assert.ok(decodeWheelMetadata(good));
});

/** Wheels that require the next letter's, with a METADATA read counter. */
function source(): PackageSource & { reads: number } {
  const file = (name: string): DistributionFile => ({ filename: `${name}-1.0-py3-none-any.whl`, url: `memory://${name}`, hashes: { sha256: name.repeat(64) }, indexUrl: "memory://" });
  const next: Record<string, string> = { a: "b[x]>=1", b: "c; extra == 'x'", c: "" };
  const result = {
    name: "memory",
    url: "memory://",
    reads: 0,
    listFiles: async (project: string) => (next[project] === undefined ? [] : [file(project)]),
    fetchMetadata: async (wheel: DistributionFile) => {
      result.reads++;
      const name = wheel.filename.split("-")[0]!;
      const requires = next[name] ? [`Requires-Dist: ${next[name]}`] : [];
      return ["Metadata-Version: 2.1", `Name: ${name}`, "Version: 1.0", ...(name === "b" ? ["Provides-Extra: x"] : []), ...requires, ""].join("\n");
    },
    fetchFile: async () => assert.fail("no downloads"),
  };
  return result;
}

function memoryCache(keys: (wheel: DistributionFile) => string | undefined = (wheel) => wheel.hashes.sha256): WheelMetadataCache & { records: Map<string, WheelMetadataRecord> } {
  const records = new Map<string, WheelMetadataRecord>();
  return { records, keyOf: async (wheel) => keys(wheel), get: (key) => records.get(key), set: (key, record) => void records.set(key, record) };
}

async function resolvedWith(cache: WheelMetadataCache | undefined): Promise<{ packages: string[]; reads: number }> {
  const wheels = source();
  const result = await resolveRequirements(["a"], { source: wheels, ...(cache ? { metadataCache: cache } : {}) });
  assert.equal(result.kind, "resolved");
  return { packages: result.kind === "resolved" ? result.packages.map((p) => `${p.name} ${formatVersion(p.version)} [${p.extras.join(",")}]`) : [], reads: wheels.reads };
}

test("the resolver reads no METADATA for wheels whose records are cached, and resolves the same", async () => {
  const plain = await resolvedWith(undefined);
  const cache = memoryCache();
  const first = await resolvedWith(cache);
  assert.equal(first.reads, 3);
  assert.equal(cache.records.size, 3);
  const second = await resolvedWith(cache);
  assert.equal(second.reads, 0);
  assert.deepEqual(second.packages, plain.packages);
  assert.deepEqual(first.packages, plain.packages);
});

test("a damaged record is read again from the wheel and replaced", async () => {
  const cache = memoryCache();
  await resolvedWith(cache);
  const plain = await resolvedWith(undefined);
  cache.records.set("b".repeat(64), { ...cache.records.get("b".repeat(64))!, requiresDist: [["c", [], "not a specifier", "", null]] });
  const again = await resolvedWith(cache);
  assert.equal(again.reads, 1);
  assert.deepEqual(again.packages, plain.packages);
  assert.ok(decodeWheelMetadata(cache.records.get("b".repeat(64))));
});

test("metadata is not stored when the wheel's key changed while it was read, nor without a key", async () => {
  let calls = 0;
  const changing = memoryCache((wheel) => `${wheel.hashes.sha256} ${calls++}`);
  await resolvedWith(changing);
  assert.equal(changing.records.size, 0);
  const keyless = memoryCache(() => undefined);
  assert.equal((await resolvedWith(keyless)).reads, 3);
  assert.equal(keyless.records.size, 0);
});
