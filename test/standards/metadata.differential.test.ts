import { strict as assert } from "node:assert";
import { test } from "node:test";
import { isKilnError } from "../../src/core/index.js";
import { parseCoreMetadata, parseEmailHeaders } from "../../src/metadata/index.js";
import { formatVersion } from "../../src/pep440/index.js";
import { formatRequirement } from "../../src/pep508/index.js";
import { runHostPython } from "../support/host-python.js";
import { loadMetadataFiles } from "../support/pypi-filenames.js";
import { mutate, seededRandom } from "./generate-requirements.js";
import { assertHostPackaging } from "./host-packaging.js";

interface HostResult {
  items: [string, string][];
  payload: string | null;
  errors: string[] | null;
  typed: { name: string; version: string; requiresDist: string[]; requiresPython: string | null; providesExtra: string[]; summary: string | null } | null;
}

const hostProgram = `import json, sys, email.parser, email.policy
from packaging.metadata import Metadata, InvalidMetadata, ExceptionGroup
out = []
for text in json.load(sys.stdin):
    message = email.parser.Parser(policy=email.policy.compat32).parsestr(text)
    payload = message.get_payload()
    result = {"items": [[k, v] for k, v in message.items()], "payload": payload if isinstance(payload, str) else None, "errors": None, "typed": None}
    try:
        m = Metadata.from_email(text, validate=True)
        result["typed"] = {"name": m.name, "version": str(m.version), "requiresDist": [str(r) for r in m.requires_dist or []],
            "requiresPython": None if m.requires_python is None else str(m.requires_python),
            "providesExtra": list(m.provides_extra or []), "summary": m.summary}
    except ExceptionGroup as group:
        result["errors"] = sorted(set(getattr(error, "field", "?").lower() for error in group.exceptions))
    out.append(result)
print(json.dumps(out))`;

// Deliberate differences in what counts as invalid: kiln only warns about unknown fields, fields
// newer than the declared Metadata-Version and the non-standard Metadata-Versions 1.3 and 2.0
// (all common in real files), and does not check SPDX license expressions against the license list.
const toleratedFields = new Set(["license-expression"]);
function tolerated(errors: string[], warnings: string[]): boolean {
  return errors.every((field) => toleratedFields.has(field) || warnings.includes(field));
}

test("core metadata reads like email.parser and packaging.metadata on real METADATA files and mutations", async () => {
  assertHostPackaging();
  const files = await loadMetadataFiles();
  assert.ok(files.length > 100, `real metadata files (${files.length})`);
  const random = seededRandom(566);
  const texts = [...files.map((file) => file.text), ...files.flatMap((file) => [0, 1, 2].map(() => mutate(random, file.text)))];
  const expected = runHostPython<HostResult[]>(hostProgram, texts);
  const tally = { valid: 0, invalid: 0, tolerated: 0 };
  texts.forEach((text, index) => {
    const want = expected[index]!;
    const headers = parseEmailHeaders(text);
    assert.deepEqual(headers.fields.map((field) => [field.name, field.value]), want.items, `headers of text ${index}`);
    if (want.payload !== null) assert.equal(headers.body, want.payload, `body of text ${index}`);
    let metadata;
    try {
      metadata = parseCoreMetadata(text);
    } catch (error) {
      if (!isKilnError(error, "invalidMetadata")) throw error;
    }
    if (want.typed === null) {
      const warnings = metadata?.warnings.map((warning) => warning.field.toLowerCase()) ?? [];
      if (metadata !== undefined && tolerated(want.errors!, warnings)) return void tally.tolerated++;
      assert.equal(metadata, undefined, `text ${index}: packaging finds ${want.errors!.join(", ")} invalid`);
      tally.invalid++;
      return;
    }
    assert.ok(metadata, `text ${index} is valid for packaging`);
    tally.valid++;
    assert.deepEqual(
      {
        name: metadata.name,
        version: formatVersion(metadata.version),
        requiresDist: metadata.requiresDist.map(formatRequirement),
        requiresPython: metadata.requiresPython?.toString() ?? null,
        providesExtra: metadata.providesExtra,
        summary: metadata.summary ?? null,
      },
      want.typed,
      `typed fields of text ${index}`,
    );
  });
  assert.ok(tally.valid > 100 && tally.invalid > 20, JSON.stringify(tally));
  console.log(JSON.stringify(tally));
});
