/**
 * The Node.js implementations of the I/O interfaces the isomorphic layers take as parameters.
 * With platform/browser.ts, the only files that touch node:* or DOM APIs.
 *
 * The HTTP client (`./node-http.js`, with `./proxy-for.js`) is not re-exported here: a session
 * loads it on its first request, and a static re-export would make the bundle load `node:https`
 * and `node:http2` for every command that imports this file.
 */
export { kilnCacheDir, type CacheDirContext } from "./kiln-cache-dir.js";
export { NodeCacheStore, isKilnCacheDirectory, isPrunableCacheDirectory, tagKilnCacheDirectory } from "./node-cache-store.js";
export { nodeUnpackedWheelCache } from "./node-wheel-cache.js";
export { kilnCacheFolders } from "./kiln-cache-folders.js";
export { nodeLocalFiles } from "./node-local-files.js";
export { loadIndexSettings, pipConfigPaths, type LoadIndexSettingsOptions } from "./node-index-settings.js";
export { createNodeHttpSession, type NodeHttpSessionOptions } from "./node-index-session.js";
export { parseNetrc, netrcCredentials, type Netrc } from "./netrc.js";
export { nodePyodideRepository, type NodePyodideRepository, type RepositoryRuntime } from "./node-pyodide-repository.js";
