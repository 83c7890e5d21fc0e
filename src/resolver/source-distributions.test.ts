import { strict as assert } from "node:assert";
import { test } from "node:test";
import { KilnError } from "../core/index.js";
import type { DistributionFile, PackageSource } from "../index/index.js";
import { formatPylock } from "../lock/index.js";
import { formatVersion } from "../pep440/index.js";
import { lockResolution } from "./lock-resolution.js";
import { resolveRequirements, type ResolveOptions } from "./resolve-requirements.js";
import { distributionChoice, parseBinaryPolicy, type SdistMetadataProvider } from "./source-distributions.js";

test("parseBinaryPolicy and distributionChoice follow pip's FormatControl", () => {
  const cases: Array<[{ onlyBinary: string[]; noBinary: string[] }, string, ReturnType<typeof distributionChoice>]> = [
    [{ onlyBinary: [], noBinary: [] }, "a", "either"],
    [{ onlyBinary: [":all:"], noBinary: [] }, "a", "wheels"],
    [{ onlyBinary: [], noBinary: [":all:"] }, "a", "sdists"],
    [{ onlyBinary: [":all:"], noBinary: ["Some_Pkg"] }, "some-pkg", "sdists"],
    [{ onlyBinary: [":all:"], noBinary: ["some-pkg"] }, "other", "wheels"],
    [{ onlyBinary: ["x,y"], noBinary: [":all:"] }, "y", "sdists"], // :all: in --no-binary clears --only-binary
    [{ onlyBinary: ["x", ":none:"], noBinary: [] }, "x", "either"],
    [{ onlyBinary: ["x"], noBinary: ["x"] }, "x", "sdists"], // a name given to one flag leaves the other
  ];
  for (const [values, name, expected] of cases) assert.equal(distributionChoice(name, parseBinaryPolicy(values), true), expected, JSON.stringify([values, name]));
  assert.equal(distributionChoice("a", parseBinaryPolicy({ onlyBinary: [], noBinary: [":all:"] }), false), "wheels", "nothing builds sdists without a provider");
});

/** Projects as `name: { version: ["wheel" | "sdist", ...] }`, each file's metadata requiring `requires[name@version]`. */
function memorySource(projects: Record<string, Record<string, string[]>>, requires: Record<string, string[]> = {}): PackageSource {
  const metadata = (name: string, version: string) => [`Metadata-Version: 2.1`, `Name: ${name}`, `Version: ${version}`, ...(requires[`${name}@${version}`] ?? []).map((r) => `Requires-Dist: ${r}`), ""].join("\n");
  return {
    name: "memory",
    url: "memory://",
    listFiles: async (project) =>
      Object.entries(projects[project] ?? {}).flatMap(([version, kinds]) =>
        kinds.map((kind): DistributionFile => {
          const filename = kind === "wheel" ? `${project}-${version}-py3-none-any.whl` : `${project}-${version}.tar.gz`;
          return { filename, url: `memory://${filename}`, hashes: {}, indexUrl: "memory://" };
        }),
      ),
    fetchMetadata: async (file) => {
      assert.ok(file.filename.endsWith(".whl"), `wheel metadata only, not ${file.filename}`);
      const [name, version] = file.filename.split("-");
      return metadata(name!, version!);
    },
    fetchFile: async () => assert.fail("no downloads"),
  };
}

function recordingProvider(requires: Record<string, string[]> = {}, native: readonly string[] = []): SdistMetadataProvider & { asked: string[] } {
  const asked: string[] = [];
  return {
    asked,
    metadata: async (file) => {
      asked.push(file.filename);
      const [name, version] = file.filename.replace(/\.tar\.gz$/, "").split("-");
      if (native.includes(name!)) throw new KilnError("nativeBuildUnsupported", `Cannot build ${name} ${version}: it needs a compiler for Emscripten (setup.py declares ext_modules)`);
      return [`Metadata-Version: 2.1`, `Name: ${name}`, `Version: ${version}`, ...(requires[`${name}@${version}`] ?? []).map((r) => `Requires-Dist: ${r}`), ""].join("\n");
    },
  };
}

