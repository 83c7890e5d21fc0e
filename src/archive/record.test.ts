import { strict as assert } from "node:assert";
import { test } from "node:test";
import fc from "fast-check";
import { isKilnError } from "../core/index.js";
import { runHostPython } from "../../test/support/host-python.js";
import { formatRecord, parseRecord, type RecordRow } from "./record.js";

const parsed: [string, string, RecordRow[]][] = [
  [
    "typical rows",
    "pkg/__init__.py,sha256=47DEQpj8HBSa-_TImW-5JCeuQeRkm5NMpJWZG3hSuFU,0\npkg-1.0.dist-info/RECORD,,\n",
    [
      { path: "pkg/__init__.py", hash: { algorithm: "sha256", digest: "47DEQpj8HBSa-_TImW-5JCeuQeRkm5NMpJWZG3hSuFU" }, size: 0 },
      { path: "pkg-1.0.dist-info/RECORD" },
    ],
  ],
  ["CRLF and no final newline", "a,,\r\nb,sha256=x,1", [{ path: "a" }, { path: "b", hash: { algorithm: "sha256", digest: "x" }, size: 1 }]],
  ["quoted comma, quote and newline", '"a,b.py",,\n"say ""hi"".txt",,\n"multi\nline",,\n', [{ path: "a,b.py" }, { path: 'say "hi".txt' }, { path: "multi\nline" }]],
  ["blank lines are skipped", "\n\na,,\n\n", [{ path: "a" }]],
  ["padding in a digest is dropped", "a,sha256=abc=,3\n", [{ path: "a", hash: { algorithm: "sha256", digest: "abc" }, size: 3 }]],
  ["a row with the path only", "a\n", [{ path: "a" }]],
];

for (const [label, text, rows] of parsed) {
  test(`parseRecord: ${label}`, () => assert.deepEqual(parseRecord(text), rows));
}

const refused: [string, string, RegExp][] = [
  ["four fields", "a,b,c,d\n", /line 1: expected at most 3 fields/],
  ["empty path", ",sha256=x,1\n", /line 1: the path is empty/],
  ["bad hash", "a,,\nb,sha256,1\n", /line 2: bad hash/],
  ["bad size", "a,sha256=x,-1\n", /bad size/],
  ["unterminated quote", '"abc,,\n', /unterminated quoted field/],
  ["text after a quote", '"a"b,,\n', /text after a closing quote/],
];

for (const [label, text, why] of refused) {
  test(`parseRecord refuses ${label}`, () => {
    assert.throws(() => parseRecord(text), (error) => isKilnError(error, "invalidRecord") && why.test(error.message));
  });
}

const pathArbitrary = fc.string({ minLength: 1, maxLength: 20, unit: fc.constantFrom("a", "b", ",", '"', "\n", " ", "é", "/", "=") });
const rowArbitrary = fc.record(
  {
    path: pathArbitrary,
    hash: fc.record({ algorithm: fc.constantFrom("sha256", "sha512"), digest: fc.stringMatching(/^[A-Za-z0-9_-]{1,12}$/) }, { noNullPrototype: true }),
    size: fc.nat(),
  },
  { requiredKeys: ["path"], noNullPrototype: true },
);

test("formatRecord and parseRecord round-trip any rows", () => {
  fc.assert(fc.property(fc.array(rowArbitrary, { maxLength: 8 }), (rows) => assert.deepEqual(parseRecord(formatRecord(rows)), rows)));
});

test("formatRecord writes what Python's csv module reads back, and parseRecord reads what it writes", () => {
  const rows: RecordRow[] = fc.sample(fc.array(rowArbitrary, { minLength: 1, maxLength: 5 }), { numRuns: 30, seed: 42 }).flat();
  const written = formatRecord(rows);
  const python = runHostPython<{ read: string[][]; written: string }>(
    String.raw`
import csv, io, json, sys
data = json.load(sys.stdin)
read = list(csv.reader(io.StringIO(data["written"], newline="")))
out = io.StringIO(newline="")
csv.writer(out, lineterminator="\n").writerows(read)
print(json.dumps({"read": read, "written": out.getvalue()}))
`,
    { written },
  );
  assert.deepEqual(
    python.read,
    rows.map((row) => [row.path, row.hash ? `${row.hash.algorithm}=${row.hash.digest}` : "", row.size === undefined ? "" : String(row.size)]),
  );
  assert.deepEqual(parseRecord(python.written), rows);
});
