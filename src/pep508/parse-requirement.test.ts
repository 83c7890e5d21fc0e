import { strict as assert } from "node:assert";
import { test } from "node:test";
import { isKilnError } from "../core/index.js";
import { formatMarker } from "./format-marker.js";
import { formatRequirement } from "./format-requirement.js";
import { parseRequirement, tryParseRequirement } from "./parse-requirement.js";

// [input, name, extras, specifier, url, marker, str(Requirement(input)) in packaging 26.3]
const valid: [string, string, string[], string, string | undefined, string | undefined, string][] = [
  ["A", "A", [], "", undefined, undefined, "A"],
  ["A.B-C_D", "A.B-C_D", [], "", undefined, undefined, "A.B-C_D"],
  ["aa", "aa", [], "", undefined, undefined, "aa"],
  ["name", "name", [], "", undefined, undefined, "name"],
  ["name<=1", "name", [], "<=1", undefined, undefined, "name<=1"],
  ["name>=3", "name", [], ">=3", undefined, undefined, "name>=3"],
  ["name>=3,", "name", [], ">=3", undefined, undefined, "name>=3"],
  ["name>=3,<2", "name", [], "<2,>=3", undefined, undefined, "name<2,>=3"],
  ["name>=3,<2 ; os_name=='a'", "name", [], "<2,>=3", undefined, `os_name == "a"`, `name<2,>=3; os_name == "a"`],
  ["name@http://foo.com", "name", [], "", "http://foo.com", undefined, "name @ http://foo.com"],
  ["name [fred,bar] @ http://foo.com ; python_version=='2.7'", "name", ["fred", "bar"], "", "http://foo.com", `python_version == "2.7"`,
    `name[bar,fred] @ http://foo.com ; python_version == "2.7"`],
  ["name[quux, strange];python_version<'2.7' and platform_version=='2'", "name", ["quux", "strange"], "", undefined,
    `python_version < "2.7" and platform_version == "2"`, `name[quux,strange]; python_version < "2.7" and platform_version == "2"`],
  ["name; os_name=='a' or os_name=='b'", "name", [], "", undefined, `os_name == "a" or os_name == "b"`, `name; os_name == "a" or os_name == "b"`],
  ["name; os_name=='a' and os_name=='b' or os_name=='c'", "name", [], "", undefined, `os_name == "a" and os_name == "b" or os_name == "c"`,
    `name; os_name == "a" and os_name == "b" or os_name == "c"`],
  ["name; os_name=='a' and (os_name=='b' or os_name=='c')", "name", [], "", undefined, `os_name == "a" and (os_name == "b" or os_name == "c")`,
    `name; os_name == "a" and (os_name == "b" or os_name == "c")`],
  ["Foo (>=1.0, <2)", "Foo", [], "<2,>=1.0", undefined, undefined, "Foo<2,>=1.0"],
  ["foo[]", "foo", [], "", undefined, undefined, "foo"],
  ["foo [ a , b , a ] == 1.0.*", "foo", ["a", "b"], "==1.0.*", undefined, undefined, "foo[a,b]==1.0.*"],
  ["foo===arbitrary-thing", "foo", [], "===arbitrary-thing", undefined, undefined, "foo===arbitrary-thing"],
  ["  foo ~= 1.4.5 ; extra == 'Test_X'  ", "foo", [], "~=1.4.5", undefined, `extra == "test-x"`, `foo~=1.4.5; extra == "test-x"`],
  ["foo @ file:///tmp/foo-1.0-py3-none-any.whl", "foo", [], "", "file:///tmp/foo-1.0-py3-none-any.whl", undefined,
    "foo @ file:///tmp/foo-1.0-py3-none-any.whl"],
  ["foo @ https://x/y;z", "foo", [], "", "https://x/y;z", undefined, "foo @ https://x/y;z"],
  ["foo_", "foo_", [], "", undefined, undefined, "foo_"],
  ["foo==1.0+local", "foo", [], "==1.0+local", undefined, undefined, "foo==1.0+local"],
];

test("parseRequirement splits PEP 508's examples into their parts", () => {
  for (const [input, name, extras, specifier, url, marker, formatted] of valid) {
    const requirement = parseRequirement(input);
    assert.equal(requirement.name, name, input);
    assert.deepEqual(requirement.extras, extras, input);
    assert.equal(requirement.specifier.toString(), specifier, input);
    assert.equal(requirement.url, url, input);
    assert.equal(requirement.marker === undefined ? undefined : formatMarker(requirement.marker), marker, input);
    assert.equal(formatRequirement(requirement), formatted, input);
    assert.equal(formatRequirement(parseRequirement(formatted)), formatted, input);
  }
});

