import { buildWheel } from "./wheel-builder.js";
import { KilnError } from "../../src/core/index.js";
import { normalizeName, parseRequirement } from "../../src/pep508/index.js";
import type { DirectoryCache, ProjectTestHost, TestPackage } from "../../src/project/index.js";
import { formatRuntimeSetting, type RuntimeSpec, type VirtualEnvironment } from "../../src/runtime/index.js";

/** Options for {@link memoryProjectHost}. */
export interface MemoryProjectHostOptions {
  files: Record<string, string | Uint8Array>;
  /** A runtime (as formatted) whose environment cannot be made. */
  failEnvironment?: string;
  /** JUnit XML each runtime's test command writes. */
  reports?: Record<string, string>;
  exitCodes?: Record<string, number>;
  /** The exit code of `compileall`. */
  compileExitCode?: number;
  /**
   * Give each template a directory of its own (`/runs/<key>`), as the Node host does; `busy`:
   * as if another run held every one.
   */
  environmentDirectories?: "free" | "busy";
  /** Remember each setup's last template (as the Node host does), and let resolving take this long. */
  lastTemplates?: { resolveMs: number };
}

/**
 * A {@link ProjectTestHost} with files in a Map, a scripted test command and a toy installer:
 * each requirement resolves to one package (`name==1`), installing writes the package's module,
 * a RECORD and, for `pytest`, a launcher naming the environment's python; `compileall` writes a
 * `.pyc` beside each module. `calls` records what was asked, in order.
 *
 * @example
 * const { host, calls } = memoryProjectHost({ files: { "/p/pyproject.toml": "[project]\nname = 'demo'\n" } });
 */
