import { writeOutputFile } from "../output-file.js";
import { resolve } from "node:path";
import { KilnError } from "../../core/index.js";
import { fetchFileSize } from "../../index/index.js";
import { limitConcurrency } from "../../installer/index.js";
import { formatPylock, formatPyodideLock, formatRequirementsFile } from "../../lock/index.js";
import { abiForPlatformTag, emscriptenPlatformTag } from "../../tags/index.js";
import { lockResolution, readImports } from "../../resolver/index.js";
import { defineCommand, jsonOption, type CommandContext } from "../command.js";
import { readPreferences, resolveOptions } from "../resolve-settings.js";
import { resolutionJson, runResolution, type Resolved } from "./run-resolution.js";

type LockFormat = "pylock" | "pyodide-lock" | "requirements";
const defaultOutput: Record<LockFormat, string> = { pylock: "pylock.toml", "pyodide-lock": "pyodide-lock.json", requirements: "-" };

/**
 * Formats a resolution in one of the lock formats; for `pyodide-lock`, `imports` are read from
 * each chosen wheel (see readImports).
 */
export async function formatLock(resolved: Resolved, format: LockFormat, command: string): Promise<string> {
  if (format === "requirements") {
    return formatRequirementsFile(lockResolution(resolved.packages, resolved.target), { command, direct: resolved.direct });
  }
  if (format === "pylock") return formatPylock(lockResolution(resolved.packages, resolved.target, { sizes: await unlistedSizes(resolved) }));
  const abi = abiForPlatformTag(resolved.target.platformTags[0] ?? "");
  if (!abi) throw new KilnError("usage", `Cannot write pyodide-lock.json for ${resolved.target.platformTags[0]}: not a Pyodide platform`);
  const marker = resolved.target.markerEnvironment;
  const chosen = resolved.packages.flatMap((p) => p.wheels.slice(0, 1));
  const imports = await readImports(chosen, { session: resolved.settings.session });
  return formatPyodideLock(lockResolution(resolved.packages, resolved.target, { wheels: "chosen", imports }), {
    abi_version: abi.abiVersion ?? "",
    arch: marker.platform_machine,
    platform: emscriptenPlatformTag(abi).replace(/_wasm32$/, ""),
    python: resolved.target.pythonVersion,
  });
}

/**
 * The sizes of the locked files of an index that listed none (an HTML page has none; a PEP 700
 * JSON page has them all), asked of the file's server: so that pylock.toml records every size
 * whatever the index's page format and whatever the cache holds, as PEP 751 asks where
 * reasonably possible. Files of the Pyodide repository (its lock lists no sizes; locking needs no
 * request to it) and local files keep none, and so does an offline lock.
 */
async function unlistedSizes(resolved: Resolved): Promise<Map<string, number>> {
  const session = resolved.settings.session;
  const sizes = new Map<string, number>();
  if (session.offline) return sizes;
  const files = resolved.packages.flatMap((p) => [...p.wheels, ...(p.sdist ? [p.sdist] : [])]);
  const unlisted = files.filter((file) => file.size === undefined && !file.pyodide && /^https?:/i.test(file.url));
  const limit = limitConcurrency(16);
  await Promise.all(unlisted.map((file) => limit(async () => sizes.set(file.url, await fetchFileSize(session, file.url)))));
  return sizes;
}

/** Writes `text` to `output` (`-` is stdout). */
export async function writeOutput(context: CommandContext, output: string, text: string): Promise<void> {
  if (output === "-") context.output.stdout.write(text);
  else await writeOutputFile(resolve(context.cwd, output), text, "the lock file");
}

export const lockCommand = defineCommand({
  name: "lock",
  summary: "Resolve requirements for the WASM runtime and write a lock file",
  description:
    "Resolves the requirements for one target runtime (default: the embedded Pyodide's ABI) and writes a PEP 751 pylock.toml, " +
    "a pyodide-lock.json for loadPyodide({ lockFileURL }), or pinned requirements with --hash lines. " +
    "Versions already in the output file are kept when they still fit.",
  usage: "[REQUIREMENTS...] [-r FILE] [-c FILE] [--format pylock|pyodide-lock|requirements] [-o FILE]",
  positionals: [{ name: "requirements", description: "PEP 508 requirements, such as 'requests>=2'", variadic: true }],
  options: [
    { name: "format", type: "string", valueName: "FORMAT", description: "pylock (default), pyodide-lock or requirements" },
    { name: "output", short: "o", type: "string", valueName: "FILE", description: "Where to write (default pylock.toml / pyodide-lock.json; - for stdout)" },
    ...resolveOptions,
    jsonOption,
  ],
  run: async (context) => {
    const format = String(context.arguments.options.format ?? "pylock");
    if (format !== "pylock" && format !== "pyodide-lock" && format !== "requirements") {
      throw new KilnError("usage", `--format takes pylock, pyodide-lock or requirements, not "${format}"`);
    }
    const output = typeof context.arguments.options.output === "string" ? context.arguments.options.output : defaultOutput[format];
    const preferences = output === "-" ? new Map<string, string>() : await readPreferences(resolve(context.cwd, output), format);
    const positional = (context.arguments.positionals.requirements as string[] | undefined) ?? [];
    const resolved = await runResolution(context, positional, preferences);
    await writeOutput(context, output, await formatLock(resolved, format, `kiln lock --format ${format}`));
    if (context.arguments.options.json) context.output.json(resolutionJson(resolved, output));
    else if (output !== "-") context.output.note(`Wrote ${output}`);
    return 0;
  },
});
