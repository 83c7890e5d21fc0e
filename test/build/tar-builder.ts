import { gzipSync } from "node:zlib";
import { runHostPython } from "../support/host-python.js";

/** One raw header for {@link buildTar}; fields left out get ordinary values. */
export interface RawTarEntry {
  name: string;
  data?: Uint8Array | string;
  /** Type flag character; default "0" (file). */
  type?: string;
  linkName?: string;
  mode?: number;
  /** Size written into the header, when it should lie about the data. */
  headerSize?: number;
  /** Bytes to write over the header after the checksum is computed (to corrupt it). */
  patch?: { offset: number; bytes: number[] };
  /** ustar prefix field. */
  prefix?: string;
}

const encoder = new TextEncoder();

function field(block: Uint8Array, offset: number, length: number, value: string): void {
  block.set(encoder.encode(value).subarray(0, length), offset);
}

function octal(value: number, length: number): string {
  return value.toString(8).padStart(length - 1, "0") + "\0";
}

/**
 * Writes a ustar archive by hand, so tests can make headers no honest tar tool writes (wrong
 * checksums, lying sizes, device files, absolute names).
 *
 * @example
 * const tar = buildTar([{ name: "../evil", data: "x" }], { gzip: true });
 */
export function buildTar(entries: RawTarEntry[], options: { gzip?: boolean; end?: boolean } = {}): Uint8Array {
  const blocks: Uint8Array[] = [];
  for (const entry of entries) {
    const data = typeof entry.data === "string" ? encoder.encode(entry.data) : (entry.data ?? new Uint8Array());
    const header = new Uint8Array(512);
    field(header, 0, 100, entry.name);
    field(header, 100, 8, octal(entry.mode ?? 0o644, 8));
    field(header, 108, 8, octal(0, 8));
    field(header, 116, 8, octal(0, 8));
    field(header, 124, 12, octal(entry.headerSize ?? data.length, 12));
    field(header, 136, 12, octal(0, 12));
    field(header, 148, 8, "        ");
    field(header, 156, 1, entry.type ?? "0");
    field(header, 157, 100, entry.linkName ?? "");
    field(header, 257, 6, "ustar\0");
    field(header, 263, 2, "00");
    field(header, 345, 155, entry.prefix ?? "");
    const sum = header.reduce((a, b) => a + b, 0);
    field(header, 148, 8, sum.toString(8).padStart(6, "0") + "\0 ");
    if (entry.patch) header.set(entry.patch.bytes, entry.patch.offset);
    blocks.push(header, data, new Uint8Array((512 - (data.length % 512)) % 512));
  }
  if (options.end !== false) blocks.push(new Uint8Array(1024));
  const total = blocks.reduce((n, b) => n + b.length, 0);
  const tar = new Uint8Array(total);
  let at = 0;
  for (const block of blocks) {
    tar.set(block, at);
    at += block.length;
  }
  return options.gzip ? new Uint8Array(gzipSync(tar)) : tar;
}

/** One entry for {@link makeTarWithPython}. */
export interface PythonTarEntry {
  name: string;
  type: "file" | "directory" | "symlink" | "hardlink";
  data?: string;
  linkName?: string;
  mode?: number;
}

/**
 * Builds a gzip-compressed tar with the host Python's `tarfile` in the given format, the
 * reference implementation kiln's reader is compared against.
 *
 * @example
 * const bytes = makeTarWithPython([{ name: "a/b.txt", type: "file", data: "hi" }], "pax");
 */
export function makeTarWithPython(entries: PythonTarEntry[], format: "ustar" | "gnu" | "pax"): Uint8Array {
  const program = String.raw`
import base64, io, json, sys, tarfile
spec = json.load(sys.stdin)
formats = {"ustar": tarfile.USTAR_FORMAT, "gnu": tarfile.GNU_FORMAT, "pax": tarfile.PAX_FORMAT}
types = {"file": tarfile.REGTYPE, "directory": tarfile.DIRTYPE, "symlink": tarfile.SYMTYPE, "hardlink": tarfile.LNKTYPE}
out = io.BytesIO()
with tarfile.open(fileobj=out, mode="w:gz", format=formats[spec["format"]]) as tar:
    for e in spec["entries"]:
        info = tarfile.TarInfo(e["name"])
        info.type = types[e["type"]]
        info.mode = e.get("mode", 0o644)
        data = e.get("data", "").encode()
        info.size = len(data) if e["type"] == "file" else 0
        info.linkname = e.get("linkName", "")
        tar.addfile(info, io.BytesIO(data) if e["type"] == "file" else None)
print(json.dumps(base64.b64encode(out.getvalue()).decode()))
`;
  return new Uint8Array(Buffer.from(runHostPython<string>(program, { entries, format }), "base64"));
}
