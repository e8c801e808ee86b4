"""The classroom's event stream (``/vxkit/api/events``), as a student trying to get around it:
listening in on another team's presence, unread counts and comments, the teachers' job
progress, forging subscribe messages, sending junk; as a visitor trying to write; as someone
not signed in. Every "gets nothing" has a positive control (the teacher's or a teammate's
stream gets it), so a stream that pushes nothing at all fails too.

Personas besides the harness's: Benjamín (Valparaíso, team A like Chloé) and Kito (Nairobi,
team B), who only watches until his class's link is revoked.
"""

from __future__ import annotations

import asyncio
import json
import time
from typing import Any
from urllib.parse import quote

import pytest
from tornado.httpclient import HTTPClientError
from tornado.websocket import WebSocketClientConnection

from .conftest import TEAM_B_NOTEBOOK, Browser, Server, open_room, signed_in

EVENTS = "vxkit/api/events"
GLOBAL_ROOM = "JupyterLab:globalAwareness"
#: what nobody outside team B may learn: its id, its members' names, its folder
TEAM_B_WORDS = ("team_forests", "Lucas", "Manon", "Yanis", "Zawadi", "Wanjiru", "Kito", "Matías")
TEACHER_TYPES = {"presence", "jobs", "units", "contributions"}


class Stream:
    """One browser tab's event stream: every message it received, read in the background."""

    def __init__(self, conn: WebSocketClientConnection) -> None:
        self.conn = conn
        self.raw: list[str | bytes] = []
        self.closed: tuple[int | None, str | None] | None = None
        self._task = asyncio.get_running_loop().create_task(self._read())

    @classmethod
    async def open(cls, browser: Browser) -> Stream:
        stream = cls(await browser.websocket(EVENTS))
        await stream.wait(lambda m: m["type"] == "hello", "hello")
        # every role reads some chats: their rows close the first snapshot
        await stream.wait(lambda m: m["type"] == "chats", "the first snapshot")
        return stream

    async def _read(self) -> None:
        while True:
            message = await self.conn.read_message()
            if message is None:
                self.closed = (self.conn.close_code, self.conn.close_reason)
                return
            self.raw.append(message)

    def messages(self) -> list[dict[str, Any]]:
        return [json.loads(m) for m in self.raw if isinstance(m, str)]

    def of(self, kind: str) -> list[dict[str, Any]]:
        return [m for m in self.messages() if m["type"] == kind]

    def text(self) -> str:
        return "\n".join(m if isinstance(m, str) else m.decode("latin-1") for m in self.raw)

    async def wait(self, predicate, what: str, timeout: float = 15.0) -> dict[str, Any]:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            for message in self.messages():
                if predicate(message):
                    return message
            if self.closed:
                break
            await asyncio.sleep(0.05)
        raise AssertionError(
            f"no {what} on the stream (closed: {self.closed}): {self.text()[-800:]}"
        )

    async def send(self, message: str | bytes) -> None:
        await self.conn.write_message(message, binary=isinstance(message, bytes))

    def close(self) -> None:
        self.conn.close()
        self._task.cancel()


def leaks(stream: Stream) -> list[str]:
    """The words of team B found in what ``stream`` received."""
    text = stream.text()
    return [word for word in TEAM_B_WORDS if word in text]


def assert_told_nothing(stream: Stream) -> None:
    """Nothing of team B and none of the teachers' topics reached ``stream``."""
    assert not leaks(stream), leaks(stream)
    assert not {m["type"] for m in stream.messages()} & TEACHER_TYPES


def chat_row(message: dict[str, Any], key: str) -> dict[str, Any] | None:
    return next((row for row in message["data"]["chats"] if row["key"] == key), None)


def counted(stream: Stream, key: str = "team:team_rivers") -> int:
    """How many messages chat ``key`` had in the newest rows ``stream`` received."""
    rows = stream.of("chats")
    return (chat_row(rows[-1], key) or {}).get("messages", 0) if rows else 0


@pytest.fixture(scope="module")
def benjamin(server: Server) -> Browser:
    """Benjamín, class Valparaíso, team A (team_rivers), like Chloé."""
    return signed_in(server, "valparaiso_1m", "benjamin", name="Benjamín")


def post(browser: Browser, chat: str, text: str) -> None:
    response = browser.post(f"vxkit/api/chats/{quote(chat)}", {"body": text})
    assert response.status_code == 200, (browser, response.status_code, response.text)


# ----------------------------------------------------------------------------------------------
# who may open it


