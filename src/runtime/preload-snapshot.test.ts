import { strict as assert } from "node:assert";
import { test } from "node:test";
import { checkPreload, parsePreloadManifest, preloadKey, preloadNames, preloadRequestFor, type PreloadRequest } from "./preload-snapshot.js";
import { parsePythonCommandLine } from "./python-command-line.js";
import type { RuntimeHost } from "./runtime-host.js";

const venv = { prefix: "/v", sitePackages: "/v/lib/python3.14/site-packages", includeSystemSitePackages: false };

test("parsePreloadManifest takes well-formed manifests only", () => {
  const cases: Array<[string, boolean]> = [
    ['{"files":{"/v/a.py":"1:2:3"},"names":["a"],"env":{"X":null,"Y":"1"}}', true],
    ['{"files":{"/v/a.py":1},"names":["a"],"env":{}}', false],
    ['{"files":{},"names":[""],"env":{}}', false],
    ['{"files":{},"names":[],"env":{"X":2}}', false],
    ['{"files":[],"names":[],"env":{}}', false],
    ['{"files":{},"names":[],"env":{},"stdlib":["email.parser"]}', true],
    ['{"files":{},"names":[],"env":{},"stdlib":["../x"]}', false],
    ["{ not json", false],
  ];
  for (const [text, ok] of cases) assert.equal(parsePreloadManifest(text) !== undefined, ok, text);
});

test("preloadRequestFor: the directories searched before site-packages and the warning options", () => {
  const cases: Array<[string[], Record<string, string>, string[], string[]]> = [
    [["-m", "pytest"], {}, ["/w"], []],
    [["tests/run.py"], { PYTHONPATH: "lib:/abs", PYTHONWARNINGS: "error" }, ["/w", "/w/tests", "/w/lib", "/abs"], ["error"]],
    [["-E", "-W", "ignore", "-c", "pass"], { PYTHONPATH: "/abs", PYTHONWARNINGS: "error" }, ["/w"], ["ignore"]],
  ];
  for (const [args, env, searchedFirst, warnOptions] of cases) {
    const request = preloadRequestFor(parsePythonCommandLine(args), { modules: ["pytest"], venv, env, cwd: "/w" });
    assert.deepEqual([request.searchedFirst, request.warnOptions], [searchedFirst, warnOptions], args.join(" "));
  }
});

test("checkPreload: a snapshot is used only while its files, the variables read and the search path agree", async () => {
  const request: PreloadRequest = { modules: ["pytest"], venv, searchedFirst: ["/w"], warnOptions: [], env: { READ: "1" } };
  const manifest = JSON.stringify({ files: { "/v/lib/python3.14/site-packages/pytest/__init__.py": "10:20:30" }, names: ["pytest", "_pytest"], env: { READ: "1", UNSET: null } });
  const hostWith = (changes: { stamp?: string; listing?: string[]; manifest?: string; imports?: string }): RuntimeHost => {
    const blobs = new Map([[preloadNames("base", request).manifest, new TextEncoder().encode(changes.manifest ?? manifest)]]);
    if (changes.imports !== undefined) blobs.set(preloadNames("base", request).imports, new TextEncoder().encode(changes.imports));
    return {
      snapshots: { read: async (name: string) => blobs.get(name), write: async () => undefined, remove: async () => undefined },
      fileStamps: async (paths: string[]) => paths.map(() => changes.stamp ?? "10:20:30"),
      directoryNames: async () => changes.listing ?? ["conftest.py", "tests"],
    } as unknown as RuntimeHost;
  };
  assert.deepEqual(await checkPreload(hostWith({}), "base", request), { ok: true, key: preloadKey("base", request, manifest) });
  // Standard-library modules earlier runs imported: fine once the snapshot has them (or an unreadable list).
  const withStdlib = JSON.stringify({ ...JSON.parse(manifest), stdlib: ["pdb", "unittest.mock"] });
  for (const imports of ['["pdb"]', '["unittest.mock", "pdb"]', "{ not json", "[]"]) {
    assert.deepEqual(await checkPreload(hostWith({ manifest: withStdlib, imports }), "base", request), { ok: true, key: preloadKey("base", request, withStdlib) }, imports);
  }
  const refused: Array<[string, RuntimeHost, PreloadRequest, boolean]> = [
    ["a file changed", hostWith({ stamp: "10:21:30" }), request, true],
    ["a variable read differs", hostWith({}), { ...request, env: { READ: "2" } }, true],
    ["a variable read was unset", hostWith({}), { ...request, env: { READ: "1", UNSET: "now" } }, true],
    ["shadowed by a module", hostWith({ listing: ["pytest.py"] }), request, false],
    ["shadowed by a package", hostWith({ listing: ["_pytest"] }), request, false],
    ["unreadable manifest", hostWith({ manifest: "{" }), request, true],
    ["no manifest", hostWith({}), { ...request, modules: ["other"] }, true],
    ["earlier runs imported more", hostWith({ imports: '["pdb"]' }), request, true],
    ["earlier runs imported more than it has", hostWith({ manifest: withStdlib, imports: '["pdb", "email.parser"]' }), request, true],
  ];
  for (const [name, host, checked, remake] of refused) {
    const check = await checkPreload(host, "base", checked);
    assert.equal(check.ok, false, name);
    assert.equal(!check.ok && check.remake, remake, name);
  }
});
