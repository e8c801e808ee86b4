"""In Chromium against a real `vxkit demo`: a student who joins by her class link gets a
JupyterLab without the teacher's tools and an Exchange panel with her team and the partner
classes' clocks; the teacher keeps the terminal."""

from __future__ import annotations

import re
import sys

import pytest
from playwright.sync_api import expect, sync_playwright

from tests.browser.conftest import (
    EDITOR,
    PANEL,
    demo_server,  # noqa: F401 - the `vxkit demo` server fixture
    open_exchange_panel,
)
from tests.conftest import CHROMIUM_ARGS
from tests.grading.conftest import make_workspace
from vxkit.cli import main
from vxkit.server.links import card_url, ensure_links
from vxkit.testing import free_port, jupyter_process
from vxkit.workspace import Workspace

pytestmark = pytest.mark.browser

#: the Launcher in front (JupyterLab may keep the start-up one in a tab behind it)
LAUNCHER = ".lm-DockPanel-widget:not(.lm-mod-hidden) .jp-Launcher"
TERMINAL_TILE = f"{LAUNCHER} .jp-LauncherCard[title*='terminal' i]"
#: jupyterlab-chat's "new chat" tile (its caption: "Create a chat and open it")
NEW_CHAT_TILE = f"{LAUNCHER} .jp-LauncherCard[title*='chat' i]"
CREATE_ASSIGNMENT = ".jp-SideBar .lm-TabBar-tab[title='Nbgrader Create Assignment']"
EXTENSION_MANAGER = ".jp-SideBar .lm-TabBar-tab[title='Extension Manager']"


def open_launcher(page) -> None:
    """A Launcher in the main area, from File > New Launcher."""
    page.get_by_role("menuitem", name="File", exact=True).click()
    page.get_by_role("menuitem", name=re.compile(r"^New Launcher")).click()
    expect(page.locator(LAUNCHER)).to_be_visible(timeout=30_000)
    # the notebook tiles are there: the launcher has rendered all it will show
    expect(page.locator(f"{LAUNCHER} .jp-LauncherCard").first).to_be_visible(timeout=30_000)


def test_student_sees_her_team_and_partner_clocks_but_no_terminal(
    demo_server,  # noqa: F811
    chromium_path,
    artifacts_dir,
):
    links = ensure_links(Workspace(demo_server.root))
    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=chromium_path, args=CHROMIUM_ARGS)
        try:
            page = browser.new_context(viewport={"width": 1400, "height": 900}).new_page()
            # Amani's class (Nairobi) works in English: the panel speaks English to her
            page.goto(f"{demo_server.url}vxkit/join/{links.code('nairobi_7')}")
            page.get_by_role("button", name="Amani", exact=True).click()
            page.wait_for_url("**/lab/tree/projects/**", timeout=60_000)
            panel = open_exchange_panel(page)
            expect(panel.locator(".vx-title")).to_have_text(
                "Our World in Data: a vxkit demo exchange"
            )
            expect(panel.locator(".vx-team-name")).to_have_text("Rivers")
            members = panel.locator(".vx-members li")
            expect(members).to_have_count(9)
            expect(members.filter(has_text="Valentina (Valparaíso)")).to_have_count(1)
            classes = panel.locator(".vx-class")
            expect(classes).to_have_count(3)
            for i in range(3):
                expect(classes.nth(i).locator(".vx-clock-time")).to_have_text(
                    re.compile(r"^\d\d:\d\d$")
                )
                expect(classes.nth(i).locator(".vx-state")).to_have_text(
                    re.compile(r"^(in class now|after school|weekend|holiday)$")
                )
            expect(panel.locator(".vx-overlap")).to_have_text(
                re.compile(r"^All classes are (in class together now|next in class together on)")
            )
            expect(panel.locator(".vx-notebooks li").first).to_contain_text(".ipynb")
            # hand-ins need her personal code once on this browser: the panel says where
            expect(panel.locator(".vx-mywork .vx-verify")).to_have_attribute(
                "href", re.compile(r"/vxkit/verify$")
            )
            open_launcher(page)
            expect(page.locator(TERMINAL_TILE)).to_have_count(0)
            # chats are made by teachers (a chat's room is read-only for everyone else)
            expect(page.locator(NEW_CHAT_TILE)).to_have_count(0)
            for teachers_only in (CREATE_ASSIGNMENT, EXTENSION_MANAGER):
                expect(page.locator(teachers_only)).to_have_count(0)
            expect(page.get_by_role("menuitem", name="Nbgrader", exact=True)).to_have_count(0)
            page.screenshot(path=str(artifacts_dir / "exchange-panel-amani.png"))
            # the team notebook opens from the panel: she is online in it
            panel.locator(".vx-notebooks button", has_text="meet_partners.ipynb").click()
            expect(page.locator(EDITOR).first).to_be_visible(timeout=60_000)

            teacher = browser.new_context(viewport={"width": 1400, "height": 900}).new_page()
            teacher.goto(f"{demo_server.url}lab?token={demo_server.token}")
            open_launcher(teacher)
            expect(teacher.locator(TERMINAL_TILE)).to_have_count(1)
            expect(teacher.locator(NEW_CHAT_TILE)).to_have_count(1)
            for teachers_only in (CREATE_ASSIGNMENT, EXTENSION_MANAGER):
                expect(teacher.locator(teachers_only)).to_have_count(1)
            expect(teacher.get_by_role("menuitem", name="Nbgrader", exact=True)).to_have_count(1)
            panel = open_exchange_panel(teacher)
            expect(panel.locator(".vx-class")).to_have_count(3)
            teacher.screenshot(path=str(artifacts_dir / "exchange-panel-teacher.png"))
            # students have no dashboard; the teacher's shows the links and who is online
            expect(page.locator(".vx-open-dashboard")).to_have_count(0)
            panel.locator(".vx-open-dashboard").click()
            dashboard = teacher.locator(".vx-Dashboard")
            expect(dashboard).to_be_visible(timeout=30_000)
            urls = dashboard.locator("input.vx-url")
            expect(urls).to_have_count(4)  # three classes and the visitors
            expect(urls.first).to_have_value(re.compile(rf"/vxkit/join/{links.code('lyon_4b')}$"))
            expect(dashboard.locator("table", has_text="Notebooks")).to_contain_text(
                "Amani (Nairobi)", timeout=30_000
            )
            teacher.screenshot(path=str(artifacts_dir / "classroom-dashboard.png"))
        finally:
            browser.close()


