import { strict as assert } from "node:assert";
import { test } from "node:test";
import { netrcCredentials, parseNetrc } from "./netrc.js";
import { proxyFor } from "./proxy-for.js";

test("parseNetrc: machines, default, macdef, comments, quotes, one line or many", () => {
  const netrc = parseNetrc(
    [
      "# comment",
      "machine pypi.example.org login me password s3cret",
      "machine Other.Example.org",
      '  login "with space"',
      '  password "p\\"w"',
      "macdef init",
      "  machine evil.example.org login x password y",
      "",
      "machine nopassword.example.org login only",
      "default login anon password anon",
    ].join("\n"),
  );
  assert.deepEqual(netrc.machines.get("pypi.example.org"), { username: "me", password: "s3cret" });
  assert.deepEqual(netrc.machines.get("other.example.org"), { username: "with space", password: 'p"w' });
  assert.equal(netrc.machines.has("evil.example.org"), false, "macdef bodies are skipped");
  assert.equal(netrc.machines.has("nopassword.example.org"), false);
  assert.deepEqual(netrcCredentials(netrc, new URL("https://unknown.example/")), { username: "anon", password: "anon" });
});

const proxies: [string, Record<string, string>, string | undefined, string | undefined][] = [
  ["https uses HTTPS_PROXY", { HTTPS_PROXY: "http://proxy:3128" }, undefined, "http://proxy:3128"],
  ["lower case works", { https_proxy: "proxy:3128" }, undefined, "http://proxy:3128"],
  ["http uses HTTP_PROXY, not HTTPS_PROXY", { HTTPS_PROXY: "http://s:1" }, undefined, undefined],
  ["ALL_PROXY as a fallback", { ALL_PROXY: "http://all:1" }, undefined, "http://all:1"],
  ["NO_PROXY suffix", { HTTPS_PROXY: "http://p:1", NO_PROXY: "localhost,.example.org" }, undefined, undefined],
  ["NO_PROXY bare domain covers subdomains", { HTTPS_PROXY: "http://p:1", NO_PROXY: "example.org" }, undefined, undefined],
  ["NO_PROXY with another port does not apply", { HTTPS_PROXY: "http://p:1", NO_PROXY: "pypi.example.org:8443" }, undefined, "http://p:1"],
  ["NO_PROXY=*", { HTTPS_PROXY: "http://p:1", NO_PROXY: "*" }, undefined, undefined],
  ["explicit proxy beats the environment", { HTTPS_PROXY: "http://p:1" }, "http://explicit:2", "http://explicit:2"],
];

for (const [name, env, explicit, expected] of proxies) {
  test(`proxyFor: ${name}`, () => {
    const url = new URL(name.startsWith("http uses") ? "http://pypi.example.org/simple/" : "https://pypi.example.org/simple/");
    assert.equal(proxyFor(url, env, explicit), expected);
  });
}

test("proxyFor: loopback is not proxied implicitly", () => {
  assert.equal(proxyFor(new URL("http://127.0.0.1:8000/"), { HTTP_PROXY: "http://p:1" }), undefined);
});
