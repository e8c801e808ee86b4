"""Collaboration rooms, file ids and the event stream: reaching a notebook by its room or file
id, writing as a visitor with every encoding of a y-sync message, and watching the teacher's
files go by on /api/events/subscribe."""

from __future__ import annotations

import asyncio
import json
import time
from urllib.parse import quote

import pytest
from jupyter_ydoc import YNotebook
from pycrdt import Doc, Encoder, create_sync_message, create_update_message, handle_sync_message

from .conftest import (
    GRADEBOOK,
    SOLUTION_MARKER,
    SOURCE_NOTEBOOK,
    TEAM_A_NOTEBOOK,
    TEAM_B_NOTEBOOK,
    Browser,
    Server,
    document_session,
    open_room,
    shows,
)

REFUSED = (403, 404)


@pytest.fixture(scope="module")
def source_id(teacher: Browser) -> str:
    """The file id of the nbgrader source notebook (the harness asks as the teacher)."""
    return document_session(teacher, SOURCE_NOTEBOOK)["fileId"]


@pytest.fixture(scope="module")
def team_a_id(teacher: Browser) -> str:
    return document_session(teacher, TEAM_A_NOTEBOOK)["fileId"]


@pytest.fixture(scope="module")
def sid(chloe: Browser) -> str:
    """The server's document session id, read by Chloé from her own team notebook."""
    return document_session(chloe, TEAM_A_NOTEBOOK)["sessionId"]


# ----------------------------------------------------------------------------------------------
# document sessions and file ids


@pytest.mark.parametrize(
    ("who", "path"),
    [
        (who, path)
        for who in ("chloe", "visitor")
        for path in (
            SOURCE_NOTEBOOK,
            quote(SOURCE_NOTEBOOK, safe=""),  # every slash encoded
            "projects/team_rivers/..%2F..%2F" + SOURCE_NOTEBOOK,
            "projects/team_rivers/%2e%2e/%2e%2e/" + SOURCE_NOTEBOOK,
        )
    ]
    + [("chloe", TEAM_B_NOTEBOOK), ("chloe", quote(TEAM_B_NOTEBOOK, safe=""))],
)
def test_document_session_refused_for_forbidden_file(
    request: pytest.FixtureRequest, path: str, who: str
):
    """Door: PUT /api/collaboration/session/<path> for the source (or team B's) notebook,
    slashes encoded or not, hands out the file id of its room."""
    person: Browser = request.getfixturevalue(who)
    response = person.put(
        f"api/collaboration/session/{path}", {"format": "json", "type": "notebook"}
    )
    assert response.status_code in REFUSED, response.status_code
    assert "fileId" not in response.text


@pytest.mark.parametrize("path", [SOURCE_NOTEBOOK, GRADEBOOK, TEAM_B_NOTEBOOK, ".vxkit/links.json"])
def test_file_id_not_handed_out_for_forbidden_path(chloe: Browser, teacher: Browser, path: str):
    """Door: GET /api/fileid/id?path=<forbidden> gives the id that opens the file's room."""
    known = document_session(teacher, path)["fileId"]  # indexed: an id exists to hand out
    response = chloe.get(f"api/fileid/id?path={quote(path)}")
    assert response.status_code in REFUSED, response.status_code
    assert known not in response.text


def test_file_path_not_told_for_forbidden_id(chloe: Browser, source_id: str):
    """Door: GET /api/fileid/path?id=<id of the source notebook> tells what the file is."""
    response = chloe.get(f"api/fileid/path?id={source_id}")
    assert response.status_code in REFUSED, response.status_code
    assert "course/source" not in response.text


def test_file_ids_not_listed_to_visitor(visitor: Browser, source_id: str):
    """Door: a visitor resolves the source notebook's file id to its path."""
    response = visitor.get(f"api/fileid/path?id={source_id}")
    assert response.status_code in REFUSED, response.status_code


async def room_leaks(browser: Browser, room_id: str, sid: str) -> str | None:
    """Open ``room_id`` and sync; the document's text if the server served it, else None."""
    try:
        client = await open_room(browser, room_id, sid)
    except Exception:
        return None
    try:
        async with client.provider:
            try:
                await asyncio.wait_for(client.provider.synced.wait(), 5)
            except asyncio.TimeoutError:
                return None
            return json.dumps(client.notebook.get())
    except Exception:
        return None
    finally:
        client.conn.close()


