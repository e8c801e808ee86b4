"""In Chromium against one real `vxkit demo`: students see who of their own team is online and
which notebook the team shares; the teacher's dashboard shows them online, their edits in the
contributions chart, the units' counts, runs a job with its progress, and replaces a card;
last, a partner teacher sets up her class in the setup form (exchange.toml keeps its comments)."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect, sync_playwright

from tests.browser.conftest import (
    EDITOR,
    PANEL,
    PANEL_TAB,
    module_demo_server,  # noqa: F401 - one `vxkit demo` for the module
    open_exchange_panel,
)
from tests.conftest import CHROMIUM_ARGS
from vxkit.exchange import load_exchange
from vxkit.server.links import TEACHER_KEY, ensure_links, links_for
from vxkit.workspace import Workspace

pytestmark = pytest.mark.browser

VIEW = {"width": 1400, "height": 900}


def join(browser, base: str, code: str, name: str):
    page = browser.new_context(viewport=VIEW).new_page()
    page.goto(f"{base}vxkit/join/{code}")
    page.get_by_role("button", name=name, exact=True).click()
    page.wait_for_url("**/lab/tree/projects/**", timeout=60_000)
    expect(page.locator(PANEL)).to_be_attached(timeout=60_000)
    return page


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
            # Nairobi's class works in English (Lyon's in French, Valparaíso's in Spanish)
            nairobi, valpo = links.code("nairobi_7"), links.code("valparaiso_1m")
            join(browser, server.url, valpo, "Valentina")  # Rivers, like Amani
            zawadi = join(browser, server.url, nairobi, "Zawadi")  # Forests
            amani = join(browser, server.url, nairobi, "Amani")
            panel = open_exchange_panel(amani)
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
            shared = amani.locator(
                ".jp-DirListing-item[data-file-type='vxkit-team-notebook']",
                has_text="meet_partners.ipynb",
            )
            expect(shared).to_have_count(1, timeout=30_000)
            # Zawadi, in another team, sees her own team online, not Amani
            zawadi_panel = open_exchange_panel(zawadi)
            expect(zawadi_panel.locator(".vx-members li[data-member='Amani']")).to_have_count(0)
            expect(zawadi_panel.locator(".vx-online-count")).to_have_text(
                "1 online", timeout=40_000
            )
            amani.screenshot(path=str(artifacts_dir / "panel-team-online.png"))

            # she opens the shared notebook (a notebook, whatever its file type) and edits it
            open_exchange_panel(amani)
            team_notebook.locator("button.vx-link").click()
            editor = amani.locator(EDITOR).first
            expect(editor).to_be_visible(timeout=60_000)
            editor.click()
            amani.keyboard.type("# Habari kutoka Nairobi ")
            tab = amani.locator(PANEL_TAB)
            tab.click()  # hide the panel, then show it: it asks who is online again
            tab.click()
            expect(team_notebook.locator(".vx-here")).to_have_text("open now: Amani")

            teacher = browser.new_context(viewport=VIEW).new_page()
            teacher.goto(f"{server.url}lab?token={server.token}")
            open_exchange_panel(teacher).locator(".vx-open-dashboard").click()
            dashboard = teacher.locator(".vx-Dashboard")
            expect(dashboard).to_be_visible(timeout=30_000)
            expect(dashboard.locator("table", has_text="Notebooks")).to_contain_text(
                "Amani (Nairobi)", timeout=30_000
            )
            expect(dashboard.locator(".vx-qr-box img.vx-qr")).to_have_count(4)  # classes, visitors
            # her edits are in the chart (the dashboard reads them again every 30 s)
            dashboard.get_by_role("button", name="Refresh").click()
            expect(dashboard.locator("svg.vx-chart rect[data-student='Amani']")).to_have_count(
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
            counts = unit.locator("tr[data-key='lyon_4b'] td")
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


def test_each_class_sees_jupyterlab_and_the_panel_in_its_own_language(
    module_demo_server,  # noqa: F811
    chromium_path,
    artifacts_dir,
):
    """Nobody switched JupyterLab's language: Valentina (Valparaíso, "es") gets Spanish,
    Chloé (Lyon, "fr") French, from their classes in exchange.toml."""
    server = module_demo_server
    links = ensure_links(Workspace(server.root))
    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=chromium_path, args=CHROMIUM_ARGS)
        try:
            for code, name, tab, team, menu in (
                (links.code("valparaiso_1m"), "Valentina", "Intercambio", "Mi equipo", "Archivo"),
                (links.code("lyon_4b"), "Chloé", "Échange", "Mon équipe", "Fichier"),
            ):
                page = join(browser, server.url, code, name)
                expect(page.get_by_role("menuitem", name=menu, exact=True)).to_be_visible()
                panel = page.locator(PANEL)
                if not panel.is_visible():
                    page.locator(f".jp-SideBar .lm-TabBar-tab[title='{tab}']").click()
                expect(panel.locator("h3").first).to_have_text(team, timeout=30_000)
                expect(panel).to_have_attribute("dir", "ltr")
                page.screenshot(path=str(artifacts_dir / f"panel-{name.lower()}-own-language.png"))
        finally:
            browser.close()


#: a crafty pupil's cell: marked trusted, with outputs that would run script in the reader's page
PWN_OUTPUTS = [
    {
        "output_type": "display_data",
        "metadata": {},
        "data": {
            "application/javascript": "window.parent.__vx_pwned = 'js'; window.__vx_pwned = 'js';",
            "text/plain": "<IPython.core.display.Javascript object>",
        },
    },
    {
        "output_type": "display_data",
        "metadata": {},
        "data": {
            "text/html": "<b class='vx-pwn-html'>map</b><img src='x' onerror=\"window.__vx_pwned='img'\">"
            "<script>window.__vx_pwned = 'script'</script>",
            "text/plain": "<IPython.core.display.HTML object>",
        },
    },
    {
        "output_type": "display_data",
        "metadata": {},
        "data": {
            "text/markdown": "<img src='y' onerror=\"window.__vx_pwned='markdown'\"> *note*",
            "text/plain": "<IPython.core.display.Markdown object>",
        },
    },
    {
        "output_type": "display_data",
        "metadata": {},
        "data": {
            "image/svg+xml": "<svg xmlns='http://www.w3.org/2000/svg' onload=\"window.__vx_pwned='svg'\">"
            "<circle r='5'/></svg>",
            "text/plain": "<IPython.core.display.SVG object>",
        },
    },
    {
        "output_type": "display_data",
        "metadata": {},
        "data": {
            "text/html": "<table class='vx-plain-table'><tr><td>14</td></tr></table>",
            "text/plain": "14",
        },
    },
]


def pupil_writes_script_outputs(server, code: str, notebook: str) -> None:
    """Chloé, from a script of her own (no kernel, no browser), adds to the team notebook's
    room a cell that claims trust and carries script outputs."""
    import asyncio
    from urllib.parse import urlsplit

    from tests.server.conftest import Person

    async def attack() -> None:
        url = urlsplit(server.url)
        chloe = Person(url.port, url.path)
        await chloe.join(code, name="Chloé")
        client, _ = await chloe.room(notebook)
        async with client.provider:
            await asyncio.wait_for(client.provider.synced.wait(), 30)
            client.notebook.append_cell(
                {
                    "cell_type": "code",
                    "source": "print('hello partners')",
                    "metadata": {"trusted": True},
                    "outputs": PWN_OUTPUTS,
                    "execution_count": 1,
                }
            )
            await asyncio.sleep(3)  # the update reaches the room and the teacher's browser

    asyncio.run(attack())


def test_a_pupils_script_outputs_never_run_in_the_teachers_page(
    module_demo_server,  # noqa: F811
    chromium_path,
    artifacts_dir,
):
    """The trust JupyterLab shares through the room (a cell's ``metadata.trusted``) would
    run a pupil's JavaScript, HTML and Markdown outputs in the page of whoever has the
    notebook open, with their cookie: her teacher's. They show, harmlessly: scripts in a
    sandboxed frame of their own origin, the rest sanitized."""
    import threading

    server = module_demo_server
    links = ensure_links(Workspace(server.root))
    notebook = "projects/team_rivers/meet_partners.ipynb"
    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=chromium_path, args=CHROMIUM_ARGS)
        try:
            teacher = browser.new_context(viewport=VIEW).new_page()
            teacher.goto(f"{server.url}lab/tree/{notebook}?token={server.token}")
            expect(teacher.locator(EDITOR).first).to_be_visible(timeout=60_000)
            attack = threading.Thread(
                target=pupil_writes_script_outputs,
                args=(server, links.code("lyon_4b"), notebook),
            )
            attack.start()
            attack.join(90)
            panel = teacher.locator(".jp-NotebookPanel:not(.lm-mod-hidden)")
            # her cell and its outputs reached the teacher's page
            expect(panel.locator("table.vx-plain-table")).to_have_count(1, timeout=30_000)
            teacher.wait_for_timeout(2000)  # time for any script to have run
            assert teacher.evaluate("window.__vx_pwned === undefined"), teacher.evaluate(
                "window.__vx_pwned"
            )
            # and they show: scripts in sandboxed frames of their own, the SVG as an image
            frames = panel.locator("iframe.vx-sandboxed-output")
            expect(frames).to_have_count(2, timeout=10_000)  # the JavaScript, the active HTML
            for i in range(2):
                expect(frames.nth(i)).to_have_attribute("sandbox", "allow-scripts")
            svg = panel.locator(".jp-OutputArea-output img[src^='data:image/svg+xml']")
            expect(svg).to_have_count(1)
            teacher.screenshot(path=str(artifacts_dir / "pupil-outputs-sandboxed.png"))
        finally:
            browser.close()


def test_a_partner_teacher_sets_up_her_class_in_the_form(
    module_demo_server,  # noqa: F811
    chromium_path,
    artifacts_dir,
):
    # last in the module: it changes exchange.toml (Lucas into Rivers)
    server = module_demo_server
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
