import { strict as assert } from "node:assert";
import { realpathSync } from "node:fs";
import { test } from "node:test";
import { hostPython } from "../support/host-python.js";
import { baseEnv, kiln, makeTree, runCommand, type Outcome } from "./support.js";

// The same command lines under native python3 and `kiln run`, compared on stdout, stderr and exit
// status after masking what legitimately differs: the executable's path, and traceback details
// that change between CPython versions (source lines, carets, frozen stdlib frames).

interface Case {
  name: string;
  args: string[];
  stdin?: string;
  files?: Record<string, string>;
  env?: Record<string, string>;
  /** Run through `sh -c '... 2>&1'` to compare the interleaving of stdout and stderr. */
  merged?: boolean;
}

const printArgs = "import sys; print(sys.argv)";
const cases: Case[] = [
  { name: "-c with arguments", args: ["-c", printArgs, "a", "b c"] },
  { name: "-c prints unicode", args: ["-c", "print('h\\u00e9llo \\u2713')"] },
  { name: "-c sys.path[0] is empty", args: ["-c", "import sys; print(repr(sys.path[0]))"] },
  { name: "sys.exit(3)", args: ["-c", "import sys; sys.exit(3)"] },
  { name: "sys.exit with a message", args: ["-c", "import sys; sys.exit('bad things')"] },
  { name: "sys.exit(256) wraps", args: ["-c", "import sys; sys.exit(256)"] },
  { name: "raise SystemExit", args: ["-c", "raise SystemExit"] },
  { name: "raise SystemExit(None)", args: ["-c", "raise SystemExit(None)"] },
  { name: "uncaught exception", args: ["-c", "def f():\n    raise ValueError('boom')\nf()"] },
  { name: "exception chain", args: ["-c", "try:\n    1/0\nexcept Exception as e:\n    raise KeyError('k') from e"] },
  { name: "os._exit", args: ["-c", "import os; print('x', flush=True); os._exit(5)"] },
  { name: "atexit runs", args: ["-c", "import atexit; atexit.register(print, 'bye'); print('hi')"] },
  { name: "KeyboardInterrupt uncaught", args: ["-c", "raise KeyboardInterrupt"] },
  {
    name: "script with arguments",
    args: ["main.py", "one", "--two"],
    files: { "main.py": "import sys, os\nprint(sys.argv, __name__, os.path.basename(__file__), os.path.isabs(__file__))\nprint(sys.path[0] == os.path.dirname(os.path.abspath(__file__)))\n" },
  },
  {
    name: "script in a subdirectory imports its neighbour",
    args: ["pkgdir/run.py"],
    files: { "pkgdir/run.py": "import helper\nprint(helper.VALUE)\n", "pkgdir/helper.py": "VALUE = 42\n" },
  },
  { name: "missing script", args: ["no_such_script.py"] },
  // A directory as the script: sys.path[0] is its absolute path, in CPython's error message too.
  { name: "a directory with __main__.py", args: ["app"], files: { "app/__main__.py": "import sys, os\nprint(os.path.isabs(sys.path[0]), os.path.basename(sys.path[0]))\n" } },
  { name: "a directory without __main__.py", args: ["nomain"], files: { "nomain/other.py": "" } },
  { name: "script with a traceback", args: ["bad.py"], files: { "bad.py": "def g(x):\n    return 1 / x\n\ng(0)\n" } },
  { name: "-x skips the first line", args: ["-x", "skip.py"], files: { "skip.py": "this is not python\nprint('ran')\n" } },
  {
    name: "-m package with __main__",
    args: ["-m", "tool", "x"],
    files: { "tool/__init__.py": "", "tool/__main__.py": "import sys\nprint('tool', sys.argv[1:], __name__)\n" },
  },
  {
    name: "-m module with arguments",
    args: ["-m", "mod", "1", "2"],
    files: { "mod.py": "import sys, os\nprint(os.path.basename(sys.argv[0]), sys.argv[1:], __name__)\n" },
  },
  { name: "-m a stdlib module", args: ["-m", "json.tool"], stdin: '{"b": 1, "a": [1, 2]}' },
  { name: "-m missing module", args: ["-m", "no_such_module_xyz"] },
  { name: "script on stdin", args: [], stdin: "import sys\nprint('stdin', sys.argv)\n" },
  { name: "- and arguments", args: ["-", "p", "q"], stdin: "import sys\nprint(sys.argv)\n" },
  { name: "input() from a pipe", args: ["-c", "print(input('name? ').upper())"], stdin: "world\n" },
  { name: "input() at end of file", args: ["-c", "input()"], stdin: "" },
  { name: "stdin read in binary", args: ["-c", "import sys; d = sys.stdin.buffer.read(); print(len(d), d[:3])"], stdin: "\u0000\u0001\u0002abc" },
  { name: "isatty on pipes", args: ["-c", "import sys; print(sys.stdin.isatty(), sys.stdout.isatty(), sys.stderr.isatty())"] },
  { name: "binary stdout", args: ["-c", "import sys; sys.stdout.buffer.write(bytes(range(256)))"] },
  { name: "large output", args: ["-c", "for i in range(50000): print(i, 'x' * 20)"] },
  { name: "stderr and stdout interleave (buffered)", merged: true, args: ["-c", "import sys\nfor i in range(3):\n    print('out', i)\n    print('err', i, file=sys.stderr)"] },
  { name: "stderr and stdout interleave (-u)", merged: true, args: ["-u", "-c", "import sys\nfor i in range(3):\n    print('out', i)\n    print('err', i, file=sys.stderr)"] },
  { name: "stdout buffering config", args: ["-c", "import sys; print(sys.stdout.line_buffering, sys.stderr.line_buffering, sys.stdout.encoding, sys.stdout.errors, sys.stderr.errors)"] },
  { name: "-u buffering config", args: ["-u", "-c", "import sys; print(sys.stdout.write_through, sys.stderr.write_through)"] },
  { name: "os.environ is the host's", args: ["-c", "import os; print(os.environ['KILN_CONFORMANCE'], os.getenv('NOT_SET_ANYWHERE'))"], env: { KILN_CONFORMANCE: "v=1 ü" } },
  { name: "PYTHONPATH", args: ["-c", "import sys, extra_mod; print(extra_mod.X, sys.path[1].endswith('libdir'))"], env: { PYTHONPATH: "libdir" }, files: { "libdir/extra_mod.py": "X = 'found'\n" } },
  { name: "-E ignores PYTHONPATH", args: ["-E", "-c", "import extra_mod"], env: { PYTHONPATH: "libdir" }, files: { "libdir/extra_mod.py": "" } },
  { name: "-I flags and sys.path", args: ["-I", "-c", "import sys; print(sys.flags.isolated, sys.flags.ignore_environment, sys.flags.safe_path, sys.path[0] != '')"] },
  { name: "-O drops asserts", args: ["-O", "-c", "import sys; assert False; print(sys.flags.optimize, __debug__)"] },
  { name: "-W error", args: ["-W", "error", "-c", "import warnings; warnings.warn('careful')"] },
  { name: "PYTHONWARNINGS", args: ["-c", "import sys; print(sys.warnoptions)"], env: { PYTHONWARNINGS: "ignore::DeprecationWarning" } },
  { name: "-X options", args: ["-X", "kiln_test=1", "-c", "import sys; print(sys._xoptions)"] },
  { name: "-B", args: ["-B", "-c", "import sys; print(sys.dont_write_bytecode)"] },
  { name: "grouped options -uc", args: ["-uc", "import sys; print(sys.argv)", "z"] },
  { name: "unknown option", args: ["-z"] },
  { name: "unknown long option", args: ["--frobnicate"] },
  { name: "-c without argument", args: ["-c"] },
  {
    name: "files: write, read, list, pathlib, relative paths",
    args: ["-c", [
      "import os, pathlib",
      "pathlib.Path('out').mkdir()",
      "with open('out/a.txt', 'w') as f: f.write('alpha\\n')",
      "pathlib.Path('out/b.bin').write_bytes(b'\\x00\\xff')",
      "print(sorted(os.listdir('out')), open('out/a.txt').read().strip(), pathlib.Path('out/b.bin').read_bytes())",
      "print(os.path.exists(os.path.join(os.getcwd(), 'out', 'a.txt')), pathlib.Path('out/a.txt').stat().st_size)",
      "os.rename('out/a.txt', 'out/c.txt'); os.remove('out/b.bin'); print(os.listdir('out'))",
      "print(pathlib.Path('data.txt').read_text().strip())",
    ].join("\n")],
    files: { "data.txt": "given\n" },
  },
  { name: "working directory is the host's", args: ["-c", "import os; print(os.getcwd() == os.environ['PWD_CHECK'])"] },
  { name: "temp files", args: ["-c", "import tempfile, os\nwith tempfile.NamedTemporaryFile('w', delete=False) as f:\n    f.write('t')\nprint(open(f.name).read(), os.path.dirname(f.name) == tempfile.gettempdir())\nos.remove(f.name)"] },
  { name: "open a missing file", args: ["-c", "open('/nonexistent/file.txt')"] },
  { name: "__main__ namespace", args: ["-c", "print(sorted(k for k in globals() if not k.startswith('_')), __name__, __spec__, __package__)"] },
];

