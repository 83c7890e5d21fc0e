import { strict as assert } from "node:assert";
import { test } from "node:test";
import { limitConcurrency, mapWithLimit } from "./concurrency-limit.js";

const tick = () => new Promise((resolve) => setTimeout(resolve, 1));

test("mapWithLimit keeps the order, and never runs more than the limit at once, across concurrent maps", async () => {
  const limit = limitConcurrency(3);
  let running = 0;
  let peak = 0;
  const work = async (item: number) => {
    peak = Math.max(peak, ++running);
    await tick();
    running--;
    return item * 2;
  };
  const items = Array.from({ length: 40 }, (_, index) => index);
  const [a, b] = await Promise.all([mapWithLimit(items, limit, work), mapWithLimit(items, limit, work)]);
  assert.deepEqual(a, items.map((item) => item * 2));
  assert.deepEqual(b, a);
  assert.equal(peak, 3);
});

test("mapWithLimit starts nothing after a failure and rethrows the first error once started work has settled", async () => {
  const started: number[] = [];
  let settled = 0;
  const failing = mapWithLimit(Array.from({ length: 20 }, (_, index) => index), limitConcurrency(4), async (item) => {
    started.push(item);
    await tick();
    settled++;
    if (item === 1 || item === 2) throw new Error(`item ${item}`);
  });
  await assert.rejects(failing, /item 1/);
  assert.equal(settled, started.length, "every started task settled before the error");
  assert.ok(started.length < 20, `${started.length} items started`);
  assert.deepEqual(await mapWithLimit([], limitConcurrency(2), async () => 1), []);
});
