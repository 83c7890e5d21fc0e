import { strict as assert } from "node:assert";
import { test } from "node:test";
import { Output } from "../output.js";
import { pipReporter } from "./pip-reporter.js";

function run(options: { tty: boolean; env?: Record<string, string>; quietness?: number }): string {
  let text = "";
  const sink = { write: (chunk: string) => (text += chunk), isTTY: options.tty, columns: 60 };
  const output = new Output({ stdout: sink, stderr: sink, env: { NO_COLOR: "1", ...options.env } });
  const reporter = pipReporter(output, { quietness: options.quietness ?? 0, env: options.env ?? {}, redrawMs: 0 });
  reporter.info("Resolved 2 packages");
  const task = reporter.startTask("Downloading", 2048);
  task.advance(1024);
  task.advance(1024);
  task.finish("Downloaded 2 wheels");
  reporter.warn("careful");
  reporter.debug("detail");
  return text;
}

test("on a terminal, progress is drawn in place and erased; the finish message stays", () => {
  const text = run({ tty: true });
  assert.match(text, /\rDownloading|Downloading \[/);
  assert.match(text, /Downloading \[=+ *\] 1\.0 KiB\/2\.0 KiB/);
  assert.match(text, /\r\u001b\[2K/);
  assert.match(text, /Downloaded 2 wheels\n/);
});

const cases: Array<[string, { tty: boolean; env?: Record<string, string>; quietness?: number }, string]> = [
  ["not a terminal: plain lines only", { tty: false }, "Resolved 2 packages\nDownloaded 2 wheels\nwarning: careful\n"],
  ["CI=true on a terminal: plain lines only", { tty: true, env: { CI: "true" } }, "Resolved 2 packages\nDownloaded 2 wheels\nwarning: careful\n"],
  ["-q: warnings only", { tty: false, quietness: 1 }, "warning: careful\n"],
  ["-qq: nothing", { tty: false, quietness: 2 }, ""],
  ["-v: debug lines too", { tty: false, quietness: -1 }, "Resolved 2 packages\nDownloaded 2 wheels\nwarning: careful\ndetail\n"],
];

for (const [title, options, expected] of cases) {
  test(`pipReporter: ${title}`, () => assert.equal(run(options), expected));
}

test("a quiet reporter and its Output never ask stderr whether it is a terminal until they paint", () => {
  let asked = 0;
  let text = "";
  const sink = {
    write: (chunk: string) => (text += chunk),
    get isTTY() {
      asked++;
      return false;
    },
  };
  for (const [env, quietness] of [[{}, 1], [{ CI: "true" }, 0]] as const) {
    asked = 0;
    const output = new Output({ stdout: sink, stderr: sink, env });
    const reporter = pipReporter(output, { quietness, env, redrawMs: 0 });
    reporter.info("Resolved 2 packages");
    reporter.startTask("Downloading", 2048).finish("Downloaded");
    assert.equal(asked, 0, "asking makes Node build the stream, which a command that prints nothing never needs");
    reporter.warn("careful");
    reporter.warn("again");
    assert.equal(asked, 1, "painting a warning asks, once");
  }
  assert.match(text, /warning: careful\n/);
});
