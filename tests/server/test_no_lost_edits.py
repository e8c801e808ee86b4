"""No lost edits: `vxkit lab` in a subprocess, stopped by SIGTERM or killed, then restarted."""

from __future__ import annotations

import asyncio
import json
import os
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import nbformat
import pytest

from vxkit.server.links import ensure_links
from vxkit.testing import free_port, wait_for_jupyter
from vxkit.workspace import Workspace

from .conftest import Person, wait_for

NOTEBOOK = "projects/team_rivers/diary.ipynb"
TOKEN = "vxkit-test-token"
SAVE_DELAY = 8.0


class LabServer:
    """`vxkit lab DIR` as a child process, on a free port, with a known token."""

    def __init__(self, ws: Workspace, tmp: Path) -> None:
        self.ws = ws
        self.port = free_port()
        self.log = tmp / "server.log"
        self.env = {
            **os.environ,
            "JUPYTER_TOKEN": TOKEN,
            "JUPYTER_RUNTIME_DIR": str(tmp / "runtime"),
            "JUPYTER_CONFIG_DIR": str(tmp / "config"),
            "JUPYTER_DATA_DIR": str(tmp / "data"),
        }
        # the debounced save comes long after the stop: what reaches the disk is the clean
        # stop's doing (or, killed, the store's), however slow the machine is
        config = tmp / "config"
        config.mkdir(parents=True, exist_ok=True)
        (config / "jupyter_server_config.json").write_text(
            json.dumps({"YDocExtension": {"document_save_delay": SAVE_DELAY}}), encoding="utf-8"
        )
        self.proc: subprocess.Popen | None = None

    async def start(self) -> None:
        with self.log.open("ab") as log:
            self.proc = subprocess.Popen(
                [
                    sys.executable,
                    "-m",
                    "vxkit.cli",
                    "lab",
                    str(self.ws.root),
                    "--port",
                    str(self.port),
                    "--no-browser",
                ],
                env=self.env,
                stdout=log,
                stderr=subprocess.STDOUT,
                stdin=subprocess.DEVNULL,
            )
        await wait_for_jupyter(self.port, TOKEN, self.proc, self.log, 60)

    async def stop(self, sig: int) -> int:
        """Send ``sig`` and wait for the exit, keeping our clients' event loop running."""
        assert self.proc is not None
        self.proc.send_signal(sig)
        deadline = time.monotonic() + 30
        while self.proc.poll() is None and time.monotonic() < deadline:
            await asyncio.sleep(0.05)
        if self.proc.poll() is None:
            self.proc.kill()
            self.proc.wait()
            raise AssertionError("the server did not stop:\n" + self.log.read_text()[-3000:])
        return self.proc.returncode

    def person(self) -> Person:
        return Person(self.port, "/")


@pytest.fixture
def lab(demo_workspace: Workspace, tmp_path: Path):
    nb = nbformat.v4.new_notebook()
    nb.cells = [nbformat.v4.new_markdown_cell("# Diary"), nbformat.v4.new_markdown_cell("Day 1:")]
    (demo_workspace.root / NOTEBOOK).write_text(nbformat.writes(nb), encoding="utf-8")
    server = LabServer(demo_workspace, tmp_path)
    yield server
    if server.proc is not None and server.proc.poll() is None:
        server.proc.kill()
        server.proc.wait()


def stored_updates(ws: Workspace) -> int:
    """How many updates the server's ystore holds (0 before it made its table)."""
    db = ws.state_dir / "ystore.db"
    if not db.exists():
        return 0
    try:
        with sqlite3.connect(f"file:{db}?mode=ro", uri=True, timeout=1) as con:
            return con.execute("SELECT COUNT(*) FROM yupdates").fetchone()[0]
    except sqlite3.Error:
        return 0


async def edit_reaches_server(ws: Workspace, edit) -> None:
    """Make ``edit`` and wait until the server has it (its store holds one more update): a
    stop after this must not lose it. Waiting a fixed time instead failed on a loaded CI."""
    before = stored_updates(ws)
    edit()
    await wait_for(lambda: stored_updates(ws) > before, 20, "the edit in the server's store")


