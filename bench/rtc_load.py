"""Classroom load on one notebook: vxkit's collaboration server next to stock jupyter-collaboration.

60 clients (two classes of 30) open one team notebook; 10 of them (5 per class) type into
their own cell at the same time. For each edit we measure the time until every other client
has it (edit latency), count the edits missing at the end from any client or from the file
on disk (lost edits), and the server process's CPU time during the load.

The same load runs against `vxkit lab` (students joined through class links: signed identity,
roles, awareness rewriting, contribution record) and against stock `jupyter lab` with
jupyter-collaboration and the vxkit extension disabled (token users), one after the other,
in the same run. All clients share this one process, so their CPU is part of the latency
(as in a classroom, where it is the browsers').

    .venv/bin/python bench/rtc_load.py [--clients 60] [--writers 10] [--edits 30] [--rate 5] [--rounds 3]
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import signal
import statistics
import subprocess
import sys
import tempfile
import time
from http.cookies import SimpleCookie
from pathlib import Path
from typing import Any
from urllib.parse import quote

import nbformat
import psutil
from jupyter_ydoc import YNotebook
from pycrdt import (
    Array,
    Awareness,
    Doc,
    YMessageType,
    YSyncMessageType,
    create_awareness_message,
    create_sync_message,
    create_update_message,
    handle_sync_message,
)
from tornado.httpclient import AsyncHTTPClient, HTTPRequest
from tornado.websocket import websocket_connect

from vxkit.server.links import ensure_links
from vxkit.testing import free_port, wait_for_jupyter
from vxkit.workspace import scaffold

TOKEN = "rtc-load-bench"
NOTEBOOK = "projects/team_bench/load.ipynb"


def exchange_toml(per_class: int, teams: int = 1) -> str:
    """Two partner classes of ``per_class`` students, all in one team (``team_bench``), or
    dealt round-robin into ``teams`` mixed teams (``team_00``, ``team_01``, ...)."""
    lyon = [f"Lyon{i:02d}" for i in range(per_class)]
    nairobi = [f"Nairobi{i:02d}" for i in range(per_class)]
    blocks = []
    for t in range(teams):
        team_id, name = ("team_bench", "Bench") if teams == 1 else (f"team_{t:02d}", f"Team {t}")
        blocks.append(
            f'[[teams]]\nid = "{team_id}"\nname = "{name}"\n'
            f"members = {{ lyon_4b = {json.dumps(lyon[t::teams])}, "
            f"nairobi_7 = {json.dumps(nairobi[t::teams])} }}\n"
        )
    return f"""
[exchange]
id = "rtc_bench"
title = "RTC load benchmark"
start = 2027-01-11
end = 2027-06-25

[[classes]]
id = "lyon_4b"
school = "Collège Jean Moulin"
city = "Lyon"
country = "FR"
timezone = "Europe/Paris"
students = {json.dumps(lyon)}

[[classes]]
id = "nairobi_7"
school = "Riverside Junior School"
city = "Nairobi"
country = "KE"
timezone = "Africa/Nairobi"
students = {json.dumps(nairobi)}

