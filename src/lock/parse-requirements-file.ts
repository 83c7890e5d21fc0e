import { KilnError } from "../core/index.js";
import { tryParseRequirement } from "../pep508/index.js";
import { logicalLines, splitOptionWords } from "./requirements-file-lines.js";

/** What one requirement line names. */
export type RequirementsFileEntryKind =
  /** A PEP 508 requirement: `name[extra]>=1; marker` or `name @ https://…`. */
  | "requirement"
  /** A URL to a distribution or a VCS checkout (`https://…/x.whl`, `git+https://…`). */
  | "url"
  /** A local path to a distribution or a project directory (`./pkg`, `dist/x.whl`). */
  | "path";

/** One requirement line of a requirements file, with its per-requirement options. */
export interface RequirementsFileEntry {
  /** The requirement as written, after `${VAR}` expansion, without its options. */
  text: string;
  kind: RequirementsFileEntryKind;
  /** `-e` / `--editable`. */
  editable: boolean;
  /** `--hash` values as written: `sha256:<hex>`. */
  hashes: string[];
  /** Where the line is: the file (as the reader names it) and its first physical line. */
  file: string;
  line: number;
  /** How the file was reached from the top: `["requirements.in", "base.txt"]`. */
  via: string[];
}

/** Everything a requirements file and the files it includes ask for. */
export interface RequirementsFileContents {
  requirements: RequirementsFileEntry[];
  /** From `-c` files (and the files those include with `-c`). */
  constraints: RequirementsFileEntry[];
  /** The last `-i`/`--index-url` seen. */
  indexUrl?: string;
  extraIndexUrls: string[];
  /** `-f`/`--find-links`: URLs as written, paths resolved against the file that names them. */
  findLinks: string[];
  noIndex: boolean;
  pre: boolean;
  /** `--only-binary` / `--no-binary` values (`:all:`, `:none:` or names), in order. */
  onlyBinary: string[];
  noBinary: string[];
  preferBinary: boolean;
  requireHashes: boolean;
  trustedHosts: string[];
}

/** Options for {@link parseRequirementsFile}. */
export interface ParseRequirementsFileOptions {
  /**
   * Reads a file: `location` is an absolute URL (`file:` for local files, as pip also accepts
   * http(s) URLs for `-r`). Throwing rejects the whole parse with the including file and line.
   */
  read: (location: string) => Promise<string>;
  /** For `${VAR}` expansion (pip's rule: upper-case names only; unset variables stay as written). */
  env?: Record<string, string | undefined>;
  /** `constraints` for a top-level `-c` file. */
  kind?: "requirements" | "constraints";
  /** Into contents already holding earlier files (several `-r` on the command line). */
  into?: RequirementsFileContents;
  /** Shows a location in messages and in `file`; default: the path of a `file:` URL. */
  display?: (location: string) => string;
}

/** Empty {@link RequirementsFileContents}. */
export function emptyRequirementsFileContents(): RequirementsFileContents {
  return { requirements: [], constraints: [], extraIndexUrls: [], findLinks: [], noIndex: false, pre: false, onlyBinary: [], noBinary: [], preferBinary: false, requireHashes: false, trustedHosts: [] };
}

/**
 * Reads a pip requirements file the way pip does: `\` continuations, `#` comments (at the start
 * or after white space), `${VAR}` expansion, nested `-r`/`-c` (relative to the including file),
 * `-e`, `-i`/`--index-url`, `--extra-index-url`, `-f`/`--find-links`, `--no-index`, `--pre`,
 * `--only-binary`, `--no-binary`, `--prefer-binary`, `--require-hashes`, `--trusted-host`, and
 * per-requirement `--hash`. As in pip, a `-r` inside a `-c` file adds requirements and a `-c`
 * inside a `-r` file adds constraints. Other options, a file that includes itself, and
 * unreadable lines are `invalidRequirementsFile` errors naming the file and line. File reading is
 * injected, so the parser runs in a browser too.
 *
 * @example
 * const contents = await parseRequirementsFile("file:///work/requirements.in", { read: (url) => readFile(new URL(url), "utf8") });
 * contents.requirements.map((entry) => entry.text); // ["requests>=2", "pytest"]
 */
export async function parseRequirementsFile(location: string, options: ParseRequirementsFileOptions): Promise<RequirementsFileContents> {
  const into = options.into ?? emptyRequirementsFileContents();
  const display = options.display ?? displayLocation;
  await parseInto(location, { ...options, display, into, kind: options.kind ?? "requirements", chain: [] });
  return into;
}

