import { strict as assert } from "node:assert";
import { test } from "node:test";
import { formatVersion, tryParseVersion } from "../../src/pep440/index.js";
import { formatTag } from "../../src/tags/index.js";
import { tryParseSdistFilename, tryParseWheelFilename } from "../../src/wheel-name/index.js";
import { runHostPython } from "../support/host-python.js";
import { loadFilenames } from "../support/pypi-filenames.js";
import { mutate, seededRandom } from "./generate-requirements.js";
import { assertHostPackaging } from "./host-packaging.js";

type Wheel = [name: string, version: string, build: [number, string] | [], tags: string[]] | null;
type Sdist = [name: string, version: string] | null;

const hostProgram = `import json, sys
from packaging.utils import parse_wheel_filename, parse_sdist_filename, InvalidWheelFilename, InvalidSdistFilename
data = json.load(sys.stdin)
wheels, sdists = [], []
for filename in data["wheels"]:
    try:
        name, version, build, tags = parse_wheel_filename(filename)
        wheels.append([name, str(version), list(build), sorted(str(tag) for tag in tags)])
    except InvalidWheelFilename:
        wheels.append(None)
for filename in data["sdists"]:
    try:
        name, version = parse_sdist_filename(filename)
        sdists.append([name, str(version)])
    except InvalidSdistFilename:
        sdists.append(None)
print(json.dumps({"wheels": wheels, "sdists": sdists}))`;

function withMutations(filenames: string[], seed: number): string[] {
  const random = seededRandom(seed);
  const mutated = filenames.filter((_, index) => index % 10 === 0).map((filename) => mutate(random, filename));
  return [...new Set([...filenames, ...mutated])];
}

test("wheel and sdist filenames parse like packaging.utils on the index's real filenames and mutations", async () => {
  assertHostPackaging();
  const filenames = await loadFilenames();
  const wheels = withMutations(filenames.filter((filename) => filename.endsWith(".whl")), 427);
  const sdists = withMutations(filenames.filter((filename) => /\.(tar\.gz|zip)$/.test(filename)), 625);
  assert.ok(wheels.length > 10_000 && sdists.length > 1_000, `real filenames (${wheels.length} wheels, ${sdists.length} sdists)`);
  const expected = runHostPython<{ wheels: Wheel[]; sdists: Sdist[] }>(hostProgram, { wheels, sdists });
  const tally = { wheels: 0, invalidWheels: 0, sdists: 0, invalidSdists: 0, deliberate: 0 };
  wheels.forEach((filename, index) => {
    const wheel = tryParseWheelFilename(filename);
    const got: Wheel = wheel === undefined
      ? null
      : [wheel.name, formatVersion(wheel.version), wheel.buildTag ?? [], wheel.tags.map(formatTag).sort()];
    assert.deepEqual(got, expected.wheels[index], filename);
    if (got === null) tally.invalidWheels++;
    else tally.wheels++;
  });
  sdists.forEach((filename, index) => {
    const sdist = tryParseSdistFilename(filename);
    const got: Sdist = sdist === undefined ? null : [sdist.name, formatVersion(sdist.version)];
    const want = expected.sdists[index]!;
    // Deliberate difference: when the text after the last "-" is not a version, kiln tries the
    // previous dashes ("foo-1.0-dev.tar.gz" is foo 1.0.dev0); packaging gives up.
    if (want === null && got !== null && lastSplitIsNotAVersion(filename)) return void tally.deliberate++;
    assert.deepEqual(got, want, filename);
    if (got === null) tally.invalidSdists++;
    else tally.sdists++;
  });
  assert.ok(tally.invalidWheels > 1000 && tally.invalidSdists > 100, JSON.stringify(tally));
  console.log(JSON.stringify(tally));
});

function lastSplitIsNotAVersion(filename: string): boolean {
  const stem = filename.replace(/\.(tar\.gz|zip)$/, "");
  return tryParseVersion(stem.slice(stem.lastIndexOf("-") + 1)) === undefined;
}
