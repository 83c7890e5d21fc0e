import { readDirectUrl, readInstalledWithMetadata } from "../../installer/index.js";
import { normalizeName } from "../../pep508/index.js";
import { defineCommand } from "../command.js";
import { directReference, editableLocationOf, pinnedRequirement } from "./pip-installed-details.js";
import { openPipEnvironment, pipCommonOptions } from "./pip-environment.js";

/**
 * Left out of `pip freeze` unless `--all`: pip itself, and on Pythons before 3.12 (where venvs
 * still came with them) the build backends, as pip decides by the environment's Python.
 */
function packagingTools(pythonVersion: string): Set<string> {
  const [major = 0, minor = 0] = pythonVersion.split(".").map(Number);
  return new Set(major === 3 && minor < 12 ? ["pip", "setuptools", "wheel", "distribute"] : ["pip"]);
}

/** `kiln pip freeze`: installed distributions as requirements (`name==version`, `name @ URL`, or `-e DIR` for editable installs). */
export const pipFreezeCommand = defineCommand({
  name: "freeze",
  summary: "Print installed packages in requirements format",
  options: [
    { name: "all", type: "boolean", description: "Include pip (and, before Python 3.12, setuptools, wheel and distribute)" },
    { name: "exclude", type: "string", multiple: true, valueName: "NAME", description: "Leave this package out (may repeat)" },
    { name: "exclude-editable", type: "boolean", description: "Leave editable projects out" },
    { name: "local", short: "l", type: "boolean", description: "Accepted for pip compatibility: a venv holds only its own packages" },
    ...pipCommonOptions,
  ],
  run: async (context) => {
    const options = context.arguments.options;
    const { scheme, fs, target } = await openPipEnvironment(context);
    const skipped = options.all === true ? new Set<string>() : packagingTools(target.pythonVersion);
    for (const name of Array.isArray(options.exclude) ? options.exclude.map(String) : []) skipped.add(normalizeName(name));
    for (const dist of await readInstalledWithMetadata(scheme, fs, { record: false })) {
      if (skipped.has(normalizeName(dist.name))) continue;
      const direct = await readDirectUrl(fs, dist.distInfo);
      const editable = editableLocationOf(direct);
      if (editable !== undefined) {
        if (options["exclude-editable"] === true) continue;
        // pip's lines for a PEP 660 editable install of a directory that is not a VCS checkout.
        context.output.line(`# Editable install with no version control (${dist.name}==${dist.version})`);
        context.output.line(`-e ${editable}`);
        continue;
      }
      context.output.line(direct ? directReference(direct, dist.name) : pinnedRequirement(dist.name, dist.version));
    }
    return 0;
  },
});
