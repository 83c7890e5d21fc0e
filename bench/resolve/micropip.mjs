// Resolution with micropip inside Pyodide (Node): the same requirement set, index and target as
// bench/resolve/run.mjs. Prints JSON { packages, failed, startupSeconds, resolveSeconds }.
// Usage: node micropip.mjs MICROPIP_WHEEL REQUIREMENTS_FILE INDEX_URL [REPORT_FILE]
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { createRequire } from "node:module";
import { dirname, join } from "node:path";

const [wheel, requirementsFile, indexUrl, reportFile] = process.argv.slice(2);
const started = performance.now();
const pyodideDir = dirname(createRequire(import.meta.url).resolve("pyodide"));
const { loadPyodide } = await import(`${pyodideDir}/pyodide.mjs`);
// An empty package list: otherwise micropip takes every package Pyodide itself ships (pydantic,
// requests, …) from Pyodide's lock file without asking the index, and resolves far less than
// the other tools do.
const lock = JSON.parse(readFileSync(`${pyodideDir}/pyodide-lock.json`, "utf8"));
const lockDirectory = mkdtempSync(join(tmpdir(), "micropip-bench-"));
const emptyLock = join(lockDirectory, "pyodide-lock.json");
writeFileSync(emptyLock, JSON.stringify({ ...lock, packages: {} }));
const pyodide = await loadPyodide({ indexURL: `${pyodideDir}/`, lockFileURL: emptyLock });
pyodide.FS.writeFile("/tmp/micropip.whl", readFileSync(wheel));
pyodide.runPython(`import site, zipfile; zipfile.ZipFile("/tmp/micropip.whl").extractall(site.getsitepackages()[0])`);
const startupSeconds = (performance.now() - started) / 1000;
const requirements = readFileSync(requirementsFile, "utf8").split("\n").map((l) => l.replace(/#.*/, "").trim()).filter(Boolean);
pyodide.globals.set("requirements", pyodide.toPy(requirements));
pyodide.globals.set("index_url", indexUrl);
const resolveStart = performance.now();
// What micropip.install does before it installs anything: the Transaction's resolution, which
// fetches index pages and reads each candidate's metadata (the whole wheel when the index has no
// PEP 658 metadata, as this mirror's HTML pages do not).
const result = await pyodide.runPythonAsync(`
import json
import micropip
from micropip.package_manager import PackageManager
from micropip.transaction import Transaction
from micropip._vendored.packaging.src.packaging.markers import default_environment
manager = micropip._package_manager_singleton if hasattr(micropip, "_package_manager_singleton") else PackageManager()
transaction = Transaction(
    _compat_layer=manager.compat_layer, ctx=default_environment(), ctx_extras=[], keep_going=True, deps=True, pre=False,
    fetch_kwargs={}, verbose=False, index_urls=[index_url], constraints=None, reinstall=False,
)
await transaction.gather_requirements(list(requirements))
json.dumps({
    "packages": sorted(f"{w.name}=={w.version}" for w in transaction.wheels) + sorted(f"{p.name}=={p.version}" for p in transaction.pyodide_packages),
    "failed": [str(r) for r in transaction.failed],
})
`);
const resolveSeconds = (performance.now() - resolveStart) / 1000;
const report = JSON.stringify({ ...JSON.parse(result), startupSeconds, resolveSeconds });
rmSync(lockDirectory, { recursive: true, force: true });
if (reportFile) writeFileSync(reportFile, report);
else console.log(report);
process.exit(0);