{"".join(blocks)}"""


class Server:
    """A JupyterLab server in a child process (ours or stock)."""

    def __init__(self, root: Path, stock: bool) -> None:
        self.root = root
        self.stock = stock
        self.port = free_port()
        self.proc: subprocess.Popen | None = None

    async def start(self) -> None:
        from vxkit.workspace import Workspace

        ws = Workspace(self.root)
        if self.stock:
            argv = [sys.executable, "-m", "jupyterlab", f"--ServerApp.root_dir={self.root}"]
            argv += [f"--port={self.port}", "--no-browser"]
            argv.append("--ServerApp.jpserver_extensions={'vxkit': False}")
            for section, values in ws.collaboration_settings().items():
                argv += [f"--{section}.{key}={value}" for key, value in values.items()]
            if os.geteuid() == 0:
                argv.append("--allow-root")
        else:
            argv = [sys.executable, "-m", "vxkit.cli", "lab", str(self.root)]
            argv += ["--port", str(self.port), "--no-browser"]
        env = {**os.environ, "JUPYTER_TOKEN": TOKEN}
        env["JUPYTER_RUNTIME_DIR"] = str(self.root.parent / "runtime")
        log = (self.root.parent / ("stock.log" if self.stock else "vxkit.log")).open("ab")
        self.proc = subprocess.Popen(
            argv,
            env=env,
            cwd=self.root,
            stdout=log,
            stderr=subprocess.STDOUT,
            stdin=subprocess.DEVNULL,
        )
        await wait_for_jupyter(self.port, TOKEN, self.proc, Path(log.name), 90)

    def cpu_seconds(self) -> float:
        times = psutil.Process(self.proc.pid).cpu_times()
        return times.user + times.system

    async def stop(self) -> None:
        self.proc.send_signal(signal.SIGTERM)
        deadline = time.monotonic() + 30
        while self.proc.poll() is None and time.monotonic() < deadline:
            await asyncio.sleep(0.1)
        if self.proc.poll() is None:
            self.proc.kill()
            self.proc.wait()


class Client:
    """One participant: joins, opens the notebook, watches every writer's cell."""

    def __init__(self, server: Server, index: int) -> None:
        self.server = server
        self.index = index
        self.cookies: dict[str, str] = {}
        self.headers: dict[str, str] = {}
        self.ydoc = Doc()
        self.arrivals: dict[str, float] = {}

    async def login(self, code: str | None, name: str | None) -> None:
        base = f"http://127.0.0.1:{self.server.port}/"
        http = AsyncHTTPClient()
        if code is None:
            self.headers = {"Authorization": f"token {TOKEN}"}
            return
        page = await http.fetch(base + f"vxkit/join/{code}", raise_error=False)
        self._keep(page)
        body = f"_xsrf={quote(self.cookies['_xsrf'])}&name={quote(name)}"
        response = await http.fetch(
            HTTPRequest(
                base + f"vxkit/join/{code}",
                method="POST",
                body=body,
                headers=self._cookie_header(),
                follow_redirects=False,
            ),
            raise_error=False,
        )
        self._keep(response)
        assert response.code == 302, response.code
        self.headers = {**self._cookie_header(), "X-XSRFToken": self.cookies["_xsrf"]}

    def _cookie_header(self) -> dict[str, str]:
        return {"Cookie": "; ".join(f"{k}={v}" for k, v in self.cookies.items())}

    def _keep(self, response: Any) -> None:
        for header in response.headers.get_list("Set-Cookie"):
            cookie = SimpleCookie()
            cookie.load(header)
            for key, morsel in cookie.items():
                self.cookies[key] = morsel.value

    async def connect(self, path: str = NOTEBOOK) -> Any:
        base = f"127.0.0.1:{self.server.port}/"
        response = await AsyncHTTPClient().fetch(
            HTTPRequest(
                f"http://{base}api/collaboration/session/{path}",
                method="PUT",
                body=json.dumps({"format": "json", "type": "notebook"}),
                headers=self.headers,
            )
        )
        session = json.loads(response.body)
        room = f"json:notebook:{session['fileId']}"
        request = HTTPRequest(
            f"ws://{base}api/collaboration/room/{room}?sessionId={session['sessionId']}",
            headers=self.headers,
        )
        return await websocket_connect(request, max_message_size=1 << 30)

    def watch(self) -> None:
        cells = self.ydoc.get("cells", type=Array)

        def on_change(events: Any) -> None:
            now = time.perf_counter()
            for event in events:
                for part in getattr(event, "delta", None) or []:
                    text = part.get("insert") if isinstance(part, dict) else None
                    if isinstance(text, str) and "<" in text:
                        for marker in text.split("<")[1:]:
                            self.arrivals.setdefault(marker.split(">")[0], now)

        # keep both: a shared type that is garbage-collected takes its observers with it
        self._watched = (cells, cells.observe_deep(on_change))


async def open_room(client: Client, path: str = NOTEBOOK) -> tuple[Any, asyncio.Task]:
    """Connect ``client`` to the room of ``path``, synced and announced; returns the
    websocket and the task that keeps applying what arrives.

    A lean y-sync client (no echo of received updates, unlike pycrdt's Provider), so that one
    process can play 60 browsers without being the bottleneck.
    """
    conn = await client.connect(path)
    synced = asyncio.Event()

    async def receive() -> None:
        while True:
            message = await conn.read_message()
            if message is None:
                return
            if message[0] != YMessageType.SYNC:
                continue
            reply = handle_sync_message(message[1:], client.ydoc)
            if message[1] == YSyncMessageType.SYNC_STEP2:
                synced.set()
            if reply is not None:
                await conn.write_message(reply, binary=True)

    reader = asyncio.create_task(receive())
    await conn.write_message(create_sync_message(client.ydoc), binary=True)
    await synced.wait()
    awareness = Awareness(client.ydoc)
    awareness.set_local_state({"user": {"name": f"client {client.index}"}})
    update = awareness.encode_awareness_update([client.ydoc.client_id])
    await conn.write_message(create_awareness_message(update), binary=True)
    return conn, reader


