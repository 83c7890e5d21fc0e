import { strict as assert } from "node:assert";
import { readdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { test } from "node:test";
import { baseEnv, kiln, makeTree } from "./support.js";
import { downloadWheel, unpackWheel } from "./wheels.js";

// Extension modules' compiled code (src/platform/node-side-module-cache.ts): a process that
// compiled a large extension module keeps, as it exits, what V8 optimized; the next process that
// imports the same bytes builds the module from that. A damaged entry is refused and rewritten.

test("a real extension module's optimized code is kept at exit and used by the next run, which computes the same; a damaged entry is refused and rewritten", () => {
  const site = makeTree();
  unpackWheel(downloadWheel("pydantic-core", { platform: "pyemscripten_2026_0_wasm32" }), site);
  unpackWheel(downloadWheel("typing-extensions"), site);
  const program = [
    "from pydantic_core import SchemaValidator, core_schema as cs",
    "v = SchemaValidator(cs.list_schema(cs.typed_dict_schema({'a': cs.typed_dict_field(cs.int_schema()), 'b': cs.typed_dict_field(cs.str_schema())})))",
    "rows = v.validate_python([{'a': str(i), 'b': 'x' * (i % 5)} for i in range(20000)])",
    "print(len(rows), sum(row['a'] for row in rows), rows[7])",
  ].join("\n");
  const cacheDir = makeTree();
  const env = baseEnv({ KILN_CACHE_DIR: cacheDir, PYTHONPATH: site, KILN_DEBUG: "1" });
  const run = (extra: Record<string, string> = {}) => {
    const result = kiln(["run", "-c", program], { env: { ...env, ...extra } });
    assert.deepEqual([result.status, result.stdout], [0, "20000 199990000 {'a': 7, 'b': 'xx'}\n"], result.stderr);
    return result.stderr;
  };
  const first = run();
  assert.match(first, /extension module \S+_pydantic_core\S+\.so: compiled \(cached code missing\)/);
  assert.match(first, /_pydantic_core\S+\.so: kept \d+ bytes of V8's optimized code/);
  const directory = join(cacheDir, "side-module-code");
  const [entry] = readdirSync(directory);
  assert.match(entry!, /^side-[0-9a-f]{24}$/);

  assert.match(run(), /_pydantic_core\S+\.so: V8's compiled code from the cache/);

  const path = join(directory, entry!);
  const file = readFileSync(path);
  file[file.length - 50]! ^= 0x01;
  writeFileSync(path, file);
  // Python in a worker thread (a terminal's REPL), which the process ends without letting it exit.
  const damaged = run({ KILN_PYTHON_THREAD: "worker" });
  assert.match(damaged, /_pydantic_core\S+\.so: compiled \(cached code refused\)/);
  assert.match(damaged, /kept \d+ bytes/, "written again as Python finished");
  assert.match(run(), /V8's compiled code from the cache/);
});
