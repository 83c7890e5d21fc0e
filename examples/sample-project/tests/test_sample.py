import pathlib
import sys
import sysconfig

import pydantic_core
import pytest

import kiln_sample
from kiln_sample import Inventory, ValidationError


def test_runs_on_webassembly():
    assert sys.platform == "emscripten"
    assert kiln_sample.platform_name() == "emscripten"
    assert sysconfig.get_platform().startswith("emscripten-")


def test_imports_the_installed_package_and_the_wasm_extension():
    # sources = ["tests"] runs the tests from a copy, so the package comes from site-packages.
    assert "site-packages" in pathlib.Path(kiln_sample.__file__).parts
    assert pydantic_core._pydantic_core.__file__.endswith("wasm32-emscripten.so")


def test_fixture_from_conftest(inventory):
    assert len(inventory) == 2
    assert inventory.total() == 247.5


@pytest.mark.parametrize(
    ("raw", "error"),
    [
        ({"name": "", "price": 1}, "string_too_short"),
        ({"name": "x", "price": -1}, "greater_than_equal"),
        ({"name": "x", "price": "cheap"}, "float_parsing"),
        ({"price": 1}, "missing"),
    ],
)
def test_rejects_bad_items(raw, error):
    with pytest.raises(ValidationError) as caught:
        Inventory().add(raw)
    assert caught.value.errors()[0]["type"] == error


def test_tmp_path(inventory, tmp_path):
    target = tmp_path / "report.txt"
    inventory.save(target)
    assert target.read_text(encoding="utf-8").splitlines()[-1] == "total: 247.50"


def test_capsys(inventory, capsys):
    inventory.print_report()
    assert capsys.readouterr().out == "glaze: 1 x 7.50\nkiln: 2 x 120.00\ntotal: 247.50\n"


def test_environment_from_tool_kiln_test():
    assert kiln_sample.greeting() == "hello from the config"


def test_monkeypatch(monkeypatch):
    monkeypatch.setenv("KILN_SAMPLE_GREETING", "patched")
    assert kiln_sample.greeting() == "patched"


def test_plugin_from_the_index(mocker):
    # The mocker fixture comes from pytest-mock, found through its pytest11 entry point.
    spy = mocker.spy(Inventory, "total")
    Inventory().total()
    assert spy.call_count == 1


@pytest.mark.skipif(sys.platform == "emscripten", reason="WASM cannot start subprocesses")
def test_subprocess_natively():
    import subprocess

    assert subprocess.run([sys.executable, "-c", "print(1)"], capture_output=True).stdout == b"1\n"
