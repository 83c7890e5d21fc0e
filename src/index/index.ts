/**
 * Package index clients: PEP 503 HTML, PEP 691 JSON, PEP 658/714 metadata files, find-links, and
 * Pyodide's own repository (`pyodide-lock.json`). All I/O is injected.
 */
export {};
