/**
 * kiln: WebAssembly as a first-class Python platform. The layers are published as subpath
 * exports (`pykiln/pep440`, `pykiln/tags`, …); this entry point re-exports the error model.
 */
export * from "./core/index.js";
