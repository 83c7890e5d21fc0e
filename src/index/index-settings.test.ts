import { strict as assert } from "node:assert";
import { test } from "node:test";
import { isKilnError } from "../core/index.js";
import { resolveIndexSettings, toLocationUrl, type IndexSettingsInputs } from "./index-settings.js";
import { parsePipConfig } from "./parse-pip-config.js";

const cwdUrl = "file:///work/";
const globalConf = { path: "/etc/pip.conf", baseUrl: cwdUrl, text: "[global]\nindex-url = https://global.example/simple/\ntimeout = 60\n" };
const userConf = {
  path: "/home/me/.config/pip/pip.conf",
  baseUrl: cwdUrl,
  text: "[global]\nindex-url = https://user.example/simple/\nextra-index-url =\n    https://a.example/simple/\n    https://b.example/simple/\n[install]\nindex_url = https://user-install.example/simple/\nfind-links = wheels\n",
};
const pyproject = {
  path: "/work/project/pyproject.toml",
  baseUrl: "file:///work/project/",
  text: '[project]\nname = "x"\n[tool.kiln]\nindex-url = "https://project.example/simple/"\nfind-links = ["dist", "https://links.example/"]\npyodide-base-url = "https://mirror.example/pyodide/"\n',
};

const cases: { name: string; inputs: Partial<IndexSettingsInputs>; expect: Record<string, unknown> }[] = [
  { name: "defaults", inputs: {}, expect: { indexUrl: "https://pypi.org/simple/", extraIndexUrls: [], indexStrategy: "first-index", offline: false } },
  { name: "pip.conf: [install] beats [global], later files beat earlier", inputs: { pipConfigs: [globalConf, userConf] }, expect: { indexUrl: "https://user-install.example/simple/", extraIndexUrls: ["https://a.example/simple/", "https://b.example/simple/"], findLinks: ["file:///work/wheels"], timeoutMs: 60_000 } },
  { name: "pip.conf: [install] in an earlier file beats [global] in a later one, as in pip", inputs: { pipConfigs: [{ ...globalConf, text: "[install]\nindex-url = https://global-install.example/simple/\n" }, { ...userConf, text: "[global]\nindex-url = https://user.example/simple/\n" }] }, expect: { indexUrl: "https://global-install.example/simple/" } },
  { name: "[tool.kiln] beats pip.conf; its relative paths are relative to the project", inputs: { pipConfigs: [userConf], pyproject }, expect: { indexUrl: "https://project.example/simple/", findLinks: ["file:///work/project/dist", "https://links.example/"], pyodideBaseUrl: "https://mirror.example/pyodide/", extraIndexUrls: ["https://a.example/simple/", "https://b.example/simple/"] } },
  { name: "uv's variables beat [tool.kiln]", inputs: { pyproject, env: { UV_INDEX_URL: "https://uv.example/simple/", UV_INDEX: "private=https://p.example/simple/ https://q.example/simple/" } }, expect: { indexUrl: "https://uv.example/simple/", extraIndexUrls: ["https://p.example/simple/", "https://q.example/simple/"] } },
  { name: "UV_DEFAULT_INDEX beats UV_INDEX_URL", inputs: { env: { UV_INDEX_URL: "https://old.example/simple/", UV_DEFAULT_INDEX: "https://new.example/simple/" } }, expect: { indexUrl: "https://new.example/simple/" } },
  { name: "pip's variables beat uv's", inputs: { env: { UV_INDEX_URL: "https://uv.example/simple/", PIP_INDEX_URL: "https://pip.example/simple/", PIP_EXTRA_INDEX_URL: "https://x.example/ https://y.example/", PIP_NO_INDEX: "yes" } }, expect: { indexUrl: "https://pip.example/simple/", extraIndexUrls: ["https://x.example/", "https://y.example/"], noIndex: true } },
  { name: "flags beat everything", inputs: { env: { PIP_INDEX_URL: "https://pip.example/simple/" }, flags: { indexUrl: "https://flag.example/simple/", findLinks: ["./here"], timeout: "5", offline: true } }, expect: { indexUrl: "https://flag.example/simple/", findLinks: ["file:///work/here"], timeoutMs: 5000, offline: true } },
  { name: "CA bundle: pip's cert beats SSL_CERT_FILE", inputs: { env: { SSL_CERT_FILE: "/etc/ssl/ca.pem", PIP_CERT: "/corp/ca.pem" } }, expect: { cert: "/corp/ca.pem" } },
  { name: "SSL_CERT_FILE alone", inputs: { env: { SSL_CERT_FILE: "/etc/ssl/ca.pem" } }, expect: { cert: "/etc/ssl/ca.pem" } },
  { name: "KILN_PYODIDE_BASE_URL and UV_INDEX_STRATEGY", inputs: { env: { KILN_PYODIDE_BASE_URL: "http://127.0.0.1:8000/", UV_INDEX_STRATEGY: "unsafe-best-match" } }, expect: { pyodideBaseUrl: "http://127.0.0.1:8000/", indexStrategy: "unsafe-best-match" } },
];