@pytest.mark.parametrize(
    "shape",
    [
        "json:notebook:{src}",
        "json%3Anotebook%3A{src}",
        "x%2Fjson:notebook:{src}",
        "json:notebook:{src}%2Fjson:notebook:{a}",
        "json:notebook:{a}%2F..%2Fjson:notebook:{src}",
        "json:notebook:{src}%2F",
    ],
)
async def test_room_of_forbidden_file_serves_nothing(
    server: Server,
    chloe: Browser,
    teacher: Browser,
    source_id: str,
    team_a_id: str,
    sid: str,
    shape: str,
):
    """Door: the room websocket opened on the source notebook's file id (plain, with encoded
    colons, or with an encoded slash putting an allowed id where the authorizer looks)."""
    # the teacher has the source notebook open: its room is live
    live = await open_room(teacher, f"json:notebook:{source_id}", sid)
    async with live.provider:
        await asyncio.wait_for(live.provider.synced.wait(), 10)
        text = await room_leaks(chloe, shape.format(src=source_id, a=team_a_id), sid)
    live.conn.close()
    assert text is None or SOLUTION_MARKER not in text


async def test_fork_of_forbidden_room_refused(chloe: Browser, source_id: str):
    """Door: PUT /api/collaboration/fork/<source room> makes a copy of the room to open."""
    response = chloe.put(
        f"api/collaboration/fork/json:notebook:{source_id}",
        {"title": "x", "description": "x", "synchronize": False},
    )
    assert response.status_code in REFUSED, response.status_code


# ----------------------------------------------------------------------------------------------
# visitor writes, every encoding


def varint(n: int, extra_bytes: int = 0) -> bytes:
    """``n`` as a y-protocol varint; ``extra_bytes`` > 0 gives a longer, non-canonical form
    that decoders reading varints accept (0x82 0x00 is 2)."""
    out = bytearray()
    while True:
        byte, n = n & 0x7F, n >> 7
        if not n:
            out.append(byte)
            break
        out.append(byte | 0x80)
    if extra_bytes:
        out[-1] |= 0x80
        out += b"\x80" * (extra_bytes - 1) + b"\x00"
    return bytes(out)


assert (varint(2), varint(2, 1), varint(0, 2)) == (b"\x02", b"\x82\x00", b"\x80\x80\x00")


class RawRoom:
    """A room websocket driven by hand: we sync, then send exactly the bytes we choose."""

    def __init__(self, conn) -> None:
        self.conn = conn
        self.doc = Doc()
        self.notebook = YNotebook(self.doc)
        self.received: list[bytes] = []

    async def sync(self) -> None:
        await self.conn.write_message(create_sync_message(self.doc), binary=True)
        deadline = time.monotonic() + 10
        while time.monotonic() < deadline:
            message = await asyncio.wait_for(self.conn.read_message(), 10)
            assert message is not None, "the room closed"
            if message[:2] == b"\x00\x01":  # the server's SYNC_STEP2: its document
                handle_sync_message(message[1:], self.doc)
                return
            if message[:2] == b"\x00\x00":  # the server asks for ours
                reply = handle_sync_message(message[1:], self.doc)
                if reply:
                    await self.conn.write_message(reply, binary=True)
        raise AssertionError("the room never sent its document")

    def edit(self, text: str) -> bytes:
        """Append ``text`` to the first cell locally; the update's payload (length-prefixed)."""
        before = self.doc.get_state()
        source = self.notebook.ycells[0]["source"]
        source += text
        update = self.doc.get_update(before)
        return create_update_message(update)[2:]

    async def listen(self, seconds: float) -> None:
        deadline = time.monotonic() + seconds
        while (left := deadline - time.monotonic()) > 0:
            try:
                message = await asyncio.wait_for(self.conn.read_message(), left)
            except asyncio.TimeoutError:
                return
            if message is None:
                return
            self.received.append(message if isinstance(message, bytes) else message.encode())


ENCODINGS = {
    "canonical-update": lambda p: b"\x00\x02" + p,
    "sync-step2-instead-of-update": lambda p: b"\x00\x01" + p,
    "non-canonical-message-type": lambda p: varint(0, 1) + b"\x02" + p,
    "non-canonical-sync-type": lambda p: b"\x00" + varint(2, 1) + p,
    "non-canonical-step2-type": lambda p: b"\x00" + varint(1, 1) + p,
    "both-non-canonical": lambda p: varint(0, 1) + varint(2, 1) + p,
}


