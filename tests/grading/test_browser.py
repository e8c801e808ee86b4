"""A student joins through the class link in Chromium, then gets and hands in an assignment
from the assignments page: cookie sign-in, XSRF and identity all real (`vxkit lab`)."""

from __future__ import annotations

import re
import sys
from pathlib import Path

import pytest
from playwright.sync_api import expect, sync_playwright

from tests.conftest import CHROMIUM_ARGS
from vxkit.cli import main
from vxkit.server.links import card_url, ensure_links
from vxkit.testing import free_port, jupyter_process

from .conftest import make_workspace

pytestmark = [
    pytest.mark.browser,
    # nbgrader's gradebook: SQLAlchemy warns about its own autoflush use (PITFALLS: expected)
    pytest.mark.filterwarnings("ignore::sqlalchemy.exc.SAWarning"),
]

LAB = [sys.executable, "-m", "vxkit.cli", "lab"]
LOCAL_TIME = re.compile(r"^\d{4}-\d{2}-\d{2} \d{2}:\d{2}$")


def test_student_gets_and_hands_in_from_the_page(
    tmp_path: Path, chromium_path: str, artifacts_dir: Path
) -> None:
    ws = make_workspace(tmp_path / "ws")
    assert main(["assign", "squares", "--due", "2030-03-28 18:00", "--dir", str(ws.root)]) == 0
    links = ensure_links(ws)
    code = links.code("lyon_4b")
    argv = [*LAB, str(ws.root), "--port", str(free_port()), "--no-browser"]
    with jupyter_process(argv, tmp_path, "vxkit-grading-token") as (url, _log):
        with sync_playwright() as pw:
            browser = pw.chromium.launch(executable_path=chromium_path, args=CHROMIUM_ARGS)
            page = browser.new_page()
            # the QR code on Chloé's sign-in card: her class link with her personal code
            page.goto(card_url(url, code, links.card("lyon_4b-chloe")))
            page.goto(f"{url}vxkit/assignments")
            expect(page.get_by_role("heading", name="My assignments")).to_be_visible()
            expect(page.locator(".who")).to_have_text("Chloé · lyon_4b")

            with page.expect_navigation(timeout=20_000):
                page.get_by_role("button", name="Get it").click()
                expect(page.locator("#status")).to_have_text(
                    "Done: open it from the file browser.", timeout=15_000
                )
            fetched = ws.root / "students" / "lyon_4b-chloe" / "squares" / "answers.ipynb"
            assert fetched.is_file()

            with page.expect_navigation(timeout=20_000):
                page.get_by_role("button", name="Hand in").click()
                expect(page.locator("#status")).to_have_text("Handed in.", timeout=15_000)
            # handed in, shown in Lyon's time; not graded until the teacher runs vxkit grade
            expect(page.locator("td", has_text="not graded yet")).to_have_count(1)
            expect(page.locator("td", has_text="not yet")).to_have_count(0)
            # the deadline and the hand-in time, both in Lyon's wall-clock time
            expect(page.locator("td").filter(has_text=LOCAL_TIME)).to_have_count(2)
            page.screenshot(path=str(artifacts_dir / "grading-assignments-page.png"))
            browser.close()
        inbound = ws.nbgrader_exchange / "grading_test" / "inbound"
        assert [p.name.split("+")[:2] for p in inbound.iterdir()] == [["lyon_4b-chloe", "squares"]]
