import { strict as assert } from "node:assert";
import { test } from "node:test";
import { takeRunOptions } from "./run.js";

test("takeRunOptions takes kiln's options before python3's arguments and leaves the rest alone", () => {
  const cases: Array<[string[], ReturnType<typeof takeRunOptions>]> = [
    [["-c", "pass"], { args: ["-c", "pass"] }],
    [["--runtime", "pyodide@0.29.x", "-c", "pass"], { runtime: "pyodide@0.29.x", args: ["-c", "pass"] }],
    [["--runtime=pyodide@0.27.7", "x.py", "--runtime", "y"], { runtime: "pyodide@0.27.7", args: ["x.py", "--runtime", "y"] }],
    [["-u", "--runtime", "z"], { args: ["-u", "--runtime", "z"] }],
    [[], { args: [] }],
  ];
  for (const [argv, expected] of cases) assert.deepEqual(takeRunOptions(argv), expected, argv.join(" "));
});

test("--runtime without a value is a usage error", () => {
  assert.throws(() => takeRunOptions(["--runtime"]), /--runtime needs a value/);
});
