/**
 * Dependency resolution (PubGrub) for one target environment.
 */
export {};
