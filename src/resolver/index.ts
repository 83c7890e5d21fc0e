/**
 * Dependency resolution with PubGrub (https://github.com/dart-lang/pub/blob/master/doc/solver.md,
 * https://pubgrub-rs-guide.pages.dev/) for one target environment.
 *
 * The solver is generic over a version-set algebra and an async dependency provider, so the same
 * code resolves PEP 440 ranges against an index over HTTP and integer ranges in tests. A failed
 * resolution is data: a derivation graph of incompatibilities that `explainFailure` renders as
 * plain sentences ("Because a>=2 depends on b==1 and you require b>=2, a>=2 cannot be used.").
 *
 * Quirks: terms are signed (`not foo S` holds when foo is absent; `foo ¬S` does not), and the
 * root package is a real package pinned to one version whose dependencies are the requirements.
 * For Python: extras are virtual packages `name[extra]` pinned to their base's version; a version
 * without a wheel for the target is used through its sdist only when the caller injects an
 * `SdistMetadataProvider` (the build layer is above this one), per pip's `--only-binary` and
 * `--no-binary`; pre-releases follow uv (allowed with `--pre`, when a first-party requirement names one,
 * or when a project has nothing else), which is stricter than pip for transitive specifiers;
 * yanked versions (PEP 592) only when a first-party requirement pins them with `==`/`===`.
 * Fallback sources (the runtime's Pyodide repository) join only when the requirements cannot be
 * met without them; a package from that repository depends on its lock entry's `depends`.
 */
export { type VersionSetAlgebra, isSubset, setsEqual, isFull } from "./version-set.js";
export { TermAlgebra, type Term, type TermRelation } from "./term.js";
export { Incompatibility, type IncompatibilityCause } from "./incompatibility.js";
export { solve, type DependencyProvider, type Dependencies, type SolveOptions, type SolveResult } from "./solve.js";
export { explainFailure, type ExplainOptions, type RootWording } from "./explain-failure.js";
export { pep440Algebra, rangeOf } from "./pep440-algebra.js";
export { targetForAbi, targetTags, defaultAbi, type TargetEnvironment } from "./target-environment.js";
export { PythonProvider, type PythonProviderOptions } from "./python-provider.js";
export { decodeWheelMetadata, encodeWheelMetadata, type DecodedWheelMetadata, type WheelMetadataCache, type WheelMetadataRecord } from "./wheel-metadata-cache.js";
export { isUsableWheel, projectCandidates, type Candidate, type SkipReason } from "./project-candidates.js";
export { resolveRequirements, type ResolveOptions, type ResolveResult, type ResolvedPackage } from "./resolve-requirements.js";
export { failureHints, failureNames } from "./failure-hints.js";
export { lockResolution, type LockResolutionOptions } from "./lock-resolution.js";
export { rootPackage, packageId, parsePackageId, type PackageId } from "./python-packages.js";
export { wheelImports, importsFromNames } from "./wheel-imports.js";
export { readImports, type ReadImportsOptions } from "./read-imports.js";
export { distributionChoice, parseBinaryPolicy, type BinaryPolicy, type DistributionChoice, type SdistMetadataProvider } from "./source-distributions.js";
