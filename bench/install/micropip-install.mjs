// Times micropip.install of local wheels inside Pyodide (the bundled runtime), in one fresh
// interpreter: micropip and its dependency packaging are loaded from local wheels first (Pyodide's
// CDN is not needed), the wheel directory is mounted with NODEFS, and only the install is timed.
// Usage: node micropip-install.mjs WHEEL_DIR MICROPIP_WHEEL PACKAGING_WHEEL [WHEEL_NAMES_JSON]
import { readdirSync } from "node:fs";
import { loadPyodide } from "pyodide";

const [wheelDir, micropipWheel, packagingWheel, namesJson] = process.argv.slice(2);
const names = namesJson ? JSON.parse(namesJson) : readdirSync(wheelDir).filter((name) => name.endsWith(".whl"));
const booted = performance.now();
const pyodide = await loadPyodide({ packageCacheDir: undefined });
await pyodide.loadPackage([packagingWheel, micropipWheel]);
pyodide.FS.mkdirTree("/wheels");
pyodide.FS.mount(pyodide.FS.filesystems.NODEFS, { root: wheelDir }, "/wheels");
const ready = performance.now();
pyodide.globals.set("wheel_urls", pyodide.toPy(names.map((name) => `emfs:/wheels/${name}`)));
const start = performance.now();
await pyodide.runPythonAsync("import micropip\nawait micropip.install(wheel_urls, deps=False)");
const seconds = (performance.now() - start) / 1000;
const count = pyodide.runPython("import importlib.metadata as m; len(list(m.distributions()))");
process.stdout.write(JSON.stringify({ seconds, bootSeconds: (ready - booted) / 1000, distributions: count }) + "\n");
