"""In Chromium against a real `vxkit demo`: a Lyon student posts in her team chat and her
Valparaíso teammate sees it live, named by the server, in Valparaíso's time; hostile text stays
text; a flagged word holds a message until a teacher releases it; a teacher hides a message;
a comment thread on a cell is answered and resolved; another team's student gets 403 by HTTP
and websocket; a visitor sees no chat."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect, sync_playwright

from tests.browser.conftest import (
    demo_server,  # noqa: F401 - the `vxkit demo` server fixture
    open_notebook,
)
from tests.conftest import CHROMIUM_ARGS
from vxkit.server.links import TEACHER_KEY, VISITOR_KEY, ensure_links
from vxkit.workspace import Workspace

pytestmark = pytest.mark.browser

HOSTILE = "<b>Bonjour</b> <script>alert(1)</script> ![x](https://evil.example/p.png) {{ 7*7 }}"


def join(browser, url: str, code: str, name: str | None = None, nickname: str | None = None):
    """Open a join link in a fresh browser context, pick ``name`` (or type ``nickname``)."""
    page = browser.new_context(timezone_id="UTC").new_page()
    page.goto(f"{url}vxkit/join/{code}")
    if nickname is not None:
        page.get_by_role("textbox").first.fill(nickname)
        page.get_by_role("button").last.click()
    else:
        page.get_by_role("button", name=re.compile(rf"^{re.escape(name)}")).first.click()
    page.wait_for_url("**/lab**", timeout=60_000)
    return page


def open_chats(page):
    """Open the Chats panel in the right sidebar; returns it."""
    page.locator('.jp-SideBar li[data-id="vxkit-chat"]').click(timeout=90_000)
    panel = page.locator("#vxkit-chat")
    expect(panel).to_be_visible(timeout=30_000)
    return panel


def open_comments(page):
    """Open the comments panel in the right sidebar; returns it."""
    page.locator('.jp-SideBar li[data-id="vxkit-comments"]').click(timeout=90_000)
    panel = page.locator("#vxkit-comments")
    expect(panel).to_be_visible(timeout=30_000)
    return panel


def send(page, panel, text: str) -> None:
    box = panel.locator(".vx-chat-input")
    box.fill(text)
    box.press("Enter")
    expect(box).to_have_value("", timeout=10_000)


def test_team_chat_live_across_time_zones_moderated(demo_server, chromium_path, artifacts_dir):  # noqa: F811
    links = ensure_links(Workspace(demo_server.root))
    url = demo_server.url
    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=chromium_path, args=CHROMIUM_ARGS)
        try:
            chloe = join(browser, url, links.code("lyon_4b"), "Chloé")
            benjamin = join(browser, url, links.code("valparaiso_1m"), "Benjamín")
            c_panel, b_panel = open_chats(chloe), open_chats(benjamin)
            expect(b_panel.locator(".vx-chat-zone")).to_contain_text("America/Santiago")

            # a message, live, named by the server, in the reader's own time zone
            send(chloe, c_panel, "Hola Benjamín! The Rhône is at 14 °C")
            message = b_panel.locator(".vx-chat-message", has_text="The Rhône is at 14 °C")
            expect(message).to_be_visible(timeout=15_000)
            expect(message.locator(".vx-chat-name")).to_have_text("Chloé")
            expect(message.locator(".vx-chat-city")).to_have_text("Lyon")
            stamp = message.locator("time").get_attribute("datetime")
            assert re.search(r"-0[34]:00$", stamp), stamp  # Valparaíso's offset
            mine = c_panel.locator(".vx-chat-message", has_text="The Rhône is at 14 °C")
            assert re.search(r"\+0[12]:00$", mine.locator("time").get_attribute("datetime"))

            # hostile text is text
            send(chloe, c_panel, HOSTILE)
            hostile = b_panel.locator(".vx-chat-message", has_text="{{ 7*7 }}")
            expect(hostile.locator(".vx-chat-text")).to_have_text(HOSTILE, timeout=15_000)
            assert hostile.locator(".vx-chat-text *").count() == 0  # no element at all
            assert benjamin.evaluate("document.querySelectorAll('img[src*=\"evil\"]').length") == 0

            # a flagged word holds the message until a teacher releases it
            send(chloe, c_panel, "your graph is stupid")
            expect(c_panel.locator(".vx-mod-held", has_text="your graph is stupid")).to_be_visible(
                timeout=15_000
            )
            rojas = join(browser, url, links.code(TEACHER_KEY), "Profesora Rojas")
            r_panel = open_chats(rojas)
            r_panel.locator('.vx-chat-tab[data-chat="team:team_rivers"]').click()
            held = r_panel.locator(".vx-mod-held", has_text="your graph is stupid")
            expect(held).to_be_visible(timeout=15_000)
            expect(
                b_panel.locator(".vx-chat-message", has_text="your graph is stupid")
            ).to_have_count(0)
            held.get_by_role("button", name="Release").click()
            expect(
                b_panel.locator(".vx-chat-message", has_text="your graph is stupid")
            ).to_be_visible(timeout=15_000)

            # the Lyon teacher hides a message: the Valparaíso teacher no longer sees its text
            send(chloe, c_panel, "meet me at the bridge after school")
            target = r_panel.locator(".vx-chat-message", has_text="meet me at the bridge")
            expect(target).to_be_visible(timeout=15_000)
            laurent = join(browser, url, links.code(TEACHER_KEY), "Mme Laurent")
            l_panel = open_chats(laurent)
            l_panel.locator('.vx-chat-tab[data-chat="team:team_rivers"]').click()
            l_panel.locator(".vx-chat-message", has_text="meet me at the bridge").get_by_role(
                "button", name="Hide"
            ).click()
            expect(target).to_have_count(0, timeout=15_000)
            expect(r_panel.locator(".vx-mod-hidden").first).to_contain_text("Hidden by a teacher")
            expect(
                b_panel.locator(".vx-chat-message", has_text="meet me at the bridge")
            ).to_have_count(0)
            # Chloé's JupyterLab speaks her class's language
            expect(
                c_panel.locator(".vx-mod-hidden", has_text="meet me at the bridge")
            ).to_contain_text(re.compile("Masqué par un enseignant|Hidden by a teacher"))
            # the teachers' settings: the word list and the agora, from the panel
            l_panel.get_by_role("button", name="Moderation").click()
            words = l_panel.locator(".vx-chat-words")
            expect(words).to_have_value(re.compile("stupid"), timeout=10_000)
            words.fill(words.input_value() + "\nbanane")
            l_panel.get_by_label("Open the agora to every student").check()
            l_panel.get_by_role("button", name="Save").click()
            expect(l_panel.locator(".vx-chat-settings")).to_have_count(0, timeout=10_000)
            settings = laurent.request.get(f"{url}vxkit/api/moderation").json()["settings"]
            assert settings["agora"] is True and "banane" in settings["words"]
            benjamin.screenshot(path=str(artifacts_dir / "chat-benjamin.png"))
            rojas.screenshot(path=str(artifacts_dir / "chat-rojas.png"))

            # a comment thread on a cell of the team notebook, answered and resolved
            notebook = f"{url}lab/tree/projects/team_rivers/meet_partners.ipynb"
            for page in (chloe, benjamin):
                open_notebook(page, notebook).click()
            c_notes, b_notes = open_comments(chloe), open_comments(benjamin)
            c_notes.locator(".vx-chat-form > .vx-chat-input").fill("<i>Which river</i> is this?")
            c_notes.get_by_role("button", name=re.compile("^(Commenter|Comment)$")).click()
            thread = b_notes.locator(".vx-comment-thread", has_text="Which river")
            expect(thread).to_be_visible(timeout=20_000)
            expect(thread.locator(".vx-chat-text").first).to_have_text(
                "<i>Which river</i> is this?"
            )
            marker = benjamin.locator(".jp-NotebookPanel:not(.lm-mod-hidden) .vx-comment-marker")
            expect(marker.first).to_have_text("1", timeout=10_000)
            thread.locator(".vx-chat-input").fill("El Ródano!")
            thread.get_by_role("button", name=re.compile("^(Responder|Answer)$")).click()
            answered = c_notes.locator(".vx-comment-thread", has_text="El Ródano!")
            expect(answered).to_be_visible(timeout=20_000)
            expect(answered.locator(".vx-chat-city").last).to_have_text("Valparaíso")
            answered.get_by_role("button", name=re.compile("^(Résoudre|Resolve)$")).click()
            expect(thread).to_contain_text(re.compile("Resuelto|Resolved"), timeout=20_000)
            expect(marker).to_have_count(0, timeout=20_000)
            benjamin.screenshot(path=str(artifacts_dir / "comments-benjamin.png"))

            # another team's student: 403 by HTTP and by the room websocket
            lucas = join(browser, url, links.code("lyon_4b"), "Lucas")
            answer = lucas.request.get(f"{url}vxkit/api/chats/team%3Ateam_rivers")
            assert answer.status == 403
            session = rojas.evaluate(
                """async (url) => {
                  const xsrf = document.cookie.match(/_xsrf=([^;]+)/)[1];
                  const r = await fetch(url + 'api/collaboration/session/chats/teams/team_rivers.chat',
                    {method: 'PUT', headers: {'X-XSRFToken': xsrf, 'Content-Type': 'application/json'},
                     body: JSON.stringify({format: 'text', type: 'chat'})});
                  return await r.json();
                }""",
                url,
            )
            outcome = lucas.evaluate(
                """(src) => new Promise(resolve => {
                  const ws = new WebSocket(src);
                  ws.onopen = () => resolve('open');
                  ws.onerror = () => resolve('refused');
                  ws.onclose = e => resolve('closed ' + e.code);
                })""",
                f"{url.replace('http', 'ws', 1)}api/collaboration/room/text:chat:"
                f"{session['fileId']}?sessionId={session['sessionId']}",
            )
            assert outcome != "open", outcome
            handshake = lucas.request.get(
                f"{url}api/collaboration/room/text:chat:{session['fileId']}",
                headers={"Upgrade": "websocket", "Connection": "Upgrade"},
            )
            assert handshake.status == 403
            lucas_tabs = open_chats(lucas).locator(".vx-chat-tab")
            expect(lucas_tabs).to_have_count(3)  # his team's, his class's, the agora (opened above)
            expect(lucas_tabs.filter(has_text="Rivers")).to_have_count(0)

            # a visitor sees no chat
            visitor = join(browser, url, links.code(VISITOR_KEY), nickname="Curious")
            expect(open_chats(visitor)).to_contain_text(
                re.compile(
                    "There is no chat for you here|Il n'y a pas de discussion|no hay ningún chat"
                )
            )
        finally:
            browser.close()