const invalid: [string, RegExp][] = [
  ["", /expected a package name, found the end at column 1/],
  ["foo >=", /expected a version after ">=" at column 7/],
  ["foo >= ", /expected a version after ">=" at column 8/],
  ["foo ~=1", /"~=" needs a version with at least two parts, such as ~=1.0 at column 5/],
  ["foo >=1.0.*", /".\*" can only be used with "==" and "!="/],
  ["foo ==1.0a1.*", /".\*" cannot follow a pre-release/],
  ["foo >=1.0+local", /local version label/],
  ["foo (>=1.0", /expected "\)" to close the "\(" at column 5 at column 11/],
  ["foo [bar", /expected "\]" to close the "\[" at column 5 at column 9/],
  ["foo [bar baz]", /expected a comma between extra names at column 10/],
  ["foo [bar,]", /expected an extra name after the comma at column 10/],
  ["foo bar", /expected a version specifier, "@ URL", ";" or the end after the name, found "bar" at column 5/],
  ["foo >=1.0 <2", /expected "," or ";" or the end after the version specifier, found "<2"|"<2" is not a valid/],
  ["foo >=1.0,<", /expected a version after "<"/],
  ["foo @", /expected a URL after "@" at column 6/],
  ["foo @ http://x ;", /found the end/],
  ["foo @ http://x extra", /expected ";" or the end after the URL at column 16/],
  ["foo ; os_name = 'a'", /expected a marker operator/],
  ["-foo", /expected a package name .*found "-" at column 1/],
  ["foo. >= 1", /expected a version specifier, "@ URL", ";" or the end after the name, found "." at column 4/],
  ["foo >=abc", /">=abc" is not a valid version specifier at column 5/],
];

test("parseRequirement reports the problem and its column", () => {
  for (const [input, message] of invalid) {
    assert.throws(() => parseRequirement(input), (error) => isKilnError(error, "invalidRequirement") && message.test(error.message), input);
    assert.equal(tryParseRequirement(input), undefined, input);
  }
});

// Non-ASCII sources take the tokenizer's Unicode-aware rules (Python's `\b` over `\w`), built
// on first use; outcomes as packaging 26.3 gives them.
const nonAscii: [string, string | RegExp][] = [
  [`name; os_name == "é" and python_version >= "3"`, `name; os_name == "é" and python_version >= "3"`],
  // "é" is a word character to Python, so "foo" does not end at a word boundary.
  ["fooé", /expected a package name .*at column 1/],
  [`foo; os_name == "a"\u3000and python_version > "3"`, /expected the end of the requirement at column 20/],
  ["foo ; ｘ", /unknown marker variable "ｘ"/],
];

test("parseRequirement reads non-ASCII requirements as packaging does", () => {
  for (const [input, expected] of nonAscii) {
    if (typeof expected === "string") assert.equal(formatRequirement(parseRequirement(input)), expected, input);
    else assert.throws(() => parseRequirement(input), (error) => isKilnError(error, "invalidRequirement") && expected.test(error.message), input);
  }
});

test("parseRequirement answers repeated text with equal, independent requirements; invalid text fails every time", () => {
  const text = "Foo[bar,baz] >=1.0, <2 ; python_version >= '3.9'";
  const first = parseRequirement(text);
  first.extras.push("changed");
  first.name = "changed";
  const second = parseRequirement(text);
  assert.equal(second.name, "Foo");
  assert.deepEqual(second.extras, ["bar", "baz"]);
  assert.equal(second.specifier.toString(), "<2,>=1.0");
  assert.deepEqual(second, { ...parseRequirement(text) });
  assert.notEqual(second, parseRequirement(text));
  for (let round = 0; round < 2; round++) assert.throws(() => parseRequirement("foo >="), /requirement/);
});

test("pins and bare names, read without the tokenizer, parse exactly as the tokenizer reads them", () => {
  // A leading space keeps a text off the shortcut (the tokenizer skips it), so both readings are compared.
  const shortcut = [
    "pytest", "A", "zope.interface", "typing_extensions", "a-b.c_d", "annotated-types==0.8.0", "python-dateutil==2.9.0.post0",
    "certifi==2025.11.12", "pkg==1!2.0", "pkg==1.0a1", "pkg==1.0b2.post3.dev4", "pkg==1.0rc1.dev0", "pkg==0", "Pkg_Name==10.20.30",
  ];
  for (const text of shortcut) assert.deepStrictEqual(parseRequirement(text), parseRequirement(` ${text}`), text);
  // Near misses take the tokenizer, with its answers (and errors).
  const tokenized: [string, string, string][] = [
    ["pkg==1.0+local", "pkg", "==1.0+local"],
    ["pkg==1.0.*", "pkg", "==1.0.*"],
    ["pkg==v1.0", "pkg", "==v1.0"],
    ["pkg==1.0-1", "pkg", "==1.0-1"],
    ["foo_", "foo_", ""],
    ["pkg>=1.0", "pkg", ">=1.0"],
    ["pkg===1.0", "pkg", "===1.0"],
  ];
  for (const [text, name, specifier] of tokenized) {
    const requirement = parseRequirement(text);
    assert.deepEqual([requirement.name, requirement.specifier.toString()], [name, specifier], text);
  }
  for (const text of ["pkg-==1.0", "-pkg", "pkg==", "pkg==1.", "pkg ==1.0 extra"]) assert.equal(tryParseRequirement(text), undefined, text);
});
