import { createHash } from "node:crypto";
import { closeSync, existsSync, fstatSync, openSync, readFileSync, readSync } from "node:fs";
import { mkdir, readdir, readFile, stat, writeFile } from "../../platform/node-fs-promises.js";
import { join, relative, resolve, sep } from "node:path";
import {
  atLeast, auditTarget, checkLoad, cachedRuntimeManifest, formatAuditHtml, formatAuditText, moduleTarget, openWheelTarget,
  type AuditFile, type AuditReport, type AuditTarget, type ManifestCache, type RuntimeManifest, type Severity,
} from "../../audit/index.js";
import { parseWheelFile } from "../../archive/index.js";
import { KilnError, isKilnError } from "../../core/index.js";
// Only what every audit needs is imported here: the runtime, venv and index code behind
// `--runtime pyodide@X` and `--load` is imported when those are used, so `kiln audit X.whl`
// loads a small module graph.
import { kilnCacheDir } from "../../platform/kiln-cache-dir.js";
import { nodeZipCodecs } from "../../platform/node-zip-codecs.js";
import { bundledPyodideDir } from "../../platform/bundled-pyodide-dir.js";
import { preferShortRunTiering } from "../../platform/node-short-run-tiering.js";
import { kilnVersion } from "../main.js";
import type { LoadRuntime } from "./audit-load.js";
import { defineCommand, type CommandContext } from "../command.js";
import { describeError } from "../output.js";

export const auditCommand = defineCommand({
  name: "audit",
  summary: "Check a WASM wheel: will it load in a runtime, and what can it reach",
  usage: "WHEEL|SO|DIR... [--runtime pyodide@X] [--format text|json|html] [--fail-on warning|error] [--load]",
  description: [
    "Reads wheels, WebAssembly side modules (.so) or directories (an unpacked wheel, or a folder of",
    "wheels) and checks: the wheel name and PEP 783 tags, RECORD hashes, that every .so is a side",
    "module with dylink.0 first and the right suffix and PyInit_, NEEDED libraries, that every import",
    "resolves against the runtime (its main module's exports and JavaScript library, computed from",
    "the runtime package and cached), the unwinding/BigInt/threads/memory64/SIMD ABI, what the",
    "imports can reach (JavaScript, network, files, processes, dlopen) with any EM_JS/EM_ASM text,",
    "and the sha256 of every file. Exit codes: 0 clean, 1 findings at or above --fail-on, 2",
    "input that cannot be read.",
  ].join("\n"),
  positionals: [{ name: "inputs", description: "Wheels, .so/.wasm modules or directories", required: true, variadic: true }],
  options: [
    { name: "runtime", type: "string", valueName: "pyodide@X|DIR", description: "Runtime to check against: pyodide@VERSION (fetched from the npm registry into kiln's cache on first use), or a directory holding pyodide.asm.wasm (default: the bundled Pyodide)" },
    { name: "format", type: "string", valueName: "text|json|html", description: "Report format (default text); json follows schema kiln.audit.v1 (docs/audit.md)" },
    { name: "fail-on", type: "string", valueName: "warning|error", description: "Exit 1 when a finding is at least this severe (default error)" },
    { name: "load", type: "boolean", description: "Also install each wheel into a temporary venv on the runtime and import its top-level modules" },
    { name: "verbose", short: "v", type: "boolean", description: "List every file hash and all evidence in text output" },
  ],
  run: runAudit,
});

