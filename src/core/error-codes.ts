/**
 * Every stable error code kiln can raise, in one place.
 *
 * Codes are part of kiln's interface: scripts match on them (`--json` prints them), so a code is
 * never renamed or reused. Add new codes here, grouped by the layer that raises them.
 */
export const errorCodes = {
  // command line
  usage: "Invalid command-line usage",
  unknownCommand: "No such command",
  // standards core
  invalidVersion: "Not a valid PEP 440 version",
  invalidSpecifier: "Not a valid PEP 440 version specifier",
  invalidRequirement: "Not a valid PEP 508 requirement",
  invalidMarker: "Not a valid PEP 508 environment marker",
  invalidMarkerEvaluation: "An environment marker could not be evaluated",
  invalidName: "Not a valid Python package name",
  invalidTag: "Not a valid PEP 425 tag",
  invalidWheelFilename: "Not a valid wheel filename",
  invalidSdistFilename: "Not a valid source distribution filename",
  invalidMetadata: "Core metadata cannot be parsed",
  unknownAbi: "Not a known Pyodide/Emscripten ABI",
  arbitraryEqualityRange: "An === (arbitrary equality) specifier has no version range",
  // end of standards core

  // wasm binaries
  invalidWasm: "Not a readable WebAssembly module",
  // end of wasm binaries

  // archives (zip) and wheel files
  invalidZip: "Not a valid zip archive",
  unsupportedZip: "The zip archive uses a feature kiln does not support",
  zipEntryTooLarge: "A zip entry is larger than allowed",
  corruptZipEntry: "A zip entry does not match its checksum or size",
  zipEntryNotFound: "No such entry in the zip archive",
  unsafeEntryPath: "An archive entry path is unsafe",
  invalidRecord: "A wheel RECORD file cannot be parsed",
  unsupportedHashAlgorithm: "A hash algorithm is not supported",
  invalidWheelFile: "A wheel's WHEEL file cannot be parsed",
  // end of archives

  // tar archives (sdists)
  invalidTar: "Not a valid tar archive",
  unsupportedTar: "The tar archive holds an entry kiln does not extract",
  invalidGzip: "Not valid gzip data",
  archiveTooLarge: "An archive is larger than allowed",
  // end of tar archives

  // index clients and HTTP
  networkError: "A network connection failed",
  httpTimeout: "A server stopped responding",
  httpStatus: "A server answered with an HTTP error",
  responseTooLarge: "A server sent a larger response than allowed",
  invalidIndexUrl: "Not a valid index URL",
  invalidIndexPage: "An index page or lock file cannot be parsed",
  unsupportedIndexApi: "An index speaks a newer repository API version than kiln",
  hashMismatch: "A downloaded file does not match its hash",
  metadataUnavailable: "A distribution's core metadata cannot be read",
  invalidIndexConfig: "Index configuration (pip.conf, environment, pyproject.toml) is invalid",
  offline: "Offline, and the cache holds no copy",
  findLinksUnreadable: "A --find-links directory or file cannot be read",
  // end of index clients

  // cache
  cacheIo: "The cache cannot be read or written",
  // end of cache

  // lock files
  invalidLockFile: "A lock file cannot be read",
  unsupportedLockVersion: "A lock file has a format version kiln does not read",
  lockMissingWheel: "A locked package has no wheel for the lock format",
  lockMissingHash: "A locked wheel has no sha256 hash",
  invalidRequirementsFile: "A pip requirements file cannot be read",
  // end of lock files

  // resolver
  noSolution: "The requirements cannot be satisfied together on the target",
  // end of resolver

  // runtime, run and venv
  pythonUsage: "Invalid python command line (CPython's own usage errors)",
  runtimeNotFound: "A Pyodide runtime cannot be found or fetched",
  runtimeInvalid: "A Pyodide runtime's files are missing or do not verify",
  runtimeStart: "The Python runtime failed to start",
  venvInvalid: "Not a kiln virtual environment, or a damaged one",
  venvExists: "The virtual environment directory exists and is not empty",
  // end of runtime

  // installer
  invalidWheel: "A wheel's contents do not follow the wheel spec",
  unsupportedWheelVersion: "A wheel's Wheel-Version is not supported",
  installConflict: "Two things would be installed at the same path",
  invalidEntryPoints: "A wheel's entry_points.txt cannot be parsed",
  environmentLocked: "Another process holds the environment's install lock",
  missingRecord: "An installed distribution has no RECORD file",
  notInstalled: "The distribution is not installed",
  installFailed: "Installing or uninstalling failed and was rolled back",
  invalidInstallScheme: "The install scheme is not usable",
  hashRequired: "Hash-checking mode is on and a requirement has no --hash or is not pinned",
  noEnvironment: "No virtual environment to install into was found",
  noCompatibleWheel: "A locked package has no wheel for the environment's platform",
  linkedOutside: "A directory of the environment is a symbolic link that leads outside it",
  // end of installer

  // audit
  auditInput: "An input to kiln audit cannot be read",
  auditRuntime: "The runtime to audit against cannot be read",
  // end of audit

  // build (PEP 517)
  invalidPyproject: "A project's pyproject.toml cannot be used",
  invalidSdist: "A source distribution cannot be used",
  nativeBuildUnsupported: "The project needs a compiler for Emscripten, which kiln builds cannot run",
  buildBackendFailed: "The build backend failed",
  buildEnvironmentFailed: "The build environment cannot be set up",
  // end of build

  // project tests
  invalidTestConfig: "A project's [tool.kiln.test] settings or test requirements cannot be used",
  invalidTestReport: "A test run's JUnit XML report cannot be read",
  testSetupFailed: "Setting up a runtime's test environment failed",
  // end of project tests

  // command-line outputs
  outputUnwritable: "A file or directory a command was asked to write cannot be written",
  outputNotALock: "The output file exists and is not a lock that kiln may replace",
  // end of command-line outputs

  // internal
  internal: "An internal error",
} as const;

/** A stable error code, such as `"invalidVersion"`. */
export type ErrorCode = keyof typeof errorCodes;