async def test_a_stream_is_refused_to_someone_not_signed_in(stranger: Browser, server: Server):
    """Door: the event stream without a login cookie (or with a made-up one) tells who is
    online and what is going on."""
    with pytest.raises(HTTPClientError) as refused:
        await stranger.websocket(EVENTS)
    assert refused.value.code == 403
    fake = Browser(server, label="fake cookie")
    fake.session.cookies.set(f"username-localhost-{server.port}", "2|made-up|value")
    with pytest.raises(HTTPClientError) as refused:
        await fake.websocket(EVENTS)
    assert refused.value.code == 403


async def test_each_role_is_told_its_own_topics(chloe: Browser, visitor: Browser, teacher: Browser):
    topics = {}
    for who, browser in (("chloe", chloe), ("visitor", visitor), ("teacher", teacher)):
        stream = await Stream.open(browser)
        hello = stream.of("hello")[0]
        topics[who] = (hello["role"], set(hello["topics"]))
        stream.close()
    assert topics["chloe"] == ("student", {"team", "chats", "comments"})
    assert topics["visitor"] == ("visitor", {"chats", "comments"})
    assert topics["teacher"][0] == "teacher"
    assert topics["teacher"][1] >= TEACHER_TYPES


# ----------------------------------------------------------------------------------------------
# presence


async def test_a_student_hears_her_own_team_come_online_and_nobody_else(
    chloe: Browser, lucas: Browser, benjamin: Browser, teacher: Browser
):
    """Door: Chloé keeps her stream open while Lucas (team B) opens JupyterLab and his team
    notebook: does her stream say he is online, or where?"""
    mine, teachers = await Stream.open(chloe), await Stream.open(teacher)
    rooms = []
    try:
        first = await mine.wait(lambda m: m["type"] == "team", "Chloé's team")
        assert first["data"]["team"] == "team_rivers"
        rooms.append(await open_room(lucas, GLOBAL_ROOM))
        session = lucas.put(
            f"api/collaboration/session/{quote(TEAM_B_NOTEBOOK)}",
            {"format": "json", "type": "notebook"},
        ).json()
        rooms.append(
            await open_room(lucas, f"json:notebook:{session['fileId']}", session["sessionId"])
        )
        # the teacher's stream tells it (so the stream works), ...
        await teachers.wait(
            lambda m: (
                m["type"] == "presence"
                and any(c["document"] == TEAM_B_NOTEBOOK for c in m["data"]["connections"])
            ),
            "Lucas in his team notebook, on the teacher's stream",
        )
        # ... and Benjamín, her teammate, coming online reaches Chloé
        rooms.append(await open_room(benjamin, GLOBAL_ROOM))
        await mine.wait(
            lambda m: (
                m["type"] == "team"
                and any(p["name"] == "Benjamín" and p["online"] for p in m["data"]["members"])
            ),
            "Benjamín online, on Chloé's stream",
        )
        await asyncio.sleep(0.6)  # anything else pushed with it has arrived
        assert_told_nothing(mine)
    finally:
        for room in rooms:
            room.conn.close()
        mine.close()
        teachers.close()


# ----------------------------------------------------------------------------------------------
# unread counts


async def test_a_student_gets_unread_counts_of_her_own_chats_only(
    chloe: Browser, lucas: Browser, benjamin: Browser, teacher: Browser
):
    """Door: Lucas writes in team B's chat; does Chloé's stream count it for her, or name
    that chat at all?"""
    mine, teachers = await Stream.open(chloe), await Stream.open(teacher)
    try:
        post(lucas, "team:team_forests", "our secret plan")
        await teachers.wait(
            lambda m: (
                m["type"] == "chats"
                and (chat_row(m, "team:team_forests") or {}).get("unread", 0) > 0
            ),
            "team B's unread count on the teacher's stream",
        )
        post(benjamin, "team:team_rivers", "hola equipo")
        await mine.wait(
            lambda m: (
                m["type"] == "chats"
                and (chat_row(m, "team:team_rivers") or {}).get("unread", 0) > 0
            ),
            "Benjamín's message counted on Chloé's stream",
        )
        await asyncio.sleep(0.6)
        for message in mine.of("chats"):
            keys = {row["key"] for row in message["data"]["chats"]}
            assert keys <= {"team:team_rivers", "class:lyon_4b", "agora"}, keys
        assert not leaks(mine), leaks(mine)
        assert "secret plan" not in mine.text()
    finally:
        mine.close()
        teachers.close()


