import { strict as assert } from "node:assert";
import { test } from "node:test";
import { isKilnError } from "../core/index.js";
import { formatVersion } from "../pep440/index.js";
import { parseSdistFilename, tryParseSdistFilename } from "./sdist-filename.js";

const valid: [filename: string, project: string | undefined, name: string, version: string, extension: string][] = [
  ["foo-1.0.tar.gz", undefined, "foo", "1.0", "tar.gz"],
  ["zope.interface-7.1.tar.gz", undefined, "zope-interface", "7.1", "tar.gz"],
  ["typing_extensions-4.12.2.tar.gz", undefined, "typing-extensions", "4.12.2", "tar.gz"],
  ["foo-bar-1.0.zip", undefined, "foo-bar", "1.0", "zip"],
  ["foo-1.0-2.tar.gz", undefined, "foo-1-0", "2", "tar.gz"],
  ["foo-1.0-2.tar.gz", "foo", "foo", "1.0.post2", "tar.gz"],
  ["Foo_Bar-1.0-2.tar.gz", "foo-bar", "foo-bar", "1.0.post2", "tar.gz"],
  ["foo-1.0-dev.tar.gz", undefined, "foo", "1.0.dev0", "tar.gz"],
];

test("parseSdistFilename splits names and versions, exactly when the project is known", () => {
  for (const [filename, project, name, version, extension] of valid) {
    const sdist = parseSdistFilename(filename, project === undefined ? {} : { project });
    assert.equal(sdist.name, name, filename);
    assert.equal(formatVersion(sdist.version), version, filename);
    assert.equal(sdist.extension, extension, filename);
  }
});

const invalid: [string, string | undefined, RegExp][] = [
  ["foo-1.0.tar.bz2", undefined, /does not end in ".tar.gz" or ".zip"/],
  ["foo.tar.gz", undefined, /no "-" between name and version/],
  ["-1.0.tar.gz", undefined, /project name is empty/],
  ["foo-bar.tar.gz", undefined, /"bar" is not a valid PEP 440 version/],
  ["foo-1.0.tar.gz", "bar", /does not start with the project name "bar"/],
  ["foo-x.tar.gz", "foo", /"x" is not a valid PEP 440 version/],
];

test("parseSdistFilename explains failures and hints at passing the project", () => {
  for (const [filename, project, message] of invalid) {
    const options = project === undefined ? {} : { project };
    assert.throws(
      () => parseSdistFilename(filename, options),
      (error) => isKilnError(error, "invalidSdistFilename") && message.test(error.message) && /project name/.test(error.hint ?? ""),
      filename,
    );
    assert.equal(tryParseSdistFilename(filename, options), undefined, filename);
  }
});
