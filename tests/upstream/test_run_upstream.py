"""The upstream runner on a small suite of its own: real pytest runs, real servers."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from tests.upstream.run_upstream import (
    Suite,
    compare,
    installed_vxkit_config,
    outcome,
    run_pytest,
)

PROBE_TESTS = """
def test_server_starts(jp_serverapp):
    assert jp_serverapp.web_app is not None


def test_server_without_vxkit(jp_serverapp):
    # stands for an upstream test that vxkit breaks
    assert not jp_serverapp.extension_manager.linked_extensions.get("vxkit")


def test_no_server():
    assert sum([1, 1]) == 2


def test_always_fails(jp_serverapp):
    assert jp_serverapp.port == -1
"""


@pytest.fixture
def probe_suite(tmp_path: Path) -> tuple[Suite, Path]:
    root = tmp_path / "probe"
    (root / "tests").mkdir(parents=True)
    (root / "tests" / "conftest.py").write_text(
        'pytest_plugins = ["pytest_jupyter.jupyter_server"]\n', encoding="utf-8"
    )
    (root / "tests" / "test_probe.py").write_text(PROBE_TESTS, encoding="utf-8")
    return Suite("probe", "vxkit", ("tests",), own_pytest_config=False), root


def probe_run(probe: tuple[Suite, Path], mode: str, config: Path, tmp_path: Path) -> dict:
    suite, root = probe
    data, _, log = run_pytest(suite, root, mode, tmp_path / f"probe-{mode}.json", config, [])
    assert data["tests"], log.read_text(encoding="utf-8")
    return data


def test_a_test_vxkit_breaks_fails_the_step(probe_suite, tmp_path: Path) -> None:
    config = installed_vxkit_config()
    without = probe_run(probe_suite, "off", config, tmp_path)
    with_ = probe_run(probe_suite, "on", config, tmp_path)

    probe = "tests/test_probe.py::"
    assert outcome(without["tests"][probe + "test_server_without_vxkit"]) == "passed"
    assert outcome(with_["tests"][probe + "test_server_without_vxkit"]) == "failed"
    assert with_["tests"][probe + "test_server_starts"]["vxkit_loaded"]
    assert not with_["tests"][probe + "test_no_server"]["server"]
    assert not any(entry["vxkit_loaded"] for entry in without["tests"].values())

    result = compare(without, with_, retry=with_)
    assert result.broken == [probe + "test_server_without_vxkit"]
    assert result.both == [probe + "test_always_fails"]
    assert result.not_loaded == result.loaded_without == result.flaky == []


def test_a_server_without_vxkit_in_the_run_with_it_fails_the_step(
    probe_suite, tmp_path: Path
) -> None:
    # vxkit enabled by a config file that doesn't enable it: the run must not count as "with"
    disabled = tmp_path / "vxkit.json"
    disabled.write_text(
        json.dumps({"ServerApp": {"jpserver_extensions": {"vxkit": False}}}), encoding="utf-8"
    )
    without = probe_run(probe_suite, "off", disabled, tmp_path)
    with_ = probe_run(probe_suite, "on", disabled, tmp_path)

    result = compare(without, with_, retry=None)
    assert result.broken == []
    assert result.not_loaded == [
        f"tests/test_probe.py::{name}"
        for name in ("test_always_fails", "test_server_starts", "test_server_without_vxkit")
    ]


def entry(*phases: str) -> dict:
    return {
        "phases": dict(zip(("setup", "call", "teardown"), phases, strict=False)),
        "longrepr": "",
        "server": False,
        "vxkit_loaded": False,
        "replaced": [],
    }


def test_compare_sorts_outcomes_per_test_id() -> None:
    passed = entry("passed", "passed", "passed")
    failed = entry("passed", "failed", "passed")
    setup_error = entry("failed")
    skipped = entry("skipped")
    without = {
        "tests": {
            "broken": passed,
            "broken_setup": passed,
            "vanished": passed,
            "flaky": passed,
            "both": failed,
            "now_skipped": passed,
            "fixed": failed,
        }
    }
    with_ = {
        "tests": {
            "broken": failed,
            "broken_setup": setup_error,
            "flaky": failed,
            "both": failed,
            "now_skipped": skipped,
            "fixed": passed,
        }
    }
    retry = {"tests": {"broken": failed, "broken_setup": setup_error, "flaky": passed}}

    result = compare(without, with_, retry)

    assert result.broken == ["broken", "broken_setup", "vanished"]
    assert result.flaky == ["flaky"]
    assert result.both == ["both"]
    assert result.other == [
        "fixed: failed without vxkit, passed with it",
        "now_skipped: passed without vxkit, skipped with it",
    ]
