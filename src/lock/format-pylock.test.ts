import { strict as assert } from "node:assert";
import { test } from "node:test";
import { isKilnError } from "../core/index.js";
import { runHostPython } from "../../test/support/host-python.js";
import { formatPylock, parsePylock, type LockedSet } from "./index.js";

const sha = (c: string) => c.repeat(64);

const lock: LockedSet = {
  createdBy: "kiln",
  requiresPython: ">=3.14",
  environments: ["sys_platform == 'emscripten' and platform_machine == 'wasm32'"],
  packages: [
    {
      name: "iniconfig",
      version: "2.1.0",
      requiresPython: ">=3.8",
      dependencies: [],
      index: "https://pypi.org/simple/",
      wheels: [
        {
          filename: "iniconfig-2.1.0-py3-none-any.whl",
          url: "https://files.pythonhosted.org/packages/2c/e1/iniconfig-2.1.0-py3-none-any.whl",
          hashes: { sha256: sha("a") },
          size: 6050,
          uploadTime: "2025-03-19T20:10:01.071520Z",
        },
      ],
    },
    {
      name: "pytest",
      version: "8.4.1",
      dependencies: ["iniconfig", "pluggy"],
      wheels: [{ filename: "pytest-8.4.1-py3-none-any.whl", url: "https://example.org/a \"quoted\"/pytest-8.4.1-py3-none-any.whl", hashes: { sha256: sha("b") } }],
    },
    { name: "pluggy", version: "1.6.0", dependencies: [], wheels: [{ filename: "pluggy-1.6.0-py3-none-any.whl", url: "https://example.org/pluggy-1.6.0-py3-none-any.whl", hashes: { sha256: sha("c"), md5: "d".repeat(32) } }] },
  ],
};

test("formatPylock writes PEP 751 with inline wheel tables", () => {
  const text = formatPylock(lock);
  assert.equal(
    text.split("\n").slice(0, 12).join("\n"),
    [
      'lock-version = "1.0"',
      `environments = ["sys_platform == 'emscripten' and platform_machine == 'wasm32'"]`,
      'requires-python = ">=3.14"',
      'created-by = "kiln"',
      "",
      "[[packages]]",
      'name = "iniconfig"',
      'version = "2.1.0"',
      'requires-python = ">=3.8"',
      'index = "https://pypi.org/simple/"',
      "wheels = [",
      `  { name = "iniconfig-2.1.0-py3-none-any.whl", upload-time = 2025-03-19T20:10:01.071520Z, url = "https://files.pythonhosted.org/packages/2c/e1/iniconfig-2.1.0-py3-none-any.whl", size = 6050, hashes = { sha256 = "${sha("a")}" } },`,
    ].join("\n"),
  );
  assert.match(text, /dependencies = \[\{ name = "iniconfig" \}, \{ name = "pluggy" \}\]/);
});

test("parsePylock reads back what formatPylock writes", () => {
  const parsed = parsePylock(formatPylock(lock));
  assert.equal(parsed.lockVersion, "1.0");
  assert.deepEqual({ ...parsed, lockVersion: undefined }, { ...lock, lockVersion: undefined, packages: lock.packages.map((p) => ({ ...p, wheels: p.wheels.map((w) => ({ ...w, ...(w.uploadTime ? { uploadTime: "2025-03-19T20:10:01.071Z" } : {}) })) })) });
});

test("packaging.pylock validates kiln's pylock.toml", () => {
  const result = runHostPython<{ packages: Array<[string, string, string[]]>; createdBy: string }>(
    [
      "import json, sys, tomllib",
      "from packaging.pylock import Pylock",
      "lock = Pylock.from_dict(tomllib.loads(json.load(sys.stdin)))",
      "print(json.dumps({'createdBy': lock.created_by, 'packages': [[str(p.name), str(p.version), [w.hashes['sha256'] for w in p.wheels]] for p in lock.packages]}))",
    ].join("\n"),
    formatPylock(lock),
  );
  assert.equal(result.createdBy, "kiln");
  assert.deepEqual(result.packages, [
    ["iniconfig", "2.1.0", [sha("a")]],
    ["pytest", "8.4.1", [sha("b")]],
    ["pluggy", "1.6.0", [sha("c")]],
  ]);
});

