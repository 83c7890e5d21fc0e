import { wasmLimitationRules } from "./wasm-limitation.js";

/** The module name `kiln test` loads the plugin as (`-p kiln_wasm_hints`). */
export const pytestHintPluginName = "kiln_wasm_hints";

/**
 * Source of a pytest plugin that appends a "kiln: WebAssembly limitation" section to the report
 * of every failed test whose traceback shows something WASM cannot do, so pytest's own failure
 * output says so (the same rules as {@link wasmLimitationOf}). Loaded with `-p kiln_wasm_hints`
 * from a directory on `PYTHONPATH`; it changes no outcome. Once collection is done, it tells
 * kiln's runtime which modules the run imported before its first test (see `recordPreloadImports`).
 *
 * @example
 * await host.writeText(`${dir}/kiln_wasm_hints.py`, pytestHintPluginSource());
 */
export function pytestHintPluginSource(): string {
  return `"""kiln test: name the WebAssembly limitation a failing test ran into."""
import json
import re

import pytest

_RULES = [
    (rule["explanation"], [re.compile(pattern) for pattern in rule["patterns"]])
    for rule in json.loads(${JSON.stringify(JSON.stringify(wasmLimitationRules()))})
]


def _limitation(text):
    for explanation, patterns in _RULES:
        if all(pattern.search(text) for pattern in patterns):
            return explanation
    return None


def pytest_collection_finish(session):
    # What the run imported before its first test (plugins, conftests, test modules): kiln's start
    # from a memory snapshot may have it imported already next time, as it would be by then.
    try:
        import _kiln_main
    except ImportError:
        return
    mark = getattr(_kiln_main, "mark_preload_imports", None)
    if mark is not None:
        mark()


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_makereport(item, call):
    outcome = yield
    report = outcome.get_result()
    if report.failed and call.excinfo is not None:
        explanation = _limitation(report.longreprtext)
        if explanation:
            report.sections.append(("kiln: WebAssembly limitation", explanation))
`;
}
