import { KilnError, isKilnError } from "../core/index.js";
import { logicalLines, parsePylock, pylockVersion, type ParsedPylock } from "../lock/index.js";

/** The lock formats `kiln lock` and `kiln pip compile` write. */
export type LockOutputFormat = "pylock" | "requirements" | "pyodide-lock";

// What a pinned requirements file holds besides pins: pip-compile's and uv's index and binary options.
const pinOption = /^(-i|--index-url|--extra-index-url|-f|--find-links|--trusted-host|--no-index|--only-binary|--no-binary|--prefer-binary|--pre)(\s|=|$)/;
// `name==version`, `name===version`, `name @ url` or `-e …`, with extras, a marker and --hash options.
const pinLine = /^(-e\s|--editable[\s=]|[A-Za-z0-9][A-Za-z0-9._-]*\s*(\[[^\]]*\])?\s*(===?\s*[^\s;,<>!=~]+|@\s*\S+)\s*(;.*?)?(\s+--hash[=\s]\S+)*$)/;

/**
 * Checks that an existing output file is a lock of `format` that kiln may replace: a pylock.toml
 * kiln reads (and of a `lock-version` no newer than kiln writes), a pyodide-lock.json, or a
 * requirements file of pins. Anything else (the requirements.in given as `-o`, a project file, a
 * lock of a newer format) is an `outputNotALock` error, so writing the new lock never destroys
 * it. An empty file is replaceable.
 *
 * @example
 * checkReplaceableLock(await readFile("pylock.toml", "utf8"), "pylock.toml", "pylock");
 */
export function checkReplaceableLock(text: string, path: string, format: LockOutputFormat): void {
  if (text.trim() === "") return;
  const problem = format === "pylock" ? pylockProblem(text, path) : format === "pyodide-lock" ? pyodideLockProblem(text) : requirementsProblem(text);
  if (problem !== undefined) throw refusal(path, problem);
}

/**
 * The error for an output file kiln will not replace.
 *
 * @example
 * throw refusal("requirements.in", 'line 1 "requests>=2" is not a pin');
 */
export function refusal(path: string, problem: string): KilnError {
  return new KilnError("outputNotALock", `Will not overwrite "${path}": ${problem}`, {
    hint: "Give another output file with -o, or remove this one first if it can go",
  });
}

function pylockProblem(text: string, path: string): string | undefined {
  let lock: ParsedPylock;
  try {
    lock = parsePylock(text, path);
  } catch (error) {
    if (isKilnError(error, "unsupportedLockVersion")) return `its lock-version is newer than kiln writes (${pylockVersion}); a newer tool made it`;
    return `it is not a pylock.toml kiln can read (${isKilnError(error) ? error.message.replace(/^Cannot read lock file "[^"]*": /, "") : String(error)})`;
  }
  const minor = (version: string) => Number(version.split(".")[1] ?? 0);
  if (minor(lock.lockVersion) > minor(pylockVersion)) return `its lock-version ${lock.lockVersion} is newer than kiln writes (${pylockVersion}); a newer tool made it`;
  return undefined;
}

function pyodideLockProblem(text: string): string | undefined {
  let document: unknown;
  try {
    document = JSON.parse(text);
  } catch {
    return "it is not JSON, so not a pyodide-lock.json";
  }
  const isObject = (value: unknown) => typeof value === "object" && value !== null && !Array.isArray(value);
  if (!isObject(document) || !isObject((document as Record<string, unknown>).info) || !isObject((document as Record<string, unknown>).packages)) {
    return "it is not a pyodide-lock.json (no `info` and `packages` objects)";
  }
  return undefined;
}

function requirementsProblem(text: string): string | undefined {
  for (const { line, text: logical } of logicalLines(text)) {
    if (pinOption.test(logical) || pinLine.test(logical)) continue;
    return `it is not a file of pinned requirements (line ${line}: ${JSON.stringify(logical.length > 60 ? `${logical.slice(0, 60)}…` : logical)})`;
  }
  return undefined;
}
