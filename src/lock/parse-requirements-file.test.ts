import { strict as assert } from "node:assert";
import { mkdtempSync, mkdirSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { test } from "node:test";
import { pathToFileURL } from "node:url";
import { isKilnError } from "../core/index.js";
import { runHostPython } from "../../test/support/host-python.js";
import { parseRequirementsFile, type RequirementsFileContents } from "./parse-requirements-file.js";
import { logicalLines, splitOptionWords } from "./requirements-file-lines.js";

/** An in-memory file system of `file:///p/…` URLs. */
function reader(files: Record<string, string>) {
  return async (location: string) => {
    const path = decodeURIComponent(new URL(location).pathname);
    if (!(path in files)) throw new Error(`no such file ${path}`);
    return files[path]!;
  };
}

async function parse(files: Record<string, string>, env: Record<string, string> = {}): Promise<RequirementsFileContents> {
  return parseRequirementsFile("file:///p/requirements.in", { read: reader(files), env });
}

const lines: [string, string, Array<[number, string]>][] = [
  ["continuations join, the entry keeps its first line", "a \\\n  >=1\nb", [[1, "a   >=1"], [3, "b"]]],
  ["comments at line start or after white space", "# x\na # pin\nhttps://h/x.whl#egg=x\n  # indented", [[2, "a"], [3, "https://h/x.whl#egg=x"]]],
  ["a comment line ends a continuation", "a \\\n# c\nb", [[1, "a"], [3, "b"]]],
  ["a trailing backslash at the end of the file", "a \\", [[1, "a"]]],
  ["CRLF and blank lines", "a\r\n\r\nb\r\n", [[1, "a"], [3, "b"]]],
];
for (const [name, text, expected] of lines) {
  test(`logicalLines: ${name}`, () => assert.deepEqual(logicalLines(text).map((l) => [l.line, l.text]), expected));
}

test("splitOptionWords: quotes and escapes like shlex", () => {
  assert.deepEqual(splitOptionWords(`--index-url "https://h/my index/" 'a b' c\\ d`, "x"), ["--index-url", "https://h/my index/", "a b", "c d"]);
  assert.throws(() => splitOptionWords(`-i "x`, "f:1"), (e) => isKilnError(e, "invalidRequirementsFile") && /f:1: a quote is not closed/.test(e.message));
});

test("parseRequirementsFile: options, nested files, hashes, editables and environment variables", async () => {
  const contents = await parse(
    {
      "/p/requirements.in": [
        "--index-url=https://${USER_TOKEN}@example.org/simple/",
        "--extra-index-url https://extra.example.org/simple/",
        "-f wheels",
        "--find-links=https://example.org/links/",
        "--pre",
        "--only-binary :all:",
        "--trusted-host example.org",
        "-r sub/base.txt",
        "requests>=2 --hash=sha256:AB12 \\",
        "    --hash sha256:cd34",
        "-e ./local-project",
        "https://example.org/x-1.0-py3-none-any.whl",
        "pkg @ https://example.org/pkg-1.0.tar.gz",
        "pkg2 @ https://example.org/${UNSET_VAR}/p.whl ; python_version > '3'",
      ].join("\n"),
      "/p/sub/base.txt": "-csub-constraints.txt\nattrs\n",
      "/p/sub/sub-constraints.txt": "-r again.txt\nurllib3<3\n",
      "/p/sub/again.txt": "idna\n",
    },
    { USER_TOKEN: "t0k" },
  );
  assert.equal(contents.indexUrl, "https://t0k@example.org/simple/");
  assert.deepEqual(contents.extraIndexUrls, ["https://extra.example.org/simple/"]);
  assert.deepEqual(contents.findLinks, ["file:///p/wheels", "https://example.org/links/"]);
  assert.equal(contents.pre, true);
  assert.deepEqual(contents.onlyBinary, [":all:"]);
  assert.deepEqual(contents.trustedHosts, ["example.org"]);
  assert.deepEqual(
    contents.requirements.map((e) => [e.text, e.kind, e.editable, e.hashes, `${e.file}:${e.line}`]),
    [
      // pip: a -r inside a -c file adds requirements.
      ["idna", "requirement", false, [], "/p/sub/again.txt:1"],
      ["attrs", "requirement", false, [], "/p/sub/base.txt:2"],
      ["requests>=2", "requirement", false, ["sha256:ab12", "sha256:cd34"], "/p/requirements.in:9"],
      ["./local-project", "path", true, [], "/p/requirements.in:11"],
      ["https://example.org/x-1.0-py3-none-any.whl", "url", false, [], "/p/requirements.in:12"],
      ["pkg @ https://example.org/pkg-1.0.tar.gz", "requirement", false, [], "/p/requirements.in:13"],
      ["pkg2 @ https://example.org/${UNSET_VAR}/p.whl ; python_version > '3'", "requirement", false, [], "/p/requirements.in:14"],
    ],
  );
  assert.deepEqual(contents.requirements[0]!.via, ["/p/requirements.in", "/p/sub/base.txt", "/p/sub/sub-constraints.txt", "/p/sub/again.txt"]);
  assert.deepEqual(contents.constraints.map((e) => e.text), ["urllib3<3"]);
});

const failures: [string, Record<string, string>, RegExp][] = [
  ["an unknown option", { "/p/requirements.in": "a\n--use-pep517\n" }, /requirements\.in:2: kiln does not support the option "--use-pep517"/],
  ["an unknown requirement option", { "/p/requirements.in": "a --install-option=x\n" }, /requirements\.in:1: kiln does not support the requirement option "--install-option"/],
  ["a malformed hash", { "/p/requirements.in": "a --hash=sha256\n" }, /requirements\.in:1: "sha256" is not a hash/],
  ["a file that includes itself", { "/p/requirements.in": "-r b.txt\n", "/p/b.txt": "-r requirements.in\n" }, /it includes itself \(\/p\/requirements\.in → \/p\/b\.txt → \/p\/requirements\.in\)/],
  ["an editable constraint", { "/p/requirements.in": "-c c.txt\n", "/p/c.txt": "-e .\n" }, /c\.txt:1: editable requirements cannot be constraints/],
  ["an option without its value", { "/p/requirements.in": "--index-url\n" }, /requirements\.in:1: --index-url needs a value/],
  ["a value for a flag", { "/p/requirements.in": "--pre=yes\n" }, /--pre takes no value/],
  ["a file: URL with a malformed %-escape", { "/p/requirements.in": "-r file:///p/%zz.txt\n" }, /requirements\.in:1: "file:\/\/\/p\/%zz\.txt" is not a usable path or URL/],
  ["not a requirement", { "/p/requirements.in": "requests >>= 2\n" }, /requirements\.in:1: "requests >>= 2" is not a valid requirement/],
];
for (const [name, files, message] of failures) {
  test(`parseRequirementsFile refuses ${name}`, async () => {
    await assert.rejects(parse(files), (e) => isKilnError(e, "invalidRequirementsFile") && message.test(e.message));
  });
}

test("parseRequirementsFile: a reader failure propagates", async () => {
  await assert.rejects(parse({ "/p/requirements.in": "-r missing.txt" }), /no such file \/p\/missing\.txt/);
});

test("parseRequirementsFile agrees with pip's parse_requirements (differential)", async () => {
  const root = mkdtempSync(join(tmpdir(), "kiln-reqfile-"));
  try {
    mkdirSync(join(root, "sub"));
    const files: Record<string, string> = {
      "requirements.txt": "# top\nrequests[socks] >= 2.0 ; python_version >= '3.8' \\\n  --hash=sha256:aa --hash=sha256:bb\n-r sub/more.txt\n-c constraints.txt\n-e ./proj\n./dist/x-1.0-py3-none-any.whl\npkg @ https://h/p.tar.gz # c\nhttps://h/y-2.0-py3-none-any.whl\n${KILN_TEST_NAME}==1\n",
      "sub/more.txt": "attrs  # why\n\n--pre\nidna==3.*\n",
      "constraints.txt": "urllib3<3\n",
    };
    for (const [name, text] of Object.entries(files)) writeFileSync(join(root, name), text);
    const env = { KILN_TEST_NAME: "six" };
    const top = join(root, "requirements.txt");
    const ours = await parseRequirementsFile(pathToFileURL(top).href, { read: (url) => import("node:fs/promises").then((fs) => fs.readFile(new URL(url), "utf8")), env });
    const pip = runHostPython<Array<{ text: string; editable: boolean; constraint: boolean; hashes: string[] }>>(
      `import json, os, sys
os.environ.update(json.loads(sys.stdin.read())["env"])
from pip._internal.network.session import PipSession
from pip._internal.req.req_file import parse_requirements
out = []
for r in parse_requirements(${JSON.stringify(top)}, session=PipSession()):
    hashes = [f"{k}:{v}" for k, vs in (r.options or {}).get("hashes", {}).items() for v in vs]
    # pip keeps white space that preceded the options; kiln trims it.
    out.append({"text": r.requirement.strip(), "editable": r.is_editable, "constraint": r.constraint, "hashes": hashes})
print(json.dumps(out))`,
      { env },
    );
    const mine = [...ours.requirements.map((e) => ({ ...e, constraint: false })), ...ours.constraints.map((e) => ({ ...e, constraint: true }))].map((e) => ({
      text: e.text,
      editable: e.editable,
      constraint: e.constraint,
      hashes: e.hashes,
    }));
    const order = (list: typeof mine) => [...list].sort((a, b) => (a.text < b.text ? -1 : 1));
    assert.deepEqual(order(mine), order(pip));
  } finally {
    rmSync(root, { recursive: true, force: true });
  }
});
