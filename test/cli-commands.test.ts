import { strict as assert } from "node:assert";
import { test } from "node:test";
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
