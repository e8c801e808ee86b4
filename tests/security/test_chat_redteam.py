"""Red team on the chats and comments: a curious 14-year-old (Chloé, team A; Lucas, team B),
a visitor and a stranger try every door to another team's chat, the moderation state, held and
hidden messages, forged senders, muted posting and the word list, against a real `vxkit demo`.

Each test asserts the safe outcome. The harness plants on disk only what a student could plant
herself from her own kernel (symbolic links in her team folder).
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import os
import time
from urllib.parse import quote

import pytest
from pycrdt import (
    Array,
    Awareness,
    Doc,
    Map,
    Provider,
    Text,
    YMessageType,
    YSyncMessageType,
    create_awareness_message,
    write_var_uint,
)
from tornado.httpclient import HTTPClientError

from tests.server.conftest import RoomClient, WSChannel

from . import test_chats
from .conftest import TEAM_A, TEAM_A_NOTEBOOK, TEAM_B_NOTEBOOK, Browser, Server, run_code
from .test_chats import (
    REFUSED,
    TEAM_A_CHAT,
    TEAM_B_CHAT,
    messages,
    post,
    texts,
)

STATE_FILES = [
    ".vxkit/chat/held.json",
    ".vxkit/chat/hidden.json",
    ".vxkit/chat/mutes.json",
    ".vxkit/chat/settings.json",
    ".vxkit/chat/journal/team-team_forests.jsonl",
    ".vxkit/chat/journal/team-team_rivers.jsonl",
    f".vxkit/comments/{TEAM_B_NOTEBOOK}.json",
    ".vxkit/ystore.db",
]


# the chat tests' people: Benjamín (Valparaíso, team A like Chloé) and Mme Laurent
benjamin = test_chats.benjamin
laurent = test_chats.laurent


def cell_id(server: Server, notebook: str) -> str:
    return json.loads(server.read(notebook))["cells"][0]["id"]


@pytest.fixture(scope="module")
def team_b_secrets(server: Server, lucas: Browser) -> dict[str, str]:
    """Team B's chat and a comment thread on team B's notebook, with secret text."""
    chat_text = "team B secret: the key is under the mat"
    comment_text = "team B comment: our answer is 42"
    assert post(lucas, "team:team_forests", chat_text).status_code == 200
    answer = lucas.post(
        "vxkit/api/comments",
        {
            "path": TEAM_B_NOTEBOOK,
            "cell_id": cell_id(server, TEAM_B_NOTEBOOK),
            "body": comment_text,
        },
    )
    assert answer.status_code == 200, answer.text
    deadline = time.monotonic() + 15
    while (
        chat_text not in (server.read(TEAM_B_CHAT) or b"").decode() and time.monotonic() < deadline
    ):
        time.sleep(0.2)
    return {"chat": chat_text, "comment": comment_text, "thread": answer.json()["thread"]}


# ----------------------------------------------------------------------------------------------
# reading another team's chat and the moderation store over HTTP


def test_contents_and_file_doors_to_other_teams_chat_and_the_store(
    server: Server, chloe: Browser, team_b_secrets: dict[str, str]
):
    """Doors: team B's chat and the moderation/comments/ystore files through the contents API
    (content=1, base64, percent-encoding, double slashes, ``.``, ``..``, case), /files (also
    ?download=1), /view, nbconvert, the timeline, fork and undo routes of the collaboration."""
    enc = quote(TEAM_B_CHAT, safe="")
    paths = [
        TEAM_B_CHAT,
        enc,
        TEAM_B_CHAT.replace("/", "//"),
        "chats/teams/./team_forests.chat",
        "chats/./teams/../teams/team_forests.chat",
        f"{TEAM_A}/../../{TEAM_B_CHAT}",
        f"{TEAM_A}/%2e%2e/%2e%2e/{TEAM_B_CHAT}",
        "Chats/Teams/Team_Forests.chat",
        "chats/teams/team_forests.CHAT",
        "chats/teams/team_forests.chat/",
        "chats/teams",
        "chats",
        *STATE_FILES,
        ".vxkit/chat",
        ".vxkit/comments/projects/team_forests",
    ]
    attempts = {}
    for path in paths:
        for query in ("", "?content=1", "?format=base64&type=file", "?type=file&format=text"):
            attempts[f"contents {path}{query}"] = chloe.get(f"api/contents/{path}{query}")
        attempts[f"files {path}"] = chloe.get(f"files/{path}?download=1")
        attempts[f"view {path}"] = chloe.get(f"view/{path}")
        attempts[f"nbconvert {path}"] = chloe.get(f"nbconvert/html/{path}?download=true")
        attempts[f"timeline {path}"] = chloe.get(
            f"api/collaboration/timeline/{path}?format=json&type=chat"
        )
    for route in ("fork", "undo_redo"):
        attempts[route] = chloe.put(f"api/collaboration/{route}/{TEAM_B_CHAT}", {})
    leaked = [
        door
        for door, r in attempts.items()
        if team_b_secrets["chat"] in r.text
        or team_b_secrets["comment"] in r.text
        or "SQLite format" in r.text
    ]
    assert leaked == []
    opened = {d: r.status_code for d, r in attempts.items() if r.status_code < 300}
    # a plain listing of a folder she may read is fine; nothing of chats or the state area is
    assert opened == {}, opened


def test_symlinks_in_own_team_folder_lead_nowhere(
    server: Server, chloe: Browser, team_b_secrets: dict[str, str]
):
    """Door: links Chloé plants in her team folder (her kernel can make them) to team B's
    chat, the chat store, the comments store and team B's notebook, then read through every
    door (contents, files, comments API, a document session)."""
    folder = server.root / TEAM_A
    links = {
        "to_chat.chat": f"../../{TEAM_B_CHAT}",
        "to_chat.txt": f"../../{TEAM_B_CHAT}",
        "to_store": "../../.vxkit",
        "to_held.json": "../../.vxkit/chat/held.json",
        "to_b.ipynb": "../team_forests/meet_partners.ipynb",
        "to_root": "../..",  # the workspace root: its listing she may read anyway
    }
    for name, target in links.items():
        link = folder / name
        if not link.is_symlink():
            os.symlink(target, link)
    attempts = {}
    for name in [n for n in links if n != "to_root"]:
        p = f"{TEAM_A}/{name}"
        attempts[f"contents {name}"] = chloe.get(f"api/contents/{p}?content=1")
        attempts[f"files {name}"] = chloe.get(f"files/{p}")
        attempts[f"session {name}"] = chloe.put(
            f"api/collaboration/session/{p}", {"format": "text", "type": "chat"}
        )
    for sub in (
        "to_store/chat/held.json",
        "to_store/comments",
        "to_root/chats/teams/team_forests.chat",
    ):
        attempts[f"contents {sub}"] = chloe.get(f"api/contents/{TEAM_A}/{sub}")
        attempts[f"files {sub}"] = chloe.get(f"files/{TEAM_A}/{sub}")
    attempts["comments via link"] = chloe.get(f"vxkit/api/comments?path={TEAM_A}/to_b.ipynb")
    attempts["comment post via link"] = chloe.post(
        "vxkit/api/comments",
        {"path": f"{TEAM_A}/to_b.ipynb", "thread": team_b_secrets["thread"], "body": "hi B"},
    )
    opened = {d: r.status_code for d, r in attempts.items() if r.status_code not in REFUSED}
    assert opened == {}, opened
    for door, r in attempts.items():
        assert team_b_secrets["chat"] not in r.text, door
        assert team_b_secrets["comment"] not in r.text, door


def test_comment_threads_of_another_teams_notebook(
    server: Server, chloe: Browser, team_b_secrets: dict[str, str]
):
    """Doors: the comments endpoints with team B's notebook spelled in many ways, team B's
    thread id on her own notebook, resolving team B's thread."""
    spellings = [
        TEAM_B_NOTEBOOK,
        TEAM_B_NOTEBOOK.replace("/", "//"),
        f"{TEAM_A}/../team_forests/meet_partners.ipynb",
        f"./{TEAM_B_NOTEBOOK}",
        f"/{TEAM_B_NOTEBOOK}",
        "projects/team_forests/./meet_partners.ipynb",
    ]
    attempts = {}
    for path in spellings:
        attempts[f"get {path}"] = chloe.get(f"vxkit/api/comments?path={quote(path)}")
        attempts[f"post {path}"] = chloe.post(
            "vxkit/api/comments",
            {"path": path, "thread": team_b_secrets["thread"], "body": "from team A"},
        )
        attempts[f"resolve {path}"] = chloe.post(
            "vxkit/api/comments/resolve", {"path": path, "thread": team_b_secrets["thread"]}
        )
    opened = {d: r.status_code for d, r in attempts.items() if r.status_code not in REFUSED}
    assert opened == {}, opened
    # team B's thread id on her own notebook: no thread there, nothing of team B's
    own = chloe.post(
        "vxkit/api/comments",
        {"path": TEAM_A_NOTEBOOK, "thread": team_b_secrets["thread"], "body": "sneaky"},
    )
    assert own.status_code == 400
    resolve = chloe.post(
        "vxkit/api/comments/resolve", {"path": TEAM_A_NOTEBOOK, "thread": team_b_secrets["thread"]}
    )
    assert resolve.status_code == 400
    for door, r in [*attempts.items(), ("own", own), ("resolve", resolve)]:
        assert team_b_secrets["comment"] not in r.text, door
    stored = json.loads(server.read(f".vxkit/comments/{TEAM_B_NOTEBOOK}.json"))
    assert all(not t["resolved"] for t in stored["threads"])
    assert "from team A" not in json.dumps(stored) and "sneaky" not in json.dumps(stored)


