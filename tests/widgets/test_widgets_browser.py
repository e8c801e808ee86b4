"""Real Chromium, every non-loopback request refused: the map file, then map and widgets in JupyterLab.

Screenshots go to tests/artifacts/. A map counts as blank, and fails the test, when fewer than
200 country shapes are drawn or they show fewer than five colours.
"""

from __future__ import annotations

import json
import re
import time
from pathlib import Path
from urllib.parse import urlparse

import pytest
from playwright.sync_api import Browser, Frame, Locator, Page, Route, expect, sync_playwright

from tests.browser.conftest import DemoServer, demo_server, run_all_cells  # noqa: F401 - fixture reused
from tests.conftest import CHROMIUM_ARGS
from tests.widgets.samples import EVIL
from vxkit.exchange import Exchange
from vxkit.widgets import ExchangeMap

pytestmark = pytest.mark.browser

LOOPBACK = {"127.0.0.1", "localhost", "[::1]", "::1"}

COUNTRY_COLOURS = """() => {
  const paths = [...document.querySelectorAll('path.vx-country')];
  return {count: paths.length, colours: new Set(paths.map(p => p.getAttribute('fill'))).size};
}"""


class Offline:
    """Refuses every request that leaves the machine, and remembers what was tried."""

    def __init__(self) -> None:
        self.refused: list[str] = []

    def __call__(self, route: Route) -> None:
        url = route.request.url
        host = urlparse(url).hostname or ""
        if url.startswith(("file:", "data:", "blob:", "about:")) or host in LOOPBACK:
            route.continue_()
        else:
            self.refused.append(url)
            route.abort()


def assert_map_drawn(target: Page | Frame) -> None:
    target.wait_for_function(
        "document.querySelectorAll('path.vx-country').length > 200", timeout=30_000
    )
    drawn = target.evaluate(COUNTRY_COLOURS)
    assert drawn["count"] > 200 and drawn["colours"] >= 5, f"the map looks blank: {drawn}"


def test_map_file_renders_offline(
    evil_exchange: Exchange, tmp_path: Path, chromium_path: str, artifacts_dir: Path
) -> None:
    path = ExchangeMap(evil_exchange, "life_expectancy", 1990).save(tmp_path / "map.html")
    offline, dialogs, errors = Offline(), [], []
    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=chromium_path, args=CHROMIUM_ARGS)
        try:
            page = browser.new_page(viewport={"width": 1100, "height": 650})
            page.route("**/*", offline)
            page.on("dialog", lambda d: (dialogs.append(d.message), d.dismiss()))
            page.on("pageerror", lambda e: errors.append(str(e)))
            page.goto(path.as_uri())
            assert_map_drawn(page)
            expect(page.locator(".vx-legend")).to_contain_text("Life expectancy at birth")
            assert page.locator("path.vx-school").count() == 3
            assert page.locator("path.vx-line").count() == 3

            before = page.evaluate(
                "() => [...document.querySelectorAll('path.vx-country')].map(p => p.getAttribute('fill')).join()"
            )
            page.locator(".vx-year input").evaluate(
                "el => { el.value = 0; el.dispatchEvent(new Event('input')); }"
            )
            expect(page.locator(".vx-year b")).to_have_text("1964")
            after = page.evaluate(
                "() => [...document.querySelectorAll('path.vx-country')].map(p => p.getAttribute('fill')).join()"
            )
            assert after != before  # the year control recoloured the countries

            page.locator("path.vx-school").first.click(force=True)
            popup = page.locator(".leaflet-popup-content")
            expect(popup).to_contain_text(EVIL)  # shown as text
            assert popup.locator("img").count() == 0
            expect(popup.locator(".vx-time")).to_have_text(re.compile(r"^\w{3},? \d{2}:\d{2}$"))
            page.screenshot(path=str(artifacts_dir / "widgets-map-file.png"))
        finally:
            browser.close()
    assert offline.refused == []  # the map asked for nothing outside the machine
    assert dialogs == [] and errors == []


CELLS = [
    "from vxkit.widgets import (DataContribution, ExchangeMap, IndicatorExplorer,\n"
    "                           PartnerBoard, TimeZonePlanner)\n"
    "from vxkit.workspace import find_workspace\n"
    "exchange = find_workspace().load()",
    'ExchangeMap(exchange, "co2_per_person")',
    "IndicatorExplorer(exchange=exchange)",
    "TimeZonePlanner(exchange)",
    'DataContribution("shared/observations.csv")',
    "PartnerBoard(exchange)",
]


def write_notebook(path: Path, cells: list[str] = CELLS) -> None:
    notebook = {
        "cells": [
            {
                "cell_type": "code",
                "execution_count": None,
                "id": f"c{i}",
                "metadata": {},
                "outputs": [],
                "source": source,
            }
            for i, source in enumerate(cells)
        ],
        "metadata": {
            "kernelspec": {"display_name": "Python 3", "language": "python", "name": "python3"}
        },
        "nbformat": 4,
        "nbformat_minor": 5,
    }
    path.write_text(json.dumps(notebook), encoding="utf-8")


