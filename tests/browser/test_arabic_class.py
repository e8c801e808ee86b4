"""In Chromium: a student of a class whose language is Arabic gets the join page, JupyterLab
(as far as its Arabic language pack goes) and the Exchange panel in Arabic, the page and the
panel laid out right to left, with nothing in the panel drawn over anything else."""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from pathlib import Path
from urllib.request import Request, urlopen

import pytest
from playwright.sync_api import expect, sync_playwright

from tests.browser.conftest import PANEL, DemoServer, open_exchange_panel, run_demo
from tests.conftest import CHROMIUM_ARGS
from vxkit.cli import main
from vxkit.server.links import card_url, ensure_links
from vxkit.workspace import Workspace, scaffold, template_text

pytestmark = pytest.mark.browser

#: JupyterLab's Help menu as its Arabic language pack names it (the pack translates 155 of
#: JupyterLab's strings: File, Run and most menus stay English)
HELP_AR = "مساعده"

#: the panel's pieces that sit side by side on a line: none may cover another
PIECES = (
    ".vx-dot, bdi, .vx-clock-time, .vx-state, .vx-online-badge, .vx-shared-badge, "
    ".vx-unit-name, .vx-unit-facts span, button, a, input, img, th"
)


@pytest.fixture(scope="module")
def arabic_demo(
    tmp_path_factory: pytest.TempPathFactory,
) -> Iterator[tuple[DemoServer, str, str]]:
    """`vxkit demo` whose Valparaíso class speaks Arabic, with a unit handed out (one server
    for the module); yields the server, the class's join code and Valentina's card code."""
    folder = tmp_path_factory.mktemp("arabic")
    text = template_text("demo_exchange.toml")
    assert 'languages = ["es"]' in text
    scaffold(folder / "demo", text.replace('languages = ["es"]', 'languages = ["ar"]'))
    root = str(folder / "demo")
    assert main(["assign", "meet_partners", "--due", "2030-03-28 18:00", "--dir", root]) == 0
    links = ensure_links(Workspace(Path(root)))
    card = links.card("valparaiso_1m-valentina")
    for server in run_demo(folder):
        yield server, links.code("valparaiso_1m"), card


def overlaps(page, container: str) -> list[str]:
    """The pairs of ``PIECES`` in ``container`` that are drawn over each other (neither inside
    the other), as "a | b" texts with their boxes. A text that wraps has a box per line:
    those are compared."""
    return page.evaluate(
        """([container, pieces]) => {
          const root = document.querySelector(container);
          const boxes = n => Array.from(n.getClientRects()).filter(
            r => r.width > 0 && r.height > 0
          );
          // what is drawn: not what a closed <details> keeps laid out but hidden
          const nodes = Array.from(root.querySelectorAll(pieces)).filter(
            n => boxes(n).length && n.checkVisibility({visibilityProperty: true})
          );
          const cover = (p, q) =>
            Math.min(p.right, q.right) - Math.max(p.left, q.left) > 1 &&
            Math.min(p.bottom, q.bottom) - Math.max(p.top, q.top) > 1;
          const found = [];
          for (let i = 0; i < nodes.length; i++) {
            for (let j = i + 1; j < nodes.length; j++) {
              const [a, b] = [nodes[i], nodes[j]];
              if (a.contains(b) || b.contains(a)) continue;
              if (boxes(a).some(p => boxes(b).some(q => cover(p, q)))) {
                const at = n => { const r = n.getBoundingClientRect();
                  return `${Math.round(r.left)},${Math.round(r.top)} ${Math.round(r.width)}x${Math.round(r.height)}`; };
                found.push(`${a.className || a.tagName} "${a.textContent}" ${at(a)} | ` +
                           `${b.className || b.tagName} "${b.textContent}" ${at(b)}`);
              }
            }
          }
          return found;
        }""",
        [container, PIECES],
    )


def choose_language(server: DemoServer, locale: str) -> int:
    """Settings > Language, as the teacher (her token): JupyterLab's answer status."""
    request = Request(
        f"{server.url}lab/api/settings/@jupyterlab/translation-extension:plugin",
        data=json.dumps({"raw": json.dumps({"locale": locale})}).encode(),
        method="PUT",
        headers={"Authorization": f"token {server.token}", "Content-Type": "application/json"},
    )
    with urlopen(request, timeout=30) as answer:
        return answer.status


