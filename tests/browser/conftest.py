"""A real `vxkit demo` server in a subprocess, for tests that drive Chromium against it."""

from __future__ import annotations

import json
import re
import sys
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

from vxkit.testing import free_port, jupyter_process

DEMO_COMMAND = [sys.executable, "-m", "vxkit.cli", "demo"]


@dataclass
class DemoServer:
    """A running `vxkit demo` server."""

    url: str
    token: str
    root: Path
    log: Path

    def lab_url(self, path: str) -> str:
        return f"{self.url}lab/tree/{path}?token={self.token}"


def run_demo(folder: Path) -> Iterator[DemoServer]:
    """`vxkit demo` exactly as `make demo` runs it, on a free port with a known token."""
    token = "vxkit-test-token"
    root = folder / "demo"
    argv = [*DEMO_COMMAND, "--dir", str(root), "--port", str(free_port()), "--no-browser"]
    with jupyter_process(argv, folder, token) as (url, log):
        yield DemoServer(url=url, token=token, root=root, log=log)


@pytest.fixture
def demo_server(tmp_path: Path) -> Iterator[DemoServer]:
    """`vxkit demo` exactly as `make demo` runs it, on a free port with a known token."""
    yield from run_demo(tmp_path)


@pytest.fixture(scope="module")
def module_demo_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[DemoServer]:
    """One `vxkit demo` for all the tests of a module (they must not undo each other)."""
    yield from run_demo(tmp_path_factory.mktemp("demo"))


EDITOR = ".jp-NotebookPanel:not(.lm-mod-hidden) .jp-CodeCell .cm-content"
PANEL = "#vxkit-exchange"
#: the Exchange panel's sidebar tab, whatever language its title is in
PANEL_TAB = ".jp-SideBar .lm-TabBar-tab[data-id='vxkit-exchange']"


def open_exchange_panel(page):
    """Show the Exchange panel (a click on its tab, unless it is shown already)."""
    from playwright.sync_api import expect

    panel = page.locator(PANEL)
    if not panel.is_visible():
        page.locator(PANEL_TAB).click()
    expect(panel).to_be_visible(timeout=30_000)
    return panel


def open_notebook(page, url: str):
    """Open a notebook URL in ``page``; returns the first code cell's editor once it shows."""
    from playwright.sync_api import expect

    page.goto(url)
    editor = page.locator(EDITOR).first
    expect(editor).to_be_visible(timeout=60_000)
    return editor


def join_and_open(context, base_url: str, code: str, name: str, notebook: str):
    """A student opens their class's join link, picks their name, then opens ``notebook``."""
    page = context.new_page()
    page.goto(f"{base_url}vxkit/join/{code}")
    page.get_by_role("button", name=name, exact=True).click()
    page.wait_for_url("**/lab/tree/projects/**", timeout=60_000)
    return page, open_notebook(page, f"{base_url}lab/tree/{notebook}")


#: JupyterLab's Run menu and its Run All Cells in English, French and Spanish (the language packs)
RUN_MENU = re.compile(r"^(Run|Exécution|Ejecutar)$")
RUN_ALL = re.compile(r"^(Run All Cells|Exécuter toutes les cellules|Ejecutar todas las celdas)$")


def run_all_cells(page, panel, attempts: int = 3) -> None:
    """Run > Run All Cells, again if the first cell has not started (a menu click lost early)."""
    from playwright.sync_api import expect

    prompt = panel.locator(".jp-CodeCell .jp-InputPrompt").first
    idle = page.locator(".jp-Notebook-ExecutionIndicator[data-status='idle']")
    expect(idle).to_be_attached(timeout=60_000)  # the kernel is up
    for _ in range(attempts):
        # the menu in the pupil's class language (Lyon's JupyterLab speaks French)
        page.get_by_role("menuitem", name=RUN_MENU).click()
        page.get_by_role("menuitem", name=RUN_ALL).click()
        try:
            expect(prompt).to_have_text(re.compile(r"\[(\*|\d+)\]"), timeout=10_000)
            return
        except AssertionError:
            page.keyboard.press("Escape")
    raise AssertionError("Run All Cells never started the notebook")


def read_notebook(path: Path) -> dict:
    """A notebook the server may be rewriting in place: retry on a partial file."""
    for _ in range(50):
        try:
            return json.loads(path.read_text("utf-8"))
        except json.JSONDecodeError:
            time.sleep(0.05)
    raise AssertionError(f"{path} never became valid JSON")
