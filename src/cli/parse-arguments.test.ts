import { strict as assert } from "node:assert";
import { test } from "node:test";
import { isKilnError } from "../core/index.js";
import { defineCommand } from "./command.js";
import { formatCommandHelp } from "./help.js";
import { parseArguments } from "./parse-arguments.js";

const command = defineCommand({
  name: "demo",
  summary: "A demo",
  options: [
    { name: "json", type: "boolean", description: "JSON" },
    { name: "quiet", short: "q", type: "boolean", multiple: true, description: "Less output" },
    { name: "yes", short: "y", type: "boolean", description: "Assume yes" },
    { name: "index-url", short: "i", type: "string", valueName: "URL", description: "Index" },
    { name: "constraint", short: "c", type: "string", multiple: true, description: "Constraints" },
  ],
  positionals: [
    { name: "target", description: "Target", required: true },
    { name: "packages", description: "Packages", variadic: true },
  ],
});

const cases: Array<[string[], Record<string, unknown>, Record<string, unknown>, string[]]> = [
  [["t"], {}, { target: "t", packages: [] }, []],
  [["--json", "t", "a", "b"], { json: true }, { target: "t", packages: ["a", "b"] }, []],
  [["-qq", "-y", "t"], { quiet: 2, yes: true }, { target: "t", packages: [] }, []],
  [["-qy", "t"], { quiet: 1, yes: true }, { target: "t", packages: [] }, []],
  [["--index-url=http://x", "t"], { "index-url": "http://x" }, { target: "t", packages: [] }, []],
  [["-i", "http://x", "t"], { "index-url": "http://x" }, { target: "t", packages: [] }, []],
  [["-ihttp://x", "t"], { "index-url": "http://x" }, { target: "t", packages: [] }, []],
  [["-c", "a.txt", "--constraint", "b.txt", "t"], { constraint: ["a.txt", "b.txt"] }, { target: "t", packages: [] }, []],
  [["t", "--", "--json", "x"], {}, { target: "t", packages: [] }, ["--json", "x"]],
];

for (const [argv, options, positionals, rest] of cases) {
  test(`parses ${JSON.stringify(argv)}`, () => {
    const parsed = parseArguments(command, argv);
    assert.deepEqual(parsed.options, options);
    assert.deepEqual(parsed.positionals, positionals);
    assert.deepEqual(parsed.rest, rest);
  });
}

const failures: Array<[string[], RegExp]> = [
  [["--nope", "t"], /Unknown option --nope for "kiln demo"/],
  [["-z", "t"], /Unknown option -z/],
  [["t", "--index-url"], /Option --index-url needs a value/],
  [["--json=yes", "t"], /takes no value/],
  [[], /needs TARGET/],
];

for (const [argv, message] of failures) {
  test(`rejects ${JSON.stringify(argv)} with a usage error`, () => {
    assert.throws(() => parseArguments(command, argv), (error) => isKilnError(error, "usage") && message.test(error.message));
  });
}

// A subcommand's errors name it by its whole path, as the user typed it.
const subcommandFailures: Array<[string[], RegExp]> = [
  [["--nope", "t"], /^Unknown option --nope for "kiln tool demo"$/],
  [["--json=yes", "t"], /takes no value/],
  [[], /^"kiln tool demo" needs TARGET$/],
];

for (const [argv, message] of subcommandFailures) {
  test(`a subcommand rejects ${JSON.stringify(argv)} naming "kiln tool demo" in the message and the hint`, () => {
    assert.throws(() => parseArguments(command, argv, "tool demo"), (error) => {
      assert.ok(isKilnError(error, "usage"));
      assert.match(error.message, message);
      assert.match(error.hint ?? "", /^Run "kiln tool demo --help"/);
      return true;
    });
  });
}

test("pass-through commands keep every argument", () => {
  const runLike = defineCommand({ name: "run", summary: "Run", options: [], passThrough: true });
  assert.deepEqual(parseArguments(runLike, ["-c", "print(1)", "--x"]).rest, ["-c", "print(1)", "--x"]);
});

test("help is generated from the declaration", () => {
  const help = formatCommandHelp(command, "demo");
  assert.match(help, /Usage: kiln demo \[OPTIONS\] TARGET \[PACKAGES\.\.\.\]/);
  assert.match(help, /-i, --index-url URL\s+Index/);
  assert.match(help, /-h, --help/);
});
