import { KilnError } from "../../core/index.js";
import { readInstalledWithMetadata } from "../../installer/index.js";
import { defineCommand } from "../command.js";
import { openPipEnvironment, pipCommonOptions } from "./pip-environment.js";

/** `kiln pip list`: installed distributions as a table, freeze lines or JSON. */
export const pipListCommand = defineCommand({
  name: "list",
  summary: "List installed packages",
  usage: "pip list [--format columns|freeze|json]",
  options: [
    { name: "format", type: "string", valueName: "FORMAT", description: "columns (default), freeze or json" },
    ...pipCommonOptions,
  ],
  run: async (context) => {
    const format = String(context.arguments.options.format ?? "columns");
    if (!["columns", "freeze", "json"].includes(format)) throw new KilnError("usage", `--format takes columns, freeze or json, not "${format}"`);
    const { scheme, fs } = await openPipEnvironment(context);
    const rows = (await readInstalledWithMetadata(scheme, fs)).map((dist) => ({ name: dist.name, version: dist.version }));
    if (format === "json") context.output.stdout.write(`${JSON.stringify(rows)}\n`);
    else if (format === "freeze") for (const row of rows) context.output.line(`${row.name}==${row.version}`);
    else for (const line of formatColumns([["Package", "Version"], ...rows.map((row) => [row.name, row.version])])) context.output.line(line);
    return 0;
  },
});

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