interface Walk extends Required<Pick<ParseRequirementsFileOptions, "read" | "display" | "into" | "kind">> {
  env?: Record<string, string | undefined>;
  chain: string[];
}

async function parseInto(location: string, walk: Walk): Promise<void> {
  const file = walk.display(location);
  if (walk.chain.includes(location)) {
    throw new KilnError("invalidRequirementsFile", `Cannot read ${file}: it includes itself (${[...walk.chain, location].map(walk.display).join(" → ")})`, {
      hint: "Remove the -r/-c line that closes the loop",
    });
  }
  const text = await walk.read(location);
  const via = [...walk.chain, location].map(walk.display);
  for (const { line, text: logical } of logicalLines(text)) {
    const expanded = expandEnvironment(logical, walk.env ?? {});
    const where = `${file}:${line}`;
    if (expanded.startsWith("-") && !/^(-e|--editable)(\s|=|$)/.test(expanded)) {
      await applyOption(expanded, { walk, location, where });
      continue;
    }
    walk.into[walk.kind === "constraints" ? "constraints" : "requirements"].push(readEntry(expanded, { walk, where, file, line, via }));
  }
}

async function applyOption(text: string, context: { walk: Walk; location: string; where: string }): Promise<void> {
  const { walk, location, where } = context;
  const words = splitOptionWords(text, where);
  const [flag, value] = optionAndValue(words, where);
  const into = walk.into;
  const nested = (kind: "requirements" | "constraints") => parseInto(resolveLocation(value!, location, where), { ...walk, kind, chain: [...walk.chain, location] });
  switch (flag) {
    case "-r":
    case "--requirement":
      return nested("requirements");
    case "-c":
    case "--constraint":
      return nested("constraints");
    case "-i":
    case "--index-url":
      into.indexUrl = value!;
      return;
    case "--extra-index-url":
      into.extraIndexUrls.push(value!);
      return;
    case "-f":
    case "--find-links":
      into.findLinks.push(/^[A-Za-z][A-Za-z0-9+.-]+:\/\//.test(value!) ? value! : resolveLocation(value!, location, where));
      return;
    case "--no-index":
      into.noIndex = true;
      return;
    case "--pre":
      into.pre = true;
      return;
    case "--only-binary":
      into.onlyBinary.push(...value!.split(","));
      return;
    case "--no-binary":
      into.noBinary.push(...value!.split(","));
      return;
    case "--prefer-binary":
      into.preferBinary = true;
      return;
    case "--require-hashes":
      into.requireHashes = true;
      return;
    case "--trusted-host":
      into.trustedHosts.push(value!);
      return;
  }
}

const withValue = new Set(["-r", "--requirement", "-c", "--constraint", "-i", "--index-url", "--extra-index-url", "-f", "--find-links", "--only-binary", "--no-binary", "--trusted-host"]);
const withoutValue = new Set(["--no-index", "--pre", "--prefer-binary", "--require-hashes"]);
const supported = "-r, -c, -e, -i/--index-url, --extra-index-url, -f/--find-links, --no-index, --pre, --only-binary, --no-binary, --prefer-binary, --require-hashes, --trusted-host, and --hash after a requirement";

/** `--flag=value`, `--flag value`, `-xvalue` or `-x value` → [flag, value]. */
function optionAndValue(words: string[], where: string): [string, string | undefined] {
  let [flag = "", ...rest] = words;
  let value: string | undefined;
  const equals = flag.startsWith("--") ? flag.indexOf("=") : -1;
  if (equals > 0) {
    value = flag.slice(equals + 1);
    flag = flag.slice(0, equals);
  } else if (/^-[a-z]./.test(flag) && withValue.has(flag.slice(0, 2))) {
    value = flag.slice(2);
    flag = flag.slice(0, 2);
  }
  if (!withValue.has(flag) && !withoutValue.has(flag)) {
    throw new KilnError("invalidRequirementsFile", `Cannot read ${where}: kiln does not support the option "${flag}" in requirements files`, { hint: `Supported: ${supported}` });
  }
  if (withValue.has(flag) && value === undefined) value = rest.shift();
  if (withValue.has(flag) && !value) throw new KilnError("invalidRequirementsFile", `Cannot read ${where}: ${flag} needs a value`, { hint: `Such as ${flag} VALUE` });
  if (withoutValue.has(flag) && value !== undefined) throw new KilnError("invalidRequirementsFile", `Cannot read ${where}: ${flag} takes no value`);
  if (rest.length > 0) throw new KilnError("invalidRequirementsFile", `Cannot read ${where}: unexpected "${rest.join(" ")}" after ${flag}`, { hint: "Put one option on each line" });
  return [flag, value];
}

function readEntry(text: string, context: { walk: Walk; where: string; file: string; line: number; via: string[] }): RequirementsFileEntry {
  const { where } = context;
  let rest = text;
  let editable = false;
  const editableMatch = /^(?:-e|--editable)(?:\s*=\s*|\s+)(.*)$/.exec(rest);
  if (editableMatch) {
    editable = true;
    rest = editableMatch[1]!.trim();
    if (context.walk.kind === "constraints") {
      throw new KilnError("invalidRequirementsFile", `Cannot read ${where}: editable requirements cannot be constraints`, { hint: "Move the -e line to a requirements file" });
    }
  }
  // Per-requirement options start at the first word beginning with "--" after white space.
  const optionStart = rest.search(/\s--/);
  const requirement = (optionStart < 0 ? rest : rest.slice(0, optionStart)).trim();
  const hashes: string[] = [];
  if (optionStart >= 0) {
    const words = splitOptionWords(rest.slice(optionStart).trim(), where);
    for (let index = 0; index < words.length; index++) {
      const word = words[index]!;
      const value = word.startsWith("--hash=") ? word.slice(7) : word === "--hash" ? words[++index] : undefined;
      if (value === undefined) {
        throw new KilnError("invalidRequirementsFile", `Cannot read ${where}: kiln does not support the requirement option "${word.split("=")[0]}"`, {
          hint: "Only --hash may follow a requirement",
        });
      }
      if (!/^[a-z0-9]+:[0-9a-fA-F]+$/.test(value)) {
        throw new KilnError("invalidRequirementsFile", `Cannot read ${where}: "${value}" is not a hash`, { hint: "Write --hash=sha256:<64 hex digits>" });
      }
      hashes.push(value.toLowerCase());
    }
  }
  if (!requirement) throw new KilnError("invalidRequirementsFile", `Cannot read ${where}: -e needs a path or URL`);
  return { text: requirement, kind: entryKind(requirement, where), editable, hashes, file: context.file, line: context.line, via: context.via };
}

function entryKind(text: string, where: string): RequirementsFileEntryKind {
  if (/^[A-Za-z][A-Za-z0-9+.-]*:\/\//.test(text)) return "url";
  if (/^(\.|\/|~|[A-Za-z]:[\\/])/.test(text) || /[\\/]/.test(text.split(/[;@]/)[0]!) || /\.(whl|zip|tar\.gz|tgz|tar\.bz2|tar)$/i.test(text)) {
    if (tryParseRequirement(text)?.url === undefined) return "path";
  }
  if (tryParseRequirement(text) === undefined) {
    throw new KilnError("invalidRequirementsFile", `Cannot read ${where}: "${text}" is not a valid requirement`, {
      hint: "Write a PEP 508 requirement such as requests>=2, a path, or a URL",
    });
  }
  return "requirement";
}

/**
 * pip's `${VAR}` expansion: only upper-case letters, digits and `_` in the name, and a variable
 * that is unset or empty leaves the text as written.
 *
 * @example
 * expandEnvironment("https://${TOKEN}@example.org/simple/", { TOKEN: "t0k" }); // "https://t0k@example.org/simple/"
 */
export function expandEnvironment(text: string, env: Record<string, string | undefined>): string {
  return text.replace(/\$\{([A-Z0-9_]+)\}/g, (whole, name: string) => env[name] || whole);
}

function resolveLocation(reference: string, base: string, where: string): string {
  try {
    if (/^[A-Za-z]:[\\/]/.test(reference)) return new URL(`file:///${reference.replace(/\\/g, "/")}`).href;
    if (/^[A-Za-z][A-Za-z0-9+.-]+:\/\//.test(reference)) {
      const url = new URL(reference);
      // A file: URL names a path only if its escapes decode (readers turn it into a path).
      if (url.protocol === "file:") decodeURIComponent(url.pathname);
      return url.href;
    }
    return new URL(reference.replace(/\\/g, "/").split("/").map(encodeURIComponent).join("/"), base).href;
  } catch {
    throw new KilnError("invalidRequirementsFile", `Cannot read ${where}: "${reference}" is not a usable path or URL`);
  }
}

function displayLocation(location: string): string {
  return location.startsWith("file://") ? decodeURIComponent(new URL(location).pathname) : location;
}
