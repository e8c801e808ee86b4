"""Two full classes on one exchange server, next to one server per student on JupyterHub.

vxkit: one `vxkit lab` serves a generated exchange of two classes (``--per-class`` students
each, 30 by default) in ``--teams`` mixed teams (10). Every student joins through their class
link (a real join cookie) and opens their team notebook over a real collaboration websocket;
``--writers-per-team`` of each team type at the same time, in every team (their keystrokes
not in step). A kernel runs for each team notebook and for each student's own notebook
(started by that student, so sandboxed as in a lesson), and each team kernel runs a small cell
every ``--cell-every`` seconds while its team types. Measured: edit latency to every teammate (p50, p99), lost edits (missing in a
teammate's copy or in the saved file), the server's CPU during the load, the memory of the
server and all its kernels (RSS and PSS, psutil), memory per student, and the time a student
waits for their kernel.

Stock: the same students on a real JupyterHub (configurable-http-proxy on loopback,
SimpleLocalProcessSpawner, DummyAuthenticator): one single-user JupyterLab server each (with
jupyter-collaboration, vxkit's extension off), started in one wave as a class logging in at
nine, each with a kernel for the student's own notebook. Starting 60 servers on a small
machine takes minutes, so ``--stock-servers`` (6 by default) are started and the figures per
student extrapolated to the class: memory per student = a server with its kernel + the team
notebooks' kernels (which live in one member's server each) and the hub and proxy, shared.

    .venv/bin/python bench/classroom_capacity.py            # the full size (about 5 minutes)
    .venv/bin/python bench/classroom_capacity.py --quick    # 2 x 4 students, 2 teams, 2 hub servers
    .venv/bin/python bench/classroom_capacity.py --side vxkit   # one side only
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import json
import os
import shutil
import signal
import statistics
import subprocess
import sys
import tempfile
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

import nbformat
import psutil
import requests
from tornado.httpclient import AsyncHTTPClient, HTTPRequest
from tornado.websocket import websocket_connect

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.rtc_load import (
    Client,
    Server,
    exchange_toml,
    missing_from_file,
    open_room,
    type_edits,
)
from vxkit.server.links import ensure_links
from vxkit.testing import free_port, stop_process_group
from vxkit.workspace import Workspace, scaffold

UNIT = "capacity"
CELL_CODE = "sum(i * i for i in range(20000))"


def make_workspace(parent: Path, args: argparse.Namespace) -> Workspace:
    """The exchange with one team notebook per team (a cell per writer)."""
    ws, _ = scaffold(parent / "ws", exchange_toml(args.per_class, args.teams))
    for team in ws.load().teams:
        nb = nbformat.v4.new_notebook()
        nb.cells = [nbformat.v4.new_code_cell(f"# cell {i}") for i in range(args.writers_per_team)]
        path = ws.root / "projects" / team.id / f"{UNIT}.ipynb"
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(nbformat.writes(nb), encoding="utf-8")
    return ws


def tree_memory(pid: int) -> dict[str, float]:
    """RSS and PSS (MB) of a process and all its descendants, and how many there are."""
    rss = pss = 0.0
    count = 0
    try:
        root = psutil.Process(pid)
        procs = [root, *root.children(recursive=True)]
    except psutil.NoSuchProcess:
        return {"rss_mb": 0.0, "pss_mb": 0.0, "processes": 0}
    for proc in procs:
        with contextlib.suppress(psutil.Error):
            info = proc.memory_full_info()
            rss += info.rss
            pss += getattr(info, "pss", info.rss)
            count += 1
    return {"rss_mb": rss / 2**20, "pss_mb": pss / 2**20, "processes": count}


class Student(Client):
    """A student: joined by class link, with their team's notebook and their own."""

    def __init__(self, server: Server, index: int, sid: str, team: str) -> None:
        super().__init__(server, index)
        self.sid = sid
        self.team = team

    async def api(self, method: str, path: str, body: Any = None) -> Any:
        response = await AsyncHTTPClient().fetch(
            HTTPRequest(
                f"http://127.0.0.1:{self.server.port}/{path}",
                method=method,
                body=json.dumps(body) if body is not None else None,
                headers=self.headers,
                request_timeout=300,
            )
        )
        return json.loads(response.body)

    async def start_kernel(self, notebook: str) -> tuple[str, float]:
        """A session (and kernel) for ``notebook``: its kernel id and the seconds it took."""
        started = time.perf_counter()
        body = {
            "path": notebook,
            "name": Path(notebook).name,
            "type": "notebook",
            "kernel": {"name": "python3"},
        }
        session = await self.api("POST", "api/sessions", body)
        return session["kernel"]["id"], time.perf_counter() - started


