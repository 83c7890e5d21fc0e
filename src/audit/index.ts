/**
 * Auditing WASM wheels: will they load in a runtime, and what can they reach.
 *
 * Quirks worth knowing: an extension module is an Emscripten side module, linked at load time by
 * the runtime's JavaScript loader (Emscripten `src/lib/libdylink.js`), not by the engine; the
 * loader gives `env` and `wasi_snapshot_preview1` imports the runtime's JavaScript library and
 * main-module exports, and turns a missing function into a stub that fails only when called,
 * while a missing `GOT.mem`/`GOT.func` symbol fails the load unless the import is weak. The
 * platform tag is PEP 783's `pyemscripten_<Y>_<P>_wasm32` (https://peps.python.org/pep-0783/);
 * `pyodide_*` and `emscripten_*` spellings install but are refused by the public index.
 */
export { auditTarget, type AuditOptions, type AuditReport, type LoadResult } from "./audit-target-report.js";
export { openWheelTarget, moduleTarget, isModulePath, type AuditFile, type AuditTarget } from "./audit-target.js";
export { atLeast, sortFindings, type CheckName, type Finding, type Severity } from "./finding.js";
export { platformTagsForManifest, runtimeAbiOf } from "./check-wheel-name.js";
export { computeRuntimeManifest, sha256Hex, type RuntimeFeatures, type RuntimeManifest, type RuntimePackageFiles, type UnwindingMode } from "./runtime-manifest.js";
export { cachedRuntimeManifest, type ManifestCache, type RuntimePackageIdentity } from "./cached-runtime-manifest.js";
export { readLoaderSymbols, type LoaderSymbols } from "./loader-symbols.js";
export { classifyImport, capabilityTitles, type Capability } from "./capabilities.js";
export { linkImports, collectWheelSymbols, type ImportLinking, type ImportSource, type UnresolvedImport, type WheelSymbols } from "./link-imports.js";
export { moduleFeatures, type ModuleFeatures } from "./module-features.js";
export type { ModuleReport } from "./analyze-module.js";
export { checkLoad, type LoadHarness } from "./load-check.js";
export { wheelInstallsOn, type InstallDecision } from "./wheel-installs-on.js";
export { formatAuditText, type Paint } from "./format-audit-text.js";
export { formatAuditHtml } from "./format-audit-html.js";
