/**
 * The Python side of `kiln run`: the module `_kiln_main`, written into the runtime's file system and
 * imported before a snapshot is taken, so that a warm start finds it already compiled.
 */

/**
 * Source of `_kiln_main`. `run(config)` prepares the process state for one run and runs its main
 * part (-c, -m, a script, stdin or the REPL), returning the exit code.
 *
 * @example
 * pyodide.FS.writeFile("/lib/kiln/_kiln_main.py", kilnMainSource);
 */
export const kilnMainSource: string = String.raw`"""kiln's process driver, run inside the WASM interpreter.

It turns an interpreter that was just started, or restored from a memory snapshot, into what
'python3 ARGS' would be on the host: sys.argv, sys.path, os.environ, the standard streams, the
working directory, then runs -c, -m, a script, stdin or the REPL with CPython's exit semantics.
Interpreter-wide settings that only CPython's start-up can make (sys.flags, -W, -X, PYTHON*
variables) were made by the start-up itself: kiln passes those options to the runtime and keys its
snapshots by them.
"""

import io
import os
import sys

SIGINT_EXIT = -2  # tells the host to die by SIGINT, as CPython does after an uncaught ^C


def run(config):
    """Prepares the process state from config (a dict) and runs its main part; returns the exit
    code, or SIGINT_EXIT."""
    try:
        prepare(config)
    except KeyboardInterrupt:
        return SIGINT_EXIT  # ^C before the program began: CPython's start-up dies by SIGINT too
    except BaseException as error:  # a failure here is kiln's, not the user's
        sys.__stderr__.write(f"kiln: cannot prepare the Python process: {error!r}\n")
        return 1
    code = _run_main(config)
    return finalize(code)


def run_json(text):
    """run() with its config as JSON text, the form the host passes it in."""
    import json
    return run(json.loads(text))


def prepare(config):
    _set_environment(config["env"])
    os.chdir(config["cwd"])
    sys.executable = config["executable"]
    sys._base_executable = config.get("baseExecutable") or config["executable"]
    sys.argv = list(config["argv"])
    sys.orig_argv = list(config["origArgv"])
    sys.excepthook = sys.__excepthook__
    sys.dont_write_bytecode = bool(config["dontWriteBytecode"])
    _set_warnings(config["warnOptions"])
    _set_streams(config["isatty"], config["unbuffered"])
    _make_sleep_interruptible()
    _set_path(config)
    _reset_state()


def _make_sleep_interruptible():
    """time.sleep() in Pyodide blocks without looking at the interrupt buffer, so ^C would wait for
    the whole sleep; sleeping in short steps and checking the host between them makes it prompt."""
    take_interrupt = _host_function("take_interrupt")
    if take_interrupt is None:
        return
    import signal
    import time
    sleep = getattr(time.sleep, "_kiln_original", time.sleep)

    def interruptible_sleep(seconds):
        if not isinstance(seconds, (int, float)) or seconds != seconds or seconds <= 0.05:
            return sleep(seconds)
        deadline = time.monotonic() + seconds
        while True:
            remaining = deadline - time.monotonic()
            if remaining <= 0:
                return None
            sleep(min(remaining, 0.05))
            if take_interrupt():
                signal.raise_signal(signal.SIGINT)

    interruptible_sleep.__doc__ = sleep.__doc__
    interruptible_sleep._kiln_original = sleep
    time.sleep = interruptible_sleep


def _set_warnings(options):
    """-W and PYTHONWARNINGS, applied per process: Pyodide's own start-up must not run under them."""
    if options:
        import warnings
        sys.warnoptions[:] = list(options)
        warnings._processoptions(sys.warnoptions)


def _set_environment(env):
    environ = os.environ
    for key in list(environ):
        if key not in env:
            del environ[key]
    for key, value in env.items():
        if environ.get(key) != value:
            environ[key] = value


def _set_streams(ttys, unbuffered):
    """Recreates sys.stdin/stdout/stderr as CPython's create_stdio() would for this process."""
    old = (sys.__stdin__, sys.__stdout__, sys.__stderr__)
    streams = []
    for fd, name, mode in ((0, "<stdin>", "r"), (1, "<stdout>", "w"), (2, "<stderr>", "w")):
        previous = old[fd]
        encoding = previous.encoding if previous else "utf-8"
        errors = "backslashreplace" if fd == 2 else (previous.errors if previous else "surrogateescape")
        write_through = unbuffered and mode == "w"
        raw = io.FileIO(fd, mode, closefd=False)
        buffer = raw if write_through else (io.BufferedReader(raw) if mode == "r" else io.BufferedWriter(raw))
        line_buffering = not write_through and (bool(ttys[fd]) or fd == 2)
        stream = io.TextIOWrapper(buffer, encoding=encoding, errors=errors, newline="\n",
                                  line_buffering=line_buffering, write_through=write_through)
        stream.mode = mode
        raw.name = name
        streams.append(stream)
    sys.stdin = sys.__stdin__ = streams[0]
    sys.stdout = sys.__stdout__ = streams[1]
    sys.stderr = sys.__stderr__ = streams[2]


def _set_path(config):
    base = [entry for entry in sys.path if entry.startswith("/lib/")]
    venv = config.get("venv")
    if venv:
        base = [entry for entry in base if not entry.endswith("/site-packages")]
    extra = []
    if not sys.flags.ignore_environment:
        extra = [os.path.abspath(entry) for entry in config.get("pythonPath") or [] if entry]
    first = [] if sys.flags.safe_path else [_path0(config["mode"])]
    sys.path[:] = first + extra + base
    # Finders cached for host directories may hold stale listings; the standard library's zip
    # importer stays (re-reading its directory costs hundreds of milliseconds).
    for entry in list(sys.path_importer_cache):
        if not entry.startswith("/lib/"):
            del sys.path_importer_cache[entry]
    if venv:
        import site
        sys.prefix = sys.exec_prefix = venv["prefix"]
        site.PREFIXES[:] = [venv["prefix"]]
        if venv.get("includeSystemSitePackages"):
            version = f"{sys.version_info[0]}.{sys.version_info[1]}"
            sys.path.append(f"/lib/python{version}/site-packages")
        site.addsitedir(venv["sitePackages"])
        # Shared libraries installed into the environment live in <prefix>/lib, where Pyodide's
        # package loader puts them in a virtual environment; the dynamic linker looks there
        # first, then in the runtime's own library directory (Pyodide's default).
        paths = [venv["prefix"] + "/lib", "/usr/lib"] + [p for p in os.environ.get("LD_LIBRARY_PATH", "").split(":") if p]
        os.environ["LD_LIBRARY_PATH"] = ":".join(dict.fromkeys(paths))
        # A sysconfig imported before the snapshot computed its paths for the runtime's own prefix;
        # one imported later computes them for the venv. Importing it here would cost ~150 ms on
        # every run (CPython's own start-up does not import it either).
        sysconfig = sys.modules.get("sysconfig")
        if sysconfig is not None:
            sysconfig._CONFIG_VARS = None
            if hasattr(sysconfig, "_CONFIG_VARS_INITIALIZED"):
                sysconfig._CONFIG_VARS_INITIALIZED = False


def _path0(mode):
    """sys.path[0] as CPython computes it: the script's real directory, the working directory for
    -m, the script itself (made absolute) when it is a directory or zip file, else the empty string."""
    if mode["kind"] == "module":
        return os.getcwd()
    if mode["kind"] == "script":
        if _is_directory_or_zip(os.path.abspath(mode["value"])):
            return os.path.abspath(mode["value"])
        return os.path.dirname(os.path.realpath(mode["value"]))
    return ""


def _reset_state():
    """Undoes what a snapshot froze that must differ between processes."""
    import random
    random.seed()
    tempfile = sys.modules.get("tempfile")
    if tempfile is not None:
        tempfile._name_sequence = None
    import time
    if hasattr(time, "tzset"):
        time.tzset()
    # Log records' relativeCreated counts from logging's import, which a snapshot may hold.
    logging = sys.modules.get("logging")
    if logging is not None and isinstance(getattr(logging, "_startTime", None), int):
        logging._startTime = time.time_ns()
    import linecache
    linecache.clearcache()
    import __main__
    keep = ("__name__", "__builtins__")
    for key in list(__main__.__dict__):
        if key not in keep:
            del __main__.__dict__[key]
    __main__.__doc__ = None
    __main__.__package__ = None
    __main__.__spec__ = None
    __main__.__loader__ = None


def _run_main(config):
    mode = config["mode"]
    kind = mode["kind"]
    try:
        if kind == "command":
            _run_source(mode["value"], "<string>", register=True)
        elif kind == "module":
            import runpy
            runpy._run_module_as_main(mode["value"], alter_argv=True)
        elif kind == "script":
            code = _run_script(mode["value"], config)
            if code is not None:
                return code
        elif kind == "stdin":
            if config["isatty"][0]:
                return _interact(config, banner=True)
            _run_source(sys.stdin.buffer.read(), "<stdin>")
    except SystemExit as exit:
        return exit_code(exit)
    except BaseException as error:
        print_exception(error)
        if isinstance(error, KeyboardInterrupt) and not config["inspect"]:
            return SIGINT_EXIT
        code = 1
    else:
        code = 0
    if config["inspect"] and not (kind == "stdin" and config["isatty"][0]):
        return _interact(config, banner=False)
    return code


def _run_source(source, filename, register=False):
    import __main__
    from importlib.machinery import BuiltinImporter
    if register and isinstance(source, str):
        _register_source(filename, source)
    __main__.__loader__ = BuiltinImporter
    code = compile(source, filename, "exec", dont_inherit=True)
    exec(code, __main__.__dict__)


def _register_source(filename, source):
    import linecache
    lines = source.splitlines(True)
    if lines and not lines[-1].endswith("\n"):
        lines[-1] += "\n"
    linecache.cache[filename] = (len(source), None, lines, filename)


def _run_script(path, config):
    import __main__
    absolute = os.path.abspath(path)
    if _is_directory_or_zip(absolute):
        import runpy
        runpy._run_module_as_main("__main__", alter_argv=False)
        return None
    try:
        with open(absolute, "rb") as file:
            data = file.read()
    except OSError as error:
        sys.stderr.write(f"{sys.executable}: can't open file {absolute!r}: [Errno {error.errno}] {error.strerror}\n")
        return 2
    from importlib.machinery import SourceFileLoader, SourcelessFileLoader
    from importlib.util import MAGIC_NUMBER
    __main__.__file__ = absolute
    __main__.__cached__ = None
    if data[:4] == MAGIC_NUMBER:
        import marshal
        __main__.__loader__ = SourcelessFileLoader("__main__", absolute)
        exec(marshal.loads(data[16:]), __main__.__dict__)
        return None
    if config["skipFirstLine"]:
        newline = data.find(b"\n")
        data = b"\n" + data[newline + 1:] if newline >= 0 else b""
    __main__.__loader__ = SourceFileLoader("__main__", absolute)
    code = compile(data, absolute, "exec", dont_inherit=True)
    exec(code, __main__.__dict__)
    return None


def _is_directory_or_zip(path):
    if os.path.isdir(path):
        return True
    try:
        import zipfile
        return os.path.isfile(path) and zipfile.is_zipfile(path)
    except OSError:
        return False


def exit_code(exit):
    """CPython's handling of SystemExit: None is 0, an int is the status, anything else is printed."""
    code = exit.code
    if code is None:
        return 0
    if isinstance(code, int):
        return code & 0xFF
    try:
        sys.stderr.write(f"{code}\n")
    except Exception:
        pass
    return 1


def print_exception(error):
    """Prints error through sys.excepthook, leaving out kiln's own frames: the driver's around the
    program, and from a call the program made into one of kiln's stand-ins for CPython's C
    functions inwards (time.sleep's, and Pyodide's frames below it): CPython's traceback ends at
    the call."""
    tb = error.__traceback__
    while tb is not None and tb.tb_frame.f_code.co_filename == "<kiln>":
        tb = tb.tb_next
    for entry in _entries(tb):
        if entry.tb_next is not None and entry.tb_next.tb_frame.f_code.co_filename == "<kiln>":
            entry.tb_next = None
    error.__traceback__ = tb  # the default hook prints the exception's own traceback
    try:
        sys.excepthook(type(error), error, tb)
    except BaseException:
        sys.__excepthook__(type(error), error, tb)


def _entries(tb):
    while tb is not None:
        yield tb
        tb = tb.tb_next


def _interact(config, banner):
    """The basic REPL, as CPython's when it cannot use its own terminal code: banner and prompts,
    PYTHONSTARTUP, "<stdin>" tracebacks, ^C cancels the line, ^D or exit() leaves. On a terminal the
    host reads lines (line editing and history); otherwise prompts go to stderr, as CPython does."""
    import code
    import __main__
    sys.ps1 = getattr(sys, "ps1", ">>> ")
    sys.ps2 = getattr(sys, "ps2", "... ")
    terminal = bool(config["isatty"][0])
    host_readline = _host_function("readline") if terminal else None
    take_interrupt = _host_function("take_interrupt")
    if banner and not sys.flags.quiet:
        sys.stderr.write(f"Python {sys.version} on {sys.platform}\n"
                         'Type "help", "copyright", "credits" or "license" for more information.\n')
    startup = os.environ.get("PYTHONSTARTUP") if not sys.flags.ignore_environment else None
    if banner and startup and os.path.isfile(startup):
        try:
            with open(startup, "rb") as file:
                exec(compile(file.read(), startup, "exec"), __main__.__dict__)
        except SystemExit as exit:
            return exit_code(exit)
        except BaseException as error:
            print_exception(error)

    class Console(code.InteractiveConsole):
        def raw_input(self, prompt=""):
            sys.stdout.flush()
            sys.stderr.flush()
            if host_readline is not None:
                if take_interrupt is not None and take_interrupt():
                    raise KeyboardInterrupt  # ^C came while the last line ran or compiled
                line = host_readline(prompt)
                if line is None:
                    raise EOFError
                if line is False:
                    if take_interrupt is not None:
                        take_interrupt()  # the host set it too; this ^C is handled here
                    raise KeyboardInterrupt
                return line
            sys.stderr.write(prompt)
            sys.stderr.flush()
            line = sys.stdin.readline()
            if not line:
                raise EOFError
            return line[:-1] if line.endswith("\n") else line

    console = Console(__main__.__dict__, filename="<stdin>")
    try:
        console.interact(banner="", exitmsg="")
    except SystemExit as exit:
        return exit_code(exit)
    if terminal:
        sys.stdout.write("\n")
    return 0


def _host_function(name):
    try:
        import _kiln_host
    except ImportError:
        return None
    return getattr(_kiln_host, name, None)


def mark_preload_imports():
    """Called once a process has imported what every run of it imports before its own work (pytest
    after collection): those modules, when they are the standard library's, may be preloaded next
    time (see recordPreloadImports). What is imported later (by the tests) is never preloaded."""
    global _preload_marked
    _preload_marked = frozenset(sys.modules)


def finalize(code):
    """What CPython does on the way out: join threads, run atexit, flush the standard streams."""
    try:
        threading = sys.modules.get("threading")
        if threading is not None:
            threading._shutdown()
    except BaseException:
        pass
    try:
        import atexit
        atexit._run_exitfuncs()
    except SystemExit as exit:
        code = exit_code(exit)
    except BaseException as error:
        print_exception(error)
    for stream in (sys.stdout, sys.stderr):
        try:
            if stream is not None and not stream.closed:
                stream.flush()
        except (OSError, ValueError):
            if stream is sys.stdout:
                code = 120
    return code
`;