def test_chat_keys_of_other_teams_and_classes(chloe: Browser, team_b_secrets: dict[str, str]):
    """Doors: the chat endpoints with other chats' keys, spelled oddly."""
    keys = [
        "team:team_forests",
        "team%3Ateam_forests",
        "TEAM:team_forests",
        "team:team_forests ",
        "team:team_rivers%2F..%2Fteam_forests",
        "class:nairobi_7",
        "class:valparaiso_1m",
        "agora",
        "other",
    ]
    for key in keys:
        for method, path in (
            ("GET", f"vxkit/api/chats/{key}"),
            ("POST", f"vxkit/api/chats/{key}"),
            ("POST", f"vxkit/api/chats/{key}/seen"),
            ("GET", f"vxkit/api/chats/{key}/export"),
        ):
            r = chloe.request(method, path, json={"body": "from A"})
            assert r.status_code in REFUSED, (method, path, r.status_code)
            assert team_b_secrets["chat"] not in r.text


# ----------------------------------------------------------------------------------------------
# the room websocket


def _sync_step2(update: bytes) -> bytes:
    return (
        bytes([YMessageType.SYNC, YSyncMessageType.SYNC_STEP2])
        + write_var_uint(len(update))
        + update
    )


def _sync_update(update: bytes) -> bytes:
    return (
        bytes([YMessageType.SYNC, YSyncMessageType.SYNC_UPDATE])
        + write_var_uint(len(update))
        + update
    )


