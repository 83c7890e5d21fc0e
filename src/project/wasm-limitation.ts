/** What WebAssembly cannot do that a failing test tried to do. */
export interface WasmLimitation {
  /** `subprocesses`, `threads`, `sockets`, … */
  feature: string;
  /** One line for the user: `WASM cannot start subprocesses (…)`. */
  explanation: string;
}

interface Rule {
  feature: string;
  explanation: string;
  /** Matched against the error message and traceback together; an array must match in full. */
  pattern: RegExp | RegExp[];
}

// Ordered: the first match wins, so the specific messages come before the generic errnos.
const rules: Rule[] = [
  {
    feature: "multiprocessing",
    explanation: "WASM cannot run multiprocessing (no processes, no named semaphores): use it only when sys.platform != \"emscripten\"",
    pattern: /No module named '_multiprocessing'|lacks multiprocessing\.synchronize|multiprocessing\/(?:pool|process|context)\.py/,
  },
  {
    feature: "subprocesses",
    explanation: "WASM cannot start subprocesses (subprocess, os.fork, os.exec*, os.popen): there is no process to start in the runtime",
    pattern: /does not support processes|\[Errno 138\][^\n]*process|_posixsubprocess|in (?:fork|_fork_exec|_execute_child|popen|spawnv?e?)\b|\bos\.fork\(|subprocess\.py"?[:,]/,
  },
  {
    feature: "threads",
    explanation: "WASM cannot start threads in this runtime (threading, concurrent.futures.ThreadPoolExecutor): Pyodide is built without pthreads",
    pattern: /can't start new thread|cannot start new thread|_start_joinable_thread|start_new_thread/,
  },
  {
    feature: "asyncio networking",
    explanation: "WASM cannot block on asyncio network I/O here: it needs JavaScript Promise integration (stack switching), which this JavaScript runtime lacks",
    pattern: /stack switching not supported/,
  },
  {
    feature: "sockets",
    explanation: "WASM has no real sockets (socket, http.client, urllib, servers): connections to hosts and listening sockets do not work",
    pattern: [
      /(?:socket|socketserver|ssl|selectors|http\/client|urllib\/request|asyncio\/\w+)\.py|RemoteDisconnected|getaddrinfo/,
      /OSError|ConnectionError|ConnectionRefused|RemoteDisconnected|URLError|TimeoutError|gaierror|\[Errno \d+\]/,
    ],
  },
  {
    feature: "signals",
    explanation: "WASM has no signals or interval timers (signal.alarm, signal.setitimer, os.kill)",
    pattern: /module 'signal' has no attribute '(?:alarm|setitimer|getitimer|pause|SIGALRM|pthread_kill|siginterrupt)'|module 'os' has no attribute '(?:kill|killpg|fork|wait\w*)'/,
  },
  {
    feature: "native libraries",
    explanation: "WASM cannot load the host's native shared libraries (ctypes.CDLL of libc, .so files built for the host)",
    pattern: /could not load dynamic lib|locateFile\(/,
  },
  {
    feature: "terminals",
    explanation: "WASM has no pseudo-terminals (pty, termios on real terminals)",
    pattern: /out of pty devices|No module named '(?:termios|pty|fcntl|resource|grp)'/,
  },
  {
    feature: "a system call",
    explanation: "WASM does not implement this system call ([Errno 52] Function not implemented)",
    pattern: /\[Errno 52\]|Function not implemented/,
  },
];

/**
 * The recognition rules as data (`patterns` in the regular-expression syntax JavaScript and
 * Python's `re` share), for the pytest plugin that adds the same hints to pytest's own output.
 *
 * @example
 * wasmLimitationRules()[0]!.feature; // "multiprocessing"
 */
export function wasmLimitationRules(): Array<{ feature: string; explanation: string; patterns: string[] }> {
  return rules.map((rule) => ({ feature: rule.feature, explanation: rule.explanation, patterns: [rule.pattern].flat().map((pattern) => pattern.source) }));
}

/**
 * Recognizes a test failure caused by something WebAssembly cannot do (subprocesses, threads,
 * sockets, signals, native libraries), from the error message and traceback, so the report can
 * say so instead of leaving the user to decode `OSError: [Errno 138]`.
 *
 * @example
 * wasmLimitationOf("OSError: [Errno 138] emscripten does not support processes.")?.feature; // "subprocesses"
 */
export function wasmLimitationOf(text: string): WasmLimitation | undefined {
  const rule = rules.find((candidate) => [candidate.pattern].flat().every((pattern) => pattern.test(text)));
  return rule ? { feature: rule.feature, explanation: rule.explanation } : undefined;
}
