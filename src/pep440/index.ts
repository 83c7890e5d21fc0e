/**
 * PEP 440 versions and specifiers (https://peps.python.org/pep-0440/).
 *
 * Quirks: normalization is part of parsing (`1.0-RC1` is `1.0rc1`); pre-releases are excluded
 * unless a specifier names one; `<V` excludes pre-releases of V and `>V` excludes post-releases
 * and local versions of V; `==V` matches `V+local`.
 */
export {};
