import { strict as assert } from "node:assert";
import { test } from "node:test";
import { restoreSnapshotSparsely } from "./node-sparse-restore.js";

/** A module whose restoreSnapshot does what Pyodide's does with the image: one HEAP8.set of it from an offset in the snapshot. */
function fakeModule(memoryBytes: number, imageStart: number) {
  const heap = new Int8Array(memoryBytes);
  const module = {
    HEAP8: heap,
    API: {
      restoreSnapshot(snapshot: Uint8Array) {
        module.HEAP8.set(snapshot.subarray(imageStart));
        return "restored";
      },
    },
  };
  return module;
}

test("the snapshot's image lands byte for byte as with a full copy: zero chunks left, dirty ones zeroed", () => {
  const chunk = 65536;
  const snapshot = new Uint8Array(new SharedArrayBuffer(16 + 5 * chunk + 100));
  snapshot.fill(7, 0, 16); // the snapshot's own header, not copied
  snapshot.fill(3, 16 + chunk, 16 + chunk + 10);
  snapshot[16 + 4 * chunk + 5] = 9;
  snapshot[snapshot.length - 1] = 1;
  const module = fakeModule(8 * chunk, 16);
  module.HEAP8.fill(5, 2 * chunk, 2 * chunk + 3); // memory dirty where the image is zero
  module.HEAP8.fill(6, 7 * chunk, 7 * chunk + 4); // beyond the image: left as it is
  const expected = module.HEAP8.slice();
  expected.set(snapshot.subarray(16));
  restoreSnapshotSparsely(module);
  assert.equal(module.API.restoreSnapshot(snapshot), "restored");
  assert.deepEqual(module.HEAP8, expected);
  assert.equal(Object.hasOwn(module.HEAP8, "set"), false, "the heap's own set is gone after the restore");
});

test("other copies into memory are not changed, and only the next restore is sparse", () => {
  const module = fakeModule(1024, 0);
  restoreSnapshotSparsely(module);
  const original = module.API.restoreSnapshot;
  const image = Uint8Array.of(1, 2, 3);
  module.API.restoreSnapshot(image); // not shared memory: a plain copy all the same
  assert.deepEqual([...module.HEAP8.subarray(0, 3)], [1, 2, 3]);
  assert.notEqual(module.API.restoreSnapshot, original, "put back after its call");
  module.HEAP8.set([4, 5], 10);
  assert.deepEqual([...module.HEAP8.subarray(10, 12)], [4, 5]);
  restoreSnapshotSparsely({});
  restoreSnapshotSparsely({ API: {} });
});
