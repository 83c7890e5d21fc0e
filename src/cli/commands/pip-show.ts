import { errorCode, readDirectUrl, readInstalledWithMetadata, type InstallFileSystem, type InstalledWithMetadata } from "../../installer/index.js";
import { headerValue, headerValues, parseEmailHeaders, type EmailHeaders } from "../../metadata/index.js";
import { normalizeName, type MarkerEnvironment } from "../../pep508/index.js";
import { defineCommand } from "../command.js";
import { compareCodePoints, dependencyNames, editableLocationOf } from "./pip-installed-details.js";
import { openPipEnvironment, pipCommonOptions } from "./pip-environment.js";

/** `kiln pip show`: what pip shows about installed packages. */
export const pipShowCommand = defineCommand({
  name: "show",
  summary: "Show information about installed packages",
  usage: "[--files] [-v] NAME...",
  positionals: [{ name: "names", description: "Distribution names", variadic: true, required: true }],
  options: [{ name: "files", short: "f", type: "boolean", description: "List the files each package installed (from RECORD)" }, ...pipCommonOptions],
  run: async (context) => {
    const { scheme, fs, target } = await openPipEnvironment(context);
    const files = context.arguments.options.files === true;
    const verbose = context.arguments.options.verbose !== undefined && context.arguments.options.verbose !== false;
    // RECORD only for --files: a damaged one of any distribution would otherwise stop every show.
    const installed = await readInstalledWithMetadata(scheme, fs, { record: files });
    const byName = new Map(installed.map((dist) => [normalizeName(dist.name), dist]));
    const names = (context.arguments.positionals.names as string[]) ?? [];
    const missing = names.filter((name) => !byName.has(normalizeName(name))).sort(compareCodePoints);
    if (missing.length) context.output.warn(`Package(s) not found: ${missing.join(", ")}`);
    const found = names.flatMap((name) => byName.get(normalizeName(name)) ?? []);
    for (const [index, dist] of found.entries()) {
      if (index > 0) context.output.line("---");
      const lines = await showLines(dist, { installed, environment: target.markerEnvironment, files, verbose, fs });
      for (const line of lines) context.output.line(line);
    }
    // As pip: an error only when nothing at all was shown.
    return found.length ? 0 : 1;
  },
});

interface ShowContext {
  installed: InstalledWithMetadata[];
  environment: MarkerEnvironment;
  files: boolean;
  verbose: boolean;
  fs: InstallFileSystem;
}

const byLowerCase = (a: string, b: string) => compareCodePoints(a.toLowerCase(), b.toLowerCase());

async function showLines(dist: InstalledWithMetadata, context: ShowContext): Promise<string[]> {
  const headers = parseEmailHeaders(dist.metadata);
  const field = (name: string) => headerValue(headers, name) ?? "";
  const wanted = normalizeName(dist.name);
  const requiredBy = context.installed
    .filter((other) => dependencyNames(other, context.environment).some((name) => normalizeName(name) === wanted))
    .map((other) => other.name)
    .sort(byLowerCase);
  const editable = editableLocationOf(await readDirectUrl(context.fs, dist.distInfo));
  const lines = [
    `Name: ${dist.name}`,
    `Version: ${dist.version}`,
    `Summary: ${field("Summary")}`,
    `Home-page: ${homePage(headers)}`,
    `Author: ${field("Author")}`,
    `Author-email: ${field("Author-email")}`,
    licenseLine(headers),
    `Location: ${dist.distInfo.slice(0, dist.distInfo.lastIndexOf("/"))}`,
    ...(editable === undefined ? [] : [`Editable project location: ${editable}`]),
    `Requires: ${dependencyNames(dist, context.environment).sort(byLowerCase).join(", ")}`,
    `Required-by: ${requiredBy.join(", ")}`,
  ];
  if (context.verbose) lines.push(...(await verboseLines(dist, headers, context.fs)));
  if (context.files) {
    lines.push("Files:");
    if (dist.files) for (const path of dist.files.map((row) => row.path).sort(compareCodePoints)) lines.push(`  ${path.trim()}`);
    else lines.push("Cannot locate RECORD or installed-files.txt");
  }
  return lines;
}

/** `Home-page`, else the URL of a `Project-URL` labelled "homepage" in any spelling, as pip shows it. */
function homePage(headers: EmailHeaders): string {
  const given = headerValue(headers, "Home-page");
  if (given) return given;
  for (const entry of headerValues(headers, "Project-URL")) {
    const comma = entry.indexOf(",");
    if (comma < 0) continue;
    if (entry.slice(0, comma).replace(/[\s!"#$%&'()*+,\-./:;<=>?@[\\\]^_`{|}~]/g, "").toLowerCase() === "homepage") return entry.slice(comma + 1).trim();
  }
  return "";
}

/** pip names the field it shows: `License-Expression` (PEP 639, metadata 2.4 and later) or `License`. */
function licenseLine(headers: EmailHeaders): string {
  const expression = headerValue(headers, "License-Expression");
  const [major = 0, minor = 0] = (headerValue(headers, "Metadata-Version") ?? "").split(".").map(Number);
  if (expression && (major > 2 || (major === 2 && minor >= 4))) return `License-Expression: ${expression}`;
  return `License: ${headerValue(headers, "License") ?? ""}`;
}

/** The fields `pip show -v` adds. */
async function verboseLines(dist: InstalledWithMetadata, headers: EmailHeaders, fs: InstallFileSystem): Promise<string[]> {
  const entryPoints = (await readDistInfoText(fs, `${dist.distInfo}/entry_points.txt`)).split(/\r?\n|\r/);
  if (entryPoints.at(-1) === "") entryPoints.pop();
  return [
    `Metadata-Version: ${headerValue(headers, "Metadata-Version") ?? ""}`,
    `Installer: ${dist.installer ?? ""}`,
    "Classifiers:",
    ...headerValues(headers, "Classifier").map((value) => `  ${value}`),
    "Entry-points:",
    ...entryPoints.map((line) => `  ${line.trim()}`),
    "Project-URLs:",
    ...headerValues(headers, "Project-URL").map((value) => `  ${value}`),
  ];
}

async function readDistInfoText(fs: InstallFileSystem, path: string): Promise<string> {
  try {
    return new TextDecoder().decode(await fs.readFile(path));
  } catch (error) {
    if (errorCode(error) === "ENOENT") return "";
    throw error;
  }
}
