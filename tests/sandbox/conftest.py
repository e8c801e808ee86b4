"""Fixtures for the sandbox tests: a classroom on disk with secrets to steal, real kernels.

The test process plays the Jupyter server: its pid is the server's, it listens on a TCP
port, and it keeps a runtime folder with kernels' connection files.
"""

from __future__ import annotations

import json
import os
import socket
import sys
import uuid
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from jupyter_client import KernelManager
from jupyter_client.kernelspec import KernelSpecManager

from vxkit.sandbox import bubblewrap_works, landlock, prewarm
from vxkit.workspace import Workspace

SECRET_ENV = "VXKIT_TEST_HUB_TOKEN"
SECRET = "hub-token-0123456789"


def require(mechanism: str) -> None:
    """Skip when this machine lacks ``mechanism``; on CI, bubblewrap missing is a failure."""
    if mechanism == "landlock" and landlock.abi_version() < 6:
        pytest.skip(f"Landlock ABI {landlock.abi_version()} here: signal scoping needs ABI 6")
    if mechanism == "bubblewrap" and not bubblewrap_works():
        if os.environ.get("CI") == "true":
            pytest.fail("bubblewrap is required on CI: .ci/run installs Debian's bubblewrap")
        pytest.skip("bubblewrap can't make a sandbox here (apt-get install bubblewrap)")


@pytest.fixture(params=["landlock", "bubblewrap"])
def mechanism(request: pytest.FixtureRequest) -> str:
    """Each sandbox mechanism in turn (bubblewrap: as when Landlock is switched off)."""
    require(request.param)
    return request.param


@dataclass
class Classroom:
    """A demo workspace with everything a student must not reach, and the "server"."""

    ws: Workspace
    runtime: Path
    other_connection_file: Path
    server: socket.socket
    kernel_dirs: Path
    abstract: socket.socket

    @property
    def abstract_name(self) -> str:
        """The name of the "server's" abstract unix socket (without the leading NUL)."""
        return self.abstract.getsockname()[1:].decode()

    @property
    def server_port(self) -> int:
        return int(self.server.getsockname()[1])

    def kernel_spec(self, name: str, provisioner: str, **config: Any) -> str:
        """Write a kernelspec that uses ``provisioner`` (with ``config``); returns its name."""
        folder = self.kernel_dirs / name
        folder.mkdir(parents=True, exist_ok=True)
        spec = {
            "argv": [sys.executable, "-m", "ipykernel_launcher", "-f", "{connection_file}"],
            "display_name": name,
            "language": "python",
            "metadata": {"kernel_provisioner": {"provisioner_name": provisioner, "config": config}},
        }
        (folder / "kernel.json").write_text(json.dumps(spec), encoding="utf-8")
        return name

    def manager(self, kernel_name: str) -> KernelManager:
        """A kernel manager as jupyter_server makes one: connection file in the runtime folder."""
        ksm = KernelSpecManager(kernel_dirs=[str(self.kernel_dirs)])
        km = KernelManager(kernel_name=kernel_name, kernel_spec_manager=ksm)
        km.connection_file = str(self.runtime / f"kernel-{uuid.uuid4()}.json")
        return km


@pytest.fixture
def classroom(
    demo_workspace: Workspace, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> Iterator[Classroom]:
    """The demo workspace with a gradebook, join secrets and another kernel's connection file."""
    ws = demo_workspace
    (ws.course_dir / "gradebook.db").write_text("grades of everyone", encoding="utf-8")
    (ws.state_dir / "links.json").write_text('{"secret": "s3cret"}', encoding="utf-8")
    (ws.team_dir("team_forests") / "notes.txt").write_text("our plans", encoding="utf-8")
    runtime = tmp_path / "runtime"
    runtime.mkdir(mode=0o700)
    monkeypatch.setenv("JUPYTER_RUNTIME_DIR", str(runtime))
    monkeypatch.setenv(SECRET_ENV, SECRET)  # what a hub puts into the server's environment
    other = runtime / "kernel-other-team.json"
    other.write_text('{"key": "another kernel\'s key"}', encoding="utf-8")
    server = socket.socket()
    server.bind(("127.0.0.1", 0))
    server.listen()
    abstract = socket.socket(socket.AF_UNIX)
    abstract.bind("\0vxkit-test-" + uuid.uuid4().hex)
    abstract.listen()
    prewarm()
    try:
        yield Classroom(ws, runtime, other, server, tmp_path / "kernels", abstract)
    finally:
        server.close()
        abstract.close()


@pytest.fixture
def kernel(classroom: Classroom) -> Iterator[Any]:
    """``start(kernel_name, cwd)`` -> a client of a kernel started there; all shut down after."""
    started: list[tuple[KernelManager, Any]] = []

    def start(kernel_name: str, cwd: Path) -> Any:
        km = classroom.manager(kernel_name)
        km.start_kernel(cwd=str(cwd))
        kc = km.client()
        kc.start_channels()
        started.append((km, kc))
        kc.wait_for_ready(timeout=60)
        return kc

    yield start
    for km, kc in started:
        kc.stop_channels()
        km.shutdown_kernel(now=True)


def run(kc: Any, code: str, timeout: float = 120) -> str:
    """Run ``code`` in the kernel; its stdout (an error in the cell fails the test)."""
    out: list[str] = []
    errors: list[str] = []

    def hook(msg: dict[str, Any]) -> None:
        if msg["msg_type"] == "stream" and msg["content"]["name"] == "stdout":
            out.append(msg["content"]["text"])
        elif msg["msg_type"] == "error":
            errors.append(f"{msg['content']['ename']}: {msg['content']['evalue']}")

    reply = kc.execute_interactive(code, timeout=timeout, output_hook=hook)
    assert not errors and reply["content"]["status"] == "ok", errors
    return "".join(out)
