"""Who you are: revoked sessions, tampered cookies and borrowed names must never make anyone
the teacher (or another person).

The cookie attacks assume the attacker has tornado's cookie key (today any kernel reads it
from the runtime folder): the harness planted that key, and
``test_harness_knows_the_cookie_key`` checks it still signs cookies the server accepts."""

from __future__ import annotations

import asyncio
import json
import time

import pytest
from tornado.iostream import StreamClosedError
from tornado.web import create_signed_value, decode_signed_value
from tornado.websocket import WebSocketClosedError

from tests.server.conftest import wait_for

from .conftest import (
    SOURCE_NOTEBOOK,
    TEACHER_NAME,
    TEAM_A_NOTEBOOK,
    TEAM_B_NOTEBOOK,
    Browser,
    Server,
    code_of,
    forge_cookie,
    open_notebook_room,
    run_code,
    signed_in,
    vxkit_cli,
    vxkit_sign,
)

# ----------------------------------------------------------------------------------------------
# revocation fallback


@pytest.fixture(scope="module")
def revoked(server: Server) -> Browser:
    """Valentina (class Valparaíso) signed in, then her class's code was revoked; her tab is
    still open: it keeps her old cookie and sends the token the page gave it (today)."""
    valentina = signed_in(server, "valparaiso_1m", "valentina", name="Valentina")
    assert valentina.me() is not None
    vxkit_cli("links", str(server.root), "--revoke", "valparaiso_1m")
    return valentina


def test_revoked_cookie_is_signed_out(server: Server, revoked: Browser):
    """Door: a revoked student's old cookie still opens the server."""
    assert revoked.me() is None
    assert revoked.get("api/contents/projects").status_code in (401, 403)


def test_revoked_cookie_with_token_header_is_not_teacher(server: Server, revoked: Browser):
    """Door: a revoked student's tab keeps sending `Authorization: token ...` (from the page
    config) and, with the cookie no longer valid, becomes the token user: the teacher."""
    tab = Browser(server, token=server.token, label="revoked tab")
    tab.session.cookies.update(revoked.session.cookies)
    assert not tab.is_teacher()
    assert tab.me() is None, tab.me()


def test_revoked_cookie_with_token_query_is_not_teacher(server: Server, revoked: Browser):
    """Door: the same revoked tab with `?token=` in the URL (a bookmarked link) is the teacher."""
    response = revoked.get(f"api/contents/course/source?token={server.token}")
    assert response.status_code in (401, 403), response.status_code


def test_revoked_student_can_join_again_with_the_new_code(server: Server, revoked: Browser):
    """Not an attack: signing out on revocation does not lock the class out for good."""
    fresh = code_of(vxkit_cli("links", str(server.root)), "valparaiso_1m")
    assert fresh != server.codes["valparaiso_1m"]
    again = Browser(server, label="valentina again")
    assert again.join(fresh, name="Valentina").status_code == 302
    me = again.me()
    assert me is not None and me["identity"]["name"].startswith("Valentina"), me


async def test_revoked_tab_websocket_with_token_is_not_teacher(
    server: Server, revoked: Browser, team_b_session: dict
):
    """Door: the revoked tab opens a kernel websocket with its old cookie and the token
    header; the server takes it for the teacher and runs its code in team B's kernel."""
    tab = Browser(server, token=server.token, label="revoked tab")
    tab.session.cookies.update(revoked.session.cookies)
    output = await run_code(tab, team_b_session["kernel"]["id"], "print('REVOKED' + '-RAN')", 20)
    assert output is None or "REVOKED-RAN" not in output, output


def only_closed_sockets(err: BaseException) -> bool:
    """Whether ``err`` (or every error of its group) is a websocket the server closed."""
    if hasattr(err, "exceptions"):
        return all(only_closed_sockets(e) for e in err.exceptions)
    return isinstance(err, (WebSocketClosedError, StreamClosedError))


async def test_open_room_websocket_is_cut_on_revocation(server: Server, teacher: Browser):
    """Door: a student's open room websocket keeps editing after her class code is revoked."""
    amani = signed_in(server, "nairobi_7", "amani", name="Amani")
    client, _ = await open_notebook_room(amani, TEAM_A_NOTEBOOK)
    watcher, _ = await open_notebook_room(teacher, TEAM_A_NOTEBOOK)
    async with watcher.provider:
        await asyncio.wait_for(watcher.provider.synced.wait(), 10)
        try:
            async with client.provider:
                await asyncio.wait_for(client.provider.synced.wait(), 10)
                source = client.notebook.ycells[0]["source"]
                source += "BEFORE-REVOKE"
                await wait_for(
                    lambda: "BEFORE-REVOKE" in json.dumps(watcher.notebook.get()),
                    what="Amani's edit before the revocation",
                )
                vxkit_cli("links", str(server.root), "--revoke", "nairobi_7")
                await asyncio.sleep(0.2)
                source = client.notebook.ycells[0]["source"]
                source += "AFTER-REVOKE"
                await asyncio.sleep(1.5)
        except Exception as err:  # the server may cut her socket at once: what is wanted
            assert only_closed_sockets(err), err
        seen = json.dumps(watcher.notebook.get())
    assert "AFTER-REVOKE" not in seen


