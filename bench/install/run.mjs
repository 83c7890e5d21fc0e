#!/usr/bin/env node
// Install benchmark: a real set of 31 packages (requirements.in with its dependencies, pytest and
// pydantic among them) into a fresh environment, all tools installing the same wheel files from one
// local directory with their caches warm, alternating tools in each round, same machine, same run:
//   kiln  pip install into a fresh `kiln venv` (a copy of a template venv, made before timing)
//   uv    pip install --target (uv has no pyemscripten_2026_0 platform, so it cannot install the
//         WASM wheels of the set, pydantic-core and charset-normalizer; the "common" set, which every
//         tool installs, is the set's pure-Python wheels with --no-deps, since requests and pydantic
//         need the WASM ones)
//   pip   install --target --platform pyemscripten_2026_0_wasm32 --only-binary=:all: --no-compile
//   micropip.install inside Pyodide (the bundled runtime), interpreter start-up not counted; the
//         same process timed whole (Node, Pyodide's start, loading micropip, the install) is
//         reported beside it as "micropip-process"
//   kiln+extra-ca: kiln with the caller's NODE_EXTRA_CA_CERTS (see timedEnv), when it is set
//   --compare OTHER/bin/kiln.js adds that kiln (another build, e.g. the main branch's) as tool
//         "kiln-other", same cache, same rounds, so a change to kiln is measured within one run
// Usage: npm run build && node bench/install/run.mjs [ROUNDS] [--compare OTHER/bin/kiln.js]
import { spawnSync } from "node:child_process";
import { cpSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";

const here = fileURLToPath(new URL(".", import.meta.url));
const kiln = join(here, "../../bin/kiln.js");
const argv = process.argv.slice(2);
const compareAt = argv.indexOf("--compare");
const other = compareAt === -1 ? undefined : argv.splice(compareAt, 2)[1];
const rounds = Number(argv[0] ?? 5);
const python = process.env.KILN_BENCH_PYTHON ?? "python3";
const work = mkdtempSync(join(tmpdir(), "bench-install-"));
const cache = join(work, "kiln-cache");
// PIP_NO_COMPILE: every tool installs without byte-compiling (pip gets --no-compile too; uv does
// not compile by default; kiln pip install compiles by default, as pip does, unless told so).
const env = { ...process.env, KILN_CACHE_DIR: cache, PIP_CONFIG_FILE: "/dev/null", CI: "true", PIP_NO_COMPILE: "1" };
// The timed installs read only local files, so they run without the variables that configure the
// tools' indexes and TLS (PIP_*, UV_* other than the two above, NODE_EXTRA_CA_CERTS), which would
// make one tool do work the others skip: Node 20 reads and parses the NODE_EXTRA_CA_CERTS bundle at
// every process start, before any JavaScript runs (~40 ms of CPU for the system bundle of ~140
// certificates; `node -e 0` takes 59 ms with it, 20 ms without, on this machine), which pip and uv
// never pay for their own CA settings. When the caller has it set, kiln is also timed with it
// ("kiln+extra-ca"), so both figures are reported.
const timedEnv = Object.fromEntries(Object.entries(env).filter(([name]) => name !== "NODE_EXTRA_CA_CERTS" && (!/^(PIP|UV)_/.test(name) || ["PIP_CONFIG_FILE", "PIP_NO_COMPILE"].includes(name))));
const extraCa = process.env.NODE_EXTRA_CA_CERTS;

// The CPU time (user + system) of each timed process, through GNU time where it is installed: on
// a loaded machine wall times swing with the load, CPU times much less.
const gnuTime = existsSync("/usr/bin/time") ? "/usr/bin/time" : undefined;

function run(command, args, options = {}) {
  const cpuFile = join(work, "cpu.txt");
  const [program, argv] = gnuTime ? [gnuTime, ["-f", "%U %S", "-o", cpuFile, command, ...args]] : [command, args];
  const start = process.hrtime.bigint();
  const result = spawnSync(program, argv, { encoding: "utf8", env, maxBuffer: 64 * 1024 * 1024, ...options });
  const seconds = Number(process.hrtime.bigint() - start) / 1e9;
  if (result.status !== 0) throw new Error(`${command} ${args.join(" ")} failed (${result.status}):\n${(result.stderr ?? "").slice(-3000)}`);
  const cpu = gnuTime ? readFileSync(cpuFile, "utf8").trim().split("\n").at(-1).split(" ").reduce((sum, part) => sum + Number(part), 0) : undefined;
  return { seconds, cpu, stdout: result.stdout };
}

// Setup (not timed): resolve once with kiln from the public index, download the wheels, make a venv.
const pinned = join(work, "pinned.txt");
const wheels = join(work, "wheels");
run(process.execPath, [kiln, "lock", "-r", join(here, "requirements.in"), "--format", "requirements", "--no-pyodide-index", "-o", pinned]);
run(process.execPath, [kiln, "pip", "download", "-q", "-r", pinned, "-d", wheels, "--no-pyodide-index"]);
run(process.execPath, [kiln, "pip", "download", "-q", "micropip==0.11.1", "--no-deps", "-d", join(work, "micropip"), "--no-pyodide-index"]);
const template = join(work, "template-venv");
run(process.execPath, [kiln, "venv", template]);
const allWheels = readdirSync(wheels).filter((name) => name.endsWith(".whl")).sort();
const commonWheels = allWheels.filter((name) => name.endsWith("-none-any.whl"));
const commonNames = new Set(commonWheels.map((name) => name.split("-")[0].toLowerCase().replace(/_/g, "-")));
const pinnedCommon = join(work, "pinned-common.txt");
const blocks = readFileSync(pinned, "utf8").split(/\n(?=[A-Za-z0-9])/);
writeFileSync(pinnedCommon, blocks.filter((block) => commonNames.has(block.split("==")[0].toLowerCase().replace(/[_.]/g, "-"))).join("\n") + "\n");
const wasmPlatform = ["--platform", "pyemscripten_2026_0_wasm32", "--python-version", "3.14", "--implementation", "cp", "--abi", "cp314", "--only-binary=:all:"];

let serial = 0;
const fresh = (name) => join(work, `${name}-${serial++}`);
const kilnTool = (script, toolEnv = timedEnv) => (requirements, noDeps) => {
  const venv = fresh("kiln-venv");
  cpSync(template, venv, { recursive: true, verbatimSymlinks: true });
  return [process.execPath, [script, "pip", "install", "-q", "--python", venv, "--no-index", "-f", wheels, "--no-pyodide-index", "-r", requirements, ...noDeps], { env: toolEnv }];
};
const tools = {
  kiln: kilnTool(kiln),
  ...(other ? { "kiln-other": kilnTool(other) } : {}),
  ...(extraCa ? { "kiln+extra-ca": kilnTool(kiln, { ...timedEnv, NODE_EXTRA_CA_CERTS: extraCa }) } : {}),
  uv: (requirements, noDeps) => ["uv", ["pip", "install", "-q", "--target", fresh("uv-target"), "--python-version", "3.14", "--no-index", "-f", wheels, "-r", requirements, "--cache-dir", join(work, "uv-cache"), ...noDeps], { env: timedEnv }],
  pip: (requirements, noDeps) => [python, ["-m", "pip", "install", "-q", "--disable-pip-version-check", "--no-compile", "--target", fresh("pip-target"), ...wasmPlatform, "--no-index", "-f", wheels, "-r", requirements, "--cache-dir", join(work, "pip-cache"), ...noDeps], { env: timedEnv }],
};
// micropip's figure is its install call alone (as before); "micropip-process" is the same process
// timed whole, as every other tool is: Node, Pyodide's start, loading micropip, the install.
const micropip = (names) => {
  const { stdout, seconds, cpu } = run(process.execPath, [join(here, "micropip-install.mjs"), wheels, join(work, "micropip", "micropip-0.11.1-py3-none-any.whl"), join(wheels, allWheels.find((n) => n.startsWith("packaging-"))), JSON.stringify(names)], { env: timedEnv });
  return { inside: JSON.parse(stdout.trim().split("\n").at(-1)).seconds, whole: seconds, cpu };
};

const sets = {
  all: { requirements: pinned, names: allWheels, tools: ["kiln", ...(other ? ["kiln-other"] : []), ...(extraCa ? ["kiln+extra-ca"] : []), "pip", "micropip"], noDeps: [] },
  common: { requirements: pinnedCommon, names: commonWheels, tools: ["kiln", ...(other ? ["kiln-other"] : []), ...(extraCa ? ["kiln+extra-ca"] : []), "uv", "pip", "micropip"], noDeps: ["--no-deps"] },
};
const times = {};
const cpuTimes = {};
for (const [set, { requirements, names, tools: used, noDeps }] of Object.entries(sets)) {
  for (const tool of used) if (tool !== "micropip") run(...tools[tool](requirements, noDeps)); // warm the caches
  for (let round = 0; round < rounds; round++) {
    for (const tool of used) {
      if (tool === "micropip") {
        const { inside, whole, cpu } = micropip(names);
        (times[`${set}/micropip`] ??= []).push(inside);
        (times[`${set}/micropip-process`] ??= []).push(whole);
        if (cpu !== undefined) (cpuTimes[`${set}/micropip-process`] ??= []).push(cpu);
        continue;
      }
      const { seconds, cpu } = run(...tools[tool](requirements, noDeps));
      (times[`${set}/${tool}`] ??= []).push(seconds);
      if (cpu !== undefined) (cpuTimes[`${set}/${tool}`] ??= []).push(cpu);
    }
  }
}
const median = (values) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)];
console.log(`packages: ${allWheels.length} (common set, pure-Python wheels only: ${commonWheels.length}); rounds: ${rounds}; medians in seconds (cpu: user + system of the process; "micropip" is its install call alone, timed inside Pyodide; "micropip-process" is that whole process: Node, Pyodide's start, loading micropip, the install)`);
for (const [set, { tools: used }] of Object.entries(sets)) {
  const kilnTime = median(times[`${set}/kiln`]);
  for (const tool of used.flatMap((name) => (name === "micropip" ? ["micropip", "micropip-process"] : [name]))) {
    const value = median(times[`${set}/${tool}`]);
    const withCa = times[`${set}/kiln+extra-ca`] ? `, kiln+extra-ca/uv = ${(median(times[`${set}/kiln+extra-ca`]) / value).toFixed(2)}×` : "";
    const ratio = tool === "kiln" ? "" : tool === "uv" ? `  kiln/uv = ${(kilnTime / value).toFixed(2)}×${withCa}` : `  ${tool}/kiln = ${(value / kilnTime).toFixed(2)}×`;
    const cpu = cpuTimes[`${set}/${tool}`] ? `  cpu ${median(cpuTimes[`${set}/${tool}`]).toFixed(3)} s` : "";
    console.log(`${set.padEnd(6)} ${tool.padEnd(16)} ${value.toFixed(3)} s  (min ${Math.min(...times[`${set}/${tool}`]).toFixed(3)})${cpu}${ratio}`);
  }
}
if (!process.env.KILN_BENCH_KEEP) rmSync(work, { recursive: true, force: true });