const summary = (result: Awaited<ReturnType<typeof resolveRequirements>>) =>
  result.kind === "resolved" ? result.packages.map((p) => `${p.name} ${formatVersion(p.version)} ${p.sdist ? `sdist ${p.sdist.filename}` : `wheel ${p.wheels[0]?.filename}`}`) : result.hints;

test("a version without a wheel resolves through its sdist's prepared metadata only when a provider is given", async () => {
  const source = memorySource({ app: { "1.0": ["wheel"], "2.0": ["sdist"] }, dep: { "1.0": ["wheel", "sdist"] } });
  const provider = recordingProvider({ "app@2.0": ["dep"] });
  const withBuilds = await resolveRequirements(["app"], { source, sdists: provider });
  assert.deepEqual(summary(withBuilds), ["app 2.0 sdist app-2.0.tar.gz", "dep 1.0 wheel dep-1.0-py3-none-any.whl"]);
  assert.deepEqual(provider.asked, ["app-2.0.tar.gz"]);
  assert.deepEqual(summary(await resolveRequirements(["app"], { source })), ["app 1.0 wheel app-1.0-py3-none-any.whl"]);
  const pylock = formatPylock(lockResolution((withBuilds as Extract<typeof withBuilds, { kind: "resolved" }>).packages, withBuilds.kind === "resolved" ? withBuilds.target : assert.fail()));
  assert.match(pylock, /name = "app"\nversion = "2\.0"\ndependencies = \[\{ name = "dep" \}\]\nindex = "memory:\/\/"\nsdist = \{ name = "app-2\.0\.tar\.gz", url = "memory:\/\/app-2\.0\.tar\.gz", hashes = \{  \} \}\n/);
});

test("--only-binary and --no-binary choose per project", async () => {
  const source = memorySource({ app: { "1.0": ["wheel"], "2.0": ["sdist"] }, dep: { "1.0": ["wheel", "sdist"] } });
  const resolve = (options: Partial<ResolveOptions>, requirements = ["app", "dep"]) => resolveRequirements(requirements, { source, sdists: recordingProvider(), ...options }).then(summary);
  assert.deepEqual(await resolve({ binaryPolicy: parseBinaryPolicy({ onlyBinary: [":all:"], noBinary: [] }) }), ["app 1.0 wheel app-1.0-py3-none-any.whl", "dep 1.0 wheel dep-1.0-py3-none-any.whl"]);
  assert.deepEqual(await resolve({ binaryPolicy: parseBinaryPolicy({ onlyBinary: [], noBinary: ["dep"] }) }), ["app 2.0 sdist app-2.0.tar.gz", "dep 1.0 sdist dep-1.0.tar.gz"]);
  const failed = await resolve({ binaryPolicy: parseBinaryPolicy({ onlyBinary: [], noBinary: [":all:"] }) }, ["app==1.0"]);
  assert.deepEqual(failed, ["app 1.0 has no source distribution to build (--no-binary)"]);
});

test("a project whose sdist needs a compiler is not built: older sdists are not tried, and the hint says why", async () => {
  const source = memorySource({ fast: { "3.0": ["sdist"], "2.0": ["sdist"], "1.0": ["sdist"] } });
  const provider = recordingProvider({}, ["fast"]);
  const result = await resolveRequirements(["fast"], { source, sdists: provider });
  assert.equal(result.kind, "unsatisfiable");
  assert.deepEqual(provider.asked, ["fast-3.0.tar.gz"]);
  assert.match(summary(result).join("\n"), /fast 2\.0 has no wheel for pyemscripten_2026_0_wasm32 and its sdist cannot be built here: Cannot build fast 3\.0: it needs a compiler for Emscripten/);
});