async function runAudit(context: CommandContext): Promise<number> {
  const { output, arguments: args } = context;
  // A static audit is a short run of a few hot loops; --load runs Python, a long-lived runtime
  // that keeps V8's usual tiering.
  if (!args.options.load) preferShortRunTiering();
  const format = optionChoice(args.options.format, ["text", "json", "html"], "text", "--format");
  const failOn = optionChoice(args.options["fail-on"], ["warning", "error"], "error", "--fail-on") as Severity;
  const runtime = await locateRuntime(String(args.options.runtime ?? ""), context);
  const manifest = await loadManifest(runtime.directory, String(args.options.runtime ?? ""), context);
  // The runtime, venv and installer code is only loaded for --load.
  const harness = args.options.load ? await loadHarness(runtime.load, context) : undefined;
  const inputs = [args.positionals.inputs ?? []].flat();
  const reports: AuditReport[] = [];
  const errors: ReturnType<typeof describeError>[] = [];
  const reader = new InputReader();
  for (const input of inputs) {
    try {
      // Every target of one input is audited before the next input is read (the reader reuses its buffer).
      for (const target of await openTargets(resolve(context.cwd, input), input, reader)) {
        const report = await auditTarget(target, { manifest, sha256Hex: nodeSha256Hex });
        if (harness && target.kind === "wheel") report.load = await checkLoad(report, harness);
        reports.push(report);
      }
    } catch (error) {
      if (!isKilnError(error)) throw error;
      errors.push({ ...describeError(error), message: error.message });
      output.error(error);
    }
  }
  if (format === "json") output.json({ schema: "kiln.audit.v1", reports, errors: errors.map((e) => ({ code: e.code, message: e.message })) });
  else if (format === "html") output.stdout.write(formatAuditHtml(reports));
  else for (const report of reports) output.stdout.write(`${formatAuditText(report, { paint: (s, t) => output.paint(s, t), verbose: Boolean(args.options.verbose) })}\n`);
  if (errors.length) return 2;
  return reports.some((r) => r.findings.some((f) => atLeast(f.severity, failOn))) ? 1 : 0;
}

/** Node's native sha256: less CPU per file than crypto.subtle, which copies each file for its background job. */
export function nodeSha256Hex(bytes: Uint8Array): string {
  return createHash("sha256").update(bytes).digest("hex");
}

async function loadHarness(runtime: LoadRuntime, context: CommandContext) {
  const [{ kilnLoadHarness }, { createNodeRuntimeHost }] = await Promise.all([import("./audit-load.js"), import("../../platform/node-runtime-host.js")]);
  return kilnLoadHarness({ host: createNodeRuntimeHost({ env: context.env, cwd: context.cwd }), runtime, cwd: context.cwd, kilnVersion });
}

function optionChoice(value: unknown, choices: string[], fallback: string, name: string): string {
  if (value === undefined) return fallback;
  if (typeof value !== "string" || !choices.includes(value)) throw new KilnError("usage", `${name} takes ${choices.join(" or ")}, not "${String(value)}"`);
  return value;
}

/**
 * Reads each file given on the command line into one buffer, reused from one input to the next
 * (replaced by a larger one when a file needs it): fresh memory for every wheel cost more CPU
 * than reading it, since the kernel maps and zeroes each new page (~9 000 page faults for the 13
 * wheels of bench/audit). Valid because runAudit audits an input's targets to the end before it
 * reads the next input, and a report keeps no bytes of its input.
 */
class InputReader {
  private buffer = Buffer.alloc(0);

  read(path: string, input: string): Uint8Array {
    try {
      const descriptor = openSync(path, "r");
      try {
        const size = fstatSync(descriptor).size;
        if (this.buffer.length < size) this.buffer = Buffer.allocUnsafe(size);
        let length = 0;
        while (length < size) {
          const read = readSync(descriptor, this.buffer, length, size - length, length);
          if (read === 0) break;
          length += read;
        }
        return new Uint8Array(this.buffer.buffer, this.buffer.byteOffset, length);
      } finally {
        closeSync(descriptor);
      }
    } catch (error) {
      throw new KilnError("auditInput", `Cannot audit "${input}": ${(error as Error).message}`, { hint: "Check that the file exists and is readable", cause: error });
    }
  }
}

