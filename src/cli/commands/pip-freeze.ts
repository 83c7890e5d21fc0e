import { fileURLToPath } from "node:url";
import { readDirectUrl, readInstalledWithMetadata } from "../../installer/index.js";
import { normalizeName } from "../../pep508/index.js";
import { defineCommand } from "../command.js";
import { openPipEnvironment, pipCommonOptions } from "./pip-environment.js";

/** Left out of `pip freeze` unless `--all`, as pip does. */
const packagingTools = new Set(["pip", "setuptools", "wheel", "distribute"]);

/** `kiln pip freeze`: installed distributions as requirements (`name==version`, `name @ URL`, or `-e DIR` for editable installs). */
export const pipFreezeCommand = defineCommand({
  name: "freeze",
  summary: "Print installed packages in requirements format",
  options: [{ name: "all", type: "boolean", description: "Include pip, setuptools, wheel and distribute" }, ...pipCommonOptions],
  run: async (context) => {
    const { scheme, fs } = await openPipEnvironment(context);
    for (const dist of await readInstalledWithMetadata(scheme, fs, { record: false })) {
      if (context.arguments.options.all !== true && packagingTools.has(normalizeName(dist.name))) continue;
      const direct = await readDirectUrl(fs, dist.distInfo);
      if (direct?.dir_info?.editable === true && direct.url.startsWith("file:")) {
        // pip's lines for a PEP 660 editable install of a directory that is not a VCS checkout.
        context.output.line(`# Editable install with no version control (${dist.name}==${dist.version})`);
        context.output.line(`-e ${fileURLToPath(direct.url)}`);
        continue;
      }
      context.output.line(direct ? `${dist.name} @ ${direct.url}` : `${dist.name}==${dist.version}`);
    }
    return 0;
  },
});
