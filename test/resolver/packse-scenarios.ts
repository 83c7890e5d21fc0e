// The packse scenario corpus (../shared/packse) as an in-process package index: each scenario's
// TOML becomes DistributionFiles (one wheel per tag, an sdist unless disabled) and METADATA text.
import { existsSync, readdirSync, readFileSync } from "node:fs";
import { dirname, join, relative } from "node:path";
import { fileURLToPath } from "node:url";
import { parse } from "smol-toml";
import type { DistributionFile, PackageSource } from "../../src/index/index.js";

/** `shared/packse/scenarios` beside the repository (or beside any folder above it), or KILN_PACKSE_DIR. */
export const packseRoot = process.env.KILN_PACKSE_DIR ?? findUpwards(fileURLToPath(new URL("../..", import.meta.url)), join("shared", "packse", "scenarios"));

function findUpwards(start: string, relativePath: string): string {
  for (let dir = start; ; dir = dirname(dir)) {
    const candidate = join(dir, relativePath);
    if (existsSync(candidate)) return candidate;
    if (dirname(dir) === dir) return join(dirname(start), relativePath);
  }
}

export interface VersionEntry {
  requires?: string[];
  requires_python?: string;
  extras?: Record<string, string[]>;
  wheel_tags?: string[];
  wheel?: boolean;
  sdist?: boolean;
  yanked?: boolean;
}

export interface Scenario {
  name: string;
  file: string;
  description: string;
  root: { requires: string[]; requires_python?: string };
  expected: { satisfiable: boolean; packages?: Record<string, string>; explanation?: string };
  packages: Record<string, { versions: Record<string, VersionEntry> }>;
  resolver_options?: { universal?: boolean; python?: string; python_platform?: string; prereleases?: boolean; no_build?: string[]; no_binary?: string[]; required_environments?: string[]; additional_python?: string[] };
  environment?: { python?: string };
}

export function loadScenarios(): Scenario[] {
  const files: string[] = [];
  const walk = (dir: string) => {
    for (const entry of readdirSync(dir, { withFileTypes: true })) {
      const path = join(dir, entry.name);
      if (entry.isDirectory()) walk(path);
      else if (entry.name.endsWith(".toml") && !path.includes("/examples/")) files.push(path);
    }
  };
  walk(packseRoot);
  return files.sort().map((file) => ({ ...(parse(readFileSync(file, "utf8")) as unknown as Scenario), file: relative(packseRoot, file) }));
}

const escape = (name: string) => name.replace(/[-_.]+/g, "_");

/** An index that serves one scenario's packages from memory. */
export function scenarioSource(scenario: Scenario): PackageSource {
  const indexUrl = `memory://packse/${scenario.name}/`;
  const metadata = new Map<string, string>();
  const files = new Map<string, DistributionFile[]>();
  for (const [name, { versions }] of Object.entries(scenario.packages ?? {})) {
    const list: DistributionFile[] = [];
    for (const [version, entry] of Object.entries(versions ?? {})) {
      const text = metadataText(name, version, entry);
      const common = {
        hashes: { sha256: "0".repeat(64) },
        indexUrl,
        ...(entry.requires_python ? { requiresPython: entry.requires_python } : {}),
        ...(entry.yanked ? { yanked: true as const } : {}),
      };
      const names: string[] = [];
      if (entry.wheel !== false) for (const tag of entry.wheel_tags ?? ["py3-none-any"]) names.push(`${escape(name)}-${version}-${tag}.whl`);
      if (entry.sdist !== false) names.push(`${escape(name)}-${version}.tar.gz`);
      for (const filename of names) {
        list.push({ filename, url: `${indexUrl}${filename}`, ...common });
        metadata.set(filename, text);
      }
    }
    files.set(name, list);
  }
  return {
    name: indexUrl,
    url: indexUrl,
    listFiles: async (project) => files.get(project) ?? [],
    fetchMetadata: async (file) => metadata.get(file.filename)!,
    fetchFile: async () => {
      throw new Error("packse scenarios have no file contents");
    },
  };
}

function metadataText(name: string, version: string, entry: VersionEntry): string {
  const lines = ["Metadata-Version: 2.3", `Name: ${name}`, `Version: ${version}`];
  if (entry.requires_python) lines.push(`Requires-Python: ${entry.requires_python}`);
  for (const requirement of entry.requires ?? []) lines.push(`Requires-Dist: ${requirement}`);
  for (const [extra, requirements] of Object.entries(entry.extras ?? {})) {
    lines.push(`Provides-Extra: ${extra}`);
    for (const requirement of requirements) {
      const [spec, marker] = requirement.split(";").map((s) => s.trim());
      lines.push(`Requires-Dist: ${spec}; ${marker ? `(${marker}) and ` : ""}extra == "${extra}"`);
    }
  }
  return `${lines.join("\n")}\n`;
}