async def run_cells(
    student: Student, kernel_id: str, every: float, go: asyncio.Event, stop: asyncio.Event
) -> int:
    """Connect to a kernel (the notebook's tab is open), then from ``go`` on run
    ``CELL_CODE`` every ``every`` seconds until ``stop``; replies counted."""
    request = HTTPRequest(
        f"ws://127.0.0.1:{student.server.port}/api/kernels/{kernel_id}/channels",
        headers=student.headers,
    )
    conn = await websocket_connect(request)
    await go.wait()
    replies = 0
    session = os.urandom(8).hex()
    try:
        while not stop.is_set():
            msg_id = os.urandom(8).hex()
            message = {
                "header": {
                    "msg_id": msg_id,
                    "msg_type": "execute_request",
                    "session": session,
                    "username": student.sid,
                    "version": "5.3",
                },
                "parent_header": {},
                "metadata": {},
                "content": {"code": CELL_CODE, "silent": False, "store_history": False},
                "channel": "shell",
            }
            await conn.write_message(json.dumps(message))
            deadline = time.monotonic() + 30
            while time.monotonic() < deadline:
                raw = await asyncio.wait_for(conn.read_message(), 30)
                if raw is None:
                    return replies
                reply = json.loads(raw)
                if (
                    reply.get("msg_type") == "execute_reply"
                    and reply.get("parent_header", {}).get("msg_id") == msg_id
                ):
                    replies += 1
                    break
            with contextlib.suppress(asyncio.TimeoutError):
                await asyncio.wait_for(stop.wait(), every)
    finally:
        conn.close()
    return replies