def test_map_and_widgets_in_jupyterlab(
    demo_server: DemoServer,  # noqa: F811 - the fixture imported above
    chromium_path: str,
    artifacts_dir: Path,
) -> None:
    write_notebook(demo_server.root / "widgets_check.ipynb")
    offline = Offline()
    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=chromium_path, args=CHROMIUM_ARGS)
        try:
            page = browser.new_page(viewport={"width": 1280, "height": 900})
            page.route("**/*", offline)
            page.goto(demo_server.lab_url("widgets_check.ipynb"))
            panel = page.locator(".jp-NotebookPanel:not(.lm-mod-hidden)")
            expect(panel.locator(".jp-CodeCell").first).to_be_visible(timeout=60_000)
            run_all_cells(page, panel)

            # the map's HTML runs in a sandboxed frame of its own origin (outputs never run
            # script in the page), folium's own frame inside it
            frame_element = panel.locator(".jp-OutputArea-output iframe.vx-sandboxed-output").first
            expect(frame_element).to_be_attached(timeout=90_000)
            expect(frame_element).to_have_attribute("sandbox", "allow-scripts")
            outer = frame_element.element_handle().content_frame()
            assert outer is not None
            deadline = time.monotonic() + 30
            while not outer.child_frames and time.monotonic() < deadline:
                page.wait_for_timeout(100)
            assert outer.child_frames, "folium's frame never appeared in the sandboxed one"
            assert_map_drawn(outer.child_frames[0])
            height = frame_element.evaluate("f => f.getBoundingClientRect().height")
            assert height > 300, f"the sandboxed frame was not sized to the map: {height}"

            expect(panel.locator(".widget-dropdown").first).to_be_visible(timeout=60_000)
            expect(panel.locator("svg.vx-chart")).to_be_visible()
            expect(panel.locator("svg.vx-timeline")).to_be_visible()
            expect(panel.locator(".vx-card")).to_have_count(3)
            expect(panel.locator("button", has_text="Add observation")).to_be_visible()

            panel.locator(".jp-OutputArea-output").first.scroll_into_view_if_needed()
            page.screenshot(path=str(artifacts_dir / "widgets-lab-map.png"))
            for selector, name in (
                ("svg.vx-chart", "explorer"),
                ("svg.vx-timeline", "planner"),
                (".vx-card", "board"),
            ):
                panel.locator(selector).first.scroll_into_view_if_needed()
                page.screenshot(path=str(artifacts_dir / f"widgets-lab-{name}.png"))

            # a student adds an observation through the real form
            form = panel.locator(".jp-OutputArea-output").filter(has_text="Add observation")
            form.locator("input[type='text']").first.fill("17.5")
            form.locator("button", has_text="Add observation").click()
            expect(form).to_contain_text("17.5 °C", timeout=30_000)
            page.screenshot(path=str(artifacts_dir / "widgets-lab-contribution.png"))
        finally:
            browser.close()
    from vxkit.widgets.contribution import read_rows

    (row,) = read_rows(demo_server.root / "shared" / "observations.csv")
    assert row["value"] == "17.5" and row["kind"] == "temperature"
    # the server stamped who clicked: the token user who started the server is the teacher
    assert row["role"] == "teacher"
    assert [u for u in offline.refused if "vx" in u] == []


def join(browser: Browser, server: DemoServer, code: str, name: str) -> Page:
    """A browser of its own that opens a class join link and picks ``name``."""
    page = browser.new_context(viewport={"width": 1200, "height": 800}).new_page()
    page.route("**/*", Offline())
    page.goto(f"{server.url}vxkit/join/{code}")
    page.get_by_role("button", name=name, exact=True).click()
    page.wait_for_url("**/lab/**", timeout=60_000)
    return page


def open_shared(page: Page, server: DemoServer, path: str) -> Locator:
    page.goto(f"{server.url}lab/tree/{path}")
    panel = page.locator(".jp-NotebookPanel:not(.lm-mod-hidden)")
    expect(panel.locator(".jp-CodeCell").first).to_be_visible(timeout=60_000)
    return panel


def add_observation(page: Page, panel: Locator, value: str) -> None:
    form = panel.locator(".jp-OutputArea-output").filter(has_text="Add observation")
    expect(form.locator("button", has_text="Add observation")).to_be_visible(timeout=60_000)
    form.locator("input[type='text']").first.fill(value)
    form.locator("button", has_text="Add observation").click()
    expect(form).to_contain_text(f"{value} °C", timeout=30_000)


def test_two_students_click_the_same_form(
    demo_server: DemoServer,  # noqa: F811 - the fixture imported above
    chromium_path: str,
    artifacts_dir: Path,
) -> None:
    from vxkit.server.links import ensure_links
    from vxkit.widgets.contribution import read_rows
    from vxkit.workspace import Workspace

    notebook = "projects/team_rivers/contributions_check.ipynb"
    target = demo_server.root / notebook
    target.parent.mkdir(parents=True, exist_ok=True)
    write_notebook(
        target,
        ['from vxkit.widgets import DataContribution\nDataContribution("observations.csv")'],
    )
    links = ensure_links(Workspace(demo_server.root))
    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=chromium_path, args=CHROMIUM_ARGS)
        try:
            amani = join(browser, demo_server, links.code("nairobi_7"), "Amani")
            chloe = join(browser, demo_server, links.code("lyon_4b"), "Chloé")
            panel_a = open_shared(amani, demo_server, notebook)
            run_all_cells(amani, panel_a)
            panel_c = open_shared(chloe, demo_server, notebook)
            add_observation(amani, panel_a, "21")
            add_observation(chloe, panel_c, "19")
            amani.screenshot(path=str(artifacts_dir / "widgets-identity-amani.png"))
            chloe.screenshot(path=str(artifacts_dir / "widgets-identity-chloe.png"))
        finally:
            browser.close()
    rows = read_rows(target.parent / "observations.csv")
    assert [(r["student_name"], r["student_id"], r["class_id"], r["value"]) for r in rows] == [
        ("Amani", "nairobi_7-amani", "nairobi_7", "21"),
        ("Chloé", "lyon_4b-chloe", "lyon_4b", "19"),
    ]
