import { strict as assert } from "node:assert";
import { test } from "node:test";
import { wasmLimitationOf } from "./wasm-limitation.js";

// Messages and traceback lines as Pyodide 314 raises them (probed with kiln run).
const cases: Array<[string, string | undefined]> = [
  ["OSError: [Errno 138] emscripten does not support processes.\n/lib/python314.zip/subprocess.py:827: OSError", "subprocesses"],
  ["OSError: [Errno 52] Function not implemented\n    pid = os.fork()", "subprocesses"],
  ["RuntimeError: can't start new thread\n/lib/python314.zip/threading.py:1005: RuntimeError", "threads"],
  ["ModuleNotFoundError: No module named '_multiprocessing'", "multiprocessing"],
  ["NotImplementedError: This Python build lacks multiprocessing.synchronize, usually due to named semaphores being unavailable on this platform.", "multiprocessing"],
  ["http.client.RemoteDisconnected: Remote end closed connection without response\n/lib/python314.zip/http/client.py:331: RemoteDisconnected", "sockets"],
  ["OSError: [Errno 28] Invalid argument\n/lib/python314.zip/socket.py:295: OSError", "sockets"],
  ["RuntimeError: WebAssembly stack switching not supported in this JavaScript runtime", "asyncio networking"],
  ["AttributeError: module 'signal' has no attribute 'alarm'", "signals"],
  ["OSError: could not load dynamic lib: libc.so.6", "native libraries"],
  ["OSError: out of pty devices", "terminals"],
  ["OSError: [Errno 52] Function not implemented", "a system call"],
  ["AssertionError: assert 1 == 2", undefined],
  ["OSError: [Errno 2] No such file or directory: 'x'", undefined],
  ["AttributeError: 'Client' object has no attribute 'kill'", undefined],
];

for (const [text, feature] of cases) {
  test(`names the WASM limitation in ${JSON.stringify(text.split("\n")[0])}`, () => {
    const limitation = wasmLimitationOf(text);
    assert.equal(limitation?.feature, feature);
    if (limitation) assert.match(limitation.explanation, /^WASM /);
  });
}
