/**
 * Installing wheels into a WASM virtual environment (https://packaging.python.org/en/latest/specifications/binary-distribution-format/).
 */
export {};
