"""In Chromium against one real `vxkit demo`: students see who of their own team is online and
which notebook the team shares; the teacher's dashboard shows them online, their edits in the
contributions chart, the units' counts, runs a job with its progress, and replaces a card."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect, sync_playwright

from tests.browser.conftest import (
    EDITOR,
    module_demo_server,  # noqa: F401 - one `vxkit demo` for the module
)
from tests.conftest import CHROMIUM_ARGS
from vxkit.server.links import ensure_links, links_for
from vxkit.workspace import Workspace

pytestmark = pytest.mark.browser

PANEL = "#vxkit-exchange"
VIEW = {"width": 1400, "height": 900}


def join(browser, base: str, code: str, name: str):
    page = browser.new_context(viewport=VIEW).new_page()
    page.goto(f"{base}vxkit/join/{code}")
    page.get_by_role("button", name=name, exact=True).click()
    page.wait_for_url("**/lab/tree/projects/**", timeout=60_000)
    expect(page.locator(PANEL)).to_be_attached(timeout=60_000)
    return page


def exchange_panel(page):
    panel = page.locator(PANEL)
    if not panel.is_visible():
        page.locator(".jp-SideBar [title='Exchange']").first.click()
    expect(panel).to_be_visible(timeout=30_000)
    return panel


def test_team_online_shared_notebook_and_the_teachers_dashboard(
    module_demo_server,  # noqa: F811
    chromium_path,
    artifacts_dir,
):
    server = module_demo_server
    ws = Workspace(server.root)
    links = ensure_links(ws)
    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=chromium_path, args=CHROMIUM_ARGS)
        try:
            lyon, valpo = links.code("lyon_4b"), links.code("valparaiso_1m")
            join(browser, server.url, valpo, "Valentina")  # Rivers, like Chloé
            lucas = join(browser, server.url, lyon, "Lucas")  # Forests
            chloe = join(browser, server.url, lyon, "Chloé")
            panel = exchange_panel(chloe)
            valentina = panel.locator(".vx-members li[data-member='Valentina']")
            expect(valentina).to_have_class(re.compile(r"\bvx-online\b"), timeout=40_000)
            expect(valentina.locator(".vx-online-badge")).to_have_text("online")
            expect(panel.locator(".vx-members li[data-member='Hugo']")).not_to_have_class(
                re.compile(r"\bvx-online\b")
            )
            expect(panel.locator(".vx-online-count")).to_have_text("2 online")
            team_notebook = panel.locator(".vx-notebooks li[data-path$='/meet_partners.ipynb']")
            expect(team_notebook.locator(".vx-shared-badge")).to_have_text("shared with the team")
            # the file browser marks the shared notebook too (its own file type and icon)
            shared = chloe.locator(
                ".jp-DirListing-item[data-file-type='vxkit-team-notebook']",
                has_text="meet_partners.ipynb",
            )
            expect(shared).to_have_count(1, timeout=30_000)
            # Lucas, in another team, sees his own team online, not Chloé
            lucas_panel = exchange_panel(lucas)
            expect(lucas_panel.locator(".vx-members li[data-member='Chloé']")).to_have_count(0)
            expect(lucas_panel.locator(".vx-online-count")).to_have_text("1 online", timeout=40_000)
            chloe.screenshot(path=str(artifacts_dir / "panel-team-online.png"))

            # she opens the shared notebook (a notebook, whatever its file type) and edits it
            exchange_panel(chloe)
            team_notebook.locator("button.vx-link").click()
            editor = chloe.locator(EDITOR).first
            expect(editor).to_be_visible(timeout=60_000)
            editor.click()
            chloe.keyboard.type("# Bonjour de Lyon ")
            tab = chloe.locator(".jp-SideBar [title='Exchange']").first
            tab.click()  # hide the panel, then show it: it asks who is online again
            tab.click()
            expect(team_notebook.locator(".vx-here")).to_have_text("open now: Chloé")

            teacher = browser.new_context(viewport=VIEW).new_page()
            teacher.goto(f"{server.url}lab?token={server.token}")
            exchange_panel(teacher).locator(".vx-open-dashboard").click()
            dashboard = teacher.locator(".vx-Dashboard")
            expect(dashboard).to_be_visible(timeout=30_000)
            expect(dashboard.locator("table", has_text="Notebooks")).to_contain_text(
                "Chloé (Lyon)", timeout=30_000
            )
            expect(dashboard.locator(".vx-qr-box img.vx-qr")).to_have_count(4)  # classes, visitors
            # her edits are in the chart (the dashboard reads them again every 30 s)
            dashboard.get_by_role("button", name="Refresh").click()
            expect(dashboard.locator("svg.vx-chart rect[data-student='Chloé']")).to_have_count(
                1, timeout=40_000
            )
            unit = dashboard.locator(".vx-unit-block[data-unit='meet_partners']")
            expect(unit.locator("h4")).to_have_text("meet_partners (not assigned yet)")
            expect(unit.get_by_role("button", name="Grade: meet_partners")).to_be_disabled()
            unit.locator("input.vx-due").fill("2030-03-28 18:00")
            unit.get_by_role("button", name="Assign: meet_partners").click()
            job = dashboard.locator(".vx-job")
            expect(job.locator(".vx-job-title")).to_have_text("Assigning meet_partners")
            expect(job).to_have_attribute("data-state", "done", timeout=120_000)
            expect(job.locator(".vx-job-lines")).to_contain_text("Assigned meet_partners")
            unit = dashboard.locator(".vx-unit-block[data-unit='meet_partners']")
            counts = unit.locator("tr[data-class-id='lyon_4b'] td")
            expect(counts.nth(1)).to_have_text("6")  # students
            expect(counts.nth(3)).to_have_text("0")  # handed in
            teacher.screenshot(path=str(artifacts_dir / "dashboard-units-job.png"), full_page=True)

            # a lost card: replaced after a confirmation; the old code stops working
            old = links.card("lyon_4b-chloe")
            block = dashboard.locator("details.vx-card-class[data-class-id='lyon_4b']")
            block.locator("summary").click()
            card = block.locator(".vx-card[data-student='lyon_4b-chloe']")
            expect(card.locator("img.vx-qr")).to_be_visible()
            card.get_by_role("button", name="Replace the card of Chloé").click()
            dialog = teacher.locator(".jp-Dialog")
            expect(dialog).to_contain_text("Replace the card of Chloé?")
            dialog.get_by_role("button", name="Replace").click()
            expect(
                block.locator(".vx-card[data-student='lyon_4b-chloe'] .vx-card-code")
            ).not_to_have_text(f"{old[:4]}-{old[4:]}", timeout=30_000)
            assert links_for(ws).card("lyon_4b-chloe") != old
            teacher.screenshot(path=str(artifacts_dir / "dashboard-cards.png"), full_page=True)
        finally:
            browser.close()
