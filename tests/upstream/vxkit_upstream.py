"""pytest plugin that run_upstream.py loads into an upstream project's own test suite.

``--vxkit=on`` installs vxkit the way a user gets it: its shipped
``jupyter_server_config.d/vxkit.json`` sits in the environment's config path of every server a
test starts (pytest-jupyter gives each test a fresh, empty one), so the server finds and enables
the extension itself. ``--vxkit=off`` leaves that path empty. In both modes the plugin notes, per
test, whether vxkit's extension was loaded into the test's server and which of the server's
parts came from vxkit (identity provider, authorizer, kernel websocket connection, handlers on
routes outside ``/vxkit/``), and writes every test's outcome to ``--vxkit-results`` as JSON, for
run_upstream.py to compare the two runs.
"""

from __future__ import annotations

import functools
import json
import shutil
from pathlib import Path
from typing import Any

import pytest

# the tail of a failure kept in the results: enough for the assertion and the log around it
TAIL_CHARS = 6000


def pytest_addoption(parser: pytest.Parser) -> None:
    """Options given by run_upstream.py."""
    group = parser.getgroup("vxkit", "vxkit upstream run")
    group.addoption("--vxkit", choices=["on", "off"], required=True, help="vxkit enabled or not")
    group.addoption(
        "--vxkit-server-config",
        default=None,
        help="the installed jupyter_server_config.d/vxkit.json to put in each test's config path",
    )
    group.addoption("--vxkit-results", required=True, help="JSON file for the per-test outcomes")


class _LoadedExtensions:
    """Notes the extensions a server loaded without an error.

    jupyter_server logs a failed load and carries on, so a test could pass with vxkit enabled
    but absent. Wraps ``ExtensionPackage.load_all_points``, the call ``ExtensionManager`` makes
    for each enabled extension, and changes nothing else. (The "successfully loaded" log line
    can't be read instead: the server's logger doesn't propagate while it initializes.)
    """

    def __init__(self) -> None:
        from jupyter_server.extension.manager import ExtensionPackage

        self.names: set[str] = set()
        self.replaced: set[str] = set()
        original = ExtensionPackage.load_all_points

        @functools.wraps(original)
        def load_all_points(package: Any, serverapp: Any) -> Any:
            result = original(package, serverapp)
            self.names.add(package.name)
            self.replaced.update(parts_from_vxkit(serverapp))
            return result

        ExtensionPackage.load_all_points = load_all_points  # type: ignore[method-assign]


def _from_vxkit(obj: Any) -> bool:
    return (getattr(obj, "__module__", "") or "").split(".")[0] == "vxkit"


def parts_from_vxkit(serverapp: Any) -> list[str]:
    """The server's parts that vxkit supplies, where jupyter_server or another extension
    would otherwise: one line each."""
    parts = [
        f"{label}: {type(obj).__name__ if not isinstance(obj, type) else obj.__name__}"
        for label, obj in (
            ("identity provider", serverapp.identity_provider),
            ("authorizer", serverapp.authorizer),
            ("kernel websocket connection", serverapp.kernel_websocket_connection_class),
        )
        if _from_vxkit(obj if isinstance(obj, type) else type(obj))
    ]
    own_prefix = serverapp.base_url.rstrip("/") + "/vxkit/"

    def walk(router: Any) -> None:
        for rule in getattr(router, "rules", []):
            if hasattr(rule.target, "rules"):
                walk(rule.target)
                continue
            pattern = getattr(rule.matcher, "regex", None)
            route = pattern.pattern if pattern is not None else repr(rule.matcher)
            if _from_vxkit(rule.target) and not route.startswith(own_prefix):
                parts.append(f"handler {route}: {rule.target.__name__}")

    walk(serverapp.web_app.default_router)
    walk(serverapp.web_app.wildcard_router)
    return parts


class _Recorder:
    def __init__(self, config: pytest.Config) -> None:
        self.mode: str = config.getoption("--vxkit")
        self.results_path = Path(config.getoption("--vxkit-results"))
        config_file = config.getoption("--vxkit-server-config")
        self.server_config = Path(config_file) if config_file else None
        if self.mode == "on" and (self.server_config is None or not self.server_config.is_file()):
            raise pytest.UsageError(f"--vxkit=on needs the installed vxkit.json, not {config_file}")
        self.loaded = _LoadedExtensions()
        self.tests: dict[str, dict[str, Any]] = {}

    def entry(self, nodeid: str) -> dict[str, Any]:
        return self.tests.setdefault(
            nodeid,
            {"phases": {}, "longrepr": "", "server": False, "vxkit_loaded": False, "replaced": []},
        )

    @pytest.hookimpl(tryfirst=True)
    def pytest_runtest_setup(self, item: pytest.Item) -> None:
        self.loaded.names.clear()
        self.loaded.replaced.clear()
        self.entry(item.nodeid)["server"] = "jp_serverapp" in getattr(item, "fixturenames", ())

    @pytest.fixture(autouse=True)
    def _vxkit_in_config_path(self, request: pytest.FixtureRequest) -> None:
        """Put vxkit.json where the test's server reads its extensions' config files."""
        if self.mode != "on" or "jp_environ" not in request.fixturenames:
            return
        assert self.server_config is not None
        env_config: Path = request.getfixturevalue("jp_env_config_path")
        target = env_config / "jupyter_server_config.d"
        target.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(self.server_config, target / self.server_config.name)

    def pytest_runtest_logreport(self, report: pytest.TestReport) -> None:
        entry = self.entry(report.nodeid)
        outcome = report.outcome
        if hasattr(report, "wasxfail"):
            outcome = "xfailed" if report.skipped else "xpassed"
        entry["phases"][report.when] = outcome
        if report.failed:
            entry["longrepr"] += f"--- {report.when} ---\n{report.longreprtext[-TAIL_CHARS:]}\n"
        if report.when == "teardown":
            entry["vxkit_loaded"] = "vxkit" in self.loaded.names
            entry["replaced"] = sorted(self.loaded.replaced)

    def pytest_collectreport(self, report: pytest.CollectReport) -> None:
        if report.failed:
            entry = self.entry(f"{report.nodeid}::<collection>")
            entry["phases"]["collect"] = "failed"
            entry["longrepr"] = report.longreprtext[-TAIL_CHARS:]

    def pytest_sessionfinish(self, session: pytest.Session, exitstatus: int) -> None:
        data = {"mode": self.mode, "exitstatus": int(exitstatus), "tests": self.tests}
        self.results_path.parent.mkdir(parents=True, exist_ok=True)
        self.results_path.write_text(json.dumps(data, indent=1), encoding="utf-8")


def pytest_configure(config: pytest.Config) -> None:
    """Register the recorder."""
    recorder = _Recorder(config)
    config.pluginmanager.register(recorder, "vxkit_upstream_recorder")