async def _chat_room(browser: Browser, session_of: Browser, path: str):
    session = session_of.put(
        f"api/collaboration/session/{path}", {"format": "text", "type": "chat"}
    ).json()
    room = f"api/collaboration/room/text:chat:{session['fileId']}?sessionId={session['sessionId']}"
    return await browser.websocket(room), session


async def test_raw_sync_step2_and_update_into_own_chat_are_dropped(
    chloe: Browser, benjamin: Browser, teacher: Browser
):
    """Door: Chloé writes a forged message and a forged user (Benjamín's name) into her team
    chat's document as raw sync_step2 and update messages (no provider, no handshake)."""
    conn, _ = await _chat_room(chloe, chloe, TEAM_A_CHAT)
    forged = Doc()
    forged.get("messages", type=Array).append(
        Map(
            {
                "type": "msg",
                "id": "f1",
                "body": "FORGED-STEP2",
                "sender": "vx-valparaiso_1m-benjamin",
                "time": 1.0,
            }
        )
    )
    forged.get("users", type=Map)["vx-valparaiso_1m-benjamin"] = Map(
        {"username": "x", "name": "FORGED-USER"}
    )
    other = Doc()
    other.get("messages", type=Array).append(
        Map({"type": "msg", "id": "f2", "body": "FORGED-UPDATE", "sender": "x", "time": 2.0})
    )
    try:
        await conn.write_message(_sync_step2(forged.get_update()), binary=True)
        await conn.write_message(_sync_update(other.get_update()), binary=True)
        await asyncio.sleep(1.0)
    finally:
        conn.close()
    seen = json.dumps([messages(teacher), messages(benjamin)])
    for forged_text in ("FORGED-STEP2", "FORGED-UPDATE", "FORGED-USER"):
        assert forged_text not in seen


async def test_room_of_another_teams_chat_by_other_room_ids(
    chloe: Browser, lucas: Browser, teacher: Browser
):
    """Door: team A's chat room opened by Lucas with other formats and types, a prefix, and
    the colons percent-encoded (upstream then makes a transient room of that name: it may
    open, but must hold nothing of team A's chat)."""
    marker = f"team A room marker {time.time()}"
    assert post(chloe, "team:team_rivers", marker).status_code == 200
    session = teacher.put(
        f"api/collaboration/session/{TEAM_A_CHAT}", {"format": "text", "type": "chat"}
    ).json()
    fid, sid = session["fileId"], session["sessionId"]
    opened = []
    for room in (
        f"text:chat:{fid}",
        f"json:chat:{fid}",
        f"text:file:{fid}",
        f"json:notebook:{fid}",
        f"x/text:chat:{fid}",
    ):
        try:
            conn = await lucas.websocket(f"api/collaboration/room/{room}?sessionId={sid}")
        except HTTPClientError as refused:
            if refused.code not in REFUSED:
                opened.append((room, refused.code))
        else:
            conn.close()
            opened.append(room)
    assert opened == [], opened
    encoded = f"text%3Achat%3A{fid}"
    with contextlib.suppress(HTTPClientError):
        conn = await lucas.websocket(f"api/collaboration/room/{encoded}?sessionId={sid}")
        doc = Doc()
        provider = Provider(doc, WSChannel(conn, encoded, Awareness(doc)))
        async with provider:
            await asyncio.wait_for(provider.synced.wait(), 10)
            await asyncio.sleep(0.3)
            assert marker.encode() not in doc.get_update()
        conn.close()