async def type_edits(
    client: Client, conn: Any, cell: int, markers: list[str], rate: float, sent: dict[str, float]
) -> None:
    """Append `` <marker>`` to cell ``cell``'s source for each marker, ``rate`` per second,
    recording in ``sent`` when each edit left."""
    notebook = YNotebook(client.ydoc)
    for marker in markers:
        source = notebook.ycells[cell]["source"]
        before = client.ydoc.get_state()
        sent[marker] = time.perf_counter()
        source += f" <{marker}>"
        update = client.ydoc.get_update(before)
        await conn.write_message(create_update_message(update), binary=True)
        await asyncio.sleep(1 / rate)


async def run_load(server: Server, args: argparse.Namespace, codes: dict[str, str] | None) -> dict:
    """All clients in, writers type, everyone waits for everything; returns the figures."""
    per_class = args.clients // 2
    clients = [Client(server, i) for i in range(args.clients)]
    for i, client in enumerate(clients):
        cls, n = ("lyon_4b", "Lyon") if i < per_class else ("nairobi_7", "Nairobi")
        await client.login(codes and codes[cls], f"{n}{i % per_class:02d}" if codes else None)
    writers = list(range(args.writers // 2)) + list(
        range(per_class, per_class + args.writers - args.writers // 2)
    )
    sent: dict[str, float] = {}
    ready = asyncio.Barrier(args.clients + 1)
    done = asyncio.Event()

    async def participate(client: Client) -> None:
        conn, reader = await open_room(client)
        client.watch()
        await ready.wait()
        if client.index in writers:
            cell = writers.index(client.index)
            markers = [f"w{cell}e{edit}" for edit in range(args.edits)]
            await type_edits(client, conn, cell, markers, args.rate, sent)
        await done.wait()
        conn.close()
        reader.cancel()

    cpu_before = server.cpu_seconds()
    tasks = [asyncio.create_task(participate(c)) for c in clients]
    await ready.wait()
    start = time.perf_counter()
    expected = {f"w{w}e{e}" for w in range(args.writers) for e in range(args.edits)}
    deadline = time.monotonic() + args.edits / args.rate + 60
    while time.monotonic() < deadline:
        if len(sent) == len(expected) and all(
            expected <= set(c.arrivals) | own_markers(c, writers, args) for c in clients
        ):
            break
        await asyncio.sleep(0.1)
    load_seconds = time.perf_counter() - start
    cpu = server.cpu_seconds() - cpu_before
    latencies = [
        (client.arrivals[m] - sent[m]) * 1000
        for client in clients
        for m in expected - own_markers(client, writers, args)
        if m in client.arrivals and m in sent
    ]
    missing_in_clients = sum(
        len(expected - own_markers(c, writers, args) - set(c.arrivals)) for c in clients
    )
    done.set()
    await asyncio.gather(*tasks)
    missing_on_disk = await missing_from_file(server.root / NOTEBOOK, expected)
    latencies.sort()
    return {
        "edits": len(expected),
        "samples": len(latencies),
        "p50_ms": round(statistics.median(latencies), 1) if latencies else None,
        "p99_ms": round(latencies[int(len(latencies) * 0.99) - 1], 1) if latencies else None,
        "max_ms": round(latencies[-1], 1) if latencies else None,
        "missing_in_clients": missing_in_clients,
        "missing_on_disk": missing_on_disk,
        "server_cpu_s": round(cpu, 2),
        "load_s": round(load_seconds, 2),
    }


def own_markers(client: Client, writers: list[int], args: argparse.Namespace) -> set[str]:
    if client.index not in writers:
        return set()
    cell = writers.index(client.index)
    return {f"w{cell}e{e}" for e in range(args.edits)}


async def missing_from_file(path: Path, expected: set[str]) -> int:
    """Markers absent from the saved notebook (waits up to 10 s for the debounced save)."""
    missing = len(expected)
    deadline = time.monotonic() + 10
    while time.monotonic() < deadline:
        try:
            text = path.read_text(encoding="utf-8")
            json.loads(text)
        except ValueError:
            await asyncio.sleep(0.1)
            continue
        missing = sum(1 for m in expected if f"<{m}>" not in text)
        if not missing:
            break
        await asyncio.sleep(0.2)
    return missing


def make_workspace(parent: Path, args: argparse.Namespace) -> Path:
    ws, _ = scaffold(parent / "ws", exchange_toml(args.clients // 2))
    nb = nbformat.v4.new_notebook()
    nb.cells = [nbformat.v4.new_markdown_cell(f"cell {i}:") for i in range(args.writers)]
    (ws.root / NOTEBOOK).parent.mkdir(parents=True, exist_ok=True)
    (ws.root / NOTEBOOK).write_text(nbformat.writes(nb), encoding="utf-8")
    return ws.root


#: The summary's columns: heading, key in the results, decimals shown.
COLUMNS = (
    ("p50 ms", "p50_ms", 1),
    ("p99 ms", "p99_ms", 1),
    ("lost", "lost", 0),
    ("cpu s", "server_cpu_s", 2),
)


def summary_table(results: dict[str, Any], rounds: int) -> list[str]:
    """The summary as text lines: a row per server, numbers rounded, columns aligned."""
    rows = [[f"median of {rounds} rounds", *(heading for heading, _, _ in COLUMNS)]]
    for label in ("stock", "vxkit"):
        r = results[label]
        cells = ("-" if r[key] is None else f"{r[key]:.{digits}f}" for _, key, digits in COLUMNS)
        rows.append([label, *cells])
    widths = [max(len(row[i]) for row in rows) for i in range(len(rows[0]))]
    return [
        "  ".join(
            cell.ljust(w) if i == 0 else cell.rjust(w)
            for i, (cell, w) in enumerate(zip(row, widths, strict=True))
        )
        for row in rows
    ]


async def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--clients", type=int, default=60, help="participants (two classes)")
    parser.add_argument("--writers", type=int, default=10, help="of whom type at once")
    parser.add_argument("--edits", type=int, default=30, help="edits per writer")
    parser.add_argument("--rate", type=float, default=5, help="edits per second per writer")
    parser.add_argument("--rounds", type=int, default=3, help="alternating runs of each server")
    parser.add_argument("--out", default="bench/out/rtc_load.json", help="where to save figures")
    args = parser.parse_args()
    rounds: dict[str, list[dict]] = {"stock": [], "vxkit": []}
    with tempfile.TemporaryDirectory() as tmp:
        for n in range(args.rounds):
            # alternate, so that a busy moment on a shared machine hits both
            for label, stock in (("stock", True), ("vxkit", False)):
                root = make_workspace(Path(tmp) / f"{label}{n}", args)
                server = Server(root, stock)
                await server.start()
                try:
                    codes = None
                    if not stock:
                        from vxkit.workspace import Workspace

                        links = ensure_links(Workspace(root))
                        codes = {c: links.code(c) for c in ("lyon_4b", "nairobi_7")}
                    rounds[label].append(await run_load(server, args, codes))
                finally:
                    await server.stop()
                print(f"round {n + 1} {label}", json.dumps(rounds[label][-1]), flush=True)
    results: dict[str, Any] = {"rounds": rounds, "config": vars(args)}
    for label, runs in rounds.items():
        results[label] = {
            "p50_ms": statistics.median(r["p50_ms"] for r in runs),
            "p99_ms": statistics.median(r["p99_ms"] for r in runs),
            "lost": sum(r["missing_in_clients"] + r["missing_on_disk"] for r in runs),
            "server_cpu_s": statistics.median(r["server_cpu_s"] for r in runs),
        }
    ratio = results["vxkit"]["p99_ms"] / results["stock"]["p99_ms"]
    results["p99_ratio_vxkit_over_stock"] = round(ratio, 2)
    print("\n" + "\n".join(summary_table(results, args.rounds)))
    print(f"p99 ratio vxkit / stock: {ratio:.2f}")
    out = Path(args.out)
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(json.dumps(results, indent=1) + "\n", encoding="utf-8")


if __name__ == "__main__":
    asyncio.run(main())
