"""Classroom load on one team chat, next to the same load on a notebook, on the same `vxkit lab`.

60 members (two classes of 30) have the team chat open (its collaboration room, read-only as
students' sockets are); 10 of them post messages through vxkit's endpoint at the same time.
For each message we measure the time from the POST until every other member's copy of the
chat has it (latency). Then the server is killed (SIGKILL, no chance to save) right after
the last answer, started again, and every message answered before the kill is looked for in
the chat (lost messages). The same clients, writers, count and rate then run on a notebook
(`bench/rtc_load.py`'s load, where writers edit cells over the socket), on the same server
kind, so the two p99 figures sit side by side.

    .venv/bin/python bench/chat_load.py [--clients 60] [--writers 10] [--edits 30] [--rate 5] [--rounds 3]
"""

from __future__ import annotations

import argparse
import asyncio
import json
import statistics
import sys
import tempfile
import time
from pathlib import Path
from typing import Any
from urllib.parse import quote

from pycrdt import (
    Array,
    Doc,
)
from tornado.httpclient import AsyncHTTPClient, HTTPRequest
from tornado.websocket import websocket_connect

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.rtc_load import Client, Server, make_workspace, open_room, run_load
from vxkit.server.links import ensure_links
from vxkit.workspace import Workspace

CHAT = "team:team_bench"
CHAT_FILE = "chats/teams/team_bench.chat"


class ChatClient(Client):
    """A member whose room is the team chat's."""

    async def connect(self, path: str = CHAT_FILE) -> Any:
        """The websocket on the chat's collaboration room."""
        base = f"127.0.0.1:{self.server.port}/"
        response = await AsyncHTTPClient().fetch(
            HTTPRequest(
                f"http://{base}api/collaboration/session/{path}",
                method="PUT",
                body=json.dumps({"format": "text", "type": "chat"}),
                headers=self.headers,
            )
        )
        session = json.loads(response.body)
        room = f"text:chat:{session['fileId']}"
        return await websocket_connect(
            HTTPRequest(
                f"ws://{base}api/collaboration/room/{room}?sessionId={session['sessionId']}",
                headers=self.headers,
            ),
            max_message_size=1 << 30,
        )

    def watch_messages(self) -> None:
        """Note when each message arrives (read just after the update, never inside it)."""
        messages = self.ydoc.get("messages", type=Array)
        seen = [0]
        loop = asyncio.get_running_loop()

        def scan(now: float) -> None:
            found, seen[0] = markers_from(self.ydoc, seen[0])
            for marker in found:
                self.arrivals.setdefault(marker, now)

        def on_change(_event: Any) -> None:
            loop.call_soon(scan, time.perf_counter())

        # keep both: a shared type that is garbage-collected takes its observers with it
        self._watched = (messages, messages.observe(on_change))


def markers_from(ydoc: Doc, start: int) -> tuple[list[str], int]:
    """The markers of the messages from index ``start`` on (messages are appended), and the
    index to start from next time."""
    messages = ydoc.get("messages", type=Array)
    end = len(messages)
    found = []
    for i in range(start, end):
        body = str(messages[i].get("body", ""))
        if body.startswith("msg "):
            found.append(body[4:])
    return found, end


