"""In Chromium against a real `vxkit demo`: a partner teacher opens the setup form from the
dashboard, sees the check's message next to the field as she types, places a pupil in another
team with the keyboard and saves; exchange.toml keeps its comments. The other classes are
shown, not hers to change."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect, sync_playwright

from tests.browser.conftest import open_exchange_panel
from tests.conftest import CHROMIUM_ARGS
from vxkit.exchange import load_exchange
from vxkit.server.links import TEACHER_KEY, ensure_links
from vxkit.workspace import Workspace

pytestmark = pytest.mark.browser


def test_a_partner_teacher_sets_up_her_class_in_the_form(demo_server, chromium_path, artifacts_dir):
    server = demo_server
    ws = Workspace(server.root)
    links = ensure_links(ws)
    before = ws.exchange_file.read_text("utf-8")
    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=chromium_path, args=CHROMIUM_ARGS)
        try:
            page = browser.new_context(viewport={"width": 1400, "height": 1000}).new_page()
            page.goto(f"{server.url}vxkit/join/{links.code(TEACHER_KEY)}")
            page.get_by_role("button", name="Mme Laurent (Lyon)").click()
            page.wait_for_url("**/lab**", timeout=60_000)
            open_exchange_panel(page).locator(".vx-open-dashboard").click()
            page.locator(".vx-Dashboard").get_by_role("button", name="Setup").click()
            form = page.locator(".vx-Setup")
            lyon = form.locator("fieldset.vx-setup-class[data-class-id='lyon_4b']")
            expect(lyon).to_be_visible(timeout=30_000)
            nairobi = form.locator("fieldset.vx-setup-class[data-class-id='nairobi_7']")
            expect(nairobi.locator("input[data-field='class:nairobi_7:city']")).to_be_disabled()

            # a typo in her time zone: the check's message shows next to the field
            zone = lyon.get_by_label("Time zone (like Europe/Paris)")
            zone.fill("Europe/Pariss")
            problem = lyon.locator(".vx-field-problems[data-problem-key='class:lyon_4b:timezone']")
            expect(problem).to_contain_text(
                'is not a known time zone (did you mean "Europe/Paris"?)', timeout=10_000
            )
            expect(zone).to_have_attribute("aria-invalid", "true")
            zone.fill("Europe/Paris")
            expect(problem).to_be_empty(timeout=10_000)
            # school hours, then Lucas into Rivers, with the keyboard only
            hours = lyon.get_by_label("School hours (like 08:00-15:30)")
            hours.focus()
            page.keyboard.press("Control+A")
            page.keyboard.type("08:30-16:30")
            lucas = form.locator(".vx-setup-places").get_by_label("Lucas", exact=True)
            lucas.focus()
            lucas.select_option("team_rivers")
            expect(form.locator(".vx-setup-places").get_by_label("Amani")).to_be_disabled()
            form.get_by_role("button", name="Save").click()
            expect(form.get_by_role("status")).to_have_text(
                "Saved: exchange.toml is up to date.", timeout=15_000
            )
            page.screenshot(path=str(artifacts_dir / "setup-form.png"), full_page=True)
        finally:
            browser.close()
    after = ws.exchange_file.read_text("utf-8")
    assert after.startswith("# The vxkit demo exchange: three partner classes")
    assert after == before.replace('hours = "08:00-17:00"', 'hours = "08:30-16:30"').replace(
        'lyon_4b = ["Chloé", "Hugo", "Inès"]', 'lyon_4b = ["Chloé", "Hugo", "Inès", "Lucas"]'
    ).replace('lyon_4b = ["Lucas", "Manon", "Yanis"]', 'lyon_4b = ["Manon", "Yanis"]')
    assert load_exchange(ws.exchange_file).team_of("lyon_4b", "Lucas").id == "team_rivers"
