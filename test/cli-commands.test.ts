import { strict as assert } from "node:assert";
import { test } from "node:test";
import type { CommandDefinition } from "../src/cli/command.js";
import { commands } from "../src/cli/commands/index.js";

// kiln --help lists commands from the light entries in commands/index.ts, while each command's
// own help comes from its module's declaration: the two must name and describe it the same way.
test("every lazily loaded command's declaration agrees with its entry in the command list", async () => {
  assert.ok(commands.length > 0);
  for (const entry of commands) {
    const definition = await entry.load();
    assert.equal(definition.name, entry.name, `entry "${entry.name}" loads the command "${definition.name}"`);
    assert.equal(definition.summary, entry.summary, `summary of "${entry.name}"`);
    assert.equal(definition.hidden ?? false, entry.hidden ?? false, `hidden flag of "${entry.name}"`);
  }
});

test("command names are unique", () => {
  const names = commands.map((entry) => entry.name);
  assert.deepEqual([...new Set(names)], names);
});

// The help line is `Usage: kiln <path> <usage>`: a usage that starts with the command's own name
// printed it twice ("kiln pip install pip install …").
test("no command's usage repeats its own name", async () => {
  const walk = (definition: CommandDefinition, path: string): string[] => [
    ...(definition.usage?.split(" ")[0] === definition.name ? [`kiln ${path}: "${definition.usage}"`] : []),
    ...(definition.subcommands ?? []).flatMap((child) => walk(child, `${path} ${child.name}`)),
  ];
  const repeated: string[] = [];
  for (const entry of commands) repeated.push(...walk(await entry.load(), entry.name));
  assert.deepEqual(repeated, []);
});
