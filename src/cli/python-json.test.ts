import { strict as assert } from "node:assert";
import { test } from "node:test";
import { runHostPython } from "../../test/support/host-python.js";
import { formatPythonJson } from "./python-json.js";

const values: unknown[] = [
  [],
  [{ name: "app", version: "1.0" }, { name: "lib", version: "2.1" }],
  [{ name: "café", version: "1.0", location: "/tmp/ü/日本/😀", installer: "kiln" }],
  { quote: 'a"b\\c', control: "\n\t\r\b\f\u0001\u001f", del: "\u007f", empty: "" },
  { number: 3, float: 1.5, flag: true, off: false, none: null, nested: { list: [1, [2, []]] } },
];

test("formatPythonJson writes what Python's json.dumps writes, byte for byte", () => {
  const expected = runHostPython<string[]>("import json, sys\nprint(json.dumps([json.dumps(v) for v in json.load(sys.stdin)]))", values);
  assert.deepEqual(values.map(formatPythonJson), expected);
});
