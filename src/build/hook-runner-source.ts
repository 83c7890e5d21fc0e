/**
 * The Python side of a PEP 517 hook call, run inside the WASM runtime: it imports the backend
 * named by `build-backend` (with `backend-path` first on `sys.path`, and checked to come from
 * there), calls one hook with `config_settings`, and writes the outcome as JSON to a file.
 * It plays the part of pyproject-hooks' `_in_process.py`, with the fallbacks PEP 517 asks of
 * frontends (a missing `get_requires_*` returns `[]`; a missing `prepare_metadata_*` builds the
 * wheel and takes its `.dist-info`).
 *
 * Subprocesses do not exist in the runtime; `subprocess.Popen` and `os.system` are replaced so a
 * backend that shells out (a compiler, `git` for setuptools-scm) gets a `FileNotFoundError`
 * naming the command, as if the program were not installed, which is what most tools handle
 * gracefully, and kiln learns which commands were attempted.
 */
export const hookRunnerSource = String.raw`
import errno, importlib, json, os, shutil, subprocess, sys, traceback, zipfile

_kiln_attempted = []


class KilnNoSubprocess(FileNotFoundError):
    pass


def _kiln_refuse(args):
    argv = [str(a) for a in args] if isinstance(args, (list, tuple)) else [str(args)]
    _kiln_attempted.append(argv)
    raise KilnNoSubprocess(errno.ENOENT, "kiln: cannot run " + repr(" ".join(argv)[:200]) + ": programs cannot be started inside the WASM runtime", argv[0])


def _kiln_popen_init(self, args, *rest, **options):
    _kiln_refuse(args)


subprocess.Popen.__init__ = _kiln_popen_init
os.system = lambda command: _kiln_refuse(command)
for _name in ("fork", "forkpty", "posix_spawn", "posix_spawnp", "execv", "execve", "execvp", "execvpe", "spawnv", "spawnve", "spawnvp", "spawnvpe"):
    if hasattr(os, _name):
        setattr(os, _name, lambda *args, _n=_name: _kiln_refuse([_n] + [str(a) for a in args[:2]]))


class KilnHookFailure(Exception):
    def __init__(self, kind, message):
        super().__init__(message)
        self.kind = kind


def _kiln_backend(request):
    paths = [os.path.normpath(os.path.join(request["source"], p)) for p in request["backendPath"]]
    sys.path[:0] = paths + [p for p in request.get("sysPath", []) if p not in sys.path]
    importlib.invalidate_caches()
    module_name, _, object_path = request["backend"].partition(":")
    try:
        backend = importlib.import_module(module_name)
    except ModuleNotFoundError as error:
        if error.name is not None and (module_name == error.name or module_name.startswith(error.name + ".")):
            raise KilnHookFailure("backendUnavailable", "No module named " + repr(error.name) + " (the build backend " + repr(request["backend"]) + ")")
        raise
    if paths:
        location = os.path.normcase(os.path.abspath(getattr(backend, "__file__", None) or ""))
        if not any(location.startswith(os.path.normcase(p) + os.sep) for p in paths):
            raise KilnHookFailure("backendInvalid", "The backend " + repr(module_name) + " was loaded from " + location + ", not from backend-path " + repr(request["backendPath"]))
    for attribute in filter(None, object_path.split(".")):
        try:
            backend = getattr(backend, attribute)
        except AttributeError:
            raise KilnHookFailure("backendUnavailable", "The module " + repr(module_name) + " has no attribute " + repr(object_path))
    return backend


def _kiln_dist_info_from_wheel(wheel, directory):
    with zipfile.ZipFile(wheel) as archive:
        names = {name.split("/")[0] for name in archive.namelist() if name.split("/")[0].endswith(".dist-info")}
        if len(names) != 1:
            raise KilnHookFailure("error", "The built wheel " + os.path.basename(wheel) + " has " + str(len(names)) + " .dist-info directories")
        top = names.pop()
        for name in archive.namelist():
            if name.startswith(top + "/"):
                archive.extract(name, directory)
    return top


def _kiln_call(backend, hook, arguments):
    settings = arguments.get("config_settings")
    function = getattr(backend, hook, None)
    if hook.startswith("get_requires_for_build_"):
        if function is None:
            return []
        return list(function(settings))
    if hook.startswith("prepare_metadata_for_build_"):
        if function is not None:
            return {"distInfo": function(arguments["metadata_directory"], settings)}
        kind = hook[len("prepare_metadata_for_build_"):]
        builder = getattr(backend, "build_" + kind, None)
        if builder is None:
            raise KilnHookFailure("hookMissing", "The backend has neither prepare_metadata_for_build_" + kind + " nor build_" + kind)
        scratch = os.path.join(arguments["metadata_directory"], ".kiln-wheel")
        os.makedirs(scratch, exist_ok=True)
        wheel = os.path.join(scratch, builder(scratch, settings))
        return {"distInfo": _kiln_dist_info_from_wheel(wheel, arguments["metadata_directory"]), "wheel": wheel}
    if function is None:
        raise KilnHookFailure("hookMissing", "The backend has no " + hook + " hook")
    if hook == "build_sdist":
        return function(arguments["sdist_directory"], settings)
    metadata = arguments.get("metadata_directory")
    if metadata is None:
        return function(arguments["wheel_directory"], settings)
    return function(arguments["wheel_directory"], settings, metadata)


def _kiln_run_hook(request):
    outcome = {"ok": False}
    # As in pyproject-hooks, the source tree is the working directory but not on sys.path: a
    # project named like its backend (flit_core, hatchling) must not shadow the installed one.
    sys.path[:] = [p for p in sys.path if p not in ("", ".", request["source"])]
    try:
        for key, value in request.get("env", {}).items():
            os.environ[key] = value
        os.chdir(request["source"])
        backend = _kiln_backend(request)
        try:
            value = _kiln_call(backend, request["hook"], request["arguments"])
        except BaseException as error:
            unsupported = getattr(backend, "UnsupportedOperation", None)
            if isinstance(unsupported, type) and isinstance(error, unsupported):
                raise KilnHookFailure("unsupported", str(error) or "The backend does not support " + request["hook"])
            raise
        outcome = {"ok": True, "value": value}
    except KilnHookFailure as error:
        outcome = {"ok": False, "kind": error.kind, "message": str(error), "traceback": ""}
    except BaseException as error:
        outcome = {"ok": False, "kind": "error", "message": type(error).__name__ + ": " + str(error), "traceback": traceback.format_exc()[-20000:]}
    finally:
        sys.stdout.flush()
        sys.stderr.flush()
    outcome["attempted"] = _kiln_attempted
    with open(request["resultPath"], "w", encoding="utf-8") as result:
        json.dump(outcome, result)
`;
