import { readInstalledWithMetadata, type InstalledWithMetadata } from "../../installer/index.js";
import { headerValue, headerValues, parseEmailHeaders } from "../../metadata/index.js";
import { evaluateMarker, normalizeName, tryParseRequirement, type MarkerEnvironment } from "../../pep508/index.js";
import { defineCommand } from "../command.js";
import { openPipEnvironment, pipCommonOptions } from "./pip-environment.js";

/** `kiln pip show`: what pip shows about installed packages. */
export const pipShowCommand = defineCommand({
  name: "show",
  summary: "Show information about installed packages",
  usage: "[--files] NAME...",
  positionals: [{ name: "names", description: "Distribution names", variadic: true, required: true }],
  options: [{ name: "files", short: "f", type: "boolean", description: "List the files each package installed (from RECORD)" }, ...pipCommonOptions],
  run: async (context) => {
    const { scheme, fs, target } = await openPipEnvironment(context);
    // RECORD only for --files: a damaged one of any distribution would otherwise stop every show.
    const installed = await readInstalledWithMetadata(scheme, fs, { record: context.arguments.options.files === true });
    const byName = new Map(installed.map((dist) => [normalizeName(dist.name), dist]));
    const names = (context.arguments.positionals.names as string[]) ?? [];
    const missing = names.filter((name) => !byName.has(normalizeName(name)));
    const blocks = names.flatMap((name) => {
      const dist = byName.get(normalizeName(name));
      return dist ? [showLines(dist, { installed, environment: target.markerEnvironment, files: context.arguments.options.files === true })] : [];
    });
    blocks.forEach((lines, index) => {
      if (index > 0) context.output.line("---");
      for (const line of lines) context.output.line(line);
    });
    if (missing.length) context.output.warn(`Package(s) not found: ${missing.join(", ")}`);
    return missing.length ? 1 : 0;
  },
});

function dependencyNames(dist: InstalledWithMetadata, environment: MarkerEnvironment): string[] {
  const names = headerValues(parseEmailHeaders(dist.metadata), "Requires-Dist").flatMap((text) => {
    const requirement = tryParseRequirement(text);
    if (!requirement || (requirement.marker && !evaluateMarker(requirement.marker, environment))) return [];
    return [requirement.name];
  });
  return [...new Set(names)].sort((a, b) => a.toLowerCase().localeCompare(b.toLowerCase()));
}

function showLines(dist: InstalledWithMetadata, context: { installed: InstalledWithMetadata[]; environment: MarkerEnvironment; files: boolean }): string[] {
  const headers = parseEmailHeaders(dist.metadata);
  const field = (name: string) => headerValue(headers, name) ?? "";
  const wanted = normalizeName(dist.name);
  const requiredBy = context.installed
    .filter((other) => dependencyNames(other, context.environment).some((name) => normalizeName(name) === wanted))
    .map((other) => other.name)
    .sort((a, b) => a.toLowerCase().localeCompare(b.toLowerCase()));
  const location = dist.distInfo.slice(0, dist.distInfo.lastIndexOf("/"));
  const lines = [
    `Name: ${dist.name}`,
    `Version: ${dist.version}`,
    `Summary: ${field("Summary")}`,
    `Home-page: ${field("Home-page")}`,
    `Author: ${field("Author")}`,
    `Author-email: ${field("Author-email")}`,
    `License: ${field("License-Expression") || field("License")}`,
    `Location: ${location}`,
    `Requires: ${dependencyNames(dist, context.environment).join(", ")}`,
    `Required-by: ${requiredBy.join(", ")}`,
  ];
  if (context.files) {
    lines.push("Files:");
    if (dist.files) for (const row of dist.files) lines.push(`  ${row.path}`);
    else lines.push("Cannot locate RECORD or installed-files.txt");
  }
  return lines;
}