const pythonExecutable = runCommand(hostPython, ["-c", "import sys; print(sys.executable)"], { env: baseEnv() }).stdout.trim();

function mask(text: string, executables: string[]): string {
  let masked = text;
  for (const executable of executables) masked = masked.split(executable).join("<python>");
  const lines: string[] = [];
  for (const line of masked.split("\n")) {
    if (/^\s+File "(<frozen runpy>|[^"]*\/runpy\.py)"/.test(line)) continue;
    if (/^ {4}/.test(line)) continue; // source lines and carets: versions differ in which they show
    // errno values are the platform's: Emscripten's ENOENT is 44, Linux's is 2.
    lines.push(line.replace(/^usage: \S+/, "usage: <python>").replace(/\[Errno \d+\]/g, "[Errno N]"));
  }
  return lines.join("\n");
}

function run(command: string, args: string[], item: Case, cwd: string): Outcome {
  const env = baseEnv({ ...item.env, PWD_CHECK: cwd });
  if (!item.merged) return runCommand(command, args, { cwd, env, input: item.stdin ?? "" });
  const quoted = [command, ...args].map((word) => `'${word.replaceAll("'", `'\\''`)}'`).join(" ");
  return runCommand("sh", ["-c", `${quoted} 2>&1`], { cwd, env, input: item.stdin ?? "" });
}

for (const item of cases) {
  test(`conformance: ${item.name}`, () => {
    const cwd = realpathSync(makeTree(item.files));
    const native = run(hostPython, item.args, item, cwd);
    const cwdForKiln = realpathSync(makeTree(item.files));
    const ours = run(process.execPath, [kilnBinPath(), "run", ...item.args], item, cwdForKiln);
    const executables = [pythonExecutable, kilnExecutable(), hostPython];
    const normalise = (outcome: Outcome, dir: string) => ({
      status: outcome.status,
      signal: outcome.signal,
      stdout: mask(outcome.stdout.split(dir).join("<cwd>"), executables),
      stderr: mask(outcome.stderr.split(dir).join("<cwd>"), executables),
    });
    assert.deepEqual(normalise(ours, cwdForKiln), normalise(native, cwd));
  });
}

let cachedKilnExecutable: string | undefined;
function kilnExecutable(): string {
  cachedKilnExecutable ??= kiln(["run", "-c", "import sys; print(sys.executable)"]).stdout.trim() || "<none>";
  return cachedKilnExecutable;
}

function kilnBinPath(): string {
  return new URL("../../bin/kiln.js", import.meta.url).pathname;
}
