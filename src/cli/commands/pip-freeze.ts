import { readDirectUrl, readInstalledWithMetadata } from "../../installer/index.js";
import { normalizeName } from "../../pep508/index.js";
import { defineCommand } from "../command.js";
import { openPipEnvironment, pipCommonOptions } from "./pip-environment.js";

/** Left out of `pip freeze` unless `--all`, as pip does. */
const packagingTools = new Set(["pip", "setuptools", "wheel", "distribute"]);

/** `kiln pip freeze`: installed distributions as requirements (`name==version`, or `name @ URL`). */
export const pipFreezeCommand = defineCommand({
  name: "freeze",
  summary: "Print installed packages in requirements format",
  options: [{ name: "all", type: "boolean", description: "Include pip, setuptools, wheel and distribute" }, ...pipCommonOptions],
  run: async (context) => {
    const { scheme, fs } = await openPipEnvironment(context);
    for (const dist of await readInstalledWithMetadata(scheme, fs)) {
      if (context.arguments.options.all !== true && packagingTools.has(normalizeName(dist.name))) continue;
      const direct = await readDirectUrl(fs, dist.distInfo);
      context.output.line(direct ? `${dist.name} @ ${direct.url}` : `${dist.name}==${dist.version}`);
    }
    return 0;
  },
});
