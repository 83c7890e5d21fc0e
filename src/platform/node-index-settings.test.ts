import { strict as assert } from "node:assert";
import { mkdirSync, mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { test } from "node:test";
import { pathToFileURL } from "node:url";
import { loadIndexSettings, pipConfigPaths } from "./node-index-settings.js";

test("pipConfigPaths: pip's search order per platform, PIP_CONFIG_FILE last, /dev/null turns them off", () => {
  assert.deepEqual(pipConfigPaths({ env: { VIRTUAL_ENV: "/venv", PIP_CONFIG_FILE: "my.conf" }, cwd: "/work", platform: "linux", home: "/home/me" }), [
    "/etc/xdg/pip/pip.conf",
    "/etc/pip.conf",
    "/home/me/.pip/pip.conf",
    "/home/me/.config/pip/pip.conf",
    "/venv/pip.conf",
    "/work/my.conf",
  ]);
  assert.deepEqual(pipConfigPaths({ env: { XDG_CONFIG_DIRS: "/a:/b", XDG_CONFIG_HOME: "/cfg" }, cwd: "/", platform: "linux", home: "/h" }).slice(0, 2), ["/b/pip/pip.conf", "/a/pip/pip.conf"]);
  assert.deepEqual(pipConfigPaths({ env: { PIP_CONFIG_FILE: "/dev/null" }, cwd: "/", platform: "linux", home: "/h" }), []);
  assert.ok(pipConfigPaths({ env: {}, cwd: "/", platform: "darwin", home: "/Users/me" }).includes("/Users/me/Library/Application Support/pip/pip.conf"));
});

test("loadIndexSettings reads the user's pip.conf, the venv's, PIP_CONFIG_FILE and the nearest pyproject.toml", async () => {
  const root = mkdtempSync(join(tmpdir(), "kiln-config-"));
  const home = join(root, "home");
  mkdirSync(join(home, ".config", "pip"), { recursive: true });
  writeFileSync(join(home, ".config", "pip", "pip.conf"), "[global]\nindex-url = https://user.example/simple/\nextra-index-url = https://user-extra.example/simple/\ntimeout = 7\n");
  mkdirSync(join(root, "venv"));
  writeFileSync(join(root, "venv", "pip.conf"), "[install]\nextra-index-url = https://venv-extra.example/simple/\n");
  writeFileSync(join(root, "explicit.conf"), "[global]\nretries = 9\n");
  const project = join(root, "project");
  mkdirSync(join(project, "src", "deep"), { recursive: true });
  writeFileSync(join(project, "pyproject.toml"), '[tool.kiln]\nfind-links = ["wheels"]\n');
  const settings = await loadIndexSettings({
    env: { VIRTUAL_ENV: join(root, "venv"), PIP_CONFIG_FILE: join(root, "explicit.conf"), XDG_CONFIG_HOME: join(home, ".config"), XDG_CONFIG_DIRS: join(root, "none") },
    cwd: join(project, "src", "deep"),
    home,
    platform: "linux",
  });
  assert.equal(settings.indexUrl, "https://user.example/simple/");
  assert.deepEqual(settings.extraIndexUrls, ["https://venv-extra.example/simple/"]);
  assert.equal(settings.timeoutMs, 7000);
  assert.equal(settings.retries, 9);
  assert.deepEqual(settings.findLinks, [pathToFileURL(join(project, "wheels")).href]);
  assert.equal(settings.origins.findLinks, `[tool.kiln] in ${join(project, "pyproject.toml")}`);
});
