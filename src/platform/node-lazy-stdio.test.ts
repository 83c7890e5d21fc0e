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

test("the stream is made on first use, once, and its methods run on it", () => {
  const fake = counted();
  const sink = lazyStdio(1, fake.make);
  assert.equal(fake.made(), 0);
  assert.equal(sink.isTTY, true);
  sink.write("a");
  sink.write("b");
  assert.deepEqual(fake.written, ["a", "b"]);
  assert.equal(sink.columns, 80);
  assert.equal(fake.made(), 1);
});
