import { strict as assert } from "node:assert";
import { test } from "node:test";
import { isKilnError } from "../core/index.js";
import { formatPythonUsageError, parsePythonCommandLine, writesNoBytecode } from "./python-command-line.js";

const cases: Array<[string[], { options?: string[]; warn?: string[]; main: object; argv: string[] }]> = [
  [[], { main: { kind: "stdin" }, argv: [""] }],
  [["-"], { main: { kind: "stdin" }, argv: ["-"] }],
  [["-", "a"], { main: { kind: "stdin" }, argv: ["-", "a"] }],
  [["-c", "pass"], { main: { kind: "command", value: "pass\n" }, argv: ["-c"] }],
  [["-c", "pass", "-u", "x"], { main: { kind: "command", value: "pass\n" }, argv: ["-c", "-u", "x"] }],
  [["-cpass"], { main: { kind: "command", value: "pass\n" }, argv: ["-c"] }],
  [["-uc", "pass", "z"], { options: ["-u"], main: { kind: "command", value: "pass\n" }, argv: ["-c", "z"] }],
  [["-m", "http.server", "80"], { main: { kind: "module", value: "http.server" }, argv: ["-m", "80"] }],
  [["-Im", "pip"], { options: ["-I"], main: { kind: "module", value: "pip" }, argv: ["-m"] }],
  [["script.py", "-c", "x"], { main: { kind: "script", value: "script.py" }, argv: ["script.py", "-c", "x"] }],
  [["-u", "-O", "-O", "s.py"], { options: ["-u", "-O", "-O"], main: { kind: "script", value: "s.py" }, argv: ["s.py"] }],
  [["-X", "dev", "-Xutf8", "s.py"], { options: ["-X", "dev", "-X", "utf8"], main: { kind: "script", value: "s.py" }, argv: ["s.py"] }],
  [["-W", "error", "-Wignore", "-c", "1"], { warn: ["error", "ignore"], main: { kind: "command", value: "1\n" }, argv: ["-c"] }],
  [["--", "-weird.py"], { main: { kind: "script", value: "-weird.py" }, argv: ["-weird.py"] }],
  [["--check-hash-based-pycs", "always", "s.py"], { options: ["--check-hash-based-pycs=always"], main: { kind: "script", value: "s.py" }, argv: ["s.py"] }],
  [["-i", "-x", "-B", "s.py"], { options: ["-i", "-B"], main: { kind: "script", value: "s.py" }, argv: ["s.py"] }],
];

for (const [args, expected] of cases) {
  test(`parses python ${JSON.stringify(args)}`, () => {
    const parsed = parsePythonCommandLine(args);
    assert.deepEqual(parsed.interpreterOptions, expected.options ?? []);
    assert.deepEqual(parsed.warnOptions, expected.warn ?? []);
    assert.deepEqual(parsed.main, expected.main);
    assert.deepEqual(parsed.argv, expected.argv);
  });
}

test("flags that kiln applies itself are recorded", () => {
  const parsed = parsePythonCommandLine(["-i", "-x", "-I", "-B", "s.py"]);
  assert.equal(parsed.inspect, true);
  assert.equal(parsed.skipFirstLine, true);
  assert.equal(parsed.isolated, true);
  assert.equal(parsed.ignoreEnvironment, true);
  assert.equal(parsed.dontWriteBytecode, true);
  assert.equal(parsePythonCommandLine(["-E", "s.py"]).ignoreEnvironment, true);
});

test("-V, -VV, --version and -h are actions", () => {
  assert.deepEqual(parsePythonCommandLine(["-V"]).action, { kind: "version", level: 1 });
  assert.deepEqual(parsePythonCommandLine(["-VV"]).action, { kind: "version", level: 2 });
  assert.deepEqual(parsePythonCommandLine(["--version"]).action, { kind: "version", level: 1 });
  assert.deepEqual(parsePythonCommandLine(["-h"]).action, { kind: "help" });
  assert.deepEqual(parsePythonCommandLine(["--help-env"]).action, { kind: "help" });
});

const failures: Array<[string[], string]> = [
  [["-z"], "Unknown option: -z"],
  [["-uz"], "Unknown option: -z"],
  [["--nope"], "unknown option --nope"],
  [["-c"], "Argument expected for the -c option"],
  [["-m"], "Argument expected for the -m option"],
  [["-u", "-W"], "Argument expected for the -W option"],
  [["-X"], "Argument expected for the -X option"],
  [["--check-hash-based-pycs"], "Argument expected for the --check-hash-based-pycs option"],
];

for (const [args, message] of failures) {
  test(`rejects python ${JSON.stringify(args)} as CPython does`, () => {
    assert.throws(() => parsePythonCommandLine(args), (error) => isKilnError(error, "pythonUsage") && error.message === message);
  });
}

test("usage errors print as CPython prints them", () => {
  assert.equal(
    formatPythonUsageError("Unknown option: -z", "/venv/bin/python"),
    "Unknown option: -z\nusage: /venv/bin/python [option] ... [-c cmd | -m mod | file | -] [arg] ...\nTry `python -h' for more information.\n",
  );
});

test("writesNoBytecode: -B, or PYTHONDONTWRITEBYTECODE non-empty unless -E/-I ignore it (CPython's sys.dont_write_bytecode)", () => {
  const cases: Array<[string[], Record<string, string>, boolean]> = [
    [[], {}, false],
    [["-B"], {}, true],
    [[], { PYTHONDONTWRITEBYTECODE: "1" }, true],
    [[], { PYTHONDONTWRITEBYTECODE: "" }, false],
    [["-E"], { PYTHONDONTWRITEBYTECODE: "1" }, false],
    [["-I"], { PYTHONDONTWRITEBYTECODE: "1" }, false],
    [["-E", "-B"], {}, true],
  ];
  for (const [options, env, expected] of cases) {
    assert.equal(writesNoBytecode(parsePythonCommandLine([...options, "-c", "pass"]), env), expected, `${options.join(" ")} ${JSON.stringify(env)}`);
  }
});
