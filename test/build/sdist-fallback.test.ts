// The resolver's sdist fallback end to end, on real projects from the public index whose latest
// release has no wheel for the platform: docopt 0.6.2 and sgmllib3k 1.0.0 ship only an sdist;
// langdetect 1.0.9 ships an sdist and a py2-only wheel (and depends on six, a wheel).
// kiln fetches them into its test cache (.cache/kiln-test-cache) and builds them on WASM.
import { strict as assert } from "node:assert";
import { readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { after, before, test } from "node:test";
import { baseEnv, kiln, makeTree, runCommand } from "../runtime/support.js";

const env = baseEnv({ NO_COLOR: "1", PIP_CONFIG_FILE: "/dev/null" });
let root: string;
let venv: string;

before(() => {
  root = makeTree();
  venv = join(root, ".venv-wasm");
  const created = kiln(["venv", venv], { env, timeoutMs: 300_000 });
  assert.equal(created.status, 0, created.stderr);
});
after(() => rmSync(root, { recursive: true, force: true }));

const pip = (...args: string[]) => kiln(["pip", ...args, "--python", venv], { cwd: root, env, timeoutMs: 900_000 });

test("pip install of sdist-only pure-Python packages builds them on WASM; they import in bin/python", { timeout: 1_200_000 }, () => {
  const result = pip("install", "docopt==0.6.2", "sgmllib3k==1.0.0", "langdetect==1.0.9");
  assert.equal(result.status, 0, result.stderr);
  assert.match(result.stdout, /^Successfully installed docopt-0\.6\.2 langdetect-1\.0\.9 sgmllib3k-1\.0\.0 six-/m);
  const imported = runCommand(join(venv, "bin", "python"), ["-W", "ignore", "-c", "import docopt, sgmllib, langdetect; print(docopt.docopt('usage: x <a>', ['1']), langdetect.detect('Das ist ein deutscher Satz, ganz sicher.'))"], { cwd: root, env, timeoutMs: 300_000 });
  assert.equal(imported.stdout.trim(), "{'<a>': '1'} de", imported.stderr);
  const wheelName = readFileSync(join(venv, "lib", "python3.14", "site-packages", "docopt-0.6.2.dist-info", "WHEEL"), "utf8");
  assert.match(wheelName, /^Tag: py3-none-any$/m);
  // The wheel is built once per sdist hash: a reinstall takes it from the cache.
  const again = pip("install", "--force-reinstall", "--no-deps", "docopt==0.6.2");
  assert.equal(again.status, 0, again.stderr);
  assert.match(again.stderr + again.stdout, /Using the wheel built earlier from docopt-0\.6\.2\.tar\.gz/);
});

test("--only-binary :all: refuses to build and says why; --no-binary builds a package that has a wheel", { timeout: 900_000 }, () => {
  const refused = pip("install", "--force-reinstall", "docopt", "--only-binary", ":all:");
  assert.equal(refused.status, 1);
  assert.match(refused.stderr, /^hint: docopt 0\.6\.2 has only a source distribution, and only wheels are used here/m);
  const built = pip("install", "--force-reinstall", "six==1.17.0", "--no-binary", "six");
  assert.equal(built.status, 0, built.stderr);
  assert.match(built.stderr + built.stdout, /(Built six-1\.17\.0-py2\.py3-none-any\.whl from|Using the wheel built earlier from) six-1\.17\.0\.tar\.gz/);
});

test("kiln lock records the sdist of a package that resolves through it (PEP 751 sdist table)", { timeout: 900_000 }, () => {
  const result = kiln(["lock", "docopt==0.6.2", "-o", "-"], { cwd: root, env, timeoutMs: 600_000 });
  assert.equal(result.status, 0, result.stderr);
  // The size is always recorded (PEP 751: where reasonably possible): from the index's JSON page, or
  // from the file's server when the index serves HTML, which lists none.
  assert.match(result.stdout, /\[\[packages\]\]\nname = "docopt"\nversion = "0\.6\.2"\nindex = "https:\/\/pypi\.org\/simple\/"\nsdist = \{ name = "docopt-0\.6\.2\.tar\.gz", upload-time = [^,]+, url = "https:\/\/files\.pythonhosted\.org\/[^"]+\/docopt-0\.6\.2\.tar\.gz", size = 25901, hashes = \{ sha256 = "49b3a825280bd66b3aa83585ef59c4a8c82f2c8a522dbe754a8bc8d08c85c491" \} \}\n/);
  assert.doesNotMatch(result.stdout, /wheels = /);
  // pip sync of that lock builds (or takes from the cache) the sdist's wheel, and removes the rest.
  writeFileSync(join(root, "pylock.toml"), result.stdout);
  const synced = pip("sync", join(root, "pylock.toml"));
  assert.equal(synced.status, 0, synced.stderr);
  const sitePackages = join(venv, "lib", "python3.14", "site-packages");
  assert.deepEqual(readdirSync(sitePackages).filter((name) => name.endsWith(".dist-info")), ["docopt-0.6.2.dist-info"]);
  const imported = runCommand(join(venv, "bin", "python"), ["-W", "ignore", "-c", "import docopt; print(docopt.__version__)"], { cwd: root, env, timeoutMs: 300_000 });
  assert.equal(imported.stdout.trim(), "0.6.2", imported.stderr);
});