test("a Pyodide shared library is an archive marked in tool.kiln; parsePylock reads it back as written; packaging accepts it", () => {
  const library: LockedSet = {
    createdBy: "kiln",
    packages: [
      {
        name: "libgeos",
        version: "3.12.1",
        dependencies: [],
        wheels: [{ filename: "libgeos-3.12.1.zip", url: "https://cdn.example/full/libgeos-3.12.1.zip", hashes: { sha256: sha("e") } }],
        pyodide: { packageType: "shared_library", installDir: "dynlib" },
      },
    ],
  };
  const text = formatPylock(library);
  assert.match(text, /^archive = \{ url = "https:\/\/cdn\.example\/full\/libgeos-3\.12\.1\.zip", hashes = \{ sha256 = "e{64}" \} \}\ntool\.kiln = \{ pyodide-package-type = "shared_library", pyodide-install-dir = "dynlib" \}$/m);
  assert.deepEqual({ ...parsePylock(text), lockVersion: undefined }, { ...library, lockVersion: undefined });
  const validated = runHostPython<{ archive: string; tool: unknown }>(
    [
      "import json, sys, tomllib",
      "from packaging.pylock import Pylock",
      "lock = Pylock.from_dict(tomllib.loads(json.load(sys.stdin)))",
      "package = lock.packages[0]",
      "print(json.dumps({'archive': package.archive.hashes['sha256'], 'tool': package.tool}))",
    ].join("\n"),
    text,
  );
  assert.deepEqual(validated, { archive: sha("e"), tool: { kiln: { "pyodide-package-type": "shared_library", "pyodide-install-dir": "dynlib" } } });
});

const bad: Array<[string, string, string]> = [
  ["not TOML", "lock-version = ", "invalidLockFile"],
  ["no lock-version", 'created-by = "x"', "invalidLockFile"],
  ["a future major version", 'lock-version = "2.0"\ncreated-by = "x"', "unsupportedLockVersion"],
  ["a package without a name", 'lock-version = "1.0"\ncreated-by = "x"\n[[packages]]\nversion = "1"', "invalidLockFile"],
  ["a wheel without a location", 'lock-version = "1.0"\ncreated-by = "x"\n[[packages]]\nname = "a"\nwheels = [{ name = "a-1-py3-none-any.whl" }]', "invalidLockFile"],
  ["a sha256 that is not 64 hex digits", 'lock-version = "1.0"\ncreated-by = "x"\n[[packages]]\nname = "a"\nwheels = [{ url = "https://x/a-1-py3-none-any.whl", hashes = { sha256 = "00" } }]', "invalidLockFile"],
  ["a digest that is not hex", 'lock-version = "1.0"\ncreated-by = "x"\n[[packages]]\nname = "a"\nwheels = [{ url = "https://x/a-1-py3-none-any.whl", hashes = { blake2b = "not hex" } }]', "invalidLockFile"],
  ["a wheel URL with a malformed percent-escape", 'lock-version = "1.0"\ncreated-by = "x"\n[[packages]]\nname = "a"\nwheels = [{ url = "https://x/a-1-py3-none-any%zz.whl" }]', "invalidLockFile"],
  ["a wheel name with a path in it", 'lock-version = "1.0"\ncreated-by = "x"\n[[packages]]\nname = "a"\nwheels = [{ name = "../a-1-py3-none-any.whl", url = "https://x/a-1-py3-none-any.whl" }]', "invalidLockFile"],
  ["a wheel URL whose file name is an escaped path", 'lock-version = "1.0"\ncreated-by = "x"\n[[packages]]\nname = "a"\nwheels = [{ url = "https://x/..%2Fa-1-py3-none-any.whl" }]', "invalidLockFile"],
  ["hashes that are not strings", 'lock-version = "1.0"\ncreated-by = "x"\n[[packages]]\nname = "a"\nwheels = [{ url = "https://x/a-1-py3-none-any.whl", hashes = { sha256 = 1 } }]', "invalidLockFile"],
];

for (const [name, text, code] of bad) {
  test(`parsePylock refuses ${name}`, () => {
    assert.throws(() => parsePylock(text, "bad.toml"), (error) => isKilnError(error, code as "invalidLockFile") && /bad\.toml/.test(error.message));
  });
}

test("parsePylock accepts a newer minor version and derives wheel names from URLs", () => {
  const parsed = parsePylock(`lock-version = "1.3"\ncreated-by = "uv"\n[[packages]]\nname = "a"\nversion = "1"\nwheels = [{ url = "https://x/a-1-py3-none-any.whl#frag", hashes = { sha256 = "${"ab".repeat(32)}" } }]`);
  assert.equal(parsed.packages[0]!.wheels[0]!.filename, "a-1-py3-none-any.whl");
});