async def run_vxkit(tmp: Path, args: argparse.Namespace) -> dict[str, Any]:
    """The whole load on one `vxkit lab`; returns its figures."""
    ws = make_workspace(tmp / "vxkit", args)
    exchange = ws.load()
    links = ensure_links(ws)
    server = Server(ws.root, stock=False)
    await server.start()
    try:
        idle = tree_memory(server.proc.pid)
        students = []
        for index, s in enumerate(exchange.students()):
            team = exchange.team_of(s.class_id, s.name)
            student = Student(server, index, s.id, team.id if team else "")
            await student.login(links.code(s.class_id), s.name)
            students.append(student)
        joined = tree_memory(server.proc.pid)
        # everyone's own notebook, and each team's notebook, get a kernel (a few at a time,
        # as a class clicking "run" within a minute)
        limit = asyncio.Semaphore(args.kernel_starts)

        async def start(student: Student, notebook: str) -> tuple[str, float]:
            async with limit:
                return await student.start_kernel(notebook)

        own = [start(s, f"students/{s.sid}/mine.ipynb") for s in students]
        first = {}
        for s in students:
            first.setdefault(s.team, s)
        team_kernels = [start(s, f"projects/{t}/{UNIT}.ipynb") for t, s in first.items()]
        started = time.perf_counter()
        results = await asyncio.gather(*own, *team_kernels)
        kernels_s = time.perf_counter() - started
        kernel_waits = [seconds for _, seconds in results]
        team_ids = {t: results[len(own) + i][0] for i, t in enumerate(first)}
        await asyncio.sleep(3)  # let kernels settle before measuring
        with_kernels = tree_memory(server.proc.pid)

        by_team: dict[str, list[Student]] = {}
        for s in students:
            by_team.setdefault(s.team, []).append(s)
        writers = {
            s.index: cell
            for members in by_team.values()
            for cell, s in enumerate(pick_writers(members, args.writers_per_team))
        }
        order = {index: n for n, index in enumerate(writers)}
        sent: dict[str, float] = {}
        ready = asyncio.Barrier(len(students) + 1)
        done = asyncio.Event()
        stop_cells = asyncio.Event()

        def markers(s: Student) -> list[str]:
            cell = writers[s.index]
            return [f"{s.team}w{cell}e{e}" for e in range(args.edits)]

        async def participate(s: Student) -> None:
            conn, reader = await open_room(s, f"projects/{s.team}/{UNIT}.ipynb")
            s.watch()
            await ready.wait()
            await go.wait()
            if s.index in writers:
                # writers don't press keys in step: spread their starts over one interval
                await asyncio.sleep(order[s.index] / (len(writers) * args.rate))
                await type_edits(s, conn, writers[s.index], markers(s), args.rate, sent)
            await done.wait()
            conn.close()
            reader.cancel()

        expected = {s.team: set() for s in students}
        for s in students:
            if s.index in writers:
                expected[s.team] |= set(markers(s))
        go = asyncio.Event()
        cells = [
            asyncio.create_task(run_cells(first[t], k, args.cell_every, go, stop_cells))
            for t, k in team_ids.items()
        ]
        tasks = [asyncio.create_task(participate(s)) for s in students]
        await ready.wait()
        await asyncio.sleep(1)  # the kernels' tabs have connected
        go.set()
        cpu_before = server.cpu_seconds()
        start_load = time.perf_counter()

        def wanted(s: Student) -> set[str]:
            return expected[s.team] - (set(markers(s)) if s.index in writers else set())

        deadline = time.monotonic() + args.edits / args.rate + 60
        total = sum(len(v) for v in expected.values())
        peak = with_kernels
        while time.monotonic() < deadline:
            if len(sent) == total and all(wanted(s) <= set(s.arrivals) for s in students):
                break
            await asyncio.sleep(0.2)
        load_s = time.perf_counter() - start_load
        cpu = server.cpu_seconds() - cpu_before
        peak = tree_memory(server.proc.pid)
        stop_cells.set()
        cell_replies = sum(await asyncio.gather(*cells))
        latencies = sorted(
            (s.arrivals[m] - sent[m]) * 1000
            for s in students
            for m in wanted(s)
            if m in s.arrivals and m in sent
        )
        # when in the lesson the slow edits were: the worst latency per edit number
        worst_by_edit = [
            round(
                max(
                    (s.arrivals[m] - sent[m]) * 1000
                    for s in students
                    for m in wanted(s)
                    if m.endswith(f"e{e}") and m in s.arrivals and m in sent
                ),
                1,
            )
            for e in range(args.edits)
        ]
        missing_clients = sum(len(wanted(s) - set(s.arrivals)) for s in students)
        done.set()
        await asyncio.gather(*tasks)
        missing_disk = 0
        for team, markers_of_team in expected.items():
            path = ws.root / "projects" / team / f"{UNIT}.ipynb"
            missing_disk += await missing_from_file(path, markers_of_team)
        n = len(students)
        ystore = ws.root / ".vxkit" / "ystore.db"
        ystore_bytes = ystore.stat().st_size if ystore.is_file() else 0
        workspace_bytes = sum(f.stat().st_size for f in ws.root.rglob("*") if f.is_file())
        return {
            "students": n,
            "teams": len(by_team),
            "writers": len(writers),
            "kernels": len(results),
            "edits": total,
            "samples": len(latencies),
            "p50_ms": round(statistics.median(latencies), 1) if latencies else None,
            "p99_ms": round(latencies[max(0, int(len(latencies) * 0.99) - 1)], 1)
            if latencies
            else None,
            "max_ms": round(latencies[-1], 1) if latencies else None,
            "worst_ms_by_edit": worst_by_edit,
            "lost": missing_clients + missing_disk,
            "missing_in_clients": missing_clients,
            "missing_on_disk": missing_disk,
            "server_cpu_s": round(cpu, 2),
            "server_cpu_percent": round(100 * cpu / load_s, 1) if load_s else None,
            "load_s": round(load_s, 1),
            "cells_run": cell_replies,
            "kernel_wait_median_s": round(statistics.median(kernel_waits), 2),
            "kernels_started_in_s": round(kernels_s, 1),
            "memory_idle_mb": round(idle["rss_mb"], 1),
            "memory_joined_mb": round(joined["rss_mb"], 1),
            "memory_total_mb": round(peak["rss_mb"], 1),
            "memory_total_pss_mb": round(peak["pss_mb"], 1),
            "processes": peak["processes"],
            "memory_per_student_mb": round(peak["rss_mb"] / n, 1),
            "memory_per_student_pss_mb": round(peak["pss_mb"] / n, 1),
            "ystore_mb": round(ystore_bytes / 2**20, 2),
            "ystore_bytes_per_edit": round(ystore_bytes / total) if total else None,
            "workspace_mb": round(workspace_bytes / 2**20, 1),
        }
    finally:
        await server.stop()


