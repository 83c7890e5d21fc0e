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
  const sink = lazyStdio(1, fake.make, directWriter({ direct: false }).writer);
  assert.equal(fake.made(), 0);
  assert.equal(sink.isTTY, true);
  sink.write("a");
  sink.write("b");
  assert.deepEqual(fake.written, ["a", "b"]);
  assert.equal(sink.columns, 80);
  assert.equal(fake.made(), 1);
});

/** A descriptor stand-in: direct or not, taking at most `take` bytes per write, then failing with `failWith`. */
function directWriter(options: { direct: boolean; take?: number; failAfter?: number; failWith?: string }) {
  const bytes: number[] = [];
  let writes = 0;
  return {
    bytes,
    writer: {
      isDirect: () => options.direct,
      write(_descriptor: number, data: Uint8Array) {
        if (options.failAfter !== undefined && writes >= options.failAfter) throw Object.assign(new Error(options.failWith ?? "EAGAIN"), { code: options.failWith ?? "EAGAIN" });
        writes++;
        const taken = data.subarray(0, options.take ?? data.length);
        bytes.push(...taken);
        return taken.length;
      },
    },
  };
}

test("to a pipe, socket or file, text is written at once without making the stream, and isTTY is false", async () => {
  const fake = counted();
  const target = directWriter({ direct: true, take: 3 });
  const sink = lazyStdio(2, fake.make, target.writer);
  assert.equal(sink.isTTY, false);
  assert.equal(sink.write("warning: é\n"), true);
  sink.write(new TextEncoder().encode("x"));
  let called = false;
  sink.write("y", () => (called = true));
  await new Promise((resolve) => process.nextTick(resolve));
  assert.equal(called, true);
  assert.equal(new TextDecoder().decode(new Uint8Array(target.bytes)), "warning: é\nxy");
  assert.equal(fake.made(), 0);
});

test("what the descriptor does not take at once (EAGAIN, EPIPE) goes to the real stream, in order", () => {
  for (const failWith of ["EAGAIN", "EPIPE"]) {
    const fake = counted();
    const target = directWriter({ direct: true, take: 2, failAfter: 1, failWith });
    const sink = lazyStdio(2, fake.make, target.writer);
    sink.write("abcdef");
    assert.equal(new TextDecoder().decode(new Uint8Array(target.bytes)), "ab");
    assert.deepEqual(fake.written.map((chunk) => new TextDecoder().decode(chunk as unknown as Uint8Array)), ["cdef"]);
    // Once the stream exists, everything goes through it.
    sink.write("g");
    assert.deepEqual(fake.written.slice(1), ["g"]);
    assert.equal(fake.made(), 1);
  }
});

test("a terminal (or anything else) gets the real stream, as before", () => {
  const fake = counted();
  const target = directWriter({ direct: false });
  const sink = lazyStdio(2, fake.make, target.writer);
  assert.equal(sink.isTTY, true);
  sink.write("a");
  assert.deepEqual(fake.written, ["a"]);
  assert.deepEqual(target.bytes, []);
});

test("lazyStdio on a real pipe: a child process's warning arrives without its stream being made", async () => {
  const { spawnSync } = await import("node:child_process");
  const { fileURLToPath } = await import("node:url");
  const module = fileURLToPath(new URL("./node-lazy-stdio.ts", import.meta.url));
  const script = `import { lazyStdio } from ${JSON.stringify(module)}; const made = []; const sink = lazyStdio(2, () => { made.push(1); return process.stderr; }); sink.write("warning: x\\n"); process.stdout.write(String(made.length));`;
  const result = spawnSync(process.execPath, ["--import", "tsx", "--input-type=module", "-e", script], { encoding: "utf8" });
  assert.equal(result.stderr, "warning: x\n");
  assert.equal(result.stdout, "0");
});
