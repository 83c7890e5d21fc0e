import { readFile } from "../../platform/node-fs-promises.js";
import { basename } from "node:path";
import { pathToFileURL } from "node:url";
import type { SourceToInstall } from "../../build/index.js";
import { KilnError, type Reporter } from "../../core/index.js";
import { urlFileName, type HttpSession } from "../../index/index.js";
import type { DirectUrl } from "../../installer/index.js";
import { evaluateMarker, normalizeName, parseMarker } from "../../pep508/index.js";
import type { TargetEnvironment } from "../../resolver/index.js";
import { parseWheelFilename } from "../../wheel-name/index.js";
import type { BuildTools } from "../build-tools.js";
import type { LocalRequirement } from "./pip-requirements.js";

/** Local projects and sdists built into wheels, as requirements the installer takes. */
export interface LocalBuilds {
  /** `name[extras] @ file:///…/built.whl ; marker`, one per built project. */
  requirements: string[];
  /** PEP 610 data of what each was built from, by normalized name. */
  directUrls: Map<string, DirectUrl>;
  /** Normalized names reinstalled even at the installed version (as pip does for local builds). */
  reinstall: string[];
  /** Removes the wheels built from directories (wheels built from sdists stay in the cache). */
  cleanup(): Promise<void>;
}

/** Options for {@link buildLocalRequirements}. */
export interface BuildLocalOptions {
  /** The command's build set-up (its package source provides the build requirements). */
  tools: BuildTools;
  /** For sdists given by http(s) URL. */
  session: HttpSession;
  /** The environment being installed into, for markers. */
  target: TargetEnvironment;
  reporter: Reporter;
}

/**
 * Builds what `pip install` was given as a project directory, an editable project (`-e`) or an
 * sdist (path or URL), one after the other, and returns them as direct references to the built
 * wheels. Requirements whose marker excludes the environment are skipped unbuilt. On a failed
 * build the backend's held-back output is printed and nothing is installed.
 *
 * @example
 * const built = await buildLocalRequirements(wanted.local, { tools, session, target, reporter });
 * try { … planInstall({ requirements: [...wanted.requirements, ...built.requirements], reinstall: built.reinstall }) … } finally { await built.cleanup(); }
 */
export async function buildLocalRequirements(local: readonly LocalRequirement[], options: BuildLocalOptions): Promise<LocalBuilds> {
  const { tools } = options;
  // Named on the first build: most installs build nothing, and have nothing to clean up.
  let workDir: string | undefined;
  const fs = tools.environment.fs;
  const result: LocalBuilds = { requirements: [], directUrls: new Map(), reinstall: [], cleanup: async () => (workDir === undefined ? undefined : fs.remove(workDir, { recursive: true })) };
  try {
    let count = 0;
    for (const item of local) {
      if (item.marker !== undefined && !evaluateMarker(parseMarker(item.marker), options.target.markerEnvironment)) {
        options.reporter.info(`Ignoring ${item.text}: markers '${item.marker}' don't match your environment`);
        continue;
      }
      options.reporter.info(`${item.kind === "directory" ? "Building" : "Building wheel of"} ${item.text}${item.editable ? " (editable)" : ""}`);
      const source = await sourceToInstall(item, options.session);
      // Loaded here, not at the top: most installs have nothing local to build.
      const { buildForInstall } = await import("../../build/index.js");
      const built = await buildForInstall(source, {
        environment: tools.environment,
        runner: tools.runner,
        workDir: `${(workDir ??= tools.scratch())}/${++count}`,
        wheelCache: tools.wheelCache,
      });
      const name = normalizeName(parseWheelFilename(built.filename).name);
      if (item.name !== undefined && normalizeName(item.name) !== name) {
        throw new KilnError("invalidRequirement", `Cannot install "${item.text}": it builds ${built.filename}, a distribution of ${name}, not ${item.name}`, {
          hint: "Correct the name before @, or leave the name out",
        });
      }
      const extras = item.extras.length ? `[${item.extras.join(",")}]` : "";
      result.requirements.push(`${name}${extras} @ ${pathToFileURL(built.path).href}${item.marker ? ` ; ${item.marker}` : ""}`);
      result.directUrls.set(name, built.directUrl);
      result.reinstall.push(name);
    }
    return result;
  } catch (error) {
    tools.flushOutput();
    await result.cleanup();
    throw error;
  }
}

async function sourceToInstall(item: LocalRequirement, session: HttpSession): Promise<SourceToInstall> {
  if (item.kind === "directory") return { kind: "directory", path: item.location, url: pathToFileURL(item.location).href, editable: item.editable };
  if (/^https?:/i.test(item.location)) {
    const url = new URL(item.location);
    const hashes: Record<string, string> = {};
    for (const [name, value] of new URLSearchParams(url.hash.slice(1))) if (/^sha(256|384|512)$/.test(name)) hashes[name] = value.toLowerCase();
    url.hash = "";
    const filename = urlFileName(url);
    if (filename === undefined) throw new KilnError("invalidRequirement", `Cannot build ${item.location}: it does not end in a plain file name`);
    const bytes = await session.getFile(url.href, { hashes });
    return { kind: "sdist", bytes, filename, url: url.href };
  }
  return { kind: "sdist", bytes: new Uint8Array(await readFile(item.location)), filename: basename(item.location), url: pathToFileURL(item.location).href };
}