def pick_writers(members: list[Student], count: int) -> list[Student]:
    """``count`` writers of a team, taken from both classes in turn."""
    lyon = [m for m in members if m.sid.startswith("lyon_4b-")]
    nairobi = [m for m in members if not m.sid.startswith("lyon_4b-")]
    mixed = [m for pair in zip(lyon, nairobi, strict=False) for m in pair]
    mixed += [m for m in members if m not in mixed]
    return mixed[:count]


HUB_TOKEN = "capacity-bench-hub-token"


def hub_config(root: Path, port: int, hub_port: int, api_port: int, chp: str) -> str:
    """A stock JupyterHub: dummy logins, one local single-user JupyterLab per user."""
    bin_dir = Path(sys.executable).parent
    args = ["--ServerApp.jpserver_extensions={'vxkit': False}"]
    if os.geteuid() == 0:
        args.append("--allow-root")
    return f"""
c = get_config()  # noqa: F821
c.JupyterHub.ip = "127.0.0.1"
c.JupyterHub.port = {port}
c.JupyterHub.hub_ip = "127.0.0.1"
c.JupyterHub.hub_port = {hub_port}
c.ConfigurableHTTPProxy.api_url = "http://127.0.0.1:{api_port}"
c.ConfigurableHTTPProxy.command = [{chp!r}]
c.JupyterHub.db_url = "sqlite:///{root}/jupyterhub.sqlite"
c.JupyterHub.cookie_secret_file = "{root}/cookie_secret"
c.JupyterHub.authenticator_class = "dummy"
c.Authenticator.allow_all = True
c.JupyterHub.spawner_class = "simple"
c.SimpleLocalProcessSpawner.home_dir_template = "{root}/homes/{{username}}"
c.Spawner.default_url = "/lab"
c.Spawner.args = {args!r}
c.Spawner.environment = {{"PATH": "{bin_dir}:" + __import__("os").environ["PATH"]}}
c.Spawner.start_timeout = 600
c.Spawner.http_timeout = 600
c.LocalProcessSpawner.interrupt_timeout = 2
c.LocalProcessSpawner.term_timeout = 2
c.JupyterHub.services = [{{"name": "bench", "api_token": {HUB_TOKEN!r}}}]
c.JupyterHub.load_roles = [
    {{"name": "bench", "scopes": ["admin:users", "admin:servers", "tokens"], "services": ["bench"]}}
]
"""


def singleuser_pids(hub_pid: int) -> list[int]:
    """The single-user servers the hub started (its children running jupyterhub-singleuser)."""
    pids = []
    for child in psutil.Process(hub_pid).children(recursive=True):
        with contextlib.suppress(psutil.Error):
            if any("jupyterhub-singleuser" in part for part in child.cmdline()):
                pids.append(child.pid)
    return pids


