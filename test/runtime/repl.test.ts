import { strict as assert } from "node:assert";
import { test } from "node:test";
import { hostPython } from "../support/host-python.js";
import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { baseEnv, kilnBin, makeTree, runCommand } from "./support.js";

// Drives `kiln run` on a pseudo-terminal (Python's pty module on the host): each step waits for
// some output, then types keys. What a person at a terminal would see and do.
const ptyDriver = String.raw`
import json, os, pty, re, select, sys, time
argv, steps = json.loads(sys.argv[1]), json.loads(sys.argv[2])
pid, fd = pty.fork()
if pid == 0:
    os.execvp(argv[0], argv)
out, seen, ok = b"", 0, True
def screen():
    # Without carriage returns and readline's cursor movement, as the transcript reads.
    return re.sub(rb"\x1b\[\d*[GJ]", b"", out).replace(b"\r", b"")
def wait_for(token, timeout=60):
    global out, seen
    end = time.time() + timeout
    while time.time() < end:
        at = screen().find(token.encode(), seen)
        if at != -1:
            seen = at + len(token)
            return True
        if select.select([fd], [], [], 0.1)[0]:
            try:
                chunk = os.read(fd, 4096)
            except OSError:
                return False
            if not chunk:
                return False
            out += chunk
    return False
for token, keys in steps:
    if not wait_for(token):
        ok = False
        break
    os.write(fd, keys.encode())
end = time.time() + 30
while time.time() < end:
    done, status = os.waitpid(pid, os.WNOHANG)
    if done:
        break
    if select.select([fd], [], [], 0.1)[0]:
        try:
            out += os.read(fd, 4096)
        except OSError:
            pass
else:
    os.kill(pid, 9)
    _, status = os.waitpid(pid, 0)
print(json.dumps({"ok": ok, "output": out.decode("utf-8", "replace"), "status": os.waitstatus_to_exitcode(status)}))
`;

