import { isKilnError } from "../core/index.js";
import { parseRecord, recordHash, type RecordRow } from "../archive/index.js";
import type { AuditFile } from "./audit-target.js";
import type { Finding } from "./finding.js";

/** The sha256 (hex) of every file, computed while checking RECORD. */
export type FileDigests = Map<string, string>;

/** What {@link checkRecord} found, with what it read on the way. */
export interface RecordCheck {
  findings: Finding[];
  digests: FileDigests;
  /**
   * Every file's bytes as read for hashing, so later checks do not read (inflate and CRC-check)
   * the same entries a second time.
   */
  contents: Map<string, Uint8Array>;
  /** Files that could not be read (a corrupt or lying zip entry): each is an `unreadableEntry` finding. */
  unreadable: Set<string>;
}

/** Options for {@link checkRecord}. */
export interface RecordCheckOptions {
  /** Check RECORD (a wheel); otherwise only hash the files (a module, a directory). */
  wheel: boolean;
  /**
   * A synchronous native sha256 (hex) of the platform, when it has one: each file is hashed
   * right after it is read, while its bytes are in cache. Without it, `crypto.subtle` hashes
   * every file off the main thread.
   */
  sha256Hex?: (bytes: Uint8Array) => string;
}

/**
 * Check 2: RECORD integrity. Every file listed must exist with the recorded hash and size,
 * every file present must be listed (signatures `RECORD.jws`/`RECORD.p7s` excepted), and the
 * hash algorithm must be sha256 or stronger. Also returns each file's sha256 for provenance.
 *
 * @example
 * const { findings, digests } = await checkRecord(target.files, { wheel: true });
 */
export async function checkRecord(files: readonly AuditFile[], options: RecordCheckOptions): Promise<RecordCheck> {
  const findings: Finding[] = [];
  const digests: FileDigests = new Map();
  const contents = new Map<string, Uint8Array>();
  const unreadable = new Set<string>();
  // Every crypto.subtle digest is started before any is awaited: it hashes off the main thread,
  // so hashing overlaps with inflating the next files.
  const pending: Promise<void>[] = [];
  const hashed = new Map<Uint8Array, Promise<string>>();
  for (const file of files) {
    let bytes: Uint8Array;
    try {
      bytes = await file.read();
    } catch (error) {
      // One corrupt entry (CRC-32 mismatch, bad deflate data, a size that lies) is a finding:
      // installers refuse the wheel, and the rest of it can still be audited.
      if (!isKilnError(error)) throw error;
      unreadable.add(file.path);
      findings.push({ code: "unreadableEntry", check: "record", severity: "error", effect: "install", file: file.path, message: error.message });
      continue;
    }
    contents.set(file.path, bytes);
    // The zip reader hands back one array for identical entries (a library under two names): hash it once.
    let digest = hashed.get(bytes);
    if (!digest) {
      digest = options.sha256Hex ? Promise.resolve(options.sha256Hex(bytes)) : crypto.subtle.digest("SHA-256", bytes as Uint8Array<ArrayBuffer>).then((d) => hex(new Uint8Array(d)));
      hashed.set(bytes, digest);
    }
    pending.push(digest.then((hexDigest) => void digests.set(file.path, hexDigest)));
  }
  await Promise.all(pending);
  if (!options.wheel) return { findings, digests, contents, unreadable };
  const recordPath = files.map((f) => f.path).find((p) => /^[^/]+\.dist-info\/RECORD$/.test(p));
  if (!recordPath) {
    findings.push({ code: "recordMissing", check: "record", severity: "error", effect: "install", message: "The wheel has no .dist-info/RECORD file; installers refuse it" });
    return { findings, digests, contents, unreadable };
  }
  let rows: RecordRow[];
  try {
    rows = parseRecord(new TextDecoder().decode(contents.get(recordPath)));
  } catch (error) {
    if (!isKilnError(error)) throw error;
    findings.push({ code: "recordUnreadable", check: "record", severity: "error", effect: "install", file: recordPath, message: error.message });
    return { findings, digests, contents, unreadable };
  }
  const listed = new Set<string>();
  for (const row of rows) {
    listed.add(row.path);
    if (unreadable.has(row.path)) continue;
    findings.push(...(await checkRow(row, contents.get(row.path), recordPath, digests.get(row.path))));
  }
  const dist = recordPath.slice(0, recordPath.lastIndexOf("/") + 1);
  const unlisted = files.filter((f) => !listed.has(f.path) && f.path !== `${dist}RECORD.jws` && f.path !== `${dist}RECORD.p7s`);
  for (const file of unlisted) {
    findings.push({ code: "recordUnlisted", check: "record", severity: "error", effect: "install", file: file.path, message: `${file.path} is in the wheel but not in RECORD` });
  }
  return { findings, digests, contents, unreadable };
}