@pytest.mark.parametrize("encoding", list(ENCODINGS))
async def test_visitor_update_never_reaches_the_document(
    server: Server, visitor: Browser, teacher: Browser, team_a_id: str, sid: str, encoding: str
):
    """Door: a visitor sends a document update in the room, encoded as upstream decodes it
    but not as the visitor filter expects (SYNC_STEP2, multi-byte varint types)."""
    marker = f"VISITOR-WROTE-{encoding}"
    room_id = f"json:notebook:{team_a_id}"
    watcher = await open_room(teacher, room_id, sid)
    async with watcher.provider:
        await asyncio.wait_for(watcher.provider.synced.wait(), 10)
        raw = RawRoom(await visitor.websocket(f"api/collaboration/room/{room_id}?sessionId={sid}"))
        await raw.sync()
        await raw.conn.write_message(ENCODINGS[encoding](raw.edit(marker)), binary=True)
        await raw.listen(1.5)
        seen = json.dumps(watcher.notebook.get())
        raw.conn.close()
    watcher.conn.close()
    assert marker not in seen
    on_disk = (server.root / TEAM_A_NOTEBOOK).read_text("utf-8")
    assert marker not in on_disk


def save_request(header: bytes, save_id: int) -> bytes:
    encoder = Encoder()
    encoder.write_var_string("save")
    encoder.write_var_uint(save_id)
    return header + encoder.to_bytes()


@pytest.mark.parametrize("header", [b"\x02", varint(2, 1), varint(2, 2)], ids=["1", "2", "3"])
async def test_visitor_save_request_is_not_served(
    visitor: Browser, team_a_id: str, sid: str, header: bytes
):
    """Door: a visitor asks the room to save (RAW message type 2), the type encoded in one,
    two or three bytes: upstream reads a varint and saves, the visitor filter looks at one
    byte."""
    room_id = f"json:notebook:{team_a_id}"
    raw = RawRoom(await visitor.websocket(f"api/collaboration/room/{room_id}?sessionId={sid}"))
    await raw.sync()
    await raw.conn.write_message(save_request(header, 4242), binary=True)
    await raw.listen(2.0)
    raw.conn.close()
    replies = [m for m in raw.received if b"responseTo" in m]
    assert not replies, replies


# ----------------------------------------------------------------------------------------------
# the event stream


async def collect_events(browser: Browser, during, seconds: float = 2.5) -> list[str] | None:
    """Subscribe ``browser`` to /api/events/subscribe, run ``during()``, return what arrived
    (None if the subscription was refused)."""
    try:
        conn = await browser.websocket("api/events/subscribe")
    except Exception:
        return None
    received: list[str] = []
    await asyncio.sleep(0.3)
    await asyncio.to_thread(during)
    deadline = time.monotonic() + seconds
    while (left := deadline - time.monotonic()) > 0:
        try:
            message = await asyncio.wait_for(conn.read_message(), left)
        except asyncio.TimeoutError:
            break
        if message is None:
            break
        received.append(message if isinstance(message, str) else message.decode())
    conn.close()
    return received


@pytest.mark.parametrize("who", ["chloe", "visitor"])
async def test_event_stream_does_not_tell_teachers_files(
    request: pytest.FixtureRequest, teacher: Browser, who: str
):
    """Door: /api/events/subscribe streams the contents events of everyone: a student sees
    the teacher open and save files in course/source."""
    person: Browser = request.getfixturevalue(who)

    def teacher_works() -> None:
        teacher.get(f"api/contents/{SOURCE_NOTEBOOK}")
        teacher.put(
            "api/contents/course/source/meet_partners/answers_draft.txt",
            {"type": "file", "format": "text", "content": "x = 42"},
        )

    received = await collect_events(person, teacher_works)
    leaked = [m for m in received or [] if "course/source" in m or "course%2Fsource" in m]
    assert not leaked, leaked[:2]


async def test_event_stream_does_not_tell_other_teams_files(chloe: Browser, lucas: Browser):
    """Door: Chloé watches the event stream while Lucas (team B) saves a file."""

    def lucas_works() -> None:
        lucas.put(
            "api/contents/projects/team_forests/our_idea.txt",
            {"type": "file", "format": "text", "content": "idea"},
        )

    received = await collect_events(chloe, lucas_works)
    leaked = [m for m in received or [] if "team_forests" in m]
    assert not leaked, leaked[:2]


def test_events_cannot_be_posted_by_visitor(visitor: Browser):
    """Door: POST /api/events lets anyone inject events into everyone's stream."""
    response = visitor.post(
        "api/events",
        {
            "schema_id": "https://events.jupyter.org/jupyter_server/contents_service/v1",
            "version": "1",
            "data": {"action": "save", "path": SOURCE_NOTEBOOK},
        },
    )
    assert response.status_code in REFUSED, response.status_code
    assert not shows(response, "success")
