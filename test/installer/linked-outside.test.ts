import { strict as assert } from "node:assert";
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, test } from "node:test";
import { isKilnError, silentReporter } from "../../src/core/index.js";
import { installWheel, uninstallDistribution, venvScheme, type InstallScheme } from "../../src/installer/index.js";
import { nodeFileSystem } from "../../src/platform/node-file-system.js";
import { makeWheel } from "./make-wheel.js";

// A symbolic link already inside an environment (site-packages/demo -> /somewhere) must not let
// an install write, or an uninstall delete, outside the environment through it.
const temporary = mkdtempSync(join(tmpdir(), "kiln-linked-"));
after(() => rmSync(temporary, { recursive: true, force: true }));
const fs = nodeFileSystem();
let counter = 0;

function fresh(): { scheme: InstallScheme; outside: string } {
  const root = join(temporary, String(counter++));
  const outside = join(root, "outside");
  mkdirSync(outside, { recursive: true });
  writeFileSync(join(outside, "__init__.py"), "precious");
  const scheme = venvScheme(join(root, "env"), "3.14");
  mkdirSync(scheme.purelib, { recursive: true });
  return { scheme, outside };
}

const demo = makeWheel({ name: "demo", version: "1.0", files: { "demo/__init__.py": "new", "demo/sub/x.py": "x", "demo/data/file.txt": "data" } });

test("install refuses to write through a directory that is a link leading outside the environment, and changes nothing", async () => {
  const { scheme, outside } = fresh();
  symlinkSync(outside, join(scheme.purelib, "demo"));
  await assert.rejects(installWheel({ wheel: demo.bytes, filename: demo.filename, scheme, fs }), (error) => {
    assert.ok(isKilnError(error, "linkedOutside"), (error as Error).message);
    assert.match(error.message, /Cannot install ".*site-packages\/demo\/.*": its directory is a symbolic link .* to ".*outside"/);
    assert.ok(error.hint);
    return true;
  });
  assert.equal(readFileSync(join(outside, "__init__.py"), "utf8"), "precious");
  assert.deepEqual(readdirSync(outside), ["__init__.py"]);
  assert.deepEqual(readdirSync(scheme.purelib), ["demo"]);
  assert.deepEqual(readdirSync(join(scheme.prefix, ".kiln-install")), []);
});

test("install refuses to write through a dangling link", async () => {
  const { scheme, outside } = fresh();
  symlinkSync(join(outside, "missing"), join(scheme.purelib, "demo"));
  await assert.rejects(installWheel({ wheel: demo.bytes, filename: demo.filename, scheme, fs }), (error) => isKilnError(error, "linkedOutside") && /a link to nothing/.test(error.message));
  assert.deepEqual(readdirSync(outside), ["__init__.py"]);
});

test("uninstall leaves files alone that lie behind a link leading outside the environment, with a warning, and removes the rest", async () => {
  const { scheme, outside } = fresh();
  await installWheel({ wheel: demo.bytes, filename: demo.filename, scheme, fs });
  // The package's data directory replaced by a link to a directory holding a file of the same name.
  rmSync(join(scheme.purelib, "demo", "data"), { recursive: true });
  writeFileSync(join(outside, "file.txt"), "precious");
  symlinkSync(outside, join(scheme.purelib, "demo", "data"));
  const warnings: string[] = [];
  await uninstallDistribution("demo", { scheme, fs, reporter: { ...silentReporter, warn: (message) => warnings.push(message) } });
  assert.equal(readFileSync(join(outside, "file.txt"), "utf8"), "precious");
  assert.equal(readFileSync(join(outside, "__init__.py"), "utf8"), "precious");
  assert.ok(warnings.some((w) => /Not removing "demo\/data\/file\.txt" of demo: its directory is a symbolic link that leads outside the environment/.test(w)), warnings.join("\n"));
  assert.equal(existsSync(join(scheme.purelib, "demo", "__init__.py")), false);
  assert.equal(existsSync(join(scheme.purelib, "demo-1.0.dist-info")), false);
});

test("links that stay inside the environment, and an environment reached through a link, install as before", async () => {
  const { scheme } = fresh();
  const real = join(scheme.prefix, "lib", "demo-real");
  mkdirSync(real);
  symlinkSync(real, join(scheme.purelib, "demo"));
  await installWheel({ wheel: demo.bytes, filename: demo.filename, scheme, fs });
  assert.equal(readFileSync(join(real, "__init__.py"), "utf8"), "new");
  const linked = join(temporary, `env-link-${counter++}`);
  symlinkSync(fresh().scheme.prefix, linked);
  const through = venvScheme(linked, "3.14");
  await installWheel({ wheel: demo.bytes, filename: demo.filename, scheme: through, fs });
  assert.equal(readFileSync(join(through.purelib, "demo", "sub", "x.py"), "utf8"), "x");
  await uninstallDistribution("demo", { scheme: through, fs });
  assert.equal(existsSync(join(through.purelib, "demo")), false);
});
