"""`make demo` as a person uses it: two browser windows co-edit a team notebook."""

from __future__ import annotations

import time

import pytest
from playwright.sync_api import expect, sync_playwright

from tests.browser.conftest import read_notebook
from tests.conftest import CHROMIUM_ARGS

pytestmark = pytest.mark.browser

NOTEBOOK = "projects/team_rivers/meet_partners.ipynb"


def open_notebook(context, server):
    page = context.new_page()
    page.goto(server.lab_url(NOTEBOOK))
    editor = page.locator(".jp-NotebookPanel:not(.lm-mod-hidden) .jp-CodeCell .cm-content").first
    expect(editor).to_be_visible(timeout=60_000)
    return page, editor


def test_two_windows_coedit_the_team_notebook(demo_server, chromium_path, artifacts_dir):
    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=chromium_path, args=CHROMIUM_ARGS)
        try:
            first, second = browser.new_context(), browser.new_context()
            page_a, editor_a = open_notebook(first, demo_server)
            page_b, editor_b = open_notebook(second, demo_server)

            editor_a.click()
            page_a.keyboard.press("Control+End")
            page_a.keyboard.type("\n# hello from Lyon")
            expect(editor_b).to_contain_text("hello from Lyon", timeout=15_000)

            editor_b.click()
            page_b.keyboard.press("Control+End")
            page_b.keyboard.type("\n# jambo from Nairobi")
            expect(editor_a).to_contain_text("jambo from Nairobi", timeout=15_000)

            page_a.screenshot(path=str(artifacts_dir / "demo-coedit-a.png"))
            page_b.screenshot(path=str(artifacts_dir / "demo-coedit-b.png"))
        finally:
            browser.close()

    # The server saves the shared document about a second after the last edit.
    path = demo_server.root / NOTEBOOK
    deadline = time.monotonic() + 20
    source = ""
    while time.monotonic() < deadline:
        cells = read_notebook(path)["cells"]
        source = "".join("".join(c["source"]) for c in cells if c["cell_type"] == "code")
        if "hello from Lyon" in source and "jambo from Nairobi" in source:
            break
        time.sleep(0.2)
    assert "hello from Lyon" in source and "jambo from Nairobi" in source

    # Collaboration state stays in the workspace's hidden folder, not in the served tree.
    state = demo_server.root / ".vxkit"
    assert (state / "ystore.db").is_file()
    assert (state / "file_id.db").is_file()
    assert not (demo_server.root / ".jupyter_ystore.db").exists()
    assert not (demo_server.root / ".jupyter").exists()
