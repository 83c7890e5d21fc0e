import { KilnError } from "../../core/index.js";
import { emptyRequirementsFileContents } from "../../lock/index.js";
import { latestCompatible, readInstalledWithMetadata, type InstalledWithMetadata } from "../../installer/index.js";
import { compareVersions, formatVersion, tryParseVersion } from "../../pep440/index.js";
import { normalizeName } from "../../pep508/index.js";
import type { TargetEnvironment } from "../../resolver/index.js";
import { defineCommand, type CommandContext } from "../command.js";
import { indexOptions } from "../index-options.js";
import { formatPythonJson } from "../python-json.js";
import { dependencyNames, editableProjectLocation, normalizedVersion, pinnedRequirement } from "./pip-installed-details.js";
import { openPipEnvironment, pipCommonOptions, quietness, type PipEnvironment } from "./pip-environment.js";
import { openPipPackageSource } from "./pip-install.js";
import { pipReporter } from "./pip-reporter.js";

/** One row of `pip list`, with what its formats and filters need. */
interface ListedPackage {
  name: string;
  version: string;
  location: string;
  installer: string;
  editable?: string;
  latest?: string;
}

/** `kiln pip list`: installed distributions as a table, freeze lines or JSON; `--outdated`/`--uptodate` ask the index. */
export const pipListCommand = defineCommand({
  name: "list",
  summary: "List installed packages",
  usage: "[--format columns|freeze|json] [--outdated | --uptodate] [--not-required] [--exclude NAME] [-v]",
  options: [
    { name: "format", type: "string", valueName: "FORMAT", description: "columns (default), freeze or json" },
    { name: "outdated", short: "o", type: "boolean", description: "Only packages the index has a newer wheel of, for this environment's platform" },
    { name: "uptodate", short: "u", type: "boolean", description: "Only packages whose newest wheel for this platform is the installed version" },
    { name: "pre", type: "boolean", description: "With --outdated or --uptodate, count pre-releases" },
    { name: "not-required", type: "boolean", description: "Only packages no other installed package requires" },
    { name: "exclude", type: "string", multiple: true, valueName: "NAME", description: "Leave this package out (may repeat)" },
    { name: "editable", short: "e", type: "boolean", description: "Only editable projects" },
    { name: "exclude-editable", type: "boolean", description: "Leave editable projects out" },
    { name: "include-editable", type: "boolean", description: "Include editable projects (the default)" },
    { name: "local", short: "l", type: "boolean", description: "Accepted for pip compatibility: a venv holds only its own packages" },
    ...indexOptions,
    ...pipCommonOptions,
  ],
  run: async (context) => {
    const options = context.arguments.options;
    const format = String(options.format ?? "columns");
    if (!["columns", "freeze", "json"].includes(format)) throw new KilnError("usage", `--format takes columns, freeze or json, not "${format}"`);
    if (options.outdated === true && options.uptodate === true) throw new KilnError("usage", "Options --outdated and --uptodate cannot be combined.");
    if (options.outdated === true && format === "freeze") throw new KilnError("usage", "List format 'freeze' cannot be used with the --outdated option.");
    const environment = await openPipEnvironment(context);
    const installed = await readInstalledWithMetadata(environment.scheme, environment.fs, { record: false });
    let rows = editableFilter(context, await listedPackages(environment, selected(context, installed, environment.target)));
    if (options.outdated === true || options.uptodate === true) rows = await withLatest(context, environment, rows);
    printRows(context, rows, format);
    return 0;
  },
});

/** pip's filters, in pip's order: --not-required over everything installed, then --exclude. */
function selected(context: CommandContext, installed: InstalledWithMetadata[], environment: TargetEnvironment): InstalledWithMetadata[] {
  const options = context.arguments.options;
  let chosen = installed;
  if (options["not-required"] === true) {
    const required = new Set(installed.flatMap((dist) => dependencyNames(dist, environment.markerEnvironment).map(normalizeName)));
    chosen = chosen.filter((dist) => !required.has(normalizeName(dist.name)));
  }
  const excluded = new Set((Array.isArray(options.exclude) ? options.exclude.map(String) : []).map(normalizeName));
  return chosen.filter((dist) => !excluded.has(normalizeName(dist.name)));
}