async def test_reading_a_chat_moves_only_my_own_count(chloe: Browser, benjamin: Browser):
    """Chloé marks her team chat read: her count drops; Benjamín's stream is not told about
    her reading (nor is his count changed)."""
    mine, his = await Stream.open(chloe), await Stream.open(benjamin)
    try:
        his_count = counted(his)
        post(benjamin, "team:team_rivers", "¿alguien?")
        await mine.wait(
            lambda m: m["type"] == "chats" and chat_row(m, "team:team_rivers")["unread"] > 0,
            "an unread message for Chloé",
        )
        await his.wait(
            lambda m: (
                m["type"] == "chats" and chat_row(m, "team:team_rivers")["messages"] > his_count
            ),
            "his own message in his rows",
        )
        before = len(his.of("chats"))
        response = chloe.post(f"vxkit/api/chats/{quote('team:team_rivers')}/seen", {})
        assert response.status_code == 200
        await mine.wait(
            lambda m: m["type"] == "chats" and chat_row(m, "team:team_rivers")["unread"] == 0,
            "Chloé's count back to 0",
        )
        await asyncio.sleep(0.6)
        assert len(his.of("chats")) == before  # nothing changed for him: nothing sent
    finally:
        mine.close()
        his.close()


# ----------------------------------------------------------------------------------------------
# the teacher's jobs


async def test_job_progress_and_unit_counts_go_to_teachers_only(chloe: Browser, teacher: Browser):
    """Door: Chloé keeps her stream open while the teacher collects the unit: does she see
    the job, its progress or the hand-in counts?"""
    mine, teachers = await Stream.open(chloe), await Stream.open(teacher)
    try:
        response = teacher.post("vxkit/api/jobs", {"action": "collect", "unit": "meet_partners"})
        assert response.status_code == 202, response.text
        job_id = response.json()["job"]["id"]
        await teachers.wait(
            lambda m: (
                m["type"] == "jobs"
                and any(j["id"] == job_id and j["state"] != "running" for j in m["data"]["jobs"])
            ),
            "the collect job's end on the teacher's stream",
            timeout=90,
        )
        await teachers.wait(lambda m: m["type"] == "units", "unit counts on the teacher's stream")
        await asyncio.sleep(1.5)  # the counts' push is throttled: let a late one arrive
        assert job_id not in mine.text()
        assert_told_nothing(mine)
    finally:
        mine.close()
        teachers.close()


# ----------------------------------------------------------------------------------------------
# forged messages


async def test_a_forged_subscribe_gets_nothing_of_another_team(
    chloe: Browser, lucas: Browser, teacher: Browser
):
    """Door: Chloé's browser asks her stream for the teachers' topics and for team B's chat,
    presence and notebook by name, then Lucas comments on team B's notebook and chats."""
    mine, teachers = await Stream.open(chloe), await Stream.open(teacher)
    try:
        await mine.send(
            json.dumps(
                {
                    "type": "subscribe",
                    "topics": ["presence", "jobs", "units", "contributions", "team", "chats"],
                    "team": "team_forests",
                    "chat": "team:team_forests",
                    "path": TEAM_B_NOTEBOOK,
                    "role": "teacher",
                }
            )
        )
        ack = await mine.wait(lambda m: m["type"] == "subscribed", "the subscribe's answer")
        assert set(ack["topics"]) == {"team", "chats"}
        await mine.send(json.dumps({"type": "subscribe", "topics": ["team", "chats", "comments"]}))
        await mine.wait(
            lambda m: m["type"] == "subscribed" and "comments" in m["topics"], "comments back"
        )
        notebook = teacher.get(f"api/contents/{quote(TEAM_B_NOTEBOOK)}").json()
        cell = notebook["content"]["cells"][0]["id"]
        response = lucas.post(
            "vxkit/api/comments", {"path": TEAM_B_NOTEBOOK, "cell_id": cell, "body": "look here"}
        )
        assert response.status_code == 200, response.text
        before = counted(teachers, "team:team_forests")
        post(lucas, "team:team_forests", "only us")
        await teachers.wait(
            lambda m: m["type"] == "comments" and m["data"]["path"] == TEAM_B_NOTEBOOK,
            "the comment on the teacher's stream",
        )
        await teachers.wait(
            lambda m: (
                m["type"] == "chats" and chat_row(m, "team:team_forests")["messages"] > before
            ),
            "team B's new message on the teacher's stream",
        )
        await asyncio.sleep(0.6)
        assert_told_nothing(mine)
    finally:
        mine.close()
        teachers.close()