async function checkRow(row: RecordRow, bytes: Uint8Array | undefined, recordPath: string, sha256?: string): Promise<Finding[]> {
  const base = { check: "record" as const, file: row.path };
  if (bytes === undefined) {
    return [{ ...base, code: "recordMissingFile", severity: "error", effect: "install", message: `RECORD lists ${row.path}, which is not in the wheel` }];
  }
  if (row.path === recordPath) return [];
  if (!row.hash) return [{ ...base, code: "recordNoHash", severity: "error", effect: "install", message: `RECORD gives no hash for ${row.path}` }];
  if (row.hash.algorithm === "md5" || row.hash.algorithm === "sha1") {
    return [{ ...base, code: "recordWeakHash", severity: "error", effect: "install", message: `RECORD hashes ${row.path} with ${row.hash.algorithm}; the wheel spec requires sha256 or stronger` }];
  }
  const findings: Finding[] = [];
  let actual;
  try {
    // The sha256 computed for provenance is reused rather than hashing the file twice.
    actual = row.hash.algorithm === "sha256" && sha256 ? { algorithm: "sha256", digest: hexToUrlsafeBase64(sha256) } : await recordHash(bytes, row.hash.algorithm);
  } catch (error) {
    if (!isKilnError(error)) throw error;
    return [{ ...base, code: "recordWeakHash", severity: "error", effect: "install", message: error.message }];
  }
  if (actual.digest !== row.hash.digest) {
    findings.push({
      ...base, code: "recordHashMismatch", severity: "error", effect: "install",
      message: `${row.path} does not match its RECORD hash`, evidence: { recorded: row.hash.digest, actual: actual.digest, algorithm: row.hash.algorithm },
    });
  }
  if (row.size !== undefined && row.size !== bytes.length) {
    findings.push({ ...base, code: "recordSizeMismatch", severity: "error", effect: "install", message: `${row.path} is ${bytes.length} bytes, RECORD says ${row.size}`, evidence: { recorded: row.size, actual: bytes.length } });
  }
  return findings;
}

const hexDigits = Array.from({ length: 256 }, (_, b) => b.toString(16).padStart(2, "0"));

function hex(bytes: Uint8Array): string {
  let text = "";
  for (const byte of bytes) text += hexDigits[byte];
  return text;
}

const base64Digits = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";

/**
 * A lower-case hex digest as RECORD writes it (URL-safe base64 without padding), without the
 * byte array, regular expression and `btoa` of the general encoder: it runs once per file.
 *
 * @example
 * hexToUrlsafeBase64("fbff"); // "-_8"
 */
export function hexToUrlsafeBase64(hexDigest: string): string {
  const nibble = (index: number) => {
    const code = hexDigest.charCodeAt(index);
    return code <= 0x39 ? code - 0x30 : code - 0x57;
  };
  const byte = (index: number) => (index * 2 + 1 < hexDigest.length ? (nibble(index * 2) << 4) | nibble(index * 2 + 1) : 0);
  const length = hexDigest.length >> 1;
  let text = "";
  for (let index = 0; index < length; index += 3) {
    const group = (byte(index) << 16) | (byte(index + 1) << 8) | byte(index + 2);
    text += base64Digits[group >> 18]! + base64Digits[(group >> 12) & 63]!;
    if (index + 1 < length) text += base64Digits[(group >> 6) & 63]!;
    if (index + 2 < length) text += base64Digits[group & 63]!;
  }
  return text;
}
