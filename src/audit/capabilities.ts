/** What an imported symbol lets a module reach outside its own memory. */
export type Capability = "javascript" | "network" | "filesystem" | "processes" | "dynamicLoading";

/** Human names for the capability categories, in report order. */
export const capabilityTitles: Record<Capability, string> = {
  javascript: "JavaScript evaluation",
  network: "network",
  filesystem: "file system",
  processes: "processes",
  dynamicLoading: "dynamic loading",
};

// Imported symbols grouped by what they reach, curated by hand (names matched exactly; the
// prefixes below catch families). Where the names come from:
// - `__syscall_*`: Emscripten's syscall layer, `src/lib/libsyscall.js` (the JavaScript side of
//   `system/lib/libc/musl/arch/emscripten/syscall_arch.h`);
// - `fd_*`, `path_open`, `proc_exit`: WASI preview 1 as Emscripten implements it (`src/lib/libwasi.js`);
// - plain libc names (`open`, `socket`, `system`, `dlopen`, …): POSIX functions of musl that a side
//   module imports from the main module when it does not link its own copy;
// - `emscripten_run_script*`, `emscripten_asm_const_*`, `_emscripten_system`: `src/lib/library.js`
//   and `emscripten.h`; `emscripten_fetch*`/`emscripten_*wget*`: `src/lib/libfetch.js` and
//   `library_wget.js`; `emscripten_websocket_*`: `src/lib/libwebsocket.js`; `_emscripten_lookup_name`:
//   `src/lib/libsockfs.js`; `_emval_*`: embind's `src/lib/libemval.js`; `_dlopen_js`, `_dlsym_js`,
//   `emscripten_dlopen`: `src/lib/libdylink.js`;
// - `run_js`, `raw_call_js`: Pyodide's own JavaScript helpers for C code (`src/core/` of Pyodide).
// An import found in none of these lists counts as plain computation in the report.
const exact: Record<Capability, string[]> = {
  javascript: [
    "emscripten_run_script", "emscripten_run_script_int", "emscripten_run_script_string", "emscripten_asm_const_int",
    "emscripten_asm_const_double", "emscripten_asm_const_ptr", "emscripten_asm_const_async_on_main_thread",
    "emscripten_asm_const_int_sync_on_main_thread", "emscripten_asm_const_ptr_sync_on_main_thread", "run_js", "raw_call_js",
  ],
  network: [
    "__syscall_socket", "__syscall_socketpair", "__syscall_connect", "__syscall_bind", "__syscall_listen", "__syscall_accept4",
    "__syscall_sendto", "__syscall_recvfrom", "__syscall_sendmsg", "__syscall_recvmsg", "__syscall_getsockopt", "__syscall_setsockopt",
    "__syscall_getsockname", "__syscall_getpeername", "__syscall_shutdown", "socket", "connect", "bind", "listen", "accept", "accept4",
    "send", "sendto", "sendmsg", "recv", "recvfrom", "recvmsg", "getaddrinfo", "getnameinfo", "gethostbyname", "gethostbyname_r",
    "gethostbyaddr", "_emscripten_lookup_name", "emscripten_fetch", "emscripten_async_wget", "emscripten_async_wget_data",
    "emscripten_wget", "emscripten_wget_data",
  ],
  filesystem: [
    "__syscall_openat", "__syscall_unlinkat", "__syscall_renameat", "__syscall_mkdirat", "__syscall_rmdir", "__syscall_stat64",
    "__syscall_lstat64", "__syscall_fstat64", "__syscall_newfstatat", "__syscall_getdents64", "__syscall_readlinkat",
    "__syscall_symlinkat", "__syscall_linkat", "__syscall_chmod", "__syscall_fchmodat2", "__syscall_truncate64", "__syscall_ftruncate64",
    "__syscall_faccessat", "__syscall_chdir", "__syscall_utimensat", "__syscall_statfs64", "open", "openat", "open64", "fopen",
    "fopen64", "freopen", "fdopen", "creat", "stat", "lstat", "fstatat", "access", "faccessat", "unlink", "unlinkat", "remove",
    "rename", "renameat", "mkdir", "mkdirat", "rmdir", "opendir", "fdopendir", "readdir", "scandir", "nftw", "ftw", "chdir",
    "realpath", "readlink", "readlinkat", "symlink", "link", "truncate", "chmod", "chown", "utime", "utimes", "utimensat",
    "mkstemp", "mkdtemp", "tmpfile", "tempnam", "tmpnam", "statvfs", "fd_read", "fd_write", "fd_pread", "fd_pwrite", "fd_seek",
    "fd_close", "fd_sync", "path_open", "read", "write", "pread", "pwrite", "readv", "writev",
  ],
  processes: [
    "system", "popen", "pclose", "fork", "vfork", "execve", "execv", "execvp", "execvpe", "execl", "execlp", "execle", "fexecve",
    "posix_spawn", "posix_spawnp", "wait", "waitpid", "wait3", "wait4", "__syscall_wait4", "kill", "killpg", "__syscall_kill",
    "_emscripten_system", "proc_exit", "exit", "_exit",
  ],
  dynamicLoading: ["dlopen", "dlsym", "dlclose", "dlerror", "dladdr", "_dlopen_js", "_dlsym_js", "_dlsym_catchup_js", "emscripten_dlopen", "_emscripten_dlopen_js"],
};

const prefixes: [string, Capability][] = [
  ["_emval_", "javascript"],
  ["emscripten_websocket_", "network"],
  ["emscripten_fetch", "network"],
  ["_emscripten_fetch", "network"],
  ["__syscall_socket", "network"],
];

// Most imports (`Py…`, library functions) start with none of the prefixes' first characters.
const prefixStarts = new Set(prefixes.map(([prefix]) => prefix.charAt(0)));

const byName = new Map<string, Capability>(
  (Object.entries(exact) as [Capability, string[]][]).flatMap(([capability, names]) => names.map((name) => [name, capability] as [string, Capability])),
);

/**
 * The capability an imported function gives a module, or undefined for plain computation.
 *
 * @example
 * classifyImport("__syscall_connect"); // "network"
 * classifyImport("PyLong_FromLong");   // undefined
 */
export function classifyImport(name: string): Capability | undefined {
  const exactly = byName.get(name);
  if (exactly || !prefixStarts.has(name.charAt(0))) return exactly;
  return prefixes.find(([prefix]) => name.startsWith(prefix))?.[1];
}
