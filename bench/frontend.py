"""Front end: how long a student waits for her team and a teacher for the dashboard, next to
stock JupyterLab's time to its Launcher, in one run and on the same machine.

One generated exchange of 60 students in 10 mixed teams (two classes of 30) is served twice:
by `vxkit lab` and by plain `jupyter lab` with vxkit's server extension and JupyterLab
extension switched off (the stock alternative). Debian's Chromium (Playwright through
``executable_path``) measures, in a fresh browser context each time (nothing cached):

- stock: from opening ``/lab`` to the Launcher's first card;
- join: from the click on her name on the class's join page to the Exchange panel showing
  her team's name and members;
- dashboard: from opening ``/lab`` as the teacher to the classroom dashboard painted (its
  sign-in cards for both classes, its contributions table);

alternating the three so they share the machine's load, and prints medians and the ratios to
stock (target: at most 1.3).

    .venv/bin/python bench/frontend.py [--runs 5]
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.rtc_load import exchange_toml
from vxkit.server.links import ensure_links
from vxkit.testing import free_port, stop_process, wait_for_server
from vxkit.workspace import Workspace, scaffold

BIN = Path(sys.executable).parent
TOKEN = "bench-frontend"
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--no-first-run", "--disable-dev-shm-usage"]
PANEL = "#vxkit-exchange"
PANEL_TAB = ".jp-SideBar .lm-TabBar-tab[data-id='vxkit-exchange']"
TIMEOUT = 120_000


def start(command: list[str], cwd: Path, log: Path, env: dict[str, str]) -> subprocess.Popen:
    """A server command in the background, its output in ``log``."""
    with log.open("w") as out:
        return subprocess.Popen(
            command, cwd=cwd, stdout=out, stderr=subprocess.STDOUT, env={**os.environ, **env}
        )


def stock_config(folder: Path) -> Path:
    """A config dir that switches vxkit off: its server extension and its JupyterLab plugin."""
    folder.mkdir(parents=True)
    (folder / "jupyter_server_config.json").write_text(
        json.dumps({"ServerApp": {"jpserver_extensions": {"vxkit": False}}})
    )
    (folder / "labconfig").mkdir()
    (folder / "labconfig" / "page_config.json").write_text(
        json.dumps({"disabledExtensions": {"vxkit": True}})
    )
    return folder


def show_panel(page) -> None:
    """The Exchange panel, opened from its tab unless it is shown already."""
    page.locator(PANEL_TAB).wait_for(state="attached", timeout=TIMEOUT)
    if not page.locator(PANEL).is_visible():
        page.locator(PANEL_TAB).click()
    page.locator(PANEL).wait_for(state="visible", timeout=TIMEOUT)


def time_stock(browser, url: str) -> float:
    """Seconds from opening stock JupyterLab to its Launcher's first card."""
    context = browser.new_context(viewport={"width": 1400, "height": 900})
    try:
        page = context.new_page()
        started = time.perf_counter()
        page.goto(f"{url}lab?token={TOKEN}")
        page.locator(".jp-Launcher .jp-LauncherCard").first.wait_for(timeout=TIMEOUT)
        return time.perf_counter() - started
    finally:
        context.close()


def time_join(browser, url: str, code: str, name: str, team: str, members: int) -> float:
    """Seconds from the click on ``name`` on the join page to her team in the Exchange panel."""
    context = browser.new_context(viewport={"width": 1400, "height": 900})
    try:
        page = context.new_page()
        page.goto(f"{url}vxkit/join/{code}")
        button = page.get_by_role("button", name=name, exact=True)
        button.wait_for(timeout=TIMEOUT)
        started = time.perf_counter()
        button.click()
        show_panel(page)
        page.locator(f"{PANEL} .vx-team-name", has_text=team).wait_for(timeout=TIMEOUT)
        items = page.locator(f"{PANEL} .vx-members li")
        deadline = time.monotonic() + TIMEOUT / 1000
        while items.count() < members:
            if time.monotonic() > deadline:
                raise AssertionError(f"the panel never listed {members} members of {team}")
            time.sleep(0.01)
        return time.perf_counter() - started
    finally:
        context.close()


