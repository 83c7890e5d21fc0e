/**
 * The object kiln hands Pyodide as its interrupt buffer, in front of the shared memory that other
 * threads store SIGINT into.
 *
 * CPython's eval loop polls the buffer through Pyodide's `_Py_CheckEmscriptenSignals_Helper`,
 * which reads `buffer[0]` and then writes `buffer[0] = 0`: two plain accesses, not one atomic
 * exchange. A store from another thread that lands between them is overwritten unseen, and that ^C
 * is lost (observed: about one run in 30 under load; the glue read 0, the relay stored 2, the glue
 * wrote 0). The view keeps the glue's reads and writes but makes the clear conditional: writing 0
 * clears the buffer only if it still holds what the last read returned.
 */

/** What Pyodide needs of an interrupt buffer: element 0, read and then set to 0 once handled. */
export interface InterruptView {
  0: number;
}

/**
 * An interrupt buffer over `buffer[0]` whose "read, then write 0" cannot lose a store made in
 * between: the write is a compare-and-exchange against the value read. A write of 0 with no read
 * before it clears nothing; a non-zero write stores it.
 *
 * @example
 * const shared = new Int32Array(new SharedArrayBuffer(4));
 * pyodide.setInterruptBuffer(interruptView(shared));
 * // another thread, at SIGINT: Atomics.store(shared, 0, 2)
 */
export function interruptView(buffer: Int32Array): InterruptView {
  let lastRead = 0;
  return {
    get 0(): number {
      lastRead = Atomics.load(buffer, 0);
      return lastRead;
    },
    set 0(value: number) {
      if (value !== 0) Atomics.store(buffer, 0, value);
      else if (lastRead !== 0) Atomics.compareExchange(buffer, 0, lastRead, 0);
      lastRead = 0;
    },
  };
}