def test_an_arabic_class_reads_right_to_left(arabic_demo, chromium_path, artifacts_dir):
    server, code, card = arabic_demo
    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=chromium_path, args=CHROMIUM_ARGS)
        try:
            page = browser.new_context(viewport={"width": 1400, "height": 900}).new_page()
            page.goto(f"{server.url}vxkit/join/{code}")
            html = page.locator("html")
            expect(html).to_have_attribute("dir", "rtl")
            expect(html).to_have_attribute("lang", "ar-SA")
            expect(page.get_by_text("من أنت؟ اختر اسمك:")).to_be_visible()
            # laid out right to left: the first name's button is at the right of the last
            names = page.locator("button", has_text=re.compile(r"^(Valentina|Tomás)$"))
            first, last = (names.nth(i).bounding_box() for i in (0, names.count() - 1))
            assert first["x"] > last["x"] or first["y"] < last["y"]
            page.screenshot(path=str(artifacts_dir / "join-page-arabic.png"))

            # she signs in with her card's link (her personal code: she may hand in)
            page.goto(card_url(server.url, code, card))
            page.goto(f"{server.url}lab")
            # JupyterLab itself speaks Arabic (its pack translates its Help menu, not all)
            expect(page.get_by_role("menuitem", name=HELP_AR, exact=True)).to_be_visible(
                timeout=60_000
            )
            panel = open_exchange_panel(page)
            expect(panel).to_have_attribute("dir", "rtl")
            expect(panel.locator("h3").first).to_have_text("فريقي")
            expect(panel.locator(".vx-state").first).to_have_text(
                re.compile(r"^(في الحصة الآن|بعد الدوام المدرسي|عطلة نهاية الأسبوع|عطلة)$")
            )
            expect(panel.locator(".vx-overlap")).to_have_text(
                re.compile(r"^(جميع الصفوف في الحصة معًا الآن|الحصة المشتركة القادمة|لا يوجد وقت)")
            )
            unit = panel.locator(".vx-unit[data-unit='meet_partners']")
            expect(unit.locator(".vx-deadline")).to_have_text("آخر موعد: 2030-03-28 18:00")
            expect(unit.locator("button[data-action='submit']")).to_have_text("تسليم")
            # a Latin name is a text of its own (its punctuation stays at its end)
            member = panel.locator(".vx-members li", has_text="Valentina (Valparaíso)")
            expect(member.locator("bdi")).to_have_text("Valentina (Valparaíso)")

            # right to left: each line starts at the right; the dot before the name is
            # to its right, the clock's time to the right of the class's state
            box = panel.bounding_box()
            dot = member.locator(".vx-dot").bounding_box()
            name = member.locator("bdi").bounding_box()
            assert dot["x"] > name["x"] + name["width"] - 1
            assert dot["x"] + dot["width"] > box["x"] + box["width"] - 40
            clock = panel.locator(".vx-class").first
            time = clock.locator(".vx-clock-time").bounding_box()
            state = clock.locator(".vx-state").bounding_box()
            assert time["x"] > state["x"] + state["width"] - 1
            buttons = unit.locator("button.vx-action")
            assert buttons.count() == 3
            xs = [buttons.nth(i).bounding_box()["x"] for i in range(3)]
            assert xs == sorted(xs, reverse=True)  # Fetch, Hand in, Get feedback: right first
            # and the first starts where the line does, under the unit's name (no margin on
            # the wrong side)
            fetch = buttons.first.bounding_box()
            title = unit.locator(".vx-unit-name").bounding_box()
            assert abs(fetch["x"] + fetch["width"] - (title["x"] + title["width"])) < 1.5
            page.locator(PANEL).screenshot(path=str(artifacts_dir / "exchange-panel-arabic.png"))
            page.screenshot(path=str(artifacts_dir / "jupyterlab-arabic-class.png"))
            assert overlaps(page, PANEL) == []

            # a teacher who chose Arabic in Settings > Language: her dashboard right to left
            assert choose_language(server, "ar_SA") == 204
            teacher = browser.new_context(viewport={"width": 1400, "height": 900}).new_page()
            teacher.goto(f"{server.url}lab?token={server.token}")
            panel = open_exchange_panel(teacher)
            expect(panel).to_have_attribute("dir", "rtl")
            panel.locator(".vx-open-dashboard").click()
            dashboard = teacher.locator(".vx-Dashboard")
            expect(dashboard).to_have_attribute("dir", "rtl", timeout=30_000)
            expect(dashboard.locator("h3").first).to_have_text("روابط الانضمام")
            expect(dashboard.locator("input.vx-url")).to_have_count(4, timeout=30_000)
            expect(dashboard.locator("th").first).to_have_text("الصف")
            expect(dashboard.get_by_text("لا يوجد دفتر مفتوح الآن.")).to_be_visible()
            expect(dashboard.locator(".vx-unit-block").first).to_be_visible(timeout=30_000)
            teacher.screenshot(path=str(artifacts_dir / "classroom-dashboard-arabic.png"))
            dashboard.locator(".vx-card-grid").first.scroll_into_view_if_needed()
            teacher.screenshot(path=str(artifacts_dir / "classroom-dashboard-arabic-cards.png"))
            assert overlaps(teacher, ".vx-Dashboard") == []
        finally:
            browser.close()
