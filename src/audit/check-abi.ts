import type { Finding } from "./finding.js";
import type { ModuleFeatures } from "./module-features.js";
import type { RuntimeManifest } from "./runtime-manifest.js";

/**
 * Check 6: the module's ABI choices against the runtime's — exception handling and
 * setjmp/longjmp (JavaScript vs WebAssembly), the exception encoding, BigInt, shared memory,
 * memory64 and SIMD.
 *
 * @example
 * checkAbi("pkg/_core.so", moduleFeatures(module), manifest);
 */
export function checkAbi(file: string, features: ModuleFeatures, manifest: RuntimeManifest): Finding[] {
  const runtime = manifest.features;
  const target = `${manifest.name} ${manifest.version}`;
  const findings: Finding[] = [];
  const add = (finding: Omit<Finding, "check" | "file">) => findings.push({ check: "abi", file, ...finding });
  for (const [what, mine, theirs] of [
    ["C++ exceptions", features.exceptions, runtime.exceptions],
    ["setjmp/longjmp", features.longjmp, runtime.longjmp],
  ] as const) {
    if (mine === "none" || mine === theirs) continue;
    add({
      code: "unwindingMismatch", severity: "error", effect: mine === "wasm" ? "load" : "call",
      message: `${what} use ${describe(mine)} but ${target} uses ${describe(theirs)}; the module was built for a different ABI`,
      evidence: { module: mine, runtime: theirs },
    });
  }
  if (features.invokeTrampolines && !manifest.dynamicPrefixes.includes("invoke_") && runtime.exceptions !== "javascript") {
    add({
      code: "invokeTrampolines", severity: "error", effect: "call",
      message: `The module calls through invoke_* trampolines (JavaScript unwinding), which ${target}'s loader does not create`,
    });
  }
  if (features.exceptionEncoding !== "none" && runtime.exceptionEncoding !== "none" && features.exceptionEncoding !== runtime.exceptionEncoding) {
    add({
      code: "exceptionEncoding", severity: "warning",
      message: `The module's exception instructions use the ${features.exceptionEncoding} encoding, ${target} uses ${runtime.exceptionEncoding}; the JavaScript engine must support both`,
      evidence: { module: features.exceptionEncoding, runtime: runtime.exceptionEncoding },
    });
  }
  if (features.bigint && !runtime.bigint) {
    add({ code: "bigintMismatch", severity: "error", effect: "call", message: `The module passes 64-bit integers across imports, but ${target} is built without BigInt integration` });
  }
  if (features.sharedMemory !== runtime.sharedMemory) {
    add({
      code: "sharedMemoryMismatch", severity: "error", effect: "load",
      message: features.sharedMemory ? `The module needs shared memory (pthreads); ${target}'s memory is not shared` : `${target} uses shared memory; the module imports unshared memory`,
    });
  }
  if (features.memory64 !== runtime.memory64) {
    add({ code: "memory64Mismatch", severity: "error", effect: "load", message: `The module uses ${features.memory64 ? "64" : "32"}-bit memory; ${target} uses ${runtime.memory64 ? "64" : "32"}-bit memory` });
  }
  if (features.simd && !runtime.simd) {
    add({ code: "simd", severity: "info", message: `The module uses SIMD instructions; ${target} itself does not, so the JavaScript engine must support SIMD (every current browser and Node does)` });
  }
  if (features.atomics && !features.sharedMemory) {
    add({ code: "atomicsWithoutThreads", severity: "info", message: "The module uses atomic instructions on unshared memory (valid, single-threaded)" });
  }
  return findings;
}

function describe(mode: string): string {
  return mode === "wasm" ? "WebAssembly exception handling" : mode === "javascript" ? "JavaScript unwinding" : "neither";
}
