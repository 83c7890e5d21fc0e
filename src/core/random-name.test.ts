import { strict as assert } from "node:assert";
import { test } from "node:test";
import { randomName } from "./random-name.js";

test("randomName: the length asked for, of [0-9a-z], different each time", () => {
  for (const length of [1, 8, 12, 40]) {
    const names = new Set(Array.from({ length: 200 }, () => randomName(length)));
    for (const name of names) assert.match(name, new RegExp(`^[0-9a-z]{${length}}$`));
    if (length >= 8) assert.equal(names.size, 200);
  }
  assert.equal(randomName().length, 8);
});
