import { strict as assert } from "node:assert";
import { test } from "node:test";
import { zipSync } from "fflate";
import { isKilnError } from "../core/index.js";
import type { DistributionFile, PackageSource } from "../index/index.js";
import { applyInstallPlan } from "./apply-install-plan.js";
import { venvScheme } from "./install-scheme.js";
import { memoryFileSystem } from "./memory-file-system.js";
import type { PlannedPackage } from "./plan-install.js";
import { sharedLibraryWheel } from "./shared-library-wheel.js";
import { uninstallDistribution } from "./uninstall-distribution.js";

const library = new Uint8Array([0, 97, 115, 109, 1, 0, 0, 0]);
const file = (archive: Uint8Array): DistributionFile & { bytes: Uint8Array } => ({
  bytes: archive,
  filename: "libdemo-1.2.zip",
  url: "https://repo.test/libdemo-1.2.zip",
  hashes: {},
  indexUrl: "https://repo.test/pyodide-lock.json",
  pyodide: { name: "libdemo", version: "1.2", depends: [], imports: [], packageType: "shared_library", installDir: "dynlib" },
});
const source = (archive: Uint8Array): PackageSource => ({ name: "repo", url: "https://repo.test/pyodide-lock.json", listFiles: async () => [], fetchMetadata: async () => "", fetchFile: async () => archive });
const planned = (wheel: DistributionFile): PlannedPackage => ({ name: "libdemo", displayName: "libdemo", version: "1.2", action: "install", wheel, alternatives: [], requested: true, direct: false, extras: [], dependencies: [] });

test("a shared-library archive installs into <prefix>/lib with a dist-info recording its files, and uninstalls", async () => {
  const archive = zipSync({ "libdemo.so": library, "sub/": new Uint8Array(), "sub/libdemo_extra.so": library });
  const fs = memoryFileSystem();
  const scheme = venvScheme("/env", "3.14");
  const result = await applyInstallPlan([planned(file(archive))], { source: source(archive), scheme, fs });
  assert.deepEqual(result.installed.map((w) => `${w.name} ${w.version}`), ["libdemo 1.2"]);
  assert.deepEqual(await fs.readFile("/env/lib/libdemo.so"), library);
  assert.deepEqual(await fs.readFile("/env/lib/sub/libdemo_extra.so"), library);
  const record = new TextDecoder().decode(await fs.readFile(`${scheme.purelib}/libdemo-1.2.dist-info/RECORD`));
  assert.match(record, /^\.\.\/\.\.\/libdemo\.so,sha256=[\w-]+,8$/m);
  assert.match(new TextDecoder().decode(await fs.readFile(`${scheme.purelib}/libdemo-1.2.dist-info/METADATA`)), /^Name: libdemo\nVersion: 1\.2$/m);
  await uninstallDistribution("libdemo", { scheme, fs });
  assert.equal(await fs.exists("/env/lib/libdemo.so"), false);
  assert.equal(await fs.exists("/env/lib/sub/libdemo_extra.so"), false);
});

test("the wheel made from an archive is the same bytes every time (its sha256 keys the unpacked cache)", async () => {
  const archive = zipSync({ "libdemo.so": library });
  const [first, second] = [await sharedLibraryWheel(file(archive), archive), await sharedLibraryWheel(file(archive), archive)];
  assert.equal(first.filename, "libdemo-1.2-py3-none-any.whl");
  assert.deepEqual(first.wheel, second.wheel);
});

test("an archive with a path escaping the library directory, or that is no zip, is refused and installs nothing", async () => {
  for (const [archive, code] of [[zipSync({ "../evil.so": library }), "unsafeEntryPath"], [new Uint8Array([1, 2, 3]), "invalidWheel"]] as const) {
    const fs = memoryFileSystem();
    await assert.rejects(applyInstallPlan([planned(file(archive))], { source: source(archive), scheme: venvScheme("/env", "3.14"), fs }), (error) => isKilnError(error, code));
    assert.equal(await fs.exists("/evil.so"), false);
    assert.equal(await fs.exists("/env/lib/python3.14/site-packages/libdemo-1.2.dist-info"), false);
  }
});