# ----------------------------------------------------------------------------------------------
# cookie tampering


def test_harness_knows_the_cookie_key(server: Server, chloe: Browser):
    """Not an attack: Chloé's cookie, decoded and re-signed unchanged with the planted key, is
    still Chloé. If this fails, the server no longer signs cookies with the runtime folder's
    key and the forgeries below test nothing: update the harness."""
    forged = Browser(server, label="re-signed chloe")
    forged.session.cookies.update(chloe.session.cookies)
    forged.set_login_cookie(forge_cookie(server, chloe, lambda data: data))
    me = forged.me()
    assert me is not None and me["identity"]["name"].startswith("Chloé"), me


def forged_browser(server: Server, chloe: Browser, edit) -> Browser:
    browser = Browser(server, label="forged")
    browser.session.cookies.update(chloe.session.cookies)
    browser.set_login_cookie(forge_cookie(server, chloe, edit))
    return browser


def edit_payload(**changes):
    """Change fields of the vxkit identity, keeping the (now wrong) vxkit signature."""

    def edit(data):
        body = json.loads(data["vxkit"])
        body.update(changes)
        return {**data, "vxkit": json.dumps(body, sort_keys=True, ensure_ascii=False)}

    return edit


def test_cookie_team_edit_is_signed_out(server: Server, chloe: Browser):
    """Door: Chloé edits her cookie's vxkit payload to team B and reads team B's notebook."""
    forged = forged_browser(server, chloe, edit_payload(team_id="team_forests"))
    assert forged.get(f"api/contents/{TEAM_B_NOTEBOOK}").status_code in (401, 403)
    assert forged.me() is None


def test_cookie_role_swapped_to_teacher_is_signed_out(server: Server, chloe: Browser):
    """Door: Chloé swaps `role` to "teacher" in her cookie's vxkit payload."""
    forged = forged_browser(server, chloe, edit_payload(role="teacher", name=TEACHER_NAME))
    assert not forged.is_teacher()
    assert forged.me() is None


def test_cookie_without_vxkit_signature_is_signed_out(server: Server, chloe: Browser):
    """Door: Chloé drops the vxkit part of her cookie and keeps an upstream-style user
    (`{"username": ..., "name": ...}`): a cookie with no vxkit identity is read as a plain
    jupyter_server user, which vxkit takes for the teacher."""

    def drop_vxkit(data):
        body = json.loads(data["vxkit"])
        name = "Chloé"
        return {
            "username": body["username"],
            "name": name,
            "display_name": name,
            "initials": "C",
            "avatar_url": None,
            "color": None,
        }

    forged = forged_browser(server, chloe, drop_vxkit)
    assert not forged.is_teacher()
    assert forged.me() is None, forged.me()


def test_cookie_with_sig_removed_is_signed_out(server: Server, chloe: Browser):
    """Door: Chloé keeps the vxkit payload, changes it, and removes the `sig` field."""

    def no_sig(data):
        body = json.loads(data["vxkit"])
        body["team_id"] = "team_forests"
        return {"vxkit": json.dumps(body)}

    forged = forged_browser(server, chloe, no_sig)
    assert forged.me() is None
    assert forged.get(f"api/contents/{TEAM_B_NOTEBOOK}").status_code in (401, 403)


def test_cookie_of_another_workspace_is_signed_out(server: Server, chloe: Browser):
    """Door: a cookie minted by another workspace on the same laptop (same tornado key, that
    workspace's own vxkit secret), where the student was a teacher, replayed here."""

    def other_workspace(data):
        body = json.loads(data["vxkit"])
        body.update(role="teacher", name=TEACHER_NAME, student_id=None, team_id=None)
        payload = json.dumps(body, sort_keys=True, ensure_ascii=False)
        return {"vxkit": payload, "sig": vxkit_sign(b"another workspace", payload.encode())}

    forged = forged_browser(server, chloe, other_workspace)
    assert not forged.is_teacher()
    assert forged.me() is None


