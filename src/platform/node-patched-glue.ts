/**
 * Pyodide 314's Emscripten glue with kiln's lazy dynamic-linking set-up (see `patchPyodideGlue`)
 * and its hook for extension modules' cached code (see `patchSideModuleCompile`), kept as a
 * patched copy in kiln's cache, and the link layout it runs with.
 */
import { createHash } from "node:crypto";
import { mkdirSync, readFileSync, renameSync, rmSync, statSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import { crc32 } from "node:zlib";
import {
  encodeLinkLayout,
  glueScriptSource,
  loaderScriptSource,
  linkLayoutPatchSource,
  patchPyodideGlue,
  patchSideModuleCompile,
  pyodideGluePatchVersion,
  sideModuleCompilePatchVersion,
  tryDecodeLinkLayout,
  wrapperBatchPatchSource,
  type GluePatchResult,
  type LinkLayout,
} from "../runtime/index.js";
import { kilnCacheFolders } from "./kiln-cache-folders.js";

/** A runtime's patched glue: its URL, and where its link layout is (or will be) kept. */
export interface PatchedGlue {
  url: string;
  /**
   * The same glue as a classic script (see `glueScriptSource`), when it has one, and where V8's
   * code cache of it is kept (see `loadGlueScript`).
   */
  script?: { path: string; codePath: string };
  /** Pyodide's loader (`pyodide.mjs`) as a script (see `loaderScriptSource`), when the glue has a script form and the loader one too. */
  loaderScript?: { path: string; codePath: string };
  /** The layout recorded for this build, if any. */
  readLayout(): LinkLayout | undefined;
  /** Keeps a layout recorded by a start without one (never throws). */
  writeLayout(layout: LinkLayout): void;
  /** Drops the patched copy (it failed to load): the next start patches again. */
  discard(): void;
}

/**
 * The patched copy of `directory/pyodide.asm.mjs` in `cacheDir`, made now if missing; undefined
 * when the glue is not one the patch recognizes (recorded, so that it is not read again), when
 * `KILN_GLUE_PATCH=off`, or when the cache cannot be written. Its script form, and the loader's,
 * are used unless `KILN_GLUE_CODE_CACHE=off`.
 *
 * @example
 * const glue = patchedGlue(directory, { cacheDir, env });
 * const factory = (await import(glue?.url ?? originalUrl)).default;
 */
export function patchedGlue(directory: string, options: { cacheDir: string; env: Record<string, string | undefined> }): PatchedGlue | undefined {
  if (options.env.KILN_GLUE_PATCH === "off") return undefined;
  const gluePath = join(directory, "pyodide.asm.mjs");
  try {
    const name = patchedGlueName(directory);
    const glueDir = join(options.cacheDir, kilnCacheFolders.glue);
    const copy = join(glueDir, `${name}.mjs`);
    const scriptPath = join(glueDir, `${name}.js`);
    const loaderPath = join(glueDir, `${name}.loader.js`);
    const refused = join(glueDir, `${name}.unrecognized`);
    const layoutPath = join(options.cacheDir, kilnCacheFolders.linkLayouts, name);
    const made = statSync(copy, { throwIfNoEntry: false });
    if (!made || made.size === 0) {
      if (statSync(refused, { throwIfNoEntry: false })) return undefined;
      const result = withSideModuleHook(patchPyodideGlue(readFileSync(gluePath, "utf8"), { glueUrl: pathToFileURL(gluePath).href }));
      if (!result.ok) {
        writeAtomically(refused, `${result.reason}\n`);
        return undefined;
      }
      // The scripts first: a copy found means its script forms, where there are some, are there too.
      const script = glueScriptSource(result.text);
      const loader = script && loaderScriptSource(readFileSync(join(directory, "pyodide.mjs"), "utf8"));
      if (loader) writeAtomically(loaderPath, loader);
      if (script) writeAtomically(scriptPath, script);
      writeAtomically(copy, result.text);
    }
    const scripted = options.env.KILN_GLUE_CODE_CACHE !== "off" && statSync(scriptPath, { throwIfNoEntry: false })?.isFile();
    const loaderScripted = scripted && statSync(loaderPath, { throwIfNoEntry: false })?.isFile();
    return {
      url: pathToFileURL(copy).href,
      ...(scripted ? { script: { path: scriptPath, codePath: join(glueDir, `${name}.code`) } } : {}),
      ...(loaderScripted ? { loaderScript: { path: loaderPath, codePath: join(glueDir, `${name}.loader.code`) } } : {}),
      readLayout: () => {
        try {
          return tryDecodeLinkLayout(readFileSync(layoutPath), { checksum: crc32 });
        } catch {
          return undefined;
        }
      },
      writeLayout: (layout) => {
        try {
          writeAtomically(layoutPath, encodeLinkLayout(layout, { checksum: crc32 }));
        } catch {
          // Recorded again by the next start.
        }
      },
      discard: () => {
        rmSync(loaderPath, { force: true });
        rmSync(scriptPath, { force: true });
        rmSync(copy, { force: true });
      },
    };
  } catch {
    return undefined;
  }
}

/**
 * The name under which the patched copy of `directory`'s glue (`glue/NAME.mjs`, or
 * `glue/NAME.unrecognized`) and its link layout (`link-layouts/NAME`) are kept: it changes with
 * the glue file and the patch. Throws when there is no glue.
 *
 * @example
 * const name = patchedGlueName(bundledPyodideDir());
 */
export function patchedGlueName(directory: string): string {
  const gluePath = join(directory, "pyodide.asm.mjs");
  const stat = statSync(gluePath, { bigint: true });
  // The loader's script form is kept under this name too, and the link layout, which holds
  // positions of the wasm's exports: a loader or a wasm changed alone gets a new name.
  const stamp = (name: string) => {
    const found = statSync(join(directory, name), { bigint: true, throwIfNoEntry: false });
    return found ? `${found.size}:${found.mtimeNs}:${found.ino}` : "-";
  };
  return hash([pyodideGluePatchVersion, sideModuleCompilePatchVersion, gluePath, stat.size, stat.mtimeNs, stat.ino, stamp("pyodide.mjs"), stamp("pyodide.asm.wasm"), hash(linkLayoutPatchSource + wrapperBatchPatchSource)].join("|")).slice(0, 32);
}

/** The patched glue with the extension-module hook too (see `patchSideModuleCompile`), when the glue has the place for it. */
function withSideModuleHook(result: GluePatchResult): GluePatchResult {
  if (!result.ok) return result;
  const hooked = patchSideModuleCompile(result.text);
  return hooked.ok ? hooked : result;
}

function writeAtomically(path: string, content: string | Uint8Array): void {
  mkdirSync(join(path, ".."), { recursive: true });
  const temporary = `${path}.${process.pid}.${Date.now()}.tmp`;
  writeFileSync(temporary, content);
  renameSync(temporary, path);
}

function hash(text: string): string {
  return createHash("sha256").update(text).digest("hex");
}
