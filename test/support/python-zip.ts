import { runHostPython } from "./host-python.js";

/** One entry for {@link makeZipWithPython}. */
export interface PythonZipEntry {
  name: string;
  data: Uint8Array | string;
  method?: "stored" | "deflated";
  /** Unix mode bits stored in the external attributes, e.g. 0o100755. */
  mode?: number;
}

/** Options for {@link makeZipWithPython}. */
export interface PythonZipOptions {
  /** Force zip64 local headers for every entry (zipfile adds zip64 end records only when needed). */
  zip64?: boolean;
  comment?: string;
  /** Write through a non-seekable stream, so entries get data descriptors. */
  streamed?: boolean;
}

/**
 * Builds a zip archive with the host Python's `zipfile`, the reference implementation kiln's
 * reader is compared against.
 *
 * @example
 * const bytes = makeZipWithPython([{ name: "a.txt", data: "hi" }], { zip64: true });
 */
export function makeZipWithPython(entries: PythonZipEntry[], options: PythonZipOptions = {}): Uint8Array {
  const program = String.raw`
import base64, io, json, sys, zipfile
spec = json.load(sys.stdin)
class Unseekable(io.RawIOBase):
    def __init__(self): self.buffer = bytearray()
    def writable(self): return True
    def write(self, b): self.buffer += b; return len(b)
target = Unseekable() if spec["streamed"] else io.BytesIO()
with zipfile.ZipFile(target, "w", allowZip64=True) as archive:
    for entry in spec["entries"]:
        info = zipfile.ZipInfo(entry["name"], date_time=(2020, 1, 1, 0, 0, 0))
        info.compress_type = zipfile.ZIP_DEFLATED if entry["method"] == "deflated" else zipfile.ZIP_STORED
        if entry["mode"] is not None:
            info.external_attr = entry["mode"] << 16
        with archive.open(info, "w", force_zip64=spec["zip64"]) as handle:
            handle.write(base64.b64decode(entry["data"]))
    if spec["comment"]:
        archive.comment = spec["comment"].encode()
data = bytes(target.buffer) if spec["streamed"] else target.getvalue()
print(json.dumps(base64.b64encode(data).decode()))
`;
  const input = {
    entries: entries.map((entry) => ({
      name: entry.name,
      data: Buffer.from(typeof entry.data === "string" ? new TextEncoder().encode(entry.data) : entry.data).toString("base64"),
      method: entry.method ?? "deflated",
      mode: entry.mode ?? null,
    })),
    zip64: options.zip64 ?? false,
    comment: options.comment ?? "",
    streamed: options.streamed ?? false,
  };
  return new Uint8Array(Buffer.from(runHostPython<string>(program, input), "base64"));
}
