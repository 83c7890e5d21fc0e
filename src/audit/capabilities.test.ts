import { strict as assert } from "node:assert";
import { test } from "node:test";
import { classifyImport, type Capability } from "./capabilities.js";

test("imports are classified by exact name, then by family prefix; everything else is computation", () => {
  const cases: [string, Capability | undefined][] = [
    ["__syscall_connect", "network"],
    ["__syscall_socketcall", "network"],
    ["emscripten_websocket_send_utf8_text", "network"],
    ["emscripten_fetch_close", "network"],
    ["_emscripten_fetch_free", "network"],
    ["_emval_call_method", "javascript"],
    ["emscripten_run_script", "javascript"],
    ["fopen", "filesystem"],
    ["fd_write", "filesystem"],
    ["system", "processes"],
    ["dlopen", "dynamicLoading"],
    ["PyLong_FromLong", undefined],
    ["emscripten_get_now", undefined],
    ["_emscripten_lookup_name", "network"],
    ["__cxa_throw", undefined],
    ["", undefined],
  ];
  for (const [name, capability] of cases) assert.equal(classifyImport(name), capability, name);
});
