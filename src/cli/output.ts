import { isKilnError } from "../core/index.js";

/** A place to write text: process.stdout, or a buffer in tests. */
export interface TextSink {
  write(text: string): unknown;
  isTTY?: boolean;
}

/** Options for {@link Output}. */
export interface OutputOptions {
  stdout: TextSink;
  stderr: TextSink;
  env: Record<string, string | undefined>;
  /** `--color` as given on the command line; `auto` when absent. */
  color?: "auto" | "always" | "never";
}

const styles = { bold: [1, 22], dim: [2, 22], red: [31, 39], yellow: [33, 39], green: [32, 39], cyan: [36, 39] } as const;
/** A named text style. */
export type Style = keyof typeof styles;

/**
 * Everything the CLI prints goes through here: lines and JSON to stdout, diagnostics to stderr,
 * colour only when stderr/stdout is a terminal and `NO_COLOR` is not set (or `FORCE_COLOR` is).
 */
export class Output {
  readonly stdout: TextSink;
  readonly stderr: TextSink;
  readonly #options: OutputOptions;
  #color: boolean | undefined;

  constructor(options: OutputOptions) {
    this.stdout = options.stdout;
    this.stderr = options.stderr;
    this.#options = options;
  }

  /**
   * Whether text is painted; decided on first use, since asking stderr whether it is a terminal
   * makes Node build the stream, which a command that prints nothing never needs (see
   * src/platform/node-lazy-stdio.ts).
   */
  get color(): boolean {
    return (this.#color ??= decideColor(this.#options));
  }

  /** Paints `text` when colour is on. */
  paint(style: Style, text: string): string {
    if (!this.color) return text;
    const [open, close] = styles[style];
    return `\u001b[${open}m${text}\u001b[${close}m`;
  }

  /** Writes one line to stdout. */
  line(text = ""): void {
    this.stdout.write(`${text}\n`);
  }

  /** Writes a value as pretty JSON to stdout. */
  json(value: unknown): void {
    this.stdout.write(`${JSON.stringify(value, null, 2)}\n`);
  }

  /** Writes a diagnostic line to stderr. */
  note(text: string): void {
    this.stderr.write(`${text}\n`);
  }

  warn(text: string): void {
    this.stderr.write(`${this.paint("yellow", this.paint("bold", "warning"))}: ${text}\n`);
  }

  /** Renders an error as `error: …` with its causes and `hint: …`. */
  error(error: unknown): void {
    const lines = describeError(error);
    this.stderr.write(`${this.paint("red", this.paint("bold", "error"))}: ${lines.message}\n`);
    for (const cause of lines.causes) this.stderr.write(`  ${this.paint("dim", "caused by")}: ${cause}\n`);
    if (lines.hint) this.stderr.write(`${this.paint("cyan", this.paint("bold", "hint"))}: ${lines.hint}\n`);
  }
}

function decideColor(options: OutputOptions): boolean {
  if (options.color === "always") return true;
  if (options.color === "never") return false;
  const env = options.env;
  if (env.NO_COLOR !== undefined && env.NO_COLOR !== "") return false;
  if (env.FORCE_COLOR !== undefined && env.FORCE_COLOR !== "0") return true;
  return Boolean(options.stderr.isTTY) && env.TERM !== "dumb";
}

/** The message, cause chain and hint of an error, as printed by the CLI and in `--json`. */
export function describeError(error: unknown): { code: string; message: string; causes: string[]; hint?: string } {
  const causes: string[] = [];
  let cause = error instanceof Error ? error.cause : undefined;
  // A cause whose text the line above already quotes ("Cannot read x: ENOENT: …" over "ENOENT: …") says nothing new.
  let above = error instanceof Error ? error.message : String(error);
  for (let depth = 0; cause !== undefined && depth < 8; depth++) {
    const text = cause instanceof Error ? cause.message : String(cause);
    if (!above.includes(text)) {
      causes.push(text);
      above = text;
    }
    cause = cause instanceof Error ? cause.cause : undefined;
  }
  if (isKilnError(error)) {
    return { code: error.code, message: error.message, causes, ...(error.hint ? { hint: error.hint } : {}) };
  }
  const message = error instanceof Error ? error.stack ?? error.message : String(error);
  return {
    code: "internal",
    message: `kiln crashed: ${message}`,
    causes,
    hint: "This is a bug in kiln; please report it with the command you ran",
  };
}
