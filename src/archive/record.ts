import { KilnError } from "../core/index.js";
import { formatRecordHash, parseRecordHash, type RecordHash } from "./record-hash.js";

/** One row of a RECORD file: an installed path, its hash and size (both absent for RECORD itself). */
export interface RecordRow {
  path: string;
  hash?: RecordHash;
  size?: number;
}

function recordError(line: number, why: string): KilnError {
  return new KilnError("invalidRecord", `Cannot parse RECORD line ${line}: ${why}`, {
    hint: "RECORD is CSV with rows path,algorithm=digest,size; the wheel is damaged or was built by a broken tool",
  });
}

/** Splits CSV text the way Python's csv module (excel dialect) does, strict about stray quotes. */
function parseCsv(text: string): { fields: string[]; line: number }[] {
  const rows: { fields: string[]; line: number }[] = [];
  let fields: string[] = [];
  let field = "";
  let line = 1;
  let rowLine = 1;
  let i = 0;
  let atFieldStart = true;
  const endRow = () => {
    fields.push(field);
    if (!(fields.length === 1 && fields[0] === "")) rows.push({ fields, line: rowLine });
    fields = [];
    field = "";
    atFieldStart = true;
  };
  while (i < text.length) {
    const char = text[i]!;
    if (atFieldStart && char === '"') {
      let j = i + 1;
      for (;;) {
        if (j >= text.length) throw recordError(rowLine, "unterminated quoted field");
        if (text[j] === '"') {
          if (text[j + 1] === '"') {
            field += '"';
            j += 2;
            continue;
          }
          break;
        }
        if (text[j] === "\n") line++;
        field += text[j++];
      }
      i = j + 1;
      const next = text[i];
      if (next !== undefined && next !== "," && next !== "\n" && next !== "\r") throw recordError(rowLine, "text after a closing quote");
      atFieldStart = false;
      continue;
    }
    if (char === ",") {
      fields.push(field);
      field = "";
      atFieldStart = true;
    } else if (char === "\n" || char === "\r") {
      endRow();
      if (char === "\r" && text[i + 1] === "\n") i++;
      line++;
      rowLine = line;
    } else if (char === '"') {
      throw recordError(rowLine, "a quote inside an unquoted field");
    } else {
      field += char;
      atFieldStart = false;
    }
    i++;
  }
  if (field !== "" || fields.length > 0) endRow();
  return rows;
}

/**
 * Parses a wheel's RECORD file (https://packaging.python.org/en/latest/specifications/recording-installed-packages/#the-record-file):
 * CSV rows of `path,hash,size`, where hash and size may be empty.
 *
 * @example
 * parseRecord("pkg/__init__.py,sha256=47DEQpj8HBSa-_TImW-5JCeuQeRkm5NMpJWZG3hSuFU,0\npkg-1.0.dist-info/RECORD,,\n");
 * // [{ path: "pkg/__init__.py", hash: { algorithm: "sha256", digest: "47DE…" }, size: 0 }, { path: "pkg-1.0.dist-info/RECORD" }]
 */
export function parseRecord(text: string): RecordRow[] {
  return parseCsv(text).map(({ fields, line }) => {
    if (fields.length > 3) throw recordError(line, `expected at most 3 fields, found ${fields.length}`);
    const [path = "", hash = "", size = ""] = fields;
    if (path === "") throw recordError(line, "the path is empty");
    const row: RecordRow = { path };
    if (hash !== "") {
      try {
        row.hash = parseRecordHash(hash);
      } catch (error) {
        throw recordError(line, `bad hash "${hash}"`);
      }
    }
    if (size !== "") {
      if (!/^\d+$/.test(size) || !Number.isSafeInteger(Number(size))) throw recordError(line, `bad size "${size}"`);
      row.size = Number(size);
    }
    return row;
  });
}

const needsQuotes = /[",\r\n]/;

function quoteField(field: string): string {
  return needsQuotes.test(field) ? `"${field.replace(/"/g, '""')}"` : field;
}

/**
 * Formats RECORD rows as CSV (minimal quoting, `\n` line ends), the inverse of {@link parseRecord}.
 *
 * @example
 * formatRecord([{ path: "a,b.py", hash: { algorithm: "sha256", digest: "x" }, size: 1 }]); // "\"a,b.py\",sha256=x,1\n"
 */
export function formatRecord(rows: readonly RecordRow[]): string {
  // One string built in a loop: an install formats a row per file (thousands), and a size (digits)
  // never needs quoting.
  let text = "";
  for (const row of rows) text += `${quoteField(row.path)},${row.hash ? quoteField(formatRecordHash(row.hash)) : ""},${row.size ?? ""}\n`;
  return text;
}