async def test_bad_room_id_gets_a_refusal_not_a_server_error(
    stranger: Browser, lucas: Browser, teacher: Browser
):
    """Door: a room id whose file id has a tail (``text:chat:<id>:x``), as a stranger and as
    Lucas: the answer is a refusal, and no room is made for them."""
    session = teacher.put(
        f"api/collaboration/session/{TEAM_A_CHAT}", {"format": "text", "type": "chat"}
    ).json()
    codes = []
    for who in (stranger, lucas):
        try:
            conn = await who.websocket(f"api/collaboration/room/text:chat:{session['fileId']}:x")
        except HTTPClientError as refused:
            codes.append(refused.code)
        else:
            conn.close()
            codes.append(101)
    assert all(code in REFUSED for code in codes), codes


async def test_awareness_in_a_chat_room_carries_no_free_text(chloe: Browser, benjamin: Browser):
    """Door: Chloé (read-only in her team chat's room, maybe muted) puts text in her awareness
    state there (jupyter-chat's ``isWriting``, or a field of her own): teammates in the room
    would read it, with no word list and no mute. Only who she is may go through."""
    conn_c, _ = await _chat_room(chloe, chloe, TEAM_A_CHAT)
    conn_b, _ = await _chat_room(benjamin, benjamin, TEAM_A_CHAT)
    a = RoomClient(conn_c, "chat")
    b = RoomClient(conn_b, "chat")
    async with a.provider, b.provider:
        await asyncio.wait_for(a.provider.synced.wait(), 10)
        await asyncio.wait_for(b.provider.synced.wait(), 10)
        a.awareness.set_local_state(
            {
                "user": {"name": "Profesora Rojas"},
                "isWriting": "AWARE-TEXT you idiot",
                "note": "AWARE-NOTE",
            }
        )
        update = a.awareness.encode_awareness_update([a.ydoc.client_id])
        await a.channel.send(create_awareness_message(update))
        deadline = time.monotonic() + 3
        while time.monotonic() < deadline and not b.others():
            await asyncio.sleep(0.1)
        seen = json.dumps(b.others())
    conn_c.close()
    conn_b.close()
    assert "AWARE-TEXT" not in seen and "AWARE-NOTE" not in seen, seen
    assert "Profesora Rojas" not in seen, seen


async def _sync_text(browser: Browser, room: str, write: str | None, wait: float = 1.0) -> str:
    """Join room ``room`` as a y-sync client, write ``write`` into a shared text (if given),
    and return what the shared text holds after ``wait`` seconds."""
    conn = await browser.websocket(f"api/collaboration/room/{room}")
    doc = Doc()
    provider = Provider(doc, WSChannel(conn, room, Awareness(doc)))
    async with provider:
        await asyncio.wait_for(provider.synced.wait(), 10)
        text = doc.get("note", type=Text)
        if write:
            text += write
        await asyncio.sleep(wait)
        seen = str(text)
    conn.close()
    return seen


@pytest.mark.parametrize(
    "room", ["vx-secret-meeting", "JupyterLab:globalAwareness", "text%3Achat%3Anothing"]
)
async def test_no_unmoderated_side_channel_between_teams(chloe: Browser, lucas: Browser, room: str):
    """Door: a room that is not a document (any name with fewer than two colons, or the
    colons percent-encoded) is a transient y-sync room upstream: Chloé (team A) and Lucas
    (team B) would share a document there that no teacher sees, no word list holds and no
    mute stops. What Chloé writes must not reach Lucas."""
    secret = f"meet at 5, don't tell ({room})"
    loop = asyncio.get_running_loop()
    listener = loop.create_task(_sync_text(lucas, room, None, wait=2.0))
    await asyncio.sleep(0.7)
    with contextlib.suppress(HTTPClientError):
        await _sync_text(chloe, room, secret, wait=0.5)
    try:
        heard = await listener
    except HTTPClientError:
        heard = ""
    assert secret not in heard


