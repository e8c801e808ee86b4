"""In Chromium: two students of two classes join by their class links, see each other's
named cursors in the team notebook, and drive one widget together through the shared kernel."""

from __future__ import annotations

import re

import nbformat
import pytest
from playwright.sync_api import expect, sync_playwright

from tests.browser.conftest import (
    demo_server,  # noqa: F401 - the `vxkit demo` server fixture
    run_all_cells,
)
from tests.browser.conftest import join_and_open as browser_join
from tests.conftest import CHROMIUM_ARGS
from vxkit.server.links import ensure_links
from vxkit.workspace import Workspace

pytestmark = pytest.mark.browser

NOTEBOOK = "projects/team_rivers/meet_partners.ipynb"


def join_and_open(context, server, code: str, name: str, notebook: str = NOTEBOOK):
    return browser_join(context, server.url, code, name, notebook)


def test_students_see_each_others_named_cursors(demo_server, chromium_path, artifacts_dir):  # noqa: F811
    links = ensure_links(Workspace(demo_server.root))
    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=chromium_path, args=CHROMIUM_ARGS)
        try:
            page_a, editor_a = join_and_open(
                browser.new_context(), demo_server, links.code("lyon_4b"), "Chloé"
            )
            page_b, editor_b = join_and_open(
                browser.new_context(), demo_server, links.code("nairobi_7"), "Amani"
            )
            editor_a.click()
            page_a.keyboard.type("# Chloé was here ")
            editor_b.click()
            page_b.keyboard.type("# Amani too ")
            expect(editor_a).to_contain_text("Amani too", timeout=15_000)
            # each sees the other's caret in the partner's class colour, named on hover with
            # first name and city
            for page, name, colour in (
                (page_a, "Amani (Nairobi)", "rgb(217, 95, 2)"),
                (page_b, "Chloé (Lyon)", "rgb(27, 158, 119)"),
            ):
                caret = page.locator(".jp-NotebookPanel:not(.lm-mod-hidden) .jp-remote-cursor")
                expect(caret.first).to_be_attached(timeout=15_000)
                expect(caret.first).to_have_css("border-left-color", colour)
                box = caret.first.bounding_box()
                page.mouse.move(box["x"] + 1, box["y"] + box["height"] / 2)
                flag = page.locator(".jp-remote-userFlag-name", has_text=name)
                expect(flag.first).to_be_visible(timeout=10_000)
            page_a.screenshot(path=str(artifacts_dir / "classroom-cursors-chloe.png"))
            page_b.screenshot(path=str(artifacts_dir / "classroom-cursors-amani.png"))
        finally:
            browser.close()


SLIDER_NOTEBOOK = "projects/team_rivers/slider.ipynb"


def slider_value(n: int) -> re.Pattern:
    """The slider's aria-valuenow for ``n`` (noUiSlider writes "3" or "3.0")."""
    return re.compile(rf"^{n}(\.0+)?$")


def test_slider_moved_by_one_student_moves_on_the_partners_page(
    demo_server,  # noqa: F811
    chromium_path,
    artifacts_dir,
):
    nb = nbformat.v4.new_notebook()
    nb.cells = [
        nbformat.v4.new_code_cell(
            "import ipywidgets as widgets\nslider = widgets.IntSlider(value=3, max=10)\nslider"
        )
    ]
    nb.metadata["kernelspec"] = {
        "name": "python3",
        "display_name": "Python 3",
        "language": "python",
    }
    (demo_server.root / SLIDER_NOTEBOOK).write_text(nbformat.writes(nb), encoding="utf-8")
    links = ensure_links(Workspace(demo_server.root))
    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=chromium_path, args=CHROMIUM_ARGS)
        try:
            page_a, _ = join_and_open(
                browser.new_context(), demo_server, links.code("lyon_4b"), "Hugo", SLIDER_NOTEBOOK
            )
            run_all_cells(page_a, page_a.locator(".jp-NotebookPanel:not(.lm-mod-hidden)"))
            # the partner opens the notebook once the kernel holds the widget (a page opened
            # before the widget exists shows its text form: stock ipywidgets behaviour)
            expect(page_a.locator(".jp-OutputArea .noUi-handle").first).to_be_attached(
                timeout=60_000
            )
            handle_a = page_a.locator(".jp-OutputArea .noUi-handle").first
            page_b, _ = join_and_open(
                browser.new_context(),
                demo_server,
                links.code("nairobi_7"),
                "Baraka",
                SLIDER_NOTEBOOK,
            )
            handle_b = page_b.locator(".jp-OutputArea .noUi-handle").first
            expect(handle_a).to_have_attribute("aria-valuenow", slider_value(3), timeout=60_000)
            # the partner's page shows the live widget of the shared kernel
            expect(handle_b).to_have_attribute("aria-valuenow", slider_value(3), timeout=60_000)
            handle_a.focus()
            page_a.keyboard.press("ArrowRight")
            page_a.keyboard.press("ArrowRight")
            expect(handle_a).to_have_attribute("aria-valuenow", slider_value(5), timeout=10_000)
            expect(handle_b).to_have_attribute("aria-valuenow", slider_value(5), timeout=15_000)
            page_b.screenshot(path=str(artifacts_dir / "classroom-slider-baraka.png"))
        finally:
            browser.close()
