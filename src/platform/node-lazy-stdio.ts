/**
 * `process.stdout` or `process.stderr`, made when first used. Node builds each on first access as
 * a stream object (a socket for a pipe, with its stream modules: ~1.3 ms of CPU apiece), which a
 * quiet `kiln pip install` never writes to (nor asks whether they are terminals: see Output.color).
 * Every property (write, isTTY, columns, events) comes from the real stream, made on that first
 * use, with methods bound to it. Answering `isTTY` without the stream would need `node:tty`,
 * which loads the same socket modules. Identity differs (`lazyStdio(1) !== process.stdout`), so it is only for
 * commands that never compare them (kiln pip; not `kiln run`, whose child processes inherit the
 * real streams when it is given them).
 *
 * @example
 * const streams = { stdout: lazyStdio(1), stderr: lazyStdio(2), env: process.env, cwd: process.cwd() };
 */
export function lazyStdio(descriptor: 1 | 2, make: () => NodeJS.WriteStream = () => (descriptor === 1 ? process.stdout : process.stderr)): NodeJS.WriteStream {
  let stream: NodeJS.WriteStream | undefined;
  const real = () => (stream ??= make());
  return new Proxy({} as NodeJS.WriteStream, {
    get(_target, key) {
      const target = real();
      const value: unknown = Reflect.get(target, key, target);
      return typeof value === "function" ? (value as (...args: unknown[]) => unknown).bind(target) : value;
    },
    set: (_target, key, value) => Reflect.set(real(), key, value),
    has: (_target, key) => Reflect.has(real(), key),
  });
}
