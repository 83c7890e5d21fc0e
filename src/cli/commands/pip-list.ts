import { KilnError } from "../../core/index.js";
import { emptyRequirementsFileContents } from "../../lock/index.js";
import { latestCompatible, readInstalledWithMetadata } from "../../installer/index.js";
import { compareVersions, formatVersion, tryParseVersion } from "../../pep440/index.js";
import { normalizeName } from "../../pep508/index.js";
import { defineCommand, type CommandContext } from "../command.js";
import { indexOptions } from "../index-options.js";
import { openPipEnvironment, pipCommonOptions, quietness, type PipEnvironment } from "./pip-environment.js";
import { openPipPackageSource } from "./pip-install.js";
import { pipReporter } from "./pip-reporter.js";

/** `kiln pip list`: installed distributions as a table, freeze lines or JSON; `--outdated` asks the index. */
export const pipListCommand = defineCommand({
  name: "list",
  summary: "List installed packages",
  usage: "[--format columns|freeze|json] [--outdated [--pre]]",
  options: [
    { name: "format", type: "string", valueName: "FORMAT", description: "columns (default), freeze or json" },
    { name: "outdated", short: "o", type: "boolean", description: "Only packages the index has a newer wheel of, for this environment's platform" },
    { name: "pre", type: "boolean", description: "With --outdated, count pre-releases as newer" },
    ...indexOptions,
    ...pipCommonOptions,
  ],
  run: async (context) => {
    const format = String(context.arguments.options.format ?? "columns");
    if (!["columns", "freeze", "json"].includes(format)) throw new KilnError("usage", `--format takes columns, freeze or json, not "${format}"`);
    const environment = await openPipEnvironment(context);
    if (context.arguments.options.outdated === true) {
      if (format === "freeze") throw new KilnError("usage", "List format 'freeze' cannot be used with the --outdated option.");
      return listOutdated(context, environment, format);
    }
    const rows = (await readInstalledWithMetadata(environment.scheme, environment.fs, { record: false })).map((dist) => ({ name: dist.name, version: dist.version }));
    if (format === "json") context.output.stdout.write(`${JSON.stringify(rows)}\n`);
    else if (format === "freeze") for (const row of rows) context.output.line(`${row.name}==${row.version}`);
    else for (const line of formatColumns([["Package", "Version"], ...rows.map((row) => [row.name, row.version])])) context.output.line(line);
    return 0;
  },
});

/** pip's `list --outdated`: the newest wheel the index has for the platform, when newer than installed. */
async function listOutdated(context: CommandContext, environment: PipEnvironment, format: string): Promise<number> {
  const reporter = pipReporter(context.output, { quietness: quietness(context), env: context.env });
  const { source } = await openPipPackageSource(context, emptyRequirementsFileContents(), reporter, environment);
  const installed = await readInstalledWithMetadata(environment.scheme, environment.fs, { record: false });
  const latest = await Promise.all(
    installed.map(async (dist) => {
      const files = await source.listFiles(normalizeName(dist.name), { pythonVersion: environment.target.pythonVersion });
      return latestCompatible(files, environment.target, { pre: context.arguments.options.pre === true });
    }),
  );
  const rows = installed.flatMap((dist, index) => {
    const found = latest[index];
    const current = tryParseVersion(dist.version);
    if (!found || (current && compareVersions(found.version, current) <= 0)) return [];
    return [{ name: dist.name, version: dist.version, latest_version: formatVersion(found.version), latest_filetype: "wheel" }];
  });
  if (format === "json") context.output.stdout.write(`${JSON.stringify(rows)}\n`);
  else for (const line of formatColumns([["Package", "Version", "Latest", "Type"], ...rows.map((row) => [row.name, row.version, row.latest_version, row.latest_filetype])])) context.output.line(line);
  return 0;
}

/**
 * pip's `columns` table: a header row, a rule of dashes under each column, left-aligned cells.
 *
 * @example
 * formatColumns([["Package", "Version"], ["pytest", "9.2.0"]]); // ["Package Version", "------- -------", "pytest  9.2.0"]
 */
export function formatColumns(rows: string[][]): string[] {
  if (rows.length <= 1) return [];
  const widths = rows[0]!.map((_, column) => Math.max(...rows.map((row) => (row[column] ?? "").length)));
  const line = (cells: string[]) => cells.map((cell, column) => cell.padEnd(widths[column]!)).join(" ").trimEnd();
  return [line(rows[0]!), line(widths.map((width) => "-".repeat(width))), ...rows.slice(1).map(line)];
}