LAB = [sys.executable, "-m", "vxkit.cli", "lab"]
LOCAL = r"\d{4}-\d\d-\d\d \d\d:\d\d"


@pytest.mark.filterwarnings("ignore::sqlalchemy.exc.SAWarning")  # nbgrader's (PITFALLS)
def test_student_fetches_and_hands_in_from_my_work(tmp_path, chromium_path, artifacts_dir):
    ws = make_workspace(tmp_path / "ws")
    assert main(["assign", "squares", "--due", "2030-03-28 18:00", "--dir", str(ws.root)]) == 0
    links = ensure_links(ws)
    argv = [*LAB, str(ws.root), "--port", str(free_port()), "--no-browser"]
    server = jupyter_process(argv, tmp_path, "vxkit-panel-token")
    with server as (url, _log), sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=chromium_path, args=CHROMIUM_ARGS)
        try:
            page = browser.new_context(viewport={"width": 1400, "height": 900}).new_page()
            # her sign-in card's link: her class link with her personal code
            page.goto(card_url(url, links.code("lyon_4b"), links.card("lyon_4b-chloe")))
            page.goto(f"{url}lab")
            panel = open_exchange_panel(page)
            unit = panel.locator(".vx-unit[data-unit='squares']")
            expect(unit.locator(".vx-deadline")).to_have_text("due 2030-03-28 18:00")
            expect(unit.locator(".vx-handed")).to_have_text("not handed in yet")

            unit.locator("button[data-action='fetch']").click()
            status = panel.locator(".vx-mywork .vx-status")
            expect(status).to_contain_text("Fetched into", timeout=30_000)
            fetched = ws.root / "students" / "lyon_4b-chloe" / "squares" / "answers.ipynb"
            assert fetched.is_file()

            unit = panel.locator(".vx-unit[data-unit='squares']")
            unit.locator("button[data-action='submit']").click()
            dialog = page.locator(".jp-Dialog")
            expect(dialog).to_contain_text("Hand in squares?")
            dialog.get_by_role("button", name="Hand in").click()
            expect(status).to_have_text(
                re.compile(rf"^Handed in: received {LOCAL}\.$"), timeout=30_000
            )
            expect(panel.locator(".vx-unit[data-unit='squares'] .vx-handed")).to_have_text(
                re.compile(rf"^handed in {LOCAL}$")
            )
            expect(panel.locator(".vx-late")).to_have_count(0)
            page.screenshot(path=str(artifacts_dir / "exchange-panel-my-work.png"))
        finally:
            browser.close()
    inbound = ws.nbgrader_exchange / "grading_test" / "inbound"
    assert [p.name.split("+")[:2] for p in inbound.iterdir()] == [["lyon_4b-chloe", "squares"]]


def test_the_panel_follows_jupyterlabs_language(demo_server, chromium_path, artifacts_dir):  # noqa: F811
    """With JupyterLab switched to French (its fr_FR language pack), the panel speaks French
    from vxkit's catalogue, weekday names included."""
    links = ensure_links(Workspace(demo_server.root))
    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=chromium_path, args=CHROMIUM_ARGS)
        try:
            teacher = browser.new_context().new_page()
            teacher.goto(f"{demo_server.url}lab?token={demo_server.token}")
            expect(teacher.locator(PANEL)).to_be_attached(timeout=60_000)
            status = teacher.evaluate(
                """async (url) => {
                  const xsrf = document.cookie.split('; ').find(c => c.startsWith('_xsrf='));
                  const r = await fetch(url, {
                    method: 'PUT',
                    headers: {'X-XSRFToken': xsrf.slice(6), 'Content-Type': 'application/json'},
                    body: JSON.stringify({raw: '{"locale": "fr_FR"}'})
                  });
                  return r.status;
                }""",
                f"{demo_server.url}lab/api/settings/@jupyterlab/translation-extension:plugin",
            )
            assert status == 204
            page = browser.new_context(viewport={"width": 1400, "height": 900}).new_page()
            page.goto(f"{demo_server.url}vxkit/join/{links.code('lyon_4b')}")
            page.get_by_role("button", name="Chloé", exact=True).click()
            page.wait_for_url("**/lab/tree/projects/**", timeout=60_000)
            page.locator(".jp-SideBar [title='Échange']").first.click()
            panel = page.locator(PANEL)
            expect(panel).to_be_visible(timeout=30_000)
            expect(panel.locator("h3").first).to_have_text("Mon équipe")
            expect(panel.locator(".vx-state").first).to_have_text(
                re.compile(r"^(en cours|après l'école|week-end|vacances)$")
            )
            expect(panel.locator(".vx-overlap")).to_have_text(
                re.compile(
                    r"^(Toutes les classes sont en cours|Prochain cours commun .* (lun|mar|mer|jeu|ven)\.)"
                )
            )
            page.screenshot(path=str(artifacts_dir / "exchange-panel-chloe-fr.png"))
        finally:
            browser.close()
