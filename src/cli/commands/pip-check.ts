import { checkInstalled, errorCode, formatBrokenRequirement, readInstalledWithMetadata, type InstallFileSystem, type InstalledWithMetadata } from "../../installer/index.js";
import { headerValues, parseEmailHeaders } from "../../metadata/index.js";
import { targetTags, type TargetEnvironment } from "../../resolver/index.js";
import { tagRanking, tryParseTag, wheelTagRank } from "../../tags/index.js";
import { defineCommand } from "../command.js";
import { openPipEnvironment, pipCommonOptions } from "./pip-environment.js";

/** `kiln pip check`: do installed packages have their dependencies, in fitting versions, and wheels for this platform? */
export const pipCheckCommand = defineCommand({
  name: "check",
  summary: "Verify installed packages have compatible dependencies",
  options: [...pipCommonOptions],
  run: async (context) => {
    const { scheme, fs, target } = await openPipEnvironment(context);
    const installed = await readInstalledWithMetadata(scheme, fs, { record: false });
    const broken = checkInstalled(installed, target.markerEnvironment);
    for (const problem of broken) context.output.line(formatBrokenRequirement(problem));
    const unsupported = await unsupportedWheels(installed, { fs, target });
    for (const dist of unsupported) context.output.line(`${dist.name} ${dist.version} is not supported on this platform`);
    if (broken.length === 0 && unsupported.length === 0) context.output.line("No broken requirements found.");
    return broken.length === 0 && unsupported.length === 0 ? 0 : 1;
  },
});

/**
 * pip's platform check: installed distributions whose WHEEL file names tags of which none fits
 * the environment's runtime (a wheel for another ABI copied in, or a venv whose runtime moved on).
 * A distribution without WHEEL, or with no readable tag, is not judged.
 */
async function unsupportedWheels(installed: readonly InstalledWithMetadata[], context: { fs: InstallFileSystem; target: TargetEnvironment }): Promise<InstalledWithMetadata[]> {
  const ranking = tagRanking(targetTags(context.target));
  const judged = await Promise.all(
    installed.map(async (dist) => {
      let text: string;
      try {
        text = new TextDecoder().decode(await context.fs.readFile(`${dist.distInfo}/WHEEL`));
      } catch (error) {
        if (errorCode(error) === "ENOENT") return false;
        throw error;
      }
      const tags = headerValues(parseEmailHeaders(text), "Tag").flatMap((value) => tryParseTag(value.trim()) ?? []);
      return tags.length > 0 && wheelTagRank(tags, ranking) === undefined;
    }),
  );
  return installed.filter((_, index) => judged[index]);
}