async def _room_state(browser: Browser, path: str) -> bytes:
    conn, _ = await _chat_room(browser, browser, path)
    doc = Doc()
    provider = Provider(doc, WSChannel(conn, "chat", Awareness(doc)))
    async with provider:
        await asyncio.wait_for(provider.synced.wait(), 10)
        await asyncio.sleep(0.3)
        state = doc.get_update()
    conn.close()
    return state


# ----------------------------------------------------------------------------------------------
# forged fields, mutes, word list tricks


def test_forged_fields_in_the_posted_json_are_ignored(chloe: Browser, benjamin: Browser):
    """Door: Chloé posts with her own time, colour, id, metadata, raw_time, mentions and a
    role: the server's values win."""
    assert post(chloe, "team:team_rivers", "a plain one").status_code == 200
    before = time.time()
    response = post(
        chloe,
        "team:team_rivers",
        "forged fields test",
        time=1.0,
        raw_time=True,
        id="chosen-id",
        colour="#000000",
        color="#000000",
        role="teacher",
        metadata={"vxkit": {"name": "Profesora Rojas", "role": "teacher", "hidden": True}},
        mentions=["everyone"],
        stamped=False,
    )
    assert response.status_code == 200, response.text
    assert response.json()["id"] != "chosen-id"
    seen = next(m for m in messages(benjamin) if m["text"] == "forged fields test")
    own = next(m for m in messages(benjamin) if m["text"] == "a plain one")
    assert seen["time"] >= before - 1
    assert (seen["name"], seen["role"], seen["hidden"], seen["stamped"]) == (
        "Chloé",
        "student",
        False,
        True,
    )
    assert seen["colour"] == own["colour"] != "#000000"


def test_muted_student_cant_post_by_any_door(
    server: Server, chloe: Browser, laurent: Browser, team_a_session: dict
):
    """Doors while muted: the team chat, the class chat, a comment, an answer to a thread, a
    resolve (allowed: no text), and a held word (must not reach the queue either)."""
    student = next(m["student_id"] for m in messages(laurent) if m["name"] == "Chloé")
    started = chloe.post(
        "vxkit/api/comments",
        {
            "path": TEAM_A_NOTEBOOK,
            "cell_id": cell_id(server, TEAM_A_NOTEBOOK),
            "body": "before mute",
        },
    )
    assert started.status_code == 200
    assert (
        laurent.post("vxkit/api/moderation/mute", {"student": student, "minutes": 5}).status_code
        == 200
    )
    try:
        attempts = {
            "team": post(chloe, "team:team_rivers", "muted team"),
            "class": post(chloe, "class:lyon_4b", "muted class"),
            "held word": post(chloe, "team:team_rivers", "muted stupid"),
            "comment": chloe.post(
                "vxkit/api/comments",
                {
                    "path": TEAM_A_NOTEBOOK,
                    "cell_id": cell_id(server, TEAM_A_NOTEBOOK),
                    "body": "muted c",
                },
            ),
            "answer": chloe.post(
                "vxkit/api/comments",
                {"path": TEAM_A_NOTEBOOK, "thread": started.json()["thread"], "body": "muted a"},
            ),
        }
        assert {d: r.status_code for d, r in attempts.items()} == dict.fromkeys(attempts, 403)
        queue = laurent.get("vxkit/api/moderation").json()["held"]
        assert not any(h["text"] == "muted stupid" for h in queue)
        # a muted student can't unmute herself
        assert (
            chloe.post("vxkit/api/moderation/mute", {"student": student, "minutes": 0}).status_code
            == 403
        )
        assert post(chloe, "team:team_rivers", "still muted").status_code == 403
    finally:
        laurent.post("vxkit/api/moderation/mute", {"student": student, "minutes": 0})


FLAGGED_TRICKS = {
    "upper case": "you are STUPID",
    "accents": "you are stüpíd",
    "fullwidth": "you are ｓｔｕｐｉｄ",
    "zero-width space": "you are stu\u200bpid",
    "zero-width joiner": "you are s\u200dtupid",
    "soft hyphen": "you are stu\u00adpid",
    "word joiner": "you are st\u2060upid",
    "bidi mark": "you are stu\u200fpid",
    "phrase, odd spaces": "shut\u00a0up",
}


@pytest.mark.parametrize("trick", FLAGGED_TRICKS)
def test_flagged_word_with_unicode_tricks_is_held(chloe: Browser, benjamin: Browser, trick: str):
    """Door: a word of the list with case, accents, fullwidth letters, invisible characters
    inside, a non-breaking space: still held. (Homoglyphs from other scripts, ``s.t.u.p.i.d``
    and leetspeak are not caught: a word list can't, and teachers hide those.)"""
    text = FLAGGED_TRICKS[trick]
    response = post(chloe, "team:team_rivers", text)
    assert response.status_code == 202, (trick, response.status_code, response.text)
    assert text not in texts(benjamin)


