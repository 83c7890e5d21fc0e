import { silentReporter } from "../../core/index.js";
import { parseRuntimeSetting } from "../../runtime/index.js";
import { defineCommand, jsonOption } from "../command.js";
import { kilnVersion } from "../main.js";

/** `kiln venv DIR`: a virtual environment whose python runs on WebAssembly. */
export const venvCommand = defineCommand({
  name: "venv",
  summary: "Create a virtual environment whose python runs on WebAssembly",
  description:
    "Like python3 -m venv: DIR/bin/python (python3, python3.X), bin/activate (bash/zsh) and\n" +
    "bin/activate.fish, lib/python3.X/site-packages, and pyvenv.cfg recording the runtime and its\n" +
    "platform tags. DIR/bin/python works from any shell and directory without kiln on PATH.",
  options: [
    { name: "runtime", type: "string", valueName: "pyodide@VERSION", description: "The runtime (default: the bundled Pyodide)" },
    { name: "clear", type: "boolean", description: "Delete the contents of DIR first" },
    { name: "prompt", type: "string", valueName: "PROMPT", description: "The prompt prefix activate shows (default: DIR's name)" },
    jsonOption,
  ],
  positionals: [{ name: "dir", description: "Where to create the environment", required: true }],
  run: async ({ arguments: parsed, env, cwd, output }) => {
    const { createNodeVirtualEnvironment } = await import("../../platform/node-venv.js");
    const runtime = typeof parsed.options.runtime === "string" ? parseRuntimeSetting(parsed.options.runtime) : undefined;
    const { venv, description } = await createNodeVirtualEnvironment({
      directory: parsed.positionals.dir as string,
      kilnVersion,
      env,
      cwd,
      ...(runtime ? { runtime } : {}),
      ...(parsed.options.clear ? { clear: true } : {}),
      ...(typeof parsed.options.prompt === "string" ? { prompt: parsed.options.prompt } : {}),
      reporter: { ...silentReporter, info: (message) => output.note(message), warn: (message) => output.warn(message) },
    });
    // bin/pip, as `python -m venv` provides it: a launcher for bin/python -m pip, which is kiln's pip.
    await (await import("./pip-global-options.js")).writePipLaunchers(venv);
    if (parsed.options.json) {
      output.json({ prefix: venv.prefix, python: `${venv.binDir}/python`, sitePackages: venv.sitePackages, runtime: description });
    } else {
      output.note(`Created ${venv.prefix} (CPython ${description.pythonVersion}, Pyodide ${description.pyodideVersion}, ${description.platformTags[0]})`);
      output.note(`Activate with: source ${venv.binDir}/activate`);
    }
    return 0;
  },
});