def run_stock(tmp: Path, args: argparse.Namespace) -> dict[str, Any]:
    """``--stock-servers`` students on a real JupyterHub, a server and a kernel each."""
    chp = shutil.which("configurable-http-proxy")
    if chp is None:
        raise SystemExit(
            "configurable-http-proxy is needed: npm install -g configurable-http-proxy"
        )
    root = tmp / "hub"
    (root / "homes").mkdir(parents=True)
    port, hub_port, api_port = free_port(), free_port(), free_port()
    config = root / "jupyterhub_config.py"
    config.write_text(hub_config(root, port, hub_port, api_port, chp), encoding="utf-8")
    url = f"http://127.0.0.1:{port}/"
    log = (root / "hub.log").open("w")
    hub = subprocess.Popen(
        [str(Path(sys.executable).parent / "jupyterhub"), "-f", str(config)],
        cwd=root,
        stdout=log,
        stderr=subprocess.STDOUT,
        start_new_session=True,
    )
    admin = {"Authorization": f"token {HUB_TOKEN}"}

    def api(method: str, path: str, **kwargs: Any) -> requests.Response:
        return requests.request(method, f"{url}hub/api/{path}", headers=admin, timeout=60, **kwargs)

    try:
        deadline = time.monotonic() + 120
        while True:
            assert hub.poll() is None, (root / "hub.log").read_text()[-3000:]
            with contextlib.suppress(requests.ConnectionError):
                if api("GET", "").status_code == 200:
                    break
            assert time.monotonic() < deadline, "the hub did not start"
            time.sleep(0.3)
        hub_only = tree_memory(hub.pid)
        users = [f"student{i:02d}" for i in range(args.stock_servers)]
        assert api("POST", "users", json={"usernames": users}).status_code == 201
        asked = {}
        ready_after: dict[str, float] = {}
        wave = time.perf_counter()
        for user in users:  # the whole class logs in at once
            asked[user] = time.perf_counter()
            assert api("POST", f"users/{user}/server").status_code in (201, 202)
        while len(ready_after) < len(users):
            assert time.perf_counter() - wave < 900, "the servers did not start"
            for user in users:
                if user not in ready_after:
                    model = api("GET", f"users/{user}").json()
                    if model["servers"].get("", {}).get("ready"):
                        ready_after[user] = time.perf_counter() - asked[user]
            time.sleep(0.2)
        wave_s = time.perf_counter() - wave

        # each student opens their own notebook: a kernel in their own server (as many at
        # once as on the vxkit side)
        def open_own(user: str) -> float:
            token = api("POST", f"users/{user}/tokens", json={"scopes": ["inherit"]}).json()
            headers = {"Authorization": f"token {token['token']}"}
            body = {"path": "mine.ipynb", "name": "mine.ipynb", "type": "notebook"}
            body["kernel"] = {"name": "python3"}
            started = time.perf_counter()
            reply = requests.post(
                f"{url}user/{user}/api/sessions", json=body, headers=headers, timeout=300
            )
            assert reply.status_code == 201, reply.text
            return time.perf_counter() - started

        with ThreadPoolExecutor(args.kernel_starts) as pool:
            kernel_waits = list(pool.map(open_own, users))
        time.sleep(3)
        servers = [tree_memory(pid) for pid in singleuser_pids(hub.pid)]
        servers_alone = [psutil.Process(pid).memory_full_info() for pid in singleuser_pids(hub.pid)]
        kernels = [s["rss_mb"] - a.rss / 2**20 for s, a in zip(servers, servers_alone, strict=True)]
        total = tree_memory(hub.pid)
        shared = total["rss_mb"] - sum(s["rss_mb"] for s in servers)  # the hub and the proxy
        n = args.per_class * 2
        per_server = statistics.mean(s["rss_mb"] for s in servers)
        per_server_pss = statistics.mean(s["pss_mb"] for s in servers)
        kernel = statistics.mean(kernels)
        team_share = args.teams * kernel / n
        return {
            "servers_started": len(users),
            "hub_and_proxy_mb": round(shared, 1),
            "hub_idle_mb": round(hub_only["rss_mb"], 1),
            "server_with_kernel_mb": round(per_server, 1),
            "server_with_kernel_pss_mb": round(per_server_pss, 1),
            "server_alone_mb": round(statistics.mean(a.rss / 2**20 for a in servers_alone), 1),
            "kernel_mb": round(kernel, 1),
            "memory_per_student_mb": round(per_server + team_share + shared / n, 1),
            "memory_per_student_pss_mb": round(per_server_pss + team_share + shared / n, 1),
            "memory_for_class_mb": round(n * per_server + args.teams * kernel + shared, 1),
            "start_median_s": round(statistics.median(ready_after.values()), 2),
            "start_max_s": round(max(ready_after.values()), 2),
            "wave_s": round(wave_s, 1),
            "start_per_student_s": round(wave_s / len(users), 2),
            "kernel_wait_median_s": round(statistics.median(kernel_waits), 2),
        }
    finally:
        for pid in singleuser_pids(hub.pid) if hub.poll() is None else []:
            with contextlib.suppress(ProcessLookupError, PermissionError):
                os.killpg(pid, signal.SIGTERM)
        stop_process_group(hub, 30)
        log.close()


