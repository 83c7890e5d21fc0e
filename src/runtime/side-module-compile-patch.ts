/**
 * Hooks in Pyodide's Emscripten glue where it compiles and instantiates an extension module (a
 * side module: `loadWebAssemblyModule` in Emscripten's `libdylink.js`), so that the host can hand
 * in the module compiled already and keep what V8 compiled (kiln: its cache of V8's compiled
 * code, see `src/platform/node-side-module-cache.ts`). `Module.kilnCompileSideModule(bytes,
 * libName)` returns a `WebAssembly.Module` for exactly those bytes, or undefined: then the glue
 * compiles as it always does; `Module.kilnSideModuleInstantiated(module, instance, libName)` is
 * told of every instance. Both of the glue's paths have them: `dlopen` (an `import` of a `.so`,
 * synchronous) and `loadDynlib` (Pyodide's package loader, asynchronous).
 */
import type { GluePatchResult } from "./pyodide-glue-patch.js";

/** Bumped whenever the patch's output changes, so that patched copies of older versions are not reused. */
export const sideModuleCompilePatchVersion = 2;

const hook = "(binary instanceof WebAssembly.Module?undefined:Module.kilnCompileSideModule?.(binary,libName))";

const replacements = [
  {
    anchor: "if(flags.loadAsync){return(async()=>{var instance;if(binary instanceof WebAssembly.Module){",
    replacement: `if(flags.loadAsync){return(async()=>{var instance;binary=${hook}??binary;if(binary instanceof WebAssembly.Module){`,
  },
  {
    anchor: "({module:binary,instance}=await WebAssembly.instantiate(binary,info))}return postInstantiation(binary,instance)})()}",
    replacement: "({module:binary,instance}=await WebAssembly.instantiate(binary,info))}Module.kilnSideModuleInstantiated?.(binary,instance,libName);return postInstantiation(binary,instance)})()}",
  },
  {
    anchor: "var module=binary instanceof WebAssembly.Module?binary:new WebAssembly.Module(binary);var instance=new WebAssembly.Instance(module,info);",
    replacement: `var module=binary instanceof WebAssembly.Module?binary:${hook}??new WebAssembly.Module(binary);var instance=new WebAssembly.Instance(module,info);Module.kilnSideModuleInstantiated?.(module,instance,libName);`,
  },
];

/**
 * Adds the hook to the glue's text (already patched by `patchPyodideGlue` or not); the reason
 * when the glue does not read as expected (each anchor must occur once), and then nothing changes.
 *
 * @example
 * const result = patchSideModuleCompile(glueText);
 * if (result.ok) glueText = result.text;
 */
export function patchSideModuleCompile(text: string): GluePatchResult {
  if (text.includes("kilnCompileSideModule")) return { ok: false, reason: "the glue already has the hook" };
  let patched = text;
  for (const { anchor, replacement } of replacements) {
    const first = patched.indexOf(anchor);
    if (first === -1 || patched.indexOf(anchor, first + 1) !== -1) return { ok: false, reason: `expected one "${anchor.slice(0, 50)}…"` };
    patched = patched.replace(anchor, () => replacement);
  }
  return { ok: true, text: patched };
}
