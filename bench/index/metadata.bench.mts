// Reading a wheel's METADATA from the public index, whose HTML API advertises no PEP 658 files:
// kiln (one HTTP range request) beside pip 23 (`pip download --no-deps`, which fetches the whole
// wheel), on the newest pydantic-core pyemscripten wheel and a pure wheel, same run, no caches.
// Run: npx tsx bench/index/metadata.bench.mts [rounds]
import { spawnSync } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { SimpleIndexSource, fetchCoreMetadata, resolveIndexSettings, type DistributionFile } from "../../src/index/index.js";
import { createNodeHttpSession } from "../../src/platform/node.js";

const rounds = Number(process.argv[2] ?? 3);
const settings = resolveIndexSettings({ cwdUrl: "file:///", env: process.env });

async function newest(project: string, pattern: RegExp): Promise<DistributionFile> {
  const session = await createNodeHttpSession(settings, { env: process.env, cacheDir: false });
  const files = (await new SimpleIndexSource({ url: settings.indexUrl, session }).listFiles(project)).filter((f) => pattern.test(f.filename));
  return files.reduce((a, b) => ((b.uploadTime ?? "") > (a.uploadTime ?? "") ? b : a));
}

/** kiln end to end, as pip's figure is: list the project's files, then read the wheel's METADATA. */
async function kiln(file: DistributionFile): Promise<{ ms: number; metadataMs: number; bytes: number; size: number }> {
  const session = await createNodeHttpSession(settings, { env: process.env, cacheDir: false });
  let bytes = 0;
  let size = 0;
  const start = performance.now();
  const files = await new SimpleIndexSource({ url: settings.indexUrl, session }).listFiles(file.filename.split("-")[0]!);
  const listed = files.find((f) => f.filename === file.filename)!;
  const metadataStart = performance.now();
  await fetchCoreMetadata(session, listed, { onFetched: (how) => ((bytes = how.bytesFetched), (size = how.fileSize ?? 0)) });
  const end = performance.now();
  return { ms: end - start, metadataMs: end - metadataStart, bytes, size };
}

/** What a client without range requests does for the same METADATA: download the wheel. */
async function wholeWheel(file: DistributionFile): Promise<number> {
  const session = await createNodeHttpSession(settings, { env: process.env, cacheDir: false });
  const start = performance.now();
  await session.getFile(file.url, { hashes: file.hashes });
  return performance.now() - start;
}

function pip(file: DistributionFile, platform: string[]): number {
  const target = mkdtempSync(join(tmpdir(), "kiln-bench-pip-"));
  const [name, version] = file.filename.split("-");
  const start = performance.now();
  const result = spawnSync("python3", ["-m", "pip", "download", "--no-deps", "--no-cache-dir", "--disable-pip-version-check", "-q", "-d", target, ...platform, `${name}==${version}`], { encoding: "utf8" });
  const ms = performance.now() - start;
  rmSync(target, { recursive: true, force: true });
  if (result.status !== 0) throw new Error(`pip failed: ${result.stderr}`);
  return ms;
}

const cases: [string, DistributionFile, string[]][] = [
  ["pydantic-core (pyemscripten)", await newest("pydantic-core", /pyemscripten_2026_0_wasm32\.whl$/), ["--only-binary=:all:", "--platform", "pyemscripten_2026_0_wasm32", "--python-version", "3.14", "--implementation", "cp", "--abi", "cp314"]],
  ["hypothesis (pure)", await newest("hypothesis", /py3-none-any\.whl$/), ["--only-binary=:all:"]],
];

console.log(`| wheel | wheel size | kiln bytes read | kiln METADATA (ms) | whole-wheel GET (ms) | kiln list + METADATA (ms) | pip download (ms) | pip / kiln |`);
console.log(`| --- | --- | --- | --- | --- | --- | --- | --- |`);
for (const [label, file, platform] of cases) {
  let ours = { ms: Infinity, metadataMs: Infinity, bytes: 0, size: 0 };
  let whole = Infinity;
  let theirs = Infinity;
  for (let round = 0; round < rounds; round++) {
    const run = await kiln(file);
    if (run.ms < ours.ms) ours = run;
    whole = Math.min(whole, await wholeWheel(file));
    theirs = Math.min(theirs, pip(file, platform));
  }
  const kib = (n: number) => `${(n / 1024).toFixed(0)} KiB`;
  console.log(`| ${label} ${file.filename.split("-")[1]} | ${kib(ours.size)} | ${kib(ours.bytes)} | ${ours.metadataMs.toFixed(0)} | ${whole.toFixed(0)} | ${ours.ms.toFixed(0)} | ${theirs.toFixed(0)} | ${(theirs / ours.ms).toFixed(1)}× |`);
}