/** pip's editable filters: -e keeps only editable projects, --exclude-editable drops them. */
function editableFilter(context: CommandContext, rows: ListedPackage[]): ListedPackage[] {
  const options = context.arguments.options;
  if (options.editable === true) return rows.filter((row) => row.editable !== undefined);
  if (options["exclude-editable"] === true) return rows.filter((row) => row.editable === undefined);
  return rows;
}

async function listedPackages(environment: PipEnvironment, installed: InstalledWithMetadata[]): Promise<ListedPackage[]> {
  return Promise.all(
    installed.map(async (dist): Promise<ListedPackage> => {
      const editable = await editableProjectLocation(environment.fs, dist.distInfo);
      return { name: dist.name, version: dist.version, location: dist.distInfo.slice(0, dist.distInfo.lastIndexOf("/")), installer: dist.installer ?? "", ...(editable ? { editable } : {}) };
    }),
  );
}

/** `--outdated`/`--uptodate`: the newest wheel the index has for the platform, compared with the installed version. */
async function withLatest(context: CommandContext, environment: PipEnvironment, rows: ListedPackage[]): Promise<ListedPackage[]> {
  const reporter = pipReporter(context.output, { quietness: quietness(context), env: context.env });
  const { source } = await openPipPackageSource(context, emptyRequirementsFileContents(), reporter, environment);
  const outdated = context.arguments.options.outdated === true;
  const latest = await Promise.all(
    rows.map(async (row) => {
      const files = await source.listFiles(normalizeName(row.name), { pythonVersion: environment.target.pythonVersion });
      return latestCompatible(files, environment.target, { pre: context.arguments.options.pre === true });
    }),
  );
  return rows.flatMap((row, index) => {
    const found = latest[index];
    const current = tryParseVersion(row.version);
    if (!found || !current) return [];
    const order = compareVersions(found.version, current);
    return (outdated ? order > 0 : order === 0) ? [{ ...row, latest: formatVersion(found.version) }] : [];
  });
}

function printRows(context: CommandContext, rows: ListedPackage[], format: string): void {
  const options = context.arguments.options;
  const verbose = typeof options.verbose === "number" ? options.verbose : options.verbose === true ? 1 : 0;
  const outdated = options.outdated === true;
  if (format === "json") {
    const data = rows.map((row) => ({
      name: row.name,
      version: normalizedVersion(row.version),
      ...(verbose >= 1 ? { location: row.location, installer: row.installer } : {}),
      ...(outdated ? { latest_version: row.latest, latest_filetype: "wheel" } : {}),
      ...(row.editable ? { editable_project_location: row.editable } : {}),
    }));
    context.output.line(formatPythonJson(data));
    return;
  }
  if (format === "freeze") {
    for (const row of rows) context.output.line(verbose >= 1 ? `${pinnedRequirement(row.name, row.version)} (${row.location})` : pinnedRequirement(row.name, row.version));
    return;
  }
  const editables = rows.some((row) => row.editable);
  const header = ["Package", "Version", ...(outdated ? ["Latest", "Type"] : []), ...(editables ? ["Editable project location"] : []), ...(verbose >= 1 ? ["Location", "Installer"] : [])];
  const cells = rows.map((row) => [
    row.name,
    row.version,
    ...(outdated ? [row.latest ?? "", "wheel"] : []),
    ...(editables ? [row.editable ?? ""] : []),
    ...(verbose >= 1 ? [row.location, row.installer] : []),
  ]);
  for (const line of formatColumns([header, ...cells])) context.output.line(line);
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