#: the summary's rows: label, key in vxkit's figures, key in stock's, decimals
ROWS = (
    ("edit latency p50 (ms)", "p50_ms", None, 1),
    ("edit latency p99 (ms)", "p99_ms", None, 1),
    ("lost edits", "lost", None, 0),
    ("server CPU during load (%)", "server_cpu_percent", None, 1),
    ("memory in all (MB)", "memory_total_mb", "memory_for_class_mb", 0),
    ("memory per student (MB)", "memory_per_student_mb", "memory_per_student_mb", 1),
    ("memory per student, PSS (MB)", "memory_per_student_pss_mb", "memory_per_student_pss_mb", 1),
    ("wait for own kernel (s)", "kernel_wait_median_s", "kernel_wait_median_s", 2),
    ("server start per student (s)", None, "start_per_student_s", 2),
)


def summary_table(results: dict[str, Any]) -> list[str]:
    """The side-by-side summary as text lines: a row per figure, numbers rounded, columns
    aligned, "-" where a side has no such figure."""
    ours, stock = results["vxkit"], results["stock"]

    def cell(figures: dict[str, Any], key: str | None, digits: int) -> str:
        value = figures.get(key) if key else None
        return "-" if value is None else f"{value:.{digits}f}"

    rows = [[f"{results['students']} students", "vxkit", "stock hub"]]
    rows += [
        [label, cell(ours, mine, d), cell(stock, theirs, d)] for label, mine, theirs, d in ROWS
    ]
    widths = [max(len(row[i]) for row in rows) for i in range(3)]
    return [
        "  ".join(
            c.ljust(w) if i == 0 else c.rjust(w)
            for i, (c, w) in enumerate(zip(r, widths, strict=True))
        )
        for r in rows
    ]


def memory_ratio(results: dict[str, Any]) -> float:
    """vxkit's memory per student over the stock hub's (RSS)."""
    return results["vxkit"]["memory_per_student_mb"] / results["stock"]["memory_per_student_mb"]


def parse_args(argv: list[str] | None = None) -> argparse.Namespace:
    """The command line (``--quick``: a small run that checks the whole bench works)."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--per-class", type=int, default=30, help="students in each class")
    parser.add_argument("--teams", type=int, default=10, help="mixed teams")
    parser.add_argument("--writers-per-team", type=int, default=2, help="who type at once")
    parser.add_argument("--edits", type=int, default=20, help="edits per writer")
    parser.add_argument("--rate", type=float, default=2, help="edits per second per writer")
    parser.add_argument("--cell-every", type=float, default=2, help="seconds between cells")
    parser.add_argument("--kernel-starts", type=int, default=6, help="kernels starting at once")
    parser.add_argument("--stock-servers", type=int, default=6, help="hub servers to start")
    parser.add_argument("--quick", action="store_true", help="2 x 4 students, 2 teams")
    parser.add_argument(
        "--side", choices=("both", "vxkit", "stock"), default="both", help="what to run"
    )
    parser.add_argument("--out", default="bench/out/classroom_capacity.json")
    args = parser.parse_args(argv)
    if args.quick:
        args.per_class, args.teams, args.edits, args.stock_servers = 4, 2, 5, 2
    return args


async def main() -> None:
    args = parse_args()
    results: dict[str, Any] = {
        "students": args.per_class * 2,
        "config": vars(args),
        "cpus": os.cpu_count(),
        "load_average_before": os.getloadavg(),
        "vxkit": {},
        "stock": {},
    }
    with tempfile.TemporaryDirectory() as tmp:
        if args.side in ("both", "vxkit"):
            results["vxkit"] = await run_vxkit(Path(tmp), args)
            print("vxkit", json.dumps(results["vxkit"]), flush=True)
        if args.side in ("both", "stock"):
            results["stock"] = await asyncio.to_thread(run_stock, Path(tmp), args)
            print("stock", json.dumps(results["stock"]), flush=True)
    results["load_average_after"] = os.getloadavg()
    print("\n" + "\n".join(summary_table(results)))
    print(
        f"load average before {results['load_average_before'][0]:.1f}, after "
        f"{results['load_average_after'][0]:.1f} (1 min; {os.cpu_count()} cores)"
    )
    if results["vxkit"] and results["stock"]:
        ratio = memory_ratio(results)
        results["memory_ratio_vxkit_over_stock"] = round(ratio, 3)
        print(
            f"memory per student, vxkit / stock: {ratio:.2f} (stock extrapolated from "
            f"{results['stock']['servers_started']} servers to {results['students']} students)"
        )
    out = Path(args.out)
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(json.dumps(results, indent=1) + "\n", encoding="utf-8")


if __name__ == "__main__":
    asyncio.run(main())