// Each session gets its own HOME, so the REPL's history file (~/.python_history) is the test's own.
function drive(args: string[], steps: Array<[string, string]>, env: Record<string, string> = {}, command: string[] = [process.execPath, kilnBin]) {
  const result = runCommand(hostPython, ["-c", ptyDriver, JSON.stringify([...command, ...args]), JSON.stringify(steps)], {
    env: baseEnv({ TERM: "xterm", HOME: makeTree(), ...env }),
    timeoutMs: 300_000,
  });
  assert.equal(result.status, 0, result.stderr);
  const parsed = JSON.parse(result.stdout) as { ok: boolean; output: string; status: number };
  // Drop readline's cursor movement so the transcript reads as the screen does.
  parsed.output = parsed.output.replace(/\u001b\[\d*[GJ]/g, "").replaceAll("\r", "");
  return parsed;
}

test("the REPL on a terminal: banner, blocks, tracebacks, ^C, history, paste, input(), ^D", () => {
  const session = drive(["run"], [
    [">>> ", "for i in range(2):\r"],
    ["... ", "  print(i)\r"],
    ["... ", "\r"],
    ["1\n>>> ", "import sys; sys.stdin.isatty(), sys.stdout.isatty()\r"],
    ["(True, True)\n>>> ", "abc\u0003"],
    ["KeyboardInterrupt\n>>> ", "1/0\r"],
    ["division by zero\n>>> ", "\u001b[A"],
    ["1/0", "\u001b[A"],
    ["sys.stdout.isatty()", "\r"],
    ["(True, True)\n>>> ", "print(1)\rprint(2)\rprint(3)\r"],
    ["3\n>>> ", 'name = input("who? ")\r'],
    ["who? ", "kiln\r"],
    [">>> ", "name\r"],
    ["'kiln'\n>>> ", "\u0004"],
  ]);
  assert.ok(session.ok, session.output);
  assert.equal(session.status, 0, session.output);
  assert.match(session.output, /^Python 3\.\d+\.\d+ .* on emscripten\nType "help", "copyright", "credits" or "license" for more information\.\n/);
  assert.match(session.output, /ZeroDivisionError: division by zero/);
  assert.match(session.output, /File "<stdin>", line 1, in <module>/);
  assert.equal(session.output.match(/\(True, True\)/g)?.length, 2, "the history recall ran the line again");
  assert.match(session.output, /1\n2\n3\n/);
});

test("exit() leaves the REPL with its status; -q drops the banner; ^C at input() raises KeyboardInterrupt", () => {
  const session = drive(["run", "-q"], [
    [">>> ", "input()\r"],
    ["input()\n", "\u0003"],
    ["KeyboardInterrupt\n>>> ", "exit(4)\r"],
  ]);
  assert.ok(session.ok, session.output);
  assert.equal(session.status, 4, session.output);
  assert.doesNotMatch(session.output, /Type "help"/);
});

test("-i runs the script, then the REPL in its namespace", () => {
  const session = drive(["run", "-i", "-c", "x = 41"], [[">>> ", "x + 1\r"], ["42\n>>> ", "\u0004"]]);
  assert.ok(session.ok, session.output);
  assert.equal(session.status, 0);
});

test("-i with a non-terminal stdin reads the session from it, prompts on stderr", () => {
  const result = runCommand(process.execPath, [kilnBin, "run", "-i", "-c", "x = 1"], { env: baseEnv(), input: "print(x + 1)\n" });
  assert.equal(result.status, 0, result.stderr);
  assert.equal(result.stdout, "2\n");
  assert.equal(result.stderr, ">>> >>> \n");
});

test("the REPL keeps its history in ~/.python_history across sessions, or in PYTHON_HISTORY (not under -E)", () => {
  const home = makeTree();
  const first = drive(["run", "-q"], [[">>> ", "40 + 2\r"], ["42\n>>> ", "\u0004"]], { HOME: home });
  assert.ok(first.ok, first.output);
  assert.equal(readFileSync(join(home, ".python_history"), "utf8"), "40 + 2\n");
  const second = drive(["run", "-q"], [[">>> ", "\u001b[A"], ["40 + 2", "\r"], ["42\n>>> ", "6 * 7\r"], ["42\n>>> ", "\u0004"]], { HOME: home });
  assert.ok(second.ok, second.output);
  assert.equal(readFileSync(join(home, ".python_history"), "utf8"), "40 + 2\n6 * 7\n");

  const elsewhere = join(makeTree(), "history");
  const custom = drive(["run", "-q"], [[">>> ", "1 + 1\r"], ["2\n>>> ", "\u0004"]], { HOME: home, PYTHON_HISTORY: elsewhere });
  assert.ok(custom.ok, custom.output);
  assert.equal(readFileSync(elsewhere, "utf8"), "1 + 1\n");
  const ignored = drive(["run", "-q", "-E"], [[">>> ", "2 + 2\r"], ["4\n>>> ", "\u0004"]], { HOME: home, PYTHON_HISTORY: join(makeTree(), "unused") });
  assert.ok(ignored.ok, ignored.output);
  assert.match(readFileSync(join(home, ".python_history"), "utf8"), /2 \+ 2\n$/);
  const noSite = makeTree();
  const withoutSite = drive(["run", "-q", "-S"], [[">>> ", "3 + 3\r"], ["6\n>>> ", "\u0004"]], { HOME: noSite });
  assert.ok(withoutSite.ok, withoutSite.output);
  assert.equal(existsSync(join(noSite, ".python_history")), false);
});

// On a terminal the line editor turns ^C into a key. While Python runs (not at a prompt) it is the
// signal it stands for: Python blocked where it cannot take the first (here Pyodide's own sleep,
// which does not look at the interrupt buffer) ends by SIGINT at the second, the terminal restored.
test("^C twice on a terminal while Python cannot take the first ends the process by SIGINT", () => {
  const program = "input('name? ')\nimport time\nprint('sleeping', flush=True)\ntime.sleep._kiln_original(600)\n";
  const session = drive(["run", "-c", program], [
    ["name? ", "kiln\r"],
    ["sleeping\n", "\u0003\u0003"],
  ]);
  assert.equal(session.ok, true, session.output);
  assert.equal(session.status, -2, session.output);
});

// ^C typed at a terminal while a program waits in input(), computes or sleeps raises
// KeyboardInterrupt there, as in python3, with Python in a worker (the default on a terminal)
// or on the main thread (KILN_PYTHON_THREAD=main: the terminal is read through a descriptor of
// its own that a ^C can interrupt). Differential: the same session under the host's python3.
const interrupted = String.raw`
import sys, time
try:
    print("ready", flush=True)
    if sys.argv[1] == "loop":
        while True:
            pass
    elif sys.argv[1] == "sleep":
        time.sleep(60)
    else:
        input()
except KeyboardInterrupt:
    print("caught", flush=True)
    sys.exit(7)
`;

for (const kind of ["input", "loop", "sleep"]) {
  for (const [name, env, command] of [
    ["kiln, worker thread", {}, [process.execPath, kilnBin, "run"]],
    ["kiln, main thread", { KILN_PYTHON_THREAD: "main" }, [process.execPath, kilnBin, "run"]],
    ["host python3", {}, [hostPython]],
  ] as const) {
    test(`^C on a terminal during ${kind === "input" ? "input()" : `a ${kind}`} raises KeyboardInterrupt (${name})`, () => {
      const session = drive(["-c", interrupted, kind], [["ready\n", "\u0003"]], env, [...command]);
      assert.ok(session.ok, session.output);
      // "^C": the terminal's echo, before the line editor takes it (after, the editor redraws an empty line).
      assert.match(session.output, /ready\n(\^C ?)?caught\n$/);
      assert.equal(session.status, 7, session.output);
    });
  }
}