# ----------------------------------------------------------------------------------------------
# held and hidden messages, by every door


async def test_held_message_reaches_no_teammate_by_any_door(
    server: Server, chloe: Browser, benjamin: Browser, laurent: Browser
):
    """Doors for Benjamín to Chloé's held message: the chat, the chat list (counts), the chat
    file (contents API), the shared document (room), export, the moderation queue, the
    comments API (a held comment too)."""
    before = next(
        c for c in benjamin.get("vxkit/api/chats").json()["chats"] if c["key"] == "team:team_rivers"
    )
    text = "HELD-" + str(time.time()) + " you idiot"
    assert post(chloe, "team:team_rivers", text).status_code == 202
    comment = "HELDC-" + str(time.time()) + " idiot"
    held_comment = chloe.post(
        "vxkit/api/comments",
        {"path": TEAM_A_NOTEBOOK, "cell_id": cell_id(server, TEAM_A_NOTEBOOK), "body": comment},
    )
    assert held_comment.status_code == 202
    after = next(
        c for c in benjamin.get("vxkit/api/chats").json()["chats"] if c["key"] == "team:team_rivers"
    )
    assert (after["unread"], after["messages"]) == (before["unread"], before["messages"])
    doors = {
        "chat": benjamin.get("vxkit/api/chats/team%3Ateam_rivers"),
        "list": benjamin.get("vxkit/api/chats"),
        "contents": benjamin.get(f"api/contents/{TEAM_A_CHAT}?content=1"),
        "files": benjamin.get(f"files/{TEAM_A_CHAT}"),
        "export": benjamin.get("vxkit/api/chats/team%3Ateam_rivers/export?format=json"),
        "queue": benjamin.get("vxkit/api/moderation"),
        "comments": benjamin.get(f"vxkit/api/comments?path={quote(TEAM_A_NOTEBOOK)}"),
    }
    for door, r in doors.items():
        assert text not in r.text and comment not in r.text, door
    state = await _room_state(benjamin, TEAM_A_CHAT)
    assert text.encode() not in state
    # the author sees her own, waiting
    assert any(m["held"] and m["text"] == text for m in messages(chloe))
    queue = laurent.get("vxkit/api/moderation").json()["held"]
    assert any(h["text"] == text for h in queue) and any(h["text"] == comment for h in queue)


async def test_hidden_text_reaches_no_student_by_any_door(
    server: Server, chloe: Browser, benjamin: Browser, laurent: Browser
):
    """Doors for Benjamín to a message a teacher hid: the chat, the file, the shared document's
    full state (deleted content kept in the CRDT), export, the store through the contents API."""
    text = "HIDDEN-" + str(time.time()) + " my address is 12 rue X"
    message_id = post(chloe, "team:team_rivers", text).json()["id"]
    await _room_state(benjamin, TEAM_A_CHAT)  # the room is live with the text in it
    r = laurent.post("vxkit/api/moderation/hide", {"chat": "team:team_rivers", "id": message_id})
    assert r.status_code == 200
    doors = {
        "chat": benjamin.get("vxkit/api/chats/team%3Ateam_rivers"),
        "contents": benjamin.get(f"api/contents/{TEAM_A_CHAT}?content=1"),
        "files": benjamin.get(f"files/{TEAM_A_CHAT}"),
        "checkpoints": benjamin.get(f"api/contents/{TEAM_A_CHAT}/checkpoints"),
        "export": benjamin.get("vxkit/api/chats/team%3Ateam_rivers/export?format=csv"),
        "hidden.json": benjamin.get("api/contents/.vxkit/chat/hidden.json?content=1"),
        "journal": benjamin.get("files/.vxkit/chat/journal/team-team_rivers.jsonl"),
        "ystore": benjamin.get("files/.vxkit/ystore.db"),
    }
    for door, resp in doors.items():
        assert text not in resp.text, door
    state = await _room_state(benjamin, TEAM_A_CHAT)
    assert text.encode() not in state, "the hidden text is still in the shared document's state"
    # a second hide, and hide of an unknown id, by Chloé: refused
    assert (
        chloe.post(
            "vxkit/api/moderation/hide", {"chat": "team:team_rivers", "id": message_id}
        ).status_code
        == 403
    )


# ----------------------------------------------------------------------------------------------
# teachers' routes, visitors, strangers


