/**
 * PEP 425 compatibility tags (https://peps.python.org/pep-0425/) and the Pyodide/Emscripten
 * platforms of PEP 783 (https://peps.python.org/pep-0783/).
 */
export {};
