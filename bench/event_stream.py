"""Requests of idle classroom tabs: the front end that polled (a timer per widget) next to the
one event stream, in one run, in Chromium against a real `vxkit demo`.

Two tabs sit idle in each run: a student with her team notebook open (Exchange panel,
comments and chats), and the teacher with the Classroom dashboard open. Over the same window
each run counts the HTTP requests the tab sent (all of them, and vxkit's own) and the messages
the event stream brought. "polling" is the front end of an older revision (default: where this
branch left main), built into a folder of its own and served by the same server code; "stream"
is the front end of the working tree.

    .venv/bin/python bench/event_stream.py [--window 60] [--before main]
"""

from __future__ import annotations

import argparse
import contextlib
import io
import json
import os
import shutil
import subprocess
import sys
import tarfile
import tempfile
from pathlib import Path
from unittest import mock

from vxkit.testing import free_port, jupyter_process

REPO = Path(__file__).resolve().parent.parent
EXTENSION = REPO / "extensions" / "vxkit"
BIN = Path(sys.executable).parent
CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
TOKEN = "bench-events"
NOTEBOOK = "projects/team_rivers/meet_partners.ipynb"


def build_front_end(revision: str, into: Path) -> Path:
    """Build the JupyterLab extension of ``revision`` into ``into``/share/jupyter; returns
    that folder (for JUPYTER_PATH, which comes before the installed extension)."""
    archive = subprocess.run(
        ["git", "archive", "--format=tar", revision, "extensions/vxkit"],
        cwd=REPO,
        capture_output=True,
        check=True,
    ).stdout
    with tarfile.open(fileobj=io.BytesIO(archive)) as tar:
        tar.extractall(into, filter="data")
    source = into / "extensions" / "vxkit"
    (source / "node_modules").symlink_to(EXTENSION / "node_modules")
    share = into / "share" / "jupyter"
    package = json.loads((source / "package.json").read_text("utf-8"))
    # jupyter-builder takes the output folder relative to the package
    package["jupyterlab"]["outputDir"] = os.path.relpath(share / "labextensions" / "vxkit", source)
    (source / "package.json").write_text(json.dumps(package), "utf-8")
    env = {**os.environ, "PATH": f"{BIN}{os.pathsep}{os.environ.get('PATH', '')}"}
    for command in (
        ["jlpm", "build:lib"],
        ["jupyter-builder", "build", "--development", "True", "."],
    ):
        subprocess.run(command, cwd=source, env=env, check=True, capture_output=True)
    return share


def idle_tabs(url: str, root: Path, window: float, settle: float) -> dict[str, dict[str, float]]:
    """Open the student's and the teacher's tabs, let them settle, then count for ``window``
    seconds; per tab: requests per minute (all, vxkit's) and stream messages per minute."""
    from playwright.sync_api import expect, sync_playwright

    from vxkit.server.links import ensure_links
    from vxkit.workspace import Workspace

    links = ensure_links(Workspace(root))
    counts = {tab: {"all": 0, "vxkit": 0, "stream": 0} for tab in ("student", "teacher")}
    counting = False

    def count(tab: str):
        def on_request(request) -> None:
            if counting:
                counts[tab]["all"] += 1
                counts[tab]["vxkit"] += "/vxkit/" in request.url

        def on_socket(socket) -> None:
            if "/vxkit/api/events" in socket.url:

                def on_frame(_payload) -> None:
                    if counting:
                        counts[tab]["stream"] += 1

                socket.on("framereceived", on_frame)

        return on_request, on_socket

    with sync_playwright() as pw:
        browser = pw.chromium.launch(
            executable_path=CHROMIUM,
            args=["--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage"],
        )
        try:
            pages = {}
            for tab in counts:
                page = browser.new_context(viewport={"width": 1400, "height": 900}).new_page()
                on_request, on_socket = count(tab)
                page.on("request", on_request)
                page.on("websocket", on_socket)
                pages[tab] = page
            student, teacher = pages["student"], pages["teacher"]
            student.goto(f"{url}vxkit/join/{links.code('lyon_4b')}")
            student.get_by_role("button", name="Chloé", exact=True).click()
            student.wait_for_url("**/lab/tree/projects/**", timeout=60_000)
            student.goto(f"{url}lab/tree/{NOTEBOOK}")
            expect(student.locator(".jp-NotebookPanel .jp-CodeCell").first).to_be_visible(
                timeout=60_000
            )
            teacher.goto(f"{url}lab?token={TOKEN}")
            open_dashboard = teacher.locator(".vx-open-dashboard")
            if not open_dashboard.is_visible():
                teacher.locator(".jp-SideBar .lm-TabBar-tab[data-id='vxkit-exchange']").click()
            open_dashboard.click(timeout=60_000)
            expect(teacher.locator(".vx-Dashboard .vx-qr").first).to_be_visible(timeout=60_000)
            # Playwright hands over the requests while it waits (never during time.sleep)
            teacher.wait_for_timeout(settle * 1000)
            counting = True
            teacher.wait_for_timeout(window * 1000)
            counting = False
        finally:
            browser.close()
    minutes = window / 60
    return {tab: {k: v / minutes for k, v in c.items()} for tab, c in counts.items()}


def run(folder: Path, share: Path | None, window: float, settle: float) -> dict:
    """One `vxkit demo` with the front end in ``share`` (None: the installed one)."""
    root = folder / "demo"
    argv = [sys.executable, "-m", "vxkit.cli", "demo", "--dir", str(root)]
    argv += ["--port", str(free_port()), "--no-browser"]
    env = {"JUPYTER_PATH": str(share)} if share else {}
    with mock.patch.dict(os.environ, env), jupyter_process(argv, folder, TOKEN) as (url, _log):
        return idle_tabs(url, root, window, settle)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--window", type=float, default=60, help="seconds counted (default: 60)")
    parser.add_argument("--settle", type=float, default=10, help="seconds before counting")
    parser.add_argument(
        "--before",
        default="",
        help="revision of the polling front end (default: the merge base with main)",
    )
    args = parser.parse_args()
    if CHROMIUM is None:
        sys.exit("Chromium is not installed (apt-get install chromium)")
    before = (
        args.before
        or subprocess.run(
            ["git", "merge-base", "HEAD", "main"],
            cwd=REPO,
            capture_output=True,
            text=True,
            check=True,
        ).stdout.strip()
    )
    results = {}
    with tempfile.TemporaryDirectory() as tmp:
        share = build_front_end(before, Path(tmp) / "before")
        for name, front_end in (("polling", share), ("stream", None)):
            folder = Path(tmp) / name
            folder.mkdir()
            results[name] = run(folder, front_end, args.window, args.settle)
    print(f"idle tabs over {args.window:.0f} s (polling = front end of {before[:10]})")
    print(
        f"{'tab':10} {'front end':10} {'requests/min':>13} {'vxkit req/min':>14} {'stream msg/min':>15}"
    )
    for tab in ("student", "teacher"):
        for name in ("polling", "stream"):
            r = results[name][tab]
            print(f"{tab:10} {name:10} {r['all']:13.1f} {r['vxkit']:14.1f} {r['stream']:15.1f}")
    for tab in ("student", "teacher"):
        old, new = results["polling"][tab], results["stream"][tab]
        with contextlib.suppress(ZeroDivisionError):
            print(f"{tab}: {old['all'] / new['all']:.1f}x fewer requests per minute (all)")
        print(f"{tab}: vxkit requests per minute {old['vxkit']:.1f} -> {new['vxkit']:.1f}")


if __name__ == "__main__":
    main()