export function memoryProjectHost(options: MemoryProjectHostOptions) {
  const files = new Map<string, string | Uint8Array>(Object.entries(options.files));
  const calls: string[] = [];
  const commands: Array<{ argv: string[]; cwd: string; env: Record<string, string>; plugin: unknown }> = [];
  let clock = 0;
  let builds = 0;
  const under = (path: string) => [...files.keys()].filter((key) => key.startsWith(`${path}/`));
  const copy = (from: string, to: string) => {
    for (const [key, value] of [...files]) if (key === from || key.startsWith(`${from}/`)) files.set(to + key.slice(from.length), value);
  };
  const cache = (name: string): DirectoryCache => ({
    find: async (key) => (under(`/cache/${name}/${key}`).length ? `/cache/${name}/${key}` : undefined),
    store: async (key, populate) => {
      const temporary = `/cache/${name}/.tmp`;
      await populate(temporary);
      copy(temporary, `/cache/${name}/${key}`);
      for (const path of under(temporary)) files.delete(path);
      calls.push(`store ${name}`);
      return `/cache/${name}/${key}`;
    },
  });
  const caches = { "project-wheels": cache("project-wheels"), "test-environments": cache("test-environments") };
  const remembered = new Map<string, string>();
  const host: ProjectTestHost = {
    readText: async (path) => {
      const value = files.get(path);
      return typeof value === "string" ? value : undefined;
    },
    readBytes: async (path) => {
      const value = files.get(path);
      if (value === undefined) throw new Error(`ENOENT: ${path}`);
      return typeof value === "string" ? new TextEncoder().encode(value) : value;
    },
    exists: async (path) => files.has(path) || under(path).length > 0,
    listDirectory: async (path) => {
      const names = new Map<string, "file" | "directory">();
      for (const key of under(path)) {
        const rest = key.slice(path.length + 1);
        names.set(rest.split("/")[0]!, rest.includes("/") ? "directory" : "file");
      }
      return [...names].map(([name, kind]) => ({ name, kind }));
    },
    writeText: async (path, text) => void files.set(path, text),
    makeScratchDirectory: async () => "/scratch",
    remove: async (path) => {
      calls.push(`remove ${path}`);
      for (const key of under(path)) files.delete(key);
    },
    copy: async (from, to) => {
      calls.push(`copy ${from} -> ${to}`);
      copy(from, to);
    },
    ...(options.environmentDirectories
      ? {
          environmentDirectory: async (key: string) => {
            calls.push(`acquire /runs/${key}`);
            if (options.environmentDirectories === "busy") return undefined;
            for (const path of under(`/runs/${key}`)) files.delete(path);
            return { directory: `/runs/${key}`, release: async () => void calls.push(`release /runs/${key}`) };
          },
        }
      : {}),
    ...(options.lastTemplates
      ? {
          lastTemplates: {
            read: async (name: string) => remembered.get(name),
            write: async (name: string, key: string) => {
              calls.push(`remember ${key.slice(0, 12)}`);
              remembered.set(name, key);
            },
          },
        }
      : {}),
    cache: (name) => caches[name],
    cacheIdentity: "memory kiln",
    buildWheel: async ({ projectDir, outputDir }) => {
      calls.push(`build ${projectDir}`);
      builds++;
      const path = `${outputDir}/demo-1.0-py3-none-any.whl`;
      files.set(path, buildWheel("demo-1.0-py3-none-any.whl", { "demo/__init__.py": `build = ${builds}\n`, "demo-1.0.dist-info/METADATA": "Metadata-Version: 2.1\nName: demo\nVersion: 1.0\nProvides-Extra: testing\n" }));
      return path;
    },
    createEnvironment: async ({ directory, runtime }: { directory: string; runtime: RuntimeSpec }) => {
      const name = formatRuntimeSetting(runtime);
      if (name === options.failEnvironment) throw new KilnError("runtimeNotFound", `Cannot use ${name}`);
      calls.push(`venv ${directory}`);
      for (const file of ["pyvenv.cfg", "bin/python", "lib/python3.14/site-packages/.keep"]) files.set(`${directory}/${file}`, file === "pyvenv.cfg" ? `kiln-runtime = ${name}\n` : "");
      const venv = {
        prefix: directory,
        binDir: `${directory}/bin`,
        sitePackages: `${directory}/lib/python3.14/site-packages`,
        pythonVersion: "3.14",
        platformTags: ["pyemscripten_2026_0_wasm32", "any"],
        config: { "kiln-runtime": name, version: "3.14.2" },
      } as unknown as VirtualEnvironment;
      return { venv, label: `${name} (CPython 3.14.2)` };
    },
    resolve: async ({ requirements }) => {
      calls.push(`resolve ${requirements.join(" | ")}`);
      if (options.lastTemplates) {
        await new Promise((resolve) => setTimeout(resolve, options.lastTemplates!.resolveMs));
        calls.push("resolution done");
      }
      const packages: TestPackage[] = requirements.map((text) => {
        const requirement = parseRequirement(text);
        return { name: normalizeName(requirement.name), version: "1", identity: requirement.url ?? `${requirement.name}==1` };
      });
      return { packages };
    },
    install: async ({ environment, resolution, names }) => {
      calls.push(`install ${names.join(", ")}`);
      const venv = environment.venv;
      for (const name of names) {
        const identity = resolution.packages.find((p) => p.name === name)!.identity;
        files.set(`${venv.sitePackages}/${name}/__init__.py`, `# ${identity}\n`);
        const record = [`${name}/__init__.py,sha256=x,1`];
        if (name === "pytest") {
          files.set(`${venv.binDir}/pytest`, `#!/bin/sh\n'''exec' "${venv.binDir}/python" "$0" "$@"\n' '''\nimport pytest\n`);
          record.push("../../../bin/pytest,sha256=old,10");
        }
        files.set(`${venv.sitePackages}/${name}-1.dist-info/RECORD`, `${record.join("\n")}\n`);
        // pytest-* packages are pytest plugins.
        if (name.startsWith("pytest-")) files.set(`${venv.sitePackages}/${name}-1.dist-info/entry_points.txt`, `[pytest11]\n${name} = ${name.replaceAll("-", "_")}\n`);
      }
    },
    runCommand: async (request) => {
      if (request.argv.includes("compileall")) {
        calls.push(`compile ${request.argv.at(-1)}`);
        for (const path of under(request.argv.at(-1)!)) if (path.endsWith(".py")) files.set(path.replace(/([^/]+)\.py$/, "__pycache__/$1.cpython-314.pyc"), "bytecode");
        return options.compileExitCode ?? 0;
      }
      if (request.argv.includes("--collect-only")) {
        calls.push(`rewrite plugins ${request.argv.at(-1)} ${Object.keys(request.env).filter((name) => /^(PYTHON|PYTEST)/.test(name)).join(",")}`);
        for (const path of under(request.argv[0]!.replace(/\/bin\/python$/, ""))) if (/\/pytest[-_]\w+\/__init__\.py$/.test(path)) files.set(path.replace(/__init__\.py$/, "__pycache__/__init__.cpython-314-pytest-9.pyc"), "rewritten");
        return 5;
      }
      commands.push({ ...request, plugin: files.get(`${request.env.PYTHONPATH!.split(":")[0]}/kiln_wasm_hints.py`) });
      const path = /--junit-xml=(\S+)/.exec(request.env.PYTEST_ADDOPTS!)![1]!;
      const runtime = /\/\d+-([^/]+)\/junit\.xml$/.exec(path)![1]!;
      const report = options.reports?.[runtime];
      if (report !== undefined) files.set(path, report);
      return options.exitCodes?.[runtime] ?? 0;
    },
    now: () => (clock += 1000),
  };
  return { host, calls, commands, files };
}