for (const c of cases) {
  test(`resolveIndexSettings: ${c.name}`, () => {
    const settings = resolveIndexSettings({ cwdUrl, env: {}, ...c.inputs });
    for (const [key, value] of Object.entries(c.expect)) assert.deepEqual((settings as unknown as Record<string, unknown>)[key], value, key);
  });
}

test("resolveIndexSettings records where each value came from", () => {
  const settings = resolveIndexSettings({ cwdUrl, env: { PIP_TIMEOUT: "9" }, pipConfigs: [userConf], pyproject });
  assert.equal(settings.origins.indexUrl, "[tool.kiln] in /work/project/pyproject.toml");
  assert.equal(settings.origins.extraIndexUrls, "/home/me/.config/pip/pip.conf [global]");
  assert.equal(settings.origins.timeoutMs, "pip's environment variables");
});

const invalid: [string, Partial<IndexSettingsInputs>, string, RegExp][] = [
  ["a non-boolean PIP_NO_INDEX", { env: { PIP_NO_INDEX: "maybe" } }, "invalidIndexConfig", /PIP_NO_INDEX must be true or false/],
  ["a bad timeout", { flags: { timeout: "soon" } }, "invalidIndexConfig", /--timeout must be a number of seconds/],
  ["an unknown strategy", { env: { UV_INDEX_STRATEGY: "newest" } }, "invalidIndexConfig", /"newest" from uv's environment variables/],
  ["a non-http index", { env: { PIP_INDEX_URL: "/srv/simple" } }, "invalidIndexUrl", /"\/srv\/simple"/],
  ["a wrong type in [tool.kiln]", { pyproject: { ...pyproject, text: '[tool.kiln]\nfind-links = "dist"\n' } }, "invalidIndexConfig", /find-links must be a list of strings/],
  ["broken TOML", { pyproject: { ...pyproject, text: "[tool.kiln\n" } }, "invalidIndexConfig", /Cannot parse \/work\/project\/pyproject\.toml/],
  ["credentials are redacted", { flags: { indexUrl: "ftp://me:secret@x/" } }, "invalidIndexUrl", /me:\*\*\*\*@x/],
];

for (const [name, inputs, code, message] of invalid) {
  test(`resolveIndexSettings rejects ${name}`, () => {
    assert.throws(() => resolveIndexSettings({ cwdUrl, env: {}, ...inputs }), (e) => isKilnError(e, code as never) && message.test(e.message) && !e.message.includes("secret"));
  });
}

test("toLocationUrl: URLs stay, paths become file URLs", () => {
  assert.equal(toLocationUrl("https://x.example/links/", cwdUrl), "https://x.example/links/");
  assert.equal(toLocationUrl("/abs/dir", cwdUrl), "file:///abs/dir");
  assert.equal(toLocationUrl("rel dir/sub", cwdUrl), "file:///work/rel%20dir/sub");
  assert.equal(toLocationUrl("C:\\wheels", cwdUrl), "file:///C:/wheels");
});

test("parsePipConfig: continuation lines, comments, ':' separators, problems", () => {
  const { sections, problems } = parsePipConfig("# c\nstray = 1\n[Global]\n; c\ntimeout: 10\nextra-index-url = a\n  b\n\n  c\nnonsense\n");
  assert.deepEqual(sections.global, { timeout: "10", "extra-index-url": "a\nb\nc" });
  assert.deepEqual(problems, ["line 2: a setting outside any [section]", "line 10: not a key = value line"]);
});
