import { checkInstalled, formatBrokenRequirement, readInstalledWithMetadata } from "../../installer/index.js";
import { defineCommand } from "../command.js";
import { openPipEnvironment, pipCommonOptions } from "./pip-environment.js";

/** `kiln pip check`: do installed packages have their dependencies, in fitting versions? */
export const pipCheckCommand = defineCommand({
  name: "check",
  summary: "Verify installed packages have compatible dependencies",
  options: [...pipCommonOptions],
  run: async (context) => {
    const { scheme, fs, target } = await openPipEnvironment(context);
    const broken = checkInstalled(await readInstalledWithMetadata(scheme, fs, { record: false }), target.markerEnvironment);
    for (const problem of broken) context.output.line(formatBrokenRequirement(problem));
    if (broken.length === 0) context.output.line("No broken requirements found.");
    return broken.length === 0 ? 0 : 1;
  },
});