def time_dashboard(browser, url: str, classes: int) -> float:
    """Seconds from the teacher opening ``/lab`` to the dashboard's cards and contributions."""
    context = browser.new_context(viewport={"width": 1400, "height": 900})
    try:
        page = context.new_page()
        started = time.perf_counter()
        page.goto(f"{url}lab?token={TOKEN}")
        show_panel(page)
        page.locator(f"{PANEL} .vx-open-dashboard").click()
        dashboard = page.locator(".vx-Dashboard")
        cards = dashboard.locator("details.vx-card-class")
        cards.nth(classes - 1).wait_for(state="attached", timeout=TIMEOUT)
        dashboard.locator("table").first.wait_for(timeout=TIMEOUT)
        return time.perf_counter() - started
    finally:
        context.close()


def median_line(name: str, values: list[float]) -> str:
    runs = ", ".join(f"{v:.2f}" for v in values)
    return f"{name:34s} median {statistics.median(values):6.2f} s  (runs: {runs})"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=5, help="measured runs of each (default: 5)")
    parser.add_argument("--per-class", type=int, default=30, help="students per class (30)")
    parser.add_argument("--teams", type=int, default=10, help="mixed teams (10)")
    args = parser.parse_args()
    chromium = shutil.which("chromium") or shutil.which("chromium-browser")
    if chromium is None:
        sys.exit("bench/frontend.py needs Debian's chromium (apt-get install chromium)")
    from playwright.sync_api import sync_playwright

    with tempfile.TemporaryDirectory() as tmp_name:
        tmp = Path(tmp_name)
        ws, _ = scaffold(tmp / "ws", exchange_toml(args.per_class, args.teams))
        exchange = Workspace(ws.root).load()
        student = exchange.students()[0]
        team = exchange.team_of(student.class_id, student.name)
        members = len(team.students())
        code = ensure_links(ws).code(student.class_id)
        root_flag = ["--allow-root"] if os.geteuid() == 0 else []
        vx_port, stock_port = free_port(), free_port()
        env = {"JUPYTER_TOKEN": TOKEN}
        vx = start(
            [str(BIN / "vxkit"), "lab", str(ws.root), "--no-browser", "--port", str(vx_port)],
            tmp,
            tmp / "vxkit.log",
            {**env, "JUPYTER_CONFIG_DIR": str(tmp / "vx-config")},
        )
        stock = start(
            [
                str(BIN / "jupyter"),
                "lab",
                "--no-browser",
                f"--port={stock_port}",
                f"--ServerApp.root_dir={ws.root}",
                *root_flag,
            ],
            tmp,
            tmp / "stock.log",
            {**env, "JUPYTER_CONFIG_DIR": str(stock_config(tmp / "stock-config"))},
        )
        try:
            vx_url, stock_url = (f"http://127.0.0.1:{p}/" for p in (vx_port, stock_port))
            wait_for_server(f"{vx_url}api/status?token={TOKEN}", vx, tmp / "vxkit.log")
            wait_for_server(f"{stock_url}api/status?token={TOKEN}", stock, tmp / "stock.log")
            with sync_playwright() as pw:
                browser = pw.chromium.launch(executable_path=chromium, args=CHROMIUM_ARGS)
                try:
                    measures: dict[str, Callable[[], float]] = {
                        "stock JupyterLab, to the Launcher": lambda: time_stock(browser, stock_url),
                        "vxkit, join click to the team": lambda: time_join(
                            browser, vx_url, code, student.name, team.name, members
                        ),
                        "vxkit, teacher to the dashboard": lambda: time_dashboard(
                            browser, vx_url, len(exchange.classes)
                        ),
                    }
                    for measure in measures.values():  # one unmeasured round: caches, bytecode
                        measure()
                    times: dict[str, list[float]] = {name: [] for name in measures}
                    for _ in range(args.runs):
                        for name, measure in measures.items():
                            times[name].append(measure())
                finally:
                    browser.close()
        finally:
            stop_process(vx)
            stop_process(stock)

    print(
        f"{args.per_class * 2} students in {args.teams} teams, {args.runs} runs, "
        f"fresh browser context each"
    )
    for name, values in times.items():
        print(median_line(name, values))
    stock_median = statistics.median(times["stock JupyterLab, to the Launcher"])
    for name in ("vxkit, join click to the team", "vxkit, teacher to the dashboard"):
        ratio = statistics.median(times[name]) / stock_median
        print(f"ratio {name} / stock: {ratio:.2f} (target <= 1.3)")


if __name__ == "__main__":
    main()
