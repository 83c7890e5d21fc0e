/**
 * Auditing WASM wheels: will they load in a runtime, and what can they reach.
 */
export {};