async def chat_load(server: Server, args: argparse.Namespace, codes: dict[str, str]) -> dict:
    """Everyone in the chat, writers post, everyone waits for everything; then kill, restart
    and count what was lost."""
    per_class = args.clients // 2
    clients = [ChatClient(server, i) for i in range(args.clients)]
    for i, client in enumerate(clients):
        cls, n = ("lyon_4b", "Lyon") if i < per_class else ("nairobi_7", "Nairobi")
        await client.login(codes[cls], f"{n}{i % per_class:02d}")
    writers = list(range(args.writers // 2)) + list(
        range(per_class, per_class + args.writers - args.writers // 2)
    )
    sent: dict[str, float] = {}
    answered: set[str] = set()
    ready = asyncio.Barrier(args.clients + 1)
    done = asyncio.Event()
    http = AsyncHTTPClient(force_instance=True, max_clients=args.writers * args.edits)

    async def post(client: Client, marker: str) -> None:
        response = await http.fetch(
            HTTPRequest(
                f"http://127.0.0.1:{server.port}/vxkit/api/chats/{quote(CHAT)}",
                method="POST",
                body=json.dumps({"body": f"msg {marker}"}),
                headers=client.headers,
                request_timeout=120,
            ),
            raise_error=False,
        )
        if response.code == 200:
            answered.add(marker)

    async def participate(client: ChatClient) -> None:
        client.watch_messages()
        conn, reader = await open_room(client, CHAT_FILE)
        await ready.wait()
        if client.index in writers:
            w = writers.index(client.index)
            posts = []
            for edit in range(args.edits):
                marker = f"w{w}e{edit}"
                sent[marker] = time.perf_counter()
                posts.append(asyncio.create_task(post(client, marker)))
                await asyncio.sleep(1 / args.rate)  # the same rate as the notebook's writers
            await asyncio.gather(*posts)
        await done.wait()
        conn.close()
        reader.cancel()

    cpu_before = server.cpu_seconds()
    tasks = [asyncio.create_task(participate(c)) for c in clients]
    try:
        await asyncio.wait_for(ready.wait(), 120)
    except asyncio.TimeoutError:
        failed = [t.exception() for t in tasks if t.done() and t.exception()]
        raise RuntimeError(f"the members never all joined the chat: {failed[:1]}") from None
    start = time.perf_counter()
    expected = {f"w{w}e{e}" for w in range(args.writers) for e in range(args.edits)}
    deadline = time.monotonic() + args.edits / args.rate + 60
    while time.monotonic() < deadline:
        if len(sent) == len(expected) and all(expected <= set(c.arrivals) for c in clients):
            break
        await asyncio.sleep(0.1)
    load_seconds = time.perf_counter() - start
    cpu = server.cpu_seconds() - cpu_before
    latencies = sorted(
        (c.arrivals[m] - sent[m]) * 1000
        for c in clients
        for m in expected
        if m in c.arrivals and m in sent
    )
    missing_in_clients = sum(len(expected - set(c.arrivals)) for c in clients)
    # kill the server right away: no stop handler, no debounced save
    server.proc.kill()
    server.proc.wait()
    done.set()
    await asyncio.gather(*tasks, return_exceptions=True)
    again = Server(server.root, stock=False)
    await again.start()
    try:
        reader = Client(again, 0)
        await reader.login(codes["lyon_4b"], "Lyon00")
        response = await AsyncHTTPClient().fetch(
            HTTPRequest(
                f"http://127.0.0.1:{again.port}/vxkit/api/chats/{quote(CHAT)}",
                headers=reader.headers,
            )
        )
        after = {m["text"][4:] for m in json.loads(response.body)["messages"]}
    finally:
        await again.stop()
    return {
        "messages": len(expected),
        "answered": len(answered),
        "samples": len(latencies),
        "p50_ms": round(statistics.median(latencies), 1) if latencies else None,
        "p99_ms": round(latencies[int(len(latencies) * 0.99) - 1], 1) if latencies else None,
        "max_ms": round(latencies[-1], 1) if latencies else None,
        "missing_in_clients": missing_in_clients,
        "lost_after_kill": len(answered - after),
        "server_cpu_s": round(cpu, 2),
        "load_s": round(load_seconds, 2),
    }


async def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--clients", type=int, default=60, help="members (two classes)")
    parser.add_argument("--writers", type=int, default=10, help="of whom post at once")
    parser.add_argument("--edits", type=int, default=30, help="messages (or edits) per writer")
    parser.add_argument("--rate", type=float, default=5, help="per second per writer")
    parser.add_argument("--rounds", type=int, default=3, help="alternating runs of each load")
    parser.add_argument("--out", default="bench/out/chat_load.json", help="where to save figures")
    args = parser.parse_args()
    rounds: dict[str, list[dict]] = {"notebook": [], "chat": []}
    with tempfile.TemporaryDirectory() as tmp:
        for n in range(args.rounds):
            for label in ("notebook", "chat"):
                root = make_workspace(Path(tmp) / f"{label}{n}", args)
                links = ensure_links(Workspace(root))
                codes = {c: links.code(c) for c in ("lyon_4b", "nairobi_7")}
                server = Server(root, stock=False)
                await server.start()
                try:
                    if label == "chat":
                        result = await chat_load(server, args, codes)
                    else:
                        result = await run_load(server, args, codes)
                finally:
                    if server.proc.poll() is None:
                        await server.stop()
                rounds[label].append(result)
                print(f"round {n + 1} {label}", json.dumps(result), flush=True)
    results: dict[str, Any] = {"rounds": rounds, "config": vars(args)}
    for label, runs in rounds.items():
        results[label] = {
            "p50_ms": statistics.median(r["p50_ms"] for r in runs),
            "p99_ms": statistics.median(r["p99_ms"] for r in runs),
            "lost": sum(
                r["missing_in_clients"] + r.get("missing_on_disk", 0) + r.get("lost_after_kill", 0)
                for r in runs
            ),
            "server_cpu_s": statistics.median(r["server_cpu_s"] for r in runs),
        }
    ratio = results["chat"]["p99_ms"] / results["notebook"]["p99_ms"]
    results["p99_ratio_chat_over_notebook"] = round(ratio, 2)
    rows = [("", "p50 ms", "p99 ms", "lost", "cpu s")]
    for label in ("notebook", "chat"):
        r = results[label]
        rows.append(
            (
                label,
                f"{r['p50_ms']:.1f}",
                f"{r['p99_ms']:.1f}",
                str(r["lost"]),
                f"{r['server_cpu_s']:.2f}",
            )
        )
    print(f"\nmedian of {args.rounds} rounds")
    for row in rows:
        print("  ".join(cell.rjust(9) for cell in row))
    print(f"p99 ratio chat / notebook: {ratio:.2f}")
    out = Path(args.out)
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(json.dumps(results, indent=1) + "\n", encoding="utf-8")


if __name__ == "__main__":
    asyncio.run(main())
