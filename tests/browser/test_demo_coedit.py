"""`make demo` as a person uses it: the teacher opens the printed link, a student joins through
the printed class link, and the two co-edit a team notebook."""

from __future__ import annotations

import re
import time

import pytest
from playwright.sync_api import expect, sync_playwright

from tests.browser.conftest import join_and_open, open_notebook, read_notebook
from tests.conftest import CHROMIUM_ARGS

pytestmark = pytest.mark.browser

NOTEBOOK = "projects/team_rivers/meet_partners.ipynb"


def printed_join_code(log_text: str, class_id: str, base_url: str) -> str:
    """The join code `vxkit demo` printed for a class, with the server's real address."""
    match = re.search(rf"{class_id}\s+code (\w+)\s+{re.escape(base_url)}vxkit/join/(\w+)", log_text)
    assert match, f"no join link for {class_id} on {base_url} in the banner:\n{log_text}"
    assert match.group(1) == match.group(2)
    return match.group(1)


def wait_for_log(server, text: str, timeout: float = 30) -> str:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        log = server.log.read_text("utf-8")
        if text in log:
            return log
        time.sleep(0.1)
    raise AssertionError(f"{text!r} never appeared in the server output")


def type_at_end(page, editor, text: str) -> None:
    editor.click()
    page.keyboard.press("Control+End")
    page.keyboard.type(text)


def test_teacher_and_student_coedit_the_team_notebook(demo_server, chromium_path, artifacts_dir):
    banner = wait_for_log(demo_server, "Press Ctrl-C to stop.")
    # a token given in JUPYTER_TOKEN is shown as "token=..." (jupyter_server never echoes it)
    assert f"{demo_server.url}lab?token=" in banner
    lyon = printed_join_code(banner, "lyon_4b", demo_server.url)

    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=chromium_path, args=CHROMIUM_ARGS)
        try:
            teacher = browser.new_context().new_page()
            editor_t = open_notebook(teacher, demo_server.lab_url(NOTEBOOK))
            student, editor_s = join_and_open(
                browser.new_context(), demo_server.url, lyon, "Chloé", NOTEBOOK
            )

            type_at_end(teacher, editor_t, "\n# hello from the teacher")
            expect(editor_s).to_contain_text("hello from the teacher", timeout=15_000)
            type_at_end(student, editor_s, "\n# bonjour from Chloé")
            expect(editor_t).to_contain_text("bonjour from Chloé", timeout=15_000)

            teacher.screenshot(path=str(artifacts_dir / "demo-coedit-teacher.png"))
            student.screenshot(path=str(artifacts_dir / "demo-coedit-student.png"))
        finally:
            browser.close()

    # The server saves the shared document about a second after the last edit.
    path = demo_server.root / NOTEBOOK
    deadline = time.monotonic() + 20
    source = ""
    while time.monotonic() < deadline:
        cells = read_notebook(path)["cells"]
        source = "".join("".join(c["source"]) for c in cells if c["cell_type"] == "code")
        if "hello from the teacher" in source and "bonjour from Chloé" in source:
            break
        time.sleep(0.2)
    assert "hello from the teacher" in source and "bonjour from Chloé" in source

    # Collaboration state stays in the workspace's hidden folder, not in the served tree.
    state = demo_server.root / ".vxkit"
    assert (state / "ystore.db").is_file()
    assert (state / "file_id.db").is_file()
    assert not (demo_server.root / ".jupyter_ystore.db").exists()
    assert not (demo_server.root / ".jupyter").exists()
