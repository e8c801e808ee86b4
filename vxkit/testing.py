"""Helpers for tests and benchmarks that run real servers as child processes."""

from __future__ import annotations

import asyncio
import contextlib
import os
import signal
import socket
import subprocess
import time
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path


def free_port() -> int:
    """A TCP port on loopback that nothing listens on right now."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def wait_for_server(
    url: str,
    process: subprocess.Popen | None = None,
    log: Path | None = None,
    timeout: float = 90,
    headers: dict[str, str] | None = None,
) -> float:
    """Poll ``url`` until it answers 200; returns the seconds waited.

    Fails at once, with the end of ``log``, if ``process`` exits first; raises TimeoutError
    after ``timeout`` seconds.
    """
    start = time.monotonic()
    request = urllib.request.Request(url, headers=headers or {})
    while time.monotonic() - start < timeout:
        if process is not None and process.poll() is not None:
            tail = log.read_text(errors="replace")[-3000:] if log else ""
            raise RuntimeError(
                f"the server exited with {process.returncode} before answering:\n{tail}"
            )
        try:
            with urllib.request.urlopen(request, timeout=2) as response:
                if response.status == 200:
                    return time.monotonic() - start
        except OSError:
            pass
        time.sleep(0.05)
    tail = log.read_text(errors="replace")[-3000:] if log else ""
    raise TimeoutError(f"{url} did not answer within {timeout} s:\n{tail}")


async def wait_for_jupyter(
    port: int, token: str, process: subprocess.Popen, log: Path, timeout: float = 90
) -> float:
    """Wait, without blocking the event loop, until a Jupyter server on ``port`` answers."""
    return await asyncio.to_thread(
        wait_for_server,
        f"http://127.0.0.1:{port}/api/status",
        process,
        log,
        timeout,
        {"Authorization": f"token {token}"},
    )


@contextmanager
def jupyter_process(argv: list[str], folder: Path, token: str) -> Iterator[tuple[str, Path]]:
    """Run a Jupyter server command (``argv`` must choose its port) in a child process.

    The server gets ``token``, a config dir of its own under ``folder`` and its output in
    ``folder/server.log``. Yields the server's URL (from the ``--port`` in ``argv``) and the log
    once ``/api/status`` answers; stops the server on exit.
    """
    port = argv[argv.index("--port") + 1]
    log = folder / "server.log"
    env = {**os.environ, "JUPYTER_TOKEN": token, "JUPYTER_CONFIG_DIR": str(folder / "cfg")}
    with log.open("w") as out:
        process = subprocess.Popen(argv, stdout=out, stderr=subprocess.STDOUT, env=env, cwd=folder)
    url = f"http://127.0.0.1:{port}/"
    try:
        wait_for_server(f"{url}api/status?token={token}", process, log)
        yield url, log
    finally:
        stop_process(process)


def stop_process(process: subprocess.Popen, timeout: float = 20) -> None:
    """Terminate a child process, and kill it if it hasn't exited after ``timeout`` seconds."""
    if process.poll() is not None:
        return
    process.terminate()
    try:
        process.wait(timeout=timeout)
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait()


def stop_process_group(process: subprocess.Popen, timeout: float = 20) -> None:
    """Terminate a child started with ``start_new_session=True`` and everything it started
    (a server's kernels, a hub's servers); kill the group after ``timeout`` seconds."""
    with contextlib.suppress(ProcessLookupError):
        os.killpg(process.pid, signal.SIGTERM)
    try:
        process.wait(timeout=timeout)
    except subprocess.TimeoutExpired:
        with contextlib.suppress(ProcessLookupError):
            os.killpg(process.pid, signal.SIGKILL)
        process.wait()
