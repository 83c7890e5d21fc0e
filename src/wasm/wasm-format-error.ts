import { KilnError } from "../core/index.js";

/**
 * A WebAssembly binary that cannot be read: truncated, malformed or hostile. Carries the byte
 * offset where reading stopped, so a report can point at it.
 *
 * @example
 * throw new WasmFormatError({ source: "mod.so", offset: 8, problem: "section size runs past the end" });
 */
export class WasmFormatError extends KilnError {
  override name = "WasmFormatError";
  /** Byte offset into the module where the problem was found. */
  readonly offset: number;
  /** Where the bytes came from (a file or archive entry name). */
  readonly source: string;

  constructor(options: { source: string; offset: number; problem: string; cause?: unknown }) {
    super("invalidWasm", `Cannot read WebAssembly module "${options.source}": ${options.problem} at offset 0x${options.offset.toString(16)}`, {
      hint: "The file is truncated, corrupt or not a WebAssembly module; rebuild or re-download it",
      cause: options.cause,
    });
    this.offset = options.offset;
    this.source = options.source;
  }
}
