/**
 * Core metadata (https://packaging.python.org/en/latest/specifications/core-metadata/): the
 * email-header format of METADATA and PKG-INFO.
 */
export {};