/** Opens one command-line input: a wheel, a module, an unpacked wheel, or a folder of wheels. */
async function openTargets(path: string, input: string, reader: InputReader): Promise<AuditTarget[]> {
  const info = await stat(path).catch((error: unknown) => {
    throw new KilnError("auditInput", `Cannot audit "${input}": ${(error as Error).message}`, { hint: "Give a .whl, a .so/.wasm module or a directory" });
  });
  if (info.isFile()) {
    const bytes = reader.read(path, input);
    return [path.endsWith(".whl") ? await openWheelTarget(input, bytes, { codecs: nodeZipCodecs }) : moduleTarget(input, bytes)];
  }
  const notAuditable = (why: string) =>
    new KilnError("auditInput", `Cannot audit "${input}": ${why}`, { hint: "Give a .whl, a .so/.wasm module, an unpacked wheel or a directory of wheels" });
  if (!info.isDirectory()) throw notAuditable("it is neither a file nor a directory");
  const files = await listFiles(path).catch((error: unknown) => {
    throw notAuditable((error as Error).message);
  });
  if (files.length === 0) throw notAuditable("the directory is empty");
  if (!files.some((f) => /\.(whl|so|wasm)$/.test(f) || /^[^/]+\.dist-info\//.test(f))) {
    throw notAuditable("the directory holds no wheel, no unpacked wheel (.dist-info) and no WebAssembly module (.so, .wasm)");
  }
  const wheels = files.filter((f) => f.endsWith(".whl") && !f.includes("/"));
  if (wheels.length && !files.some((f) => /^[^/]+\.dist-info\/WHEEL$/.test(f))) {
    return Promise.all(wheels.sort().map(async (w) => openWheelTarget(join(input, w), await readBytes(join(path, w)), { codecs: nodeZipCodecs })));
  }
  const auditFiles: AuditFile[] = await Promise.all(files.map(async (f) => ({ path: f, size: (await stat(join(path, f))).size, read: () => readDirectoryFile(join(path, f), join(input, f)) })));
  const wheelFilename = await unpackedWheelName(path, files);
  return [{ input, kind: "directory", files: auditFiles, findings: [], ...(wheelFilename ? { wheelFilename } : {}) }];
}

/** A file's bytes as a plain Uint8Array view of the Buffer Node read (`new Uint8Array(buffer)` would copy them). */
async function readBytes(path: string): Promise<Uint8Array> {
  const buffer = await readFile(path);
  return new Uint8Array(buffer.buffer, buffer.byteOffset, buffer.byteLength);
}

/** A file of an unpacked wheel; one that cannot be read becomes an `unreadableEntry` finding, not a crash. */
async function readDirectoryFile(path: string, shown: string): Promise<Uint8Array> {
  try {
    return await readBytes(path);
  } catch (error) {
    throw new KilnError("auditInput", `Cannot read "${shown}": ${(error as Error).message}`, { hint: "Check that the file exists and is readable", cause: error });
  }
}

async function listFiles(root: string): Promise<string[]> {
  const entries = await readdir(root, { recursive: true, withFileTypes: true });
  return entries.filter((e) => e.isFile()).map((e) => relative(root, join(e.parentPath ?? (e as unknown as { path: string }).path, e.name)).split(sep).join("/")).sort();
}

/** `name-version-tags.whl` for an unpacked wheel, from its .dist-info directory and WHEEL tags. */
async function unpackedWheelName(root: string, files: string[]): Promise<string | undefined> {
  const wheelFile = files.find((f) => /^[^/]+\.dist-info\/WHEEL$/.test(f));
  if (!wheelFile) return undefined;
  try {
    const tags = parseWheelFile(await readFile(join(root, wheelFile), "utf8")).tags.map((t) => t.split("-"));
    const join3 = (index: number) => [...new Set(tags.map((t) => t[index]))].join(".");
    return tags.length ? `${wheelFile.split(".dist-info/")[0]}-${join3(0)}-${join3(1)}-${join3(2)}.whl` : undefined;
  } catch (error) {
    if (isKilnError(error)) return undefined;
    throw error;
  }
}

/** Reads the runtime package's manifest (what side modules can link against), cached by the package's identity. */
async function loadManifest(directory: string, runtime: string, context: CommandContext): Promise<RuntimeManifest> {
  const path = (name: string) => join(directory, name);
  const loaderName = ["pyodide.asm.mjs", "pyodide.asm.js"].find((name) => existsSync(path(name)));
  if (!existsSync(path("pyodide.asm.wasm")) || !loaderName) {
    throw new KilnError("auditRuntime", `Cannot read the runtime in ${directory}: pyodide.asm.wasm or its loader script is missing`, {
      hint: "--runtime takes pyodide@VERSION or a directory with pyodide.asm.wasm and pyodide.asm.mjs (or .js)",
    });
  }
  const readJson = async (name: string): Promise<{ version?: unknown } | undefined> => {
    if (!existsSync(path(name))) return undefined;
    try {
      return JSON.parse(await readFile(path(name), "utf8"));
    } catch (error) {
      throw new KilnError("auditRuntime", `Cannot read the runtime in ${directory}: ${name} is not valid JSON`, {
        hint: "The runtime's files are damaged; reinstall it, or remove it from kiln's cache so it is fetched again",
        cause: error,
      });
    }
  };
  const packageJson = await readJson("package.json");
  const version = packageJson ? String(packageJson.version) : runtime.replace(/^pyodide@/, "");
  const identity = { name: "pyodide", version, mainModuleSize: (await stat(path("pyodide.asm.wasm"))).size, loaderSize: (await stat(path(loaderName))).size };
  const load = async () => {
    const lock = await readJson("pyodide-lock.json");
    return { name: "pyodide", version, mainModule: await readBytes(path("pyodide.asm.wasm")), loader: await readFile(path(loaderName), "utf8"), ...(lock ? { lock } : {}) };
  };
  return cachedRuntimeManifest(identity, load, manifestCache(kilnCacheDir(context.env, { cwd: context.cwd })));
}

/**
 * The runtime package to check against: the bundled Pyodide, `pyodide@VERSION` (or a range such
 * as `0.29.x`) fetched from the npm registry into kiln's cache on first use, or a directory.
 */
async function locateRuntime(runtime: string, context: CommandContext): Promise<{ directory: string; load: LoadRuntime }> {
  const bundled = bundledPyodideDir();
  if (runtime === "" || runtime === "bundled") return { directory: bundled, load: { spec: { kind: "bundled" } } };
  if (!runtime.startsWith("pyodide@")) {
    const directory = resolve(context.cwd, runtime);
    return { directory, load: { directory } };
  }
  const { parseRuntimeSetting } = await import("../../runtime/index.js");
  const spec = parseRuntimeSetting(runtime);
  if (spec.kind === "bundled") return { directory: bundled, load: { spec } };
  const bundledVersion = String(JSON.parse(readFileSync(join(bundled, "package.json"), "utf8")).version);
  if (spec.version === bundledVersion) return { directory: bundled, load: { spec: { kind: "bundled" } } };
  const { ensureNpmRuntime } = await import("../../platform/node-npm-runtime.js");
  const directory = await ensureNpmRuntime(spec.version, kilnCacheDir(context.env, { cwd: context.cwd }), context.env);
  const version = String(JSON.parse(readFileSync(join(directory, "package.json"), "utf8")).version);
  return { directory, load: { spec: { kind: "npm", version } } };
}

function manifestCache(cacheRoot: string): ManifestCache {
  const directory = join(cacheRoot, "audit-manifests");
  return {
    read: async (key) => readFile(join(directory, key), "utf8").catch(() => undefined),
    write: async (key, text) => {
      try {
        await mkdir(directory, { recursive: true });
        await writeFile(join(directory, key), text);
      } catch {
        // An unwritable cache only costs recomputing the manifest next time.
      }
    },
  };
}
