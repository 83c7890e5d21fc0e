import { strict as assert } from "node:assert";
import { test } from "node:test";
import { lazyStdio } from "./node-lazy-stdio.js";

/** A stand-in stream that counts how often it was made. */
function counted(): { make: () => NodeJS.WriteStream; made: () => number; written: string[] } {
  let made = 0;
  const written: string[] = [];
  const stream = {
    columns: 80,
    isTTY: true,
    write(this: unknown, text: string) {
      assert.equal(this, stream, "methods run on the real stream");
      written.push(text);
      return true;
    },
  };
  return { make: () => (made++, stream as unknown as NodeJS.WriteStream), made: () => made, written };
}

test("isTTY is answered without making the stream; writing makes it once and writes to it", () => {
  const fake = counted();
  const sink = lazyStdio(1, fake.make);
  assert.equal(typeof sink.isTTY, "boolean");
  assert.equal(fake.made(), 0);
  sink.write("a");
  sink.write("b");
  assert.deepEqual(fake.written, ["a", "b"]);
  assert.equal(fake.made(), 1);
  // Once made, the stream itself answers.
  assert.equal(sink.isTTY, true);
  assert.equal(sink.columns, 80);
});