def on_disk(ws: Workspace) -> list[str] | None:
    try:
        nb = json.loads((ws.root / NOTEBOOK).read_text(encoding="utf-8"))
    except ValueError:
        return None
    return ["".join(c["source"]) for c in nb["cells"]]


async def edit_then_stop(lab: LabServer, sig: int) -> int:
    """A student appends to a cell; 200 ms later the server gets ``sig``."""
    await lab.start()
    chloe = lab.person()
    links = ensure_links(lab.ws)
    assert (await chloe.join(links.code("lyon_4b"), name="Chloé")).code == 302
    client, _ = await chloe.room(NOTEBOOK)
    async with client.provider:
        await asyncio.wait_for(client.provider.synced.wait(), 20)
        source = client.notebook.ycells[1]["source"]
        await edit_reaches_server(lab.ws, lambda: source.__iadd__(" rain all morning"))
        # the stop comes right after the edit, long before the debounced save
        return await lab.stop(sig)


async def reopen(lab: LabServer) -> list[str]:
    await lab.start()
    teacher = lab.person()
    teacher.token = TOKEN
    client, _ = await teacher.room(NOTEBOOK)
    async with client.provider:
        await asyncio.wait_for(client.provider.synced.wait(), 20)
        return client.sources()


@pytest.mark.parametrize("sig", [signal.SIGTERM, signal.SIGINT], ids=["SIGTERM", "SIGINT"])
async def test_clean_stop_saves_open_documents(lab, sig):
    assert on_disk(lab.ws) == ["# Diary", "Day 1:"]
    code = await edit_then_stop(lab, sig)
    assert code in (0, 130)
    assert on_disk(lab.ws) == ["# Diary", "Day 1: rain all morning"]
    record = json.loads((lab.ws.state_dir / "contributions.json").read_text(encoding="utf-8"))
    assert "lyon_4b-chloe" in json.dumps(record["documents"][NOTEBOOK])
    assert await reopen(lab) == ["# Diary", "Day 1: rain all morning"]


async def test_sigkill_recovers_edits_from_the_store_and_offline_edits_merge(lab):
    # edit, then the server dies 200 ms later, before its 1 s debounced save
    await lab.start()
    amani = lab.person()
    links = ensure_links(lab.ws)
    await amani.join(links.code("nairobi_7"), name="Amani")
    client, _ = await amani.room(NOTEBOOK)
    async with client.provider:
        await asyncio.wait_for(client.provider.synced.wait(), 20)
        source = client.notebook.ycells[1]["source"]
        await edit_reaches_server(lab.ws, lambda: source.__iadd__(" sunny"))
        assert await lab.stop(signal.SIGKILL) == -signal.SIGKILL
    assert on_disk(lab.ws) == ["# Diary", "Day 1:"]  # the file never got the edit

    # while the server is down, Amani keeps writing (offline)
    client.notebook.append_cell({"cell_type": "markdown", "source": "Day 2: windy"})

    # restart: the edit the store holds comes back, once
    assert await reopen(lab) == ["# Diary", "Day 1: sunny"]
    await wait_for(lambda: on_disk(lab.ws) == ["# Diary", "Day 1: sunny"], 10, "recovered file")

    # Amani reconnects with the offline edit: it merges, nothing is duplicated
    again, _ = await amani.room(NOTEBOOK, ydoc=client.ydoc)
    async with again.provider:
        await asyncio.wait_for(again.provider.synced.wait(), 20)
        observer = lab.person()
        observer.token = TOKEN
        watcher, _ = await observer.room(NOTEBOOK)
        async with watcher.provider:
            await wait_for(
                lambda: watcher.sources() == ["# Diary", "Day 1: sunny", "Day 2: windy"],
                10,
                "the offline edit merged once",
            )
    await wait_for(
        lambda: on_disk(lab.ws) == ["# Diary", "Day 1: sunny", "Day 2: windy"], 10, "saved merge"
    )
    await lab.stop(signal.SIGTERM)
