// The peer: a plain loadPyodide() on the same runtime kiln bundles, then one line of Python.
// This is what a Node program embedding Pyodide does without kiln's snapshot and start-up work.
import { loadPyodide } from "pyodide";

const code = process.argv[2] ?? "pass";
const pyodide = await loadPyodide();
pyodide.runPython(code);
