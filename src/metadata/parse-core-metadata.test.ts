import { strict as assert } from "node:assert";
import { test } from "node:test";
import { isKilnError } from "../core/index.js";
import { formatVersion } from "../pep440/index.js";
import { formatRequirement } from "../pep508/index.js";
import { parseCoreMetadata, tryParseCoreMetadata } from "./parse-core-metadata.js";

// A Metadata-Version 2.5 file with every field, in the spec's own examples.
const full = `Metadata-Version: 2.5
Name: BeagleVote
Version: 1.0a2
Dynamic: Obsoletes-Dist
Platform: ObscureUnix
Platform: RareDOS
Supported-Platform: RedHat 7.2
Summary: A module for collecting votes from beagles.
Description-Content-Type: text/markdown; charset=UTF-8; variant=GFM
Keywords: dog,puppy,voting,election
Home-page: http://www.example.com/~cschultz/bvote/
Download-URL: http://www.example.com/~cschultz/bvote/bvote-1.0a2.tar.gz
Author: C. Schultz, Universal Features Syndicate, Los Angeles, CA <cschultz@peanuts.example.com>
Author-email: "C. Schultz" <cschultz@example.com>
Maintainer: C. Schultz
Maintainer-email: "C. Schultz" <cschultz@example.com>
License-Expression: MIT OR Apache-2.0
License-File: LICENSE
License-File: licenses/LICENSE.MIT
Classifier: Development Status :: 4 - Beta
Classifier: Environment :: Console (Text Based)
Requires-Dist: pkginfo
Requires-Dist: PasteDeploy
Requires-Dist: zope.interface (>3.5.0)
Requires-Dist: pywin32 >1.0; sys_platform == 'win32'
Requires-Dist: pytest; extra == 'Test'
Requires-Python: >=3
Requires-External: C
Requires-External: libpng (>=1.5)
Project-URL: Bug Tracker, http://bitbucket.org/tarek/distribute/issues/
Project-URL: Documentation, https://example.com/BeagleVote
Provides-Extra: Test
Provides-Extra: pdf_export
Provides-Dist: OtherProject
Obsoletes-Dist: Gorgon
Import-Name: beaglevote
Import-Name: _beaglevote ; private
Import-Namespace: beagles

# BeagleVote

Votes, by beagles.
`;

test("parseCoreMetadata reads every field of Metadata-Version 2.5", () => {
  const metadata = parseCoreMetadata(full);
  assert.equal(metadata.metadataVersion, "2.5");
  assert.equal(metadata.name, "BeagleVote");
  assert.equal(formatVersion(metadata.version), "1.0a2");
  assert.deepEqual(metadata.dynamic, ["obsoletes-dist"]);
  assert.deepEqual(metadata.platforms, ["ObscureUnix", "RareDOS"]);
  assert.deepEqual(metadata.supportedPlatforms, ["RedHat 7.2"]);
  assert.equal(metadata.summary, "A module for collecting votes from beagles.");
  assert.equal(metadata.descriptionContentType, "text/markdown; charset=UTF-8; variant=GFM");
  assert.deepEqual(metadata.keywords, ["dog", "puppy", "voting", "election"]);
  assert.equal(metadata.homePage, "http://www.example.com/~cschultz/bvote/");
  assert.equal(metadata.downloadUrl, "http://www.example.com/~cschultz/bvote/bvote-1.0a2.tar.gz");
  assert.equal(metadata.authorEmail, `"C. Schultz" <cschultz@example.com>`);
  assert.equal(metadata.maintainer, "C. Schultz");
  assert.equal(metadata.licenseExpression, "MIT OR Apache-2.0");
  assert.deepEqual(metadata.licenseFiles, ["LICENSE", "licenses/LICENSE.MIT"]);
  assert.equal(metadata.classifiers.length, 2);
  assert.deepEqual(metadata.requiresDist.map(formatRequirement), [
    "pkginfo",
    "PasteDeploy",
    "zope.interface>3.5.0",
    `pywin32>1.0; sys_platform == "win32"`,
    `pytest; extra == "test"`,
  ]);
  assert.equal(metadata.requiresPython?.toString(), ">=3");
  assert.deepEqual(metadata.requiresExternal, ["C", "libpng (>=1.5)"]);
  assert.deepEqual(metadata.projectUrls, {
    "Bug Tracker": "http://bitbucket.org/tarek/distribute/issues/",
    Documentation: "https://example.com/BeagleVote",
  });
  assert.deepEqual(metadata.providesExtra, ["test", "pdf-export"]);
  assert.deepEqual(metadata.providesDist, ["OtherProject"]);
  assert.deepEqual(metadata.obsoletesDist, ["Gorgon"]);
  assert.deepEqual(metadata.importNames, ["beaglevote", "_beaglevote ; private"]);
  assert.deepEqual(metadata.importNamespaces, ["beagles"]);
  assert.equal(metadata.description, "# BeagleVote\n\nVotes, by beagles.\n");
  assert.deepEqual(metadata.warnings, []);
  assert.deepEqual(metadata.problems, []);
});

test("parseCoreMetadata reads old metadata and the header form of Description", () => {
  const metadata = parseCoreMetadata(
    "Metadata-Version: 1.1\nName: old\nVersion: 0.1\nDescription: First line\n        |\n        |  indented\nRequires: re\nProvides: old\nKeywords: a, b\n",
  );
  assert.equal(metadata.description, "First line\n\n  indented");
  assert.deepEqual(metadata.requires, ["re"]);
  assert.deepEqual(metadata.provides, ["old"]);
  assert.deepEqual(metadata.keywords, ["a", "b"]);
  assert.deepEqual(metadata.requiresDist, []);
});

