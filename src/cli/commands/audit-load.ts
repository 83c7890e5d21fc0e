import { mkdtemp, mkdir, readFile, rm, writeFile } from "../../platform/node-fs-promises.js";
import { tmpdir } from "node:os";
import { dirname, join, resolve } from "node:path";
import { bytesSource, openZip, safeEntryPath } from "../../archive/index.js";
import { wheelInstallsOn, type AuditReport, type LoadHarness } from "../../audit/index.js";
import { isKilnError } from "../../core/index.js";
import { installWheels, venvScheme } from "../../installer/index.js";
import { tryParseCoreMetadata } from "../../metadata/index.js";
import { nodeFileSystem } from "../../platform/node-file-system.js";
import { runtimeFilesIn, type createNodeRuntimeHost } from "../../platform/node-runtime-host.js";
import { nodeVenvFileSystem } from "../../platform/node-venv-file-system.js";
import { venvLauncherScript } from "../../platform/node-venv.js";
import {
  createVirtualEnvironment, describeRuntime, processVenv, startRuntime,
  type HostStdio, type RuntimeDescription, type RuntimeHost, type RuntimeSpec,
} from "../../runtime/index.js";

/** Which runtime `--load` starts: a runtime kiln knows (bundled or from npm), or a package directory. */
export type LoadRuntime = { spec: RuntimeSpec } | { directory: string };

/** Options for {@link kilnLoadHarness}. */
export interface KilnLoadHarnessOptions {
  host: ReturnType<typeof createNodeRuntimeHost>;
  runtime: LoadRuntime;
  cwd: string;
  kilnVersion: string;
}

/**
 * `--load` through kiln's own path, with no host Python: for each wheel, a fresh runtime, a
 * temporary kiln venv made for it (`createVirtualEnvironment` with what the runtime reports about
 * itself), the wheel installed there by kiln's installer with `--no-deps` semantics after the
 * tag and Requires-Python check against the runtime's own tags, then the import program run as
 * `python -c` in that venv.
 *
 * @example
 * report.load = await checkLoad(report, kilnLoadHarness({ host, runtime: { spec: { kind: "bundled" } }, cwd, kilnVersion }));
 */
export function kilnLoadHarness(options: KilnLoadHarnessOptions): LoadHarness {
  const host: RuntimeHost = "directory" in options.runtime
    ? { ...options.host, locateRuntime: async () => runtimeFilesIn((options.runtime as { directory: string }).directory) }
    : options.host;
  const spec: RuntimeSpec = "spec" in options.runtime ? options.runtime.spec : { kind: "bundled" };
  let description: Promise<RuntimeDescription> | undefined;
  const describe = () => (description ??= startRuntime(host, { runtime: spec }).then(describeRuntime));
  return {
    async runWithWheel(report, code) {
      const wheelPath = resolve(options.cwd, report.input.path);
      const filename = wheelPath.split("/").pop()!;
      const bytes = new Uint8Array(await readFile(wheelPath));
      const runtimeDescription = await describe();
      const decision = wheelInstallsOn({ filename, description: runtimeDescription, ...(await requiresPython(bytes)) });
      const directory = await mkdtemp(join(tmpdir(), "kiln-audit-load-"));
      try {
        const venv = await createVirtualEnvironment({
          directory, fs: nodeVenvFileSystem(), description: runtimeDescription,
          // For a runtime given as a directory the record names its version; this temporary
          // environment's launcher is never run, the import program runs in the runtime started here.
          runtime: "spec" in options.runtime ? spec : { kind: "npm", version: runtimeDescription.pyodideVersion },
          launcher: { node: process.execPath, script: venvLauncherScript },
          kilnVersion: options.kilnVersion, command: "kiln audit --load",
        });
        const installError = await install(bytes, filename, venv.sitePackages, venv.prefix, venv.pythonVersion);
        const installed = decision.ok && installError === undefined;
        const runtime = await startRuntime(host, { runtime: spec });
        const stdio = captureStdio();
        runtime.connectStdio(stdio);
        runtime.mountHostFileSystem(host);
        runtime.runProcess({
          mode: { kind: "command", value: code }, argv: ["-c"], origArgv: ["python", "-c", "<kiln audit --load>"],
          executable: `${venv.binDir}/python`, cwd: directory, env: { HOME: directory, PATH: "/usr/bin:/bin" },
          isatty: [false, false, false], pythonPath: [], dontWriteBytecode: true, warnOptions: [], unbuffered: true,
          inspect: false, skipFirstLine: false, venv: processVenv(venv),
        });
        const detail = [...decision.reasons, ...(installError ? [installError] : [])].join("\n");
        return { installed, output: stdio.text(), ...(detail ? { detail } : {}) };
      } finally {
        await rm(directory, { recursive: true, force: true });
      }
    },
  };
}

/** `Requires-Python` from the wheel's METADATA, when it has one kiln can read. */
async function requiresPython(bytes: Uint8Array): Promise<{ requiresPython?: string }> {
  try {
    const archive = await openZip(bytesSource(bytes));
    const entry = archive.entries.find((e) => /^[^/]+\.dist-info\/METADATA$/.test(e.name));
    if (!entry) return {};
    const metadata = tryParseCoreMetadata(new TextDecoder().decode(await archive.readEntry(entry)));
    return metadata?.requiresPython ? { requiresPython: metadata.requiresPython.toString() } : {};
  } catch (error) {
    if (isKilnError(error)) return {};
    throw error;
  }
}

/**
 * Installs with kiln's installer; when it refuses the wheel (a RECORD mismatch, say), the files
 * are unpacked as they are so the extension modules can still be tried: `linked` speaks about
 * linking, whatever the installer decided. Returns the installer's refusal.
 */
async function install(bytes: Uint8Array, filename: string, sitePackages: string, prefix: string, pythonVersion: string): Promise<string | undefined> {
  try {
    await installWheels([{ wheel: bytes, filename, requested: true }], { scheme: venvScheme(prefix, pythonVersion), fs: nodeFileSystem() });
    return undefined;
  } catch (error) {
    if (!isKilnError(error)) throw error;
    await unpack(bytes, sitePackages).catch(() => undefined);
    return error.message;
  }
}

async function unpack(bytes: Uint8Array, destination: string): Promise<void> {
  const archive = await openZip(bytesSource(bytes));
  for (const entry of archive.entries) {
    if (entry.isDirectory) continue;
    const path = join(destination, safeEntryPath(entry.name));
    await mkdir(dirname(path), { recursive: true });
    await writeFile(path, await archive.readEntry(entry));
  }
}

function captureStdio(): HostStdio & { text(): string } {
  const decoders = { 1: new TextDecoder(), 2: new TextDecoder() };
  const written = { 1: "", 2: "" };
  return {
    read: () => 0,
    write: (fd, buffer) => {
      written[fd] += decoders[fd].decode(buffer, { stream: true });
      return buffer.length;
    },
    isatty: () => false,
    // stdout carries the program's result line; stderr (a traceback) goes after it as detail.
    text: () => `${written[1]}\n${written[2]}`,
  };
}
