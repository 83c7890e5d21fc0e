import { strict as assert } from "node:assert";
import { test } from "node:test";
import type { AuditFile } from "./audit-target.js";
import { checkWheelLayout } from "./check-wheel-layout.js";

const encoder = new TextEncoder();
const wheel = { filename: "demo-1.0-py3-none-any.whl", name: "demo", version: "1.0", tags: [] };
const metadata = "Metadata-Version: 2.1\nName: demo\nVersion: 1.0\n\n";
const wheelFile = "Wheel-Version: 1.0\nGenerator: test\nRoot-Is-Purelib: true\nTag: py3-none-any\n";

function filesOf(contents: Record<string, string>): AuditFile[] {
  return Object.entries(contents).map(([path, text]) => ({ path, size: text.length, read: async () => encoder.encode(text) }));
}

/** A well-formed wheel's files, with some replaced (undefined drops one). */
function layout(changes: Record<string, string | undefined> = {}): AuditFile[] {
  const base: Record<string, string | undefined> = {
    "demo/__init__.py": "",
    "demo-1.0.dist-info/METADATA": metadata,
    "demo-1.0.dist-info/WHEEL": wheelFile,
    "demo-1.0.dist-info/RECORD": "",
    ...changes,
  };
  return filesOf(Object.fromEntries(Object.entries(base).filter((entry): entry is [string, string] => entry[1] !== undefined)));
}

// Each is a wheel kiln's installer (and pip) refuses: the audit must not say it installs.
const cases: [string, AuditFile[], string[]][] = [
  ["a well-formed wheel", layout({ "demo-1.0.data/scripts/demo-tool": "#!python\n", "demo-1.0.data/headers/demo.h": "", "demo-1.0.dist-info/entry_points.txt": "[console_scripts]\ndemo = demo:main\n[demo.plugins]\npython = demo.plugin\n" }), []],
  ["Wheel-Version 2.0", layout({ "demo-1.0.dist-info/WHEEL": wheelFile.replace("1.0", "2.0") }), ["unsupportedWheelVersion"]],
  ["Wheel-Version 0.9", layout({ "demo-1.0.dist-info/WHEEL": wheelFile.replace("1.0", "0.9") }), ["unsupportedWheelVersion"]],
  ["two .dist-info directories", layout({ "other-1.0.dist-info/METADATA": metadata }), ["distInfoMismatch"]],
  ["a .dist-info of another project", filesOf({ "other-1.0.dist-info/METADATA": metadata, "other-1.0.dist-info/WHEEL": wheelFile }), ["distInfoMismatch"]],
  ["no METADATA", layout({ "demo-1.0.dist-info/METADATA": undefined }), ["metadataMismatch"]],
  ["METADATA without a Name", layout({ "demo-1.0.dist-info/METADATA": "Metadata-Version: 2.1\nVersion: 1.0\n\n" }), ["metadataMismatch"]],
  ["METADATA of another project", layout({ "demo-1.0.dist-info/METADATA": metadata.replace("demo", "other") }), ["metadataMismatch"]],
  ["METADATA of another version", layout({ "demo-1.0.dist-info/METADATA": metadata.replace("Version: 1.0", "Version: 2.0") }), ["metadataMismatch"]],
  ["an unknown .data directory", layout({ "demo-1.0.data/weird/x.py": "" }), ["unknownDataDirectory"]],
  ["a file directly in .data/scripts' parent", layout({ "demo-1.0.data/scripts": "" }), ["unknownDataDirectory"]],
  ["a file where another needs a directory", layout({ "demo/x": "", "demo/x/y.py": "" }), ["fileDirectoryConflict"]],
  ["a .data file over pyvenv.cfg", layout({ "demo-1.0.data/data/pyvenv.cfg": "" }), ["environmentFile"]],
  ["a .data file in kiln's install state", layout({ "demo-1.0.data/data/.kiln-install/tx-0/plan.json": "{}" }), ["environmentFile"]],
  ["a script named python3", layout({ "demo-1.0.data/scripts/python3": "" }), ["environmentFile"]],
  ["a console script named python3", layout({ "demo-1.0.dist-info/entry_points.txt": "[console_scripts]\npython3 = demo:main\n" }), ["environmentFile"]],
  ["a gui script named ..", layout({ "demo-1.0.dist-info/entry_points.txt": "[gui_scripts]\n.. = demo:main\n" }), ["invalidEntryPoints"]],
  ["a console script name with a slash", layout({ "demo-1.0.dist-info/entry_points.txt": "[console_scripts]\nbin/x = demo:main\n" }), ["invalidEntryPoints"]],
  ["an entry_points.txt line without =", layout({ "demo-1.0.dist-info/entry_points.txt": "[demo.plugins]\njust words\n" }), ["invalidEntryPoints"]],
];

for (const [label, files, codes] of cases) {
  test(`checkWheelLayout: ${label} → ${codes.join(", ") || "no findings"}`, async () => {
    const findings = await checkWheelLayout(files, wheel, new Set());
    assert.deepEqual(findings.map((finding) => finding.code), codes);
    for (const finding of findings) {
      assert.equal(finding.severity, "error");
      assert.equal(finding.effect, "install");
    }
  });
}

test("checkWheelLayout reads no file the RECORD check found unreadable", async () => {
  const files = layout().map((file) => (file.path.endsWith("METADATA") ? { ...file, read: () => Promise.reject(new Error("CRC mismatch")) } : file));
  assert.deepEqual(await checkWheelLayout(files, wheel, new Set(["demo-1.0.dist-info/METADATA"])), []);
});