TEACHER_ROUTES = [
    "vxkit/api/moderation",
    "vxkit/api/moderation/hide",
    "vxkit/api/moderation/mute",
    "vxkit/api/moderation/held/0123abcd",
    "vxkit/api/chats/team%3Ateam_rivers/export?format=json",
    "vxkit/api/chats/team%3Ateam_rivers/export?format=csv",
]


def test_students_visitors_strangers_reach_no_moderation_route_by_any_method(
    chloe: Browser, visitor: Browser, stranger: Browser, laurent: Browser
):
    """Doors: every moderation route by every method, as a student, a visitor, a stranger;
    the word list, mutes and held queue unchanged afterwards."""
    before = laurent.get("vxkit/api/moderation").json()
    student = "lyon_4b-chloe"
    bodies = {
        "vxkit/api/moderation": {"words": [], "agora": True, "visitors": True},
        "vxkit/api/moderation/hide": {"chat": "team:team_rivers", "id": "x"},
        "vxkit/api/moderation/mute": {"student": student, "minutes": 0},
    }
    for who in (chloe, visitor, stranger):
        for route in TEACHER_ROUTES:
            for method in ("GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS"):
                body = bodies.get(route.split("?")[0], {"action": "release"})
                r = who.request(method, route, json=body)
                assert r.status_code in (302, 403, 404, 405), (who, method, route, r.status_code)
                assert "débile" not in r.text, (who, method, route)
    after = laurent.get("vxkit/api/moderation").json()
    assert after["settings"] == before["settings"]
    assert after["held"] == before["held"]
    assert after["mutes"] == before["mutes"]


def test_visitor_and_stranger_reach_no_chat_or_comment(
    visitor: Browser, stranger: Browser, team_b_secrets: dict[str, str], teacher: Browser
):
    """Doors for a visitor (teachers did not open chats to visitors) and a stranger: chat
    endpoints, seen, the chat file, the room session, posting a comment."""
    session = teacher.put(
        f"api/collaboration/session/{TEAM_B_CHAT}", {"format": "text", "type": "chat"}
    ).json()
    for who in (visitor, stranger):
        attempts = {
            "chat": who.get("vxkit/api/chats/team%3Ateam_forests"),
            "post": post(who, "team:team_forests", "hello"),
            "seen": who.post("vxkit/api/chats/team%3Ateam_forests/seen", {}),
            "contents": who.get(f"api/contents/{TEAM_B_CHAT}"),
            "files": who.get(f"files/{TEAM_B_CHAT}"),
            "session": who.put(
                f"api/collaboration/session/{TEAM_B_CHAT}", {"format": "text", "type": "chat"}
            ),
            "fileid": who.get(f"api/fileid/path?id={session['fileId']}"),
            "comment": who.post(
                "vxkit/api/comments",
                {
                    "path": TEAM_B_NOTEBOOK,
                    "thread": team_b_secrets["thread"],
                    "body": "visitor says",
                },
            ),
            "resolve": who.post(
                "vxkit/api/comments/resolve",
                {"path": TEAM_B_NOTEBOOK, "thread": team_b_secrets["thread"]},
            ),
        }
        opened = {
            d: r.status_code for d, r in attempts.items() if r.status_code not in (302, 403, 404)
        }
        assert opened == {}, (who, opened)
        for door, r in attempts.items():
            assert team_b_secrets["chat"] not in r.text, (who, door)
    if stranger.get(f"vxkit/api/comments?path={quote(TEAM_B_NOTEBOOK)}").status_code == 200:
        pytest.fail("a stranger read team B's comments")


async def test_visitor_and_stranger_cant_open_a_chat_room(
    visitor: Browser, stranger: Browser, teacher: Browser
):
    """Door: the chat room websocket for a visitor (chats closed to visitors) and a stranger."""
    session = teacher.put(
        f"api/collaboration/session/{TEAM_B_CHAT}", {"format": "text", "type": "chat"}
    ).json()
    room = f"api/collaboration/room/text:chat:{session['fileId']}?sessionId={session['sessionId']}"
    for who in (visitor, stranger):
        with pytest.raises(HTTPClientError) as refused:
            conn = await who.websocket(room)
            conn.close()
        assert refused.value.code in REFUSED, who


# ----------------------------------------------------------------------------------------------
# hostile text, long waits


