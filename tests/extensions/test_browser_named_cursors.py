"""In Chromium: two students of two classes join by their class links and see each other's
named cursors in the team notebook."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect, sync_playwright

from tests.browser.conftest import demo_server  # noqa: F401 - the `vxkit demo` server fixture
from tests.conftest import CHROMIUM_ARGS
from vxkit.extensions.links import ensure_links
from vxkit.workspace import Workspace

pytestmark = pytest.mark.browser

NOTEBOOK = "projects/team_rivers/meet_partners.ipynb"


def join_and_open(context, server, code: str, name: str):
    page = context.new_page()
    page.goto(f"{server.url}vxkit/join/{code}")
    page.get_by_role("button", name=name, exact=True).click()
    page.wait_for_url("**/lab/tree/projects/team_rivers**", timeout=60_000)
    page.goto(f"{server.url}lab/tree/{NOTEBOOK}")
    editor = page.locator(".jp-NotebookPanel:not(.lm-mod-hidden) .jp-CodeCell .cm-content").first
    expect(editor).to_be_visible(timeout=60_000)
    return page, editor


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
