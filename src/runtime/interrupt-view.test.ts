import { strict as assert } from "node:assert";
import { test } from "node:test";
import { interruptView, type InterruptView } from "./interrupt-view.js";

/** Pyodide's poll of its interrupt buffer (CPython's `_Py_CheckEmscriptenSignals_Helper`), with a hook between its read and its clear. */
function poll(view: InterruptView, between: () => void = () => undefined): number {
  const result = view[0];
  between();
  view[0] = 0;
  return result;
}

const cases: Array<{ name: string; before: number; between?: (shared: Int32Array) => void; polled: number; after: number }> = [
  { name: "nothing pending", before: 0, polled: 0, after: 0 },
  { name: "a SIGINT pending: seen and cleared", before: 2, polled: 2, after: 0 },
  { name: "a SIGINT stored between the read and the clear: kept for the next poll", before: 0, between: (shared) => Atomics.store(shared, 0, 2), polled: 0, after: 2 },
  { name: "a second SIGINT while the first is being taken: one, as CPython's tripped flag", before: 2, between: (shared) => Atomics.store(shared, 0, 2), polled: 2, after: 0 },
];

for (const { name, before, between, polled, after } of cases) {
  test(`interruptView: ${name}`, () => {
    const shared = new Int32Array(new SharedArrayBuffer(4));
    Atomics.store(shared, 0, before);
    const view = interruptView(shared);
    assert.equal(poll(view, () => between?.(shared)), polled);
    assert.equal(Atomics.load(shared, 0), after);
    assert.equal(poll(view), after, "the next poll sees what is left");
  });
}

test("interruptView: a 0 written with no read before it clears nothing; a non-zero write stores", () => {
  const shared = new Int32Array(new SharedArrayBuffer(4));
  const view = interruptView(shared);
  Atomics.store(shared, 0, 2);
  view[0] = 0;
  assert.equal(Atomics.load(shared, 0), 2);
  view[0] = 0;
  assert.equal(view[0], 2);
  view[0] = 0;
  assert.equal(Atomics.load(shared, 0), 0);
  view[0] = 3;
  assert.equal(Atomics.load(shared, 0), 3);
});

test("the race interruptView closes is real for a bare buffer (why the view exists)", () => {
  const shared = new Int32Array(new SharedArrayBuffer(4));
  assert.equal(poll(shared as unknown as InterruptView, () => Atomics.store(shared, 0, 2)), 0);
  assert.equal(Atomics.load(shared, 0), 0, "the bare buffer lost the SIGINT");
});