def test_hostile_comment_text_is_refused_or_kept_as_text(
    server: Server, chloe: Browser, benjamin: Browser
):
    """Door: a 100 KB comment, a comment with HTML and a bidi override, a comment with a
    cell id that is a path."""
    cid = cell_id(server, TEAM_A_NOTEBOOK)
    big = chloe.post(
        "vxkit/api/comments", {"path": TEAM_A_NOTEBOOK, "cell_id": cid, "body": "A" * 100_000}
    )
    assert big.status_code == 400 and "'body'" in big.json()["message"]
    odd = chloe.post(
        "vxkit/api/comments", {"path": TEAM_A_NOTEBOOK, "cell_id": "../../x", "body": "hi"}
    )
    assert odd.status_code == 400 and "'cell_id'" in odd.json()["message"]
    text = "<img src=x onerror=alert(1)>\u202eevil"
    ok = chloe.post("vxkit/api/comments", {"path": TEAM_A_NOTEBOOK, "cell_id": cid, "body": text})
    assert ok.status_code == 200
    seen = benjamin.get(f"vxkit/api/comments?path={quote(TEAM_A_NOTEBOOK)}")
    assert seen.headers["Content-Type"].startswith("application/json")
    bodies = [c["text"] for t in seen.json()["threads"] for c in t["comments"]]
    assert "<img src=x onerror=alert(1)>evil" in bodies
    assert "\u202e" not in seen.text and "\\u202e" not in seen.text


@pytest.mark.parametrize("wait", ["nan", "-nan", "inf", "-inf", "1e400"])
def test_long_poll_wait_that_is_not_a_number_gets_a_sentence(chloe: Browser, wait: str):
    """Door: a ``wait`` of NaN or infinity on the long poll. NaN compares false with
    everything, so ``min(nan, MAX_WAIT)`` is NaN, and a NaN timeout in asyncio's timer heap
    can leave the reader waiting far past MAX_WAIT (seen: no answer in 40 s) and reorder other
    timers of the server. The answer is a 400 naming the field, at once."""
    version = chloe.get("vxkit/api/chats/team%3Ateam_rivers").json()["version"]
    url = f"{chloe.server.url}vxkit/api/chats/team%3Ateam_rivers?after={version}&wait={wait}"
    try:
        r = chloe.session.get(url, headers=chloe.headers(), timeout=15)
    except Exception as err:  # the read timed out: the server never answered
        pytest.fail(f"wait={wait}: no answer ({err})")
    assert r.status_code == 400, (r.status_code, r.text[:200])
    assert "'wait'" in r.json()["message"]


# ----------------------------------------------------------------------------------------------
# the student's kernel


async def test_sandbox_kernel_cannot_reach_the_chat_store(
    server: Server, chloe: Browser, team_a_session: dict, team_b_secrets: dict[str, str]
):
    """Door: Chloé's own kernel opens the chat and comments store, team B's chat, and writes
    into her own team chat file, the mutes and the word list, from $VXKIT_WORKSPACE."""
    targets = [*STATE_FILES, TEAM_B_CHAT, "chats/classes/nairobi_7.chat", ".vxkit/comments"]
    writes = [
        TEAM_A_CHAT,
        ".vxkit/chat/mutes.json",
        ".vxkit/chat/settings.json",
        ".vxkit/chat/FORGED",
    ]
    code = (
        "import os, json\n"
        "root = os.environ.get('VXKIT_WORKSPACE') or os.getcwd()\n"
        "print('ROOT', root)\n"
        f"for p in {targets!r}:\n"
        "    f = os.path.join(root, p)\n"
        "    try:\n"
        "        data = os.listdir(f) if os.path.isdir(f) else open(f, 'rb').read()\n"
        "        print('READ', p, str(data)[:300])\n"
        "    except Exception as err:\n"
        "        print('DENIED', p, type(err).__name__)\n"
        f"for p in {writes!r}:\n"
        "    f = os.path.join(root, p)\n"
        "    try:\n"
        "        with open(f, 'a') as out: out.write('')\n"
        "        print('WROTE', p)\n"
        "    except Exception as err:\n"
        "        print('DENIED', p, type(err).__name__)\n"
    )
    output = await run_code(chloe, team_a_session["kernel"]["id"], code)
    assert output is not None and "ROOT" in output, output
    # a refusal must be the sandbox's, not a wrong guess of the root or a missing file
    assert os.path.realpath(output.split("ROOT ", 1)[1].split()[0]) == os.path.realpath(
        server.root
    ), output
    missing = [
        line.split()[1] for line in output.splitlines() if line.endswith("FileNotFoundError")
    ]
    assert [p for p in missing if (server.root / p).exists()] == [], output
    assert (
        server.root / TEAM_B_CHAT
    ).exists() and "DENIED chats/teams/team_forests.chat Perm" in output
    leaks = [line for line in output.splitlines() if line.startswith(("READ", "WROTE"))]
    assert leaks == [], output
    assert team_b_secrets["chat"] not in output