test("parseCoreMetadata tolerates unknown fields and fields newer than the declared version, with warnings", () => {
  const metadata = parseCoreMetadata("Metadata-Version: 2.1\nName: a\nVersion: 1\nLicense-File: LICENSE\nX-Custom: y\nMetadata-Version-Extra: z\n");
  assert.deepEqual(metadata.licenseFiles, ["LICENSE"]);
  assert.deepEqual(metadata.unknownFields, { "x-custom": ["y"], "metadata-version-extra": ["z"] });
  assert.deepEqual(metadata.warnings.map((warning) => warning.field), ["License-File", "x-custom", "metadata-version-extra"]);
  const newer = parseCoreMetadata("Metadata-Version: 2.7\nName: a\nVersion: 1\n");
  assert.equal(newer.metadataVersion, "2.7");
  assert.match(newer.warnings[0]!.message, /newer than 2.5/);
  const draft = parseCoreMetadata("Metadata-Version: 2.0\nName: a\nVersion: 1\n");
  assert.match(draft.warnings[0]!.message, /2.0 is not a standard Metadata-Version/);
});

const missing: [string, RegExp][] = [
  ["Metadata-Version: 2.1\nVersion: 1.0\n", /Name is missing/],
  ["Metadata-Version: 2.1\nName: a\n", /Version is missing/],
  ["Metadata-Version: 2.1\nName: a\nVersion:\n", /Version is missing/],
  ["Metadata-Version: 2.1\nName: a\nVersion: one\n", /Version "one" is not a valid PEP 440 version/],
];

test("missing or invalid Name and Version always throw", () => {
  for (const [text, message] of missing) {
    for (const lenient of [false, true]) {
      assert.throws(() => parseCoreMetadata(text, { lenient }), (error) => isKilnError(error, "invalidMetadata") && message.test(error.message), text);
    }
    assert.equal(tryParseCoreMetadata(text), undefined);
  }
});

const head = "Metadata-Version: 2.5\nName: demo\nVersion: 1.0\n";
const invalidValues: [string, string, RegExp][] = [
  ["", "Metadata-Version", /is missing/],
  ["Metadata-Version: 3.0\nName: demo\nVersion: 1.0\n", "Metadata-Version", /"3.0" is not a Metadata-Version kiln can read/],
  ["Metadata-Version: two\nName: demo\nVersion: 1.0\n", "Metadata-Version", /"two" is not a Metadata-Version kiln can read/],
  [head + "Name: again\n", "Name", /may appear once, but appears 2 times/],
  [head + "Requires-Dist: foo >=\n", "Requires-Dist", /"foo >=" is not a valid PEP 508 requirement/],
  [head + "Requires-Python: >=3.x\n", "Requires-Python", /not a valid PEP 440 version specifier/],
  [head + "Provides-Extra: -bad-\n", "Provides-Extra", /"-bad-" is not a valid extra name/],
  [head + "Summary: one\n two\n", "Summary", /single line/],
  [head + "Dynamic: Version\n", "Dynamic", /"version" cannot be dynamic/],
  [head + "Dynamic: Colour\n", "Dynamic", /"colour" is not a core metadata field/],
  [head + "Description-Content-Type: text/html\n", "Description-Content-Type", /must be text\/plain/],
  [head + "Description-Content-Type: text/markdown; variant=Other\n", "Description-Content-Type", /Markdown variants/],
  [head + "Description-Content-Type: text/plain; charset=latin-1\n", "Description-Content-Type", /UTF-8/],
  [head + "License-File: ../LICENSE\n", "License-File", /".."/],
  [head + "License-File: C:\\LICENSE\n", "License-File", /relative/],
  [head + "Import-Name: class\n", "Import-Name", /keyword/],
  [head + "Import-Name: a.1b\n", "Import-Name", /not a valid identifier/],
  [head + "Import-Name: a; public\n", "Import-Name", /only option is "private"/],
  [head + "Project-URL: Home, a\nProject-URL: Home, b\n", "Project-URL", /appears more than once/],
  [head + "Description: header\n\nbody\n", "Description", /both as a header and as the message body/],
];

test("invalid values throw in strict mode and are collected in lenient mode", () => {
  for (const [text, field, message] of invalidValues) {
    const strictText = text.includes("Name:") ? text : `${text}Name: demo\nVersion: 1.0\n`;
    assert.throws(() => parseCoreMetadata(strictText), (error) => isKilnError(error, "invalidMetadata") && message.test(error.message), text);
    const lenient = parseCoreMetadata(strictText, { lenient: true });
    assert.equal(lenient.problems.length, 1, `${text}: ${JSON.stringify(lenient.problems)}`);
    assert.equal(lenient.problems[0]!.field, field);
    assert.match(lenient.problems[0]!.message, message);
  }
});

test("lenient mode drops invalid values and keeps the rest", () => {
  const metadata = parseCoreMetadata(`${head}Requires-Dist: good\nRequires-Dist: bad >=\nRequires-Dist: also-good ; extra == "x"\n`, {
    lenient: true,
    source: "METADATA of demo-1.0-py3-none-any.whl",
  });
  assert.deepEqual(metadata.requiresDist.map((requirement) => requirement.name), ["good", "also-good"]);
  assert.throws(
    () => parseCoreMetadata(`${head}Requires-Dist: bad >=\n`, { source: "METADATA of demo-1.0-py3-none-any.whl" }),
    /^KilnError: Cannot read METADATA of demo-1.0-py3-none-any.whl: Requires-Dist/,
  );
});

test("parseCoreMetadata reads UTF-8 bytes", () => {
  const metadata = parseCoreMetadata(new TextEncoder().encode(`${head}Author: Zoë\n`));
  assert.equal(metadata.author, "Zoë");
});