def test_tampered_cookie_with_token_header_is_not_teacher(server: Server, chloe: Browser):
    """Door: a tampered cookie plus the token header the page gave the tab: the cookie fails,
    the server falls back to the token user."""
    forged = forged_browser(server, chloe, edit_payload(role="teacher"))
    forged.token = server.token
    assert forged.me() is None, forged.me()
    assert not forged.is_teacher()


@pytest.mark.parametrize("token", [False, True], ids=["alone", "with-token-header"])
def test_expired_cookie_is_signed_out(server: Server, chloe: Browser, token: bool):
    """Door: a login cookie past its age (signed 40 days ago), alone or with the token header
    the page gave the tab: tornado drops it and the server falls back to the token user."""
    name, value = chloe.login_cookie()
    secret = server.tornado_secret()
    raw = decode_signed_value(secret, name, value.strip('"'))
    old = create_signed_value(secret, name, raw, clock=lambda: time.time() - 40 * 86400)
    expired = Browser(server, token=server.token if token else None, label="expired")
    expired.session.cookies.update(chloe.session.cookies)
    expired.set_login_cookie(old.decode())
    assert not expired.is_teacher()
    assert expired.me() is None, expired.me()


def test_cookie_with_broken_tornado_signature_is_signed_out(server: Server, chloe: Browser):
    """Door: a cookie edited without the tornado key (last characters changed)."""
    name, value = chloe.login_cookie()
    broken = Browser(server, label="broken cookie")
    broken.session.cookies.set(
        name, value[:-4] + ("AAAA" if not value.endswith("AAAA") else "BBBB")
    )
    assert broken.me() is None
    assert not broken.is_teacher()


# ----------------------------------------------------------------------------------------------
# impersonation by display name


@pytest.mark.parametrize(
    "nickname", [TEACHER_NAME, "Chloé", "Teacher", "mme laurent", "Mme\u00a0Laurent", "Chloe\u0301"]
)
def test_visitor_cannot_take_a_teacher_or_roster_name(server: Server, nickname: str):
    """Door: a visitor types the teacher's name (or a roster student's, or a look-alike with
    other case, a no-break space or a combining accent) and shows under it."""
    browser = Browser(server, label=f"visitor {nickname!r}")
    response = browser.join(server.codes["visitors"], nickname=nickname)
    if response.status_code != 302:
        assert response.status_code in (400, 403, 409), response.status_code
        return
    me = browser.me()
    assert me is not None
    shown = me["identity"]["display_name"], me["identity"]["name"]
    assert all("(visitor)" in s for s in shown), shown


def test_visitor_is_marked_as_visitor(server: Server, visitor: Browser):
    """Door: a visitor's name shows with no mark, so classmates take them for a student."""
    me = visitor.me()
    assert me is not None
    assert "(visitor)" in me["identity"]["display_name"], me["identity"]


def test_student_cannot_rename_themselves(server: Server, chloe: Browser):
    """Door: PATCH /api/me with another name (upstream lets users update their display name)."""
    chloe.patch("api/me", {"identity": {"display_name": TEACHER_NAME, "name": TEACHER_NAME}})
    me = chloe.me()
    assert me is not None and TEACHER_NAME not in json.dumps(me), me


async def test_forged_awareness_is_not_relayed(server: Server, chloe: Browser, teacher: Browser):
    """Door: over the room websocket, Chloé's awareness state claims the teacher's name."""
    mine, _ = await open_notebook_room(chloe, TEAM_A_NOTEBOOK)
    watcher, _ = await open_notebook_room(teacher, TEAM_A_NOTEBOOK)
    async with mine.provider, watcher.provider:
        await asyncio.wait_for(mine.provider.synced.wait(), 20)
        await asyncio.wait_for(watcher.provider.synced.wait(), 20)
        await mine.announce(
            {"name": TEACHER_NAME, "display_name": TEACHER_NAME, "username": "teacher"}
        )
        states = await wait_for(watcher.others, what="Chloé's awareness", timeout=20)
    users = [s.get("user", {}) for s in states]
    assert users and all(TEACHER_NAME not in json.dumps(u) for u in users), users
    assert all(u.get("username") != "teacher" for u in users), users


def test_source_folder_closed_to_personas(chloe: Browser, lucas: Browser, visitor: Browser):
    """Not an attack: the personas are signed in and still kept out of the nbgrader source,
    so the attacks above start from a real student session."""
    for person in (chloe, lucas, visitor):
        assert person.me() is not None
        assert person.get(f"api/contents/{SOURCE_NOTEBOOK}").status_code == 403
