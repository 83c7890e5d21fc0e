/**
 * The Node.js implementations of the I/O interfaces the isomorphic layers take as parameters.
 * With platform/browser.ts, the only files that touch node:* or DOM APIs.
 */
export { kilnCacheDir, type CacheDirContext } from "./kiln-cache-dir.js";
export { NodeCacheStore, isKilnCacheDirectory, tagKilnCacheDirectory } from "./node-cache-store.js";
export { nodeUnpackedWheelCache, unpackedWheelsFolder } from "./node-wheel-cache.js";
export { nodeLocalFiles } from "./node-local-files.js";
export { loadIndexSettings, pipConfigPaths, type LoadIndexSettingsOptions } from "./node-index-settings.js";
export { nodeHttpClient, type NodeHttpClientOptions } from "./node-http.js";
export { createNodeHttpSession, type NodeHttpSessionOptions } from "./node-index-session.js";
export { parseNetrc, netrcCredentials, type Netrc } from "./netrc.js";
export { proxyFor } from "./proxy-for.js";
export { nodePyodideRepository } from "./node-pyodide-repository.js";
