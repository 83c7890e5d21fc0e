/**
 * Building wheels and sdists from source with PEP 517 backends (https://peps.python.org/pep-0517/)
 * run inside the WASM runtime, since kiln has no host Python; PEP 518 `[build-system]`
 * (https://peps.python.org/pep-0518/) and PEP 660 editable wheels (https://peps.python.org/pep-0660/).
 *
 * Quirks: a project without `pyproject.toml` or without `[build-system]` gets the setuptools
 * legacy backend (`setuptools.build_meta:__legacy__` with `setuptools>=40.8.0`), but a table
 * without `requires` is an error; `get_requires_for_build_*` and `prepare_metadata_for_build_*`
 * are optional (frontends fall back to `[]` and to building the wheel); a backend signals "not
 * supported" by raising its own `UnsupportedOperation`. Inside the runtime no program can be
 * started, so compilers and `git` look absent; a build that needs a compiler is refused with a
 * pointer to the Emscripten toolchain, and a built wheel is pure only if its tags, WHEEL and
 * files all say so.
 */
export { readBuildSystem, parsePyproject, legacyBuildSystem, type BuildSystem } from "./read-build-system.js";
export { detectNativeBuild, type NativeBuildInput, type NativeBuildSignals } from "./detect-native-build.js";
export { impureWheelReasons } from "./impure-wheel-reasons.js";
export { nativeBuildError } from "./native-build-error.js";
export { hookRunnerSource } from "./hook-runner-source.js";
export { hookProgram, parseHookOutcome, type HookName, type HookRequest, type HookOutcome, type ConfigSettings } from "./hook-call.js";
export { hookFailureError, type HookFailureOptions } from "./hook-failure-error.js";
export type { HookRunner, HookEnvironment } from "./hook-runner.js";
export { runtimeHookRunner, type RuntimeHookRunnerOptions } from "./runtime-hook-runner.js";
export { BuildEnvironment, type BuildEnvironmentOptions } from "./build-environment.js";
export { BuildSession, type BuildSessionOptions, type DistributionKind } from "./build-session.js";
export { buildDistribution, type BuildDistributionOptions, type BuiltDistribution } from "./build-distribution.js";
export { extractSdist, type ExtractSdistOptions } from "./extract-sdist.js";
export { buildSdistWheel, type BuildSdistWheelOptions, type SdistWheel } from "./build-sdist-wheel.js";
export { prepareSdistMetadata, type PrepareSdistMetadataOptions } from "./prepare-sdist-metadata.js";
export { buildForInstall, type BuildForInstallOptions, type SourceToInstall, type WheelForInstall } from "./build-for-install.js";
