import { strict as assert } from "node:assert";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { test } from "node:test";
import { bundledPyodideDir } from "../../src/platform/bundled-pyodide-dir.js";
import { interruptView } from "../../src/runtime/index.js";

// The bundled runtime's own poll of the interrupt buffer (CPython's EM_JS
// `_Py_CheckEmscriptenSignals_Helper`, in Pyodide's glue), run against kiln's view: a SIGINT stored
// by another thread at any point of the poll must reach Python, now or at the next poll.
const glue = readFileSync(join(bundledPyodideDir(), "pyodide.asm.mjs"), "utf8");
const source = /function _Py_CheckEmscriptenSignals_Helper\(\)\{.*?\}(?=_Py_CheckEmscriptenSignals_Helper\.sig)/s.exec(glue)?.[0];

function gluePoll(): (module: { Py_EmscriptenSignalBuffer: unknown }) => number {
  assert.ok(source, "the bundled glue has no _Py_CheckEmscriptenSignals_Helper: see how it polls the interrupt buffer now");
  const helper = new Function("Module", `${source}; return _Py_CheckEmscriptenSignals_Helper;`);
  return (module) => (helper(module) as () => number)();
}

test("the runtime's poll sees a SIGINT stored before it, and clears it", () => {
  const shared = new Int32Array(new SharedArrayBuffer(4));
  const poll = gluePoll();
  const module = { Py_EmscriptenSignalBuffer: interruptView(shared) };
  assert.equal(poll(module), 0);
  Atomics.store(shared, 0, 2);
  assert.equal(poll(module), 2);
  assert.equal(Atomics.load(shared, 0), 0);
  assert.equal(poll(module), 0);
});

test("the runtime's poll does not lose a SIGINT stored between its read and its clear", () => {
  const shared = new Int32Array(new SharedArrayBuffer(4));
  const poll = gluePoll();
  const view = interruptView(shared);
  // The relay thread's store, landing right after the glue's read.
  const racing = {
    get 0() {
      const value = view[0];
      Atomics.store(shared, 0, 2);
      return value;
    },
    set 0(value: number) {
      view[0] = value;
    },
  };
  assert.equal(poll({ Py_EmscriptenSignalBuffer: racing }), 0);
  assert.equal(poll({ Py_EmscriptenSignalBuffer: view }), 2, "the SIGINT was lost");
});