async def test_junk_is_ignored_and_other_streams_go_on(
    chloe: Browser, benjamin: Browser, teacher: Browser
):
    """Door: Chloé sends her stream what it doesn't expect (binary, broken JSON, wrong
    shapes, a huge message from a second tab): her stream stays open, and the teacher's and
    Benjamín's keep streaming."""
    mine, spare = await Stream.open(chloe), await Stream.open(chloe)
    teachers, his = await Stream.open(teacher), await Stream.open(benjamin)
    try:
        for junk in [
            b"\x00\x01\x02\xff",
            "not json at all",
            "[1, 2, 3]",
            '{"type": 5}',
            '{"type": "subscribe", "topics": "everything"}',
            '{"type": "subscribe", "topics": [1, null, {"team": "team_forests"}]}',
            '{"type": "post", "chat": "team:team_rivers", "body": "sent over the stream"}',
            "\ud800".encode("utf-8", "surrogatepass"),
            "{" * 1000,
        ]:
            await mine.send(junk)
        await spare.send("x" * 100_000)  # over the size limit: this tab's stream ends
        streams = ((teachers, "teacher"), (his, "Benjamín"), (mine, "Chloé"))
        before = {who: counted(stream) for stream, who in streams}
        post(benjamin, "team:team_rivers", "still there?")
        for stream, who in streams:
            await stream.wait(
                lambda m, who=who: (
                    m["type"] == "chats"
                    and chat_row(m, "team:team_rivers")["messages"] > before[who]
                ),
                f"the new message on {who}'s stream",
            )
        await mine.send(json.dumps({"type": "subscribe", "topics": ["team", "chats"]}))
        await mine.wait(lambda m: m["type"] == "subscribed", "an answer: her stream is open")
        assert mine.closed is None and teachers.closed is None and his.closed is None
        chat = teacher.get(f"vxkit/api/chats/{quote('team:team_rivers')}").json()
        assert "sent over the stream" not in json.dumps(chat)
    finally:
        for stream in (mine, spare, teachers, his):
            stream.close()


# ----------------------------------------------------------------------------------------------
# visitors


async def test_a_visitors_stream_is_read_only_and_tells_no_presence(
    visitor: Browser, chloe: Browser, teacher: Browser
):
    """Door: a visitor sends write-like messages over the stream (post, seen, mute, ask for
    presence) and watches while Chloé comes online."""
    theirs = await Stream.open(visitor)
    rooms = []
    try:
        for message in [
            {"type": "post", "chat": "team:team_rivers", "body": "visitor was here"},
            {"type": "seen", "chat": "team:team_rivers"},
            {"type": "mute", "student": "lyon_4b-chloe", "minutes": 60},
            {"type": "subscribe", "topics": ["presence", "team", "jobs"]},
        ]:
            await theirs.send(json.dumps(message))
        ack = await theirs.wait(lambda m: m["type"] == "subscribed", "the subscribe's answer")
        assert ack["topics"] == []
        rooms.append(await open_room(chloe, GLOBAL_ROOM))
        await asyncio.sleep(1.0)
        chat = teacher.get(f"vxkit/api/chats/{quote('team:team_rivers')}").json()
        assert "visitor was here" not in json.dumps(chat)
        assert not {m["type"] for m in theirs.messages()} & (TEACHER_TYPES | {"team"})
        assert "Chloé" not in theirs.text()
        assert theirs.closed is None
    finally:
        for room in rooms:
            room.conn.close()
        theirs.close()


# ----------------------------------------------------------------------------------------------
# revoked links (last: it signs a class out)


async def test_a_revoked_link_ends_the_stream(server: Server, teacher: Browser, chloe: Browser):
    """Door: Kito keeps his stream open after the teacher revoked Nairobi's link, to go on
    hearing his team."""
    kito = signed_in(server, "nairobi_7", "kito", name="Kito")
    his = await Stream.open(kito)
    try:
        response = teacher.post("vxkit/api/links/nairobi_7", {})
        assert response.status_code == 200, response.text
        post(chloe, "class:lyon_4b", "anyone?")  # a change: every stream is pushed to
        deadline = time.monotonic() + 15
        while his.closed is None and time.monotonic() < deadline:
            await asyncio.sleep(0.1)
        assert his.closed is not None and his.closed[0] == 4403, his.closed
    finally:
        his.close()
