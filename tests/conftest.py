"""Fixtures shared by every vxkit test: real Jupyter servers (pytest-jupyter), workspaces."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import time
from pathlib import Path

import pytest

from vxkit.workspace import Workspace, scaffold, template_text

pytest_plugins = ["pytest_jupyter.jupyter_server"]

CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
ARTIFACTS = Path(__file__).parent / "artifacts"


REPO = Path(__file__).resolve().parent.parent


def copy_tracked_files(dest: Path) -> Path:
    """Copy the repository as a clone would have it (files git tracks or would track) to ``dest``."""
    files = subprocess.run(
        ["git", "ls-files", "-co", "--exclude-standard"],
        cwd=REPO,
        capture_output=True,
        text=True,
        check=True,
    ).stdout.splitlines()
    for name in files:
        if (REPO / name).is_file():
            (dest / name).parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(REPO / name, dest / name)
    return dest


@pytest.fixture(scope="session")
def vxkit_wheel(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, float]:
    """The wheel built from a clean copy of the tracked files, as on a fresh machine: the
    JupyterLab extension is built from its sources (npm packages from the registry) with
    only the venv's bin on PATH, so no system Node. Returns the wheel and the build's
    seconds."""
    tmp = tmp_path_factory.mktemp("wheel")
    src = copy_tracked_files(tmp / "src")
    env = {"HOME": os.environ.get("HOME", str(tmp)), "PATH": str(Path(sys.executable).parent)}
    started = time.monotonic()
    build = subprocess.run(
        [sys.executable, "-m", "hatchling", "build", "-t", "wheel", "-d", str(tmp / "dist")],
        cwd=src,
        env=env,
        capture_output=True,
        text=True,
        timeout=900,
    )
    assert build.returncode == 0, build.stdout[-3000:] + build.stderr[-3000:]
    (wheel,) = (tmp / "dist").glob("*.whl")
    return wheel, time.monotonic() - started


@pytest.fixture
def demo_workspace(tmp_path: Path) -> Workspace:
    """A fresh copy of the demo exchange workspace (three classes, two teams)."""
    ws, _ = scaffold(tmp_path / "demo", template_text("demo_exchange.toml"))
    return ws


@pytest.fixture
def chromium_path() -> str:
    """Debian's Chromium; browser tests skip without it, except on CI where that is a failure."""
    if CHROMIUM is None:
        if os.environ.get("CI") == "true":
            pytest.fail("Chromium is required on CI: .ci/run installs Debian's chromium package")
        pytest.skip("Chromium is not installed (apt-get install chromium)")
    return CHROMIUM


@pytest.fixture
def artifacts_dir() -> Path:
    """Where browser tests save screenshots (not committed)."""
    ARTIFACTS.mkdir(exist_ok=True)
    return ARTIFACTS


CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--disable-dev-shm-usage",
]
