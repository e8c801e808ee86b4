"""The collaboration room websocket with roles, named awareness, attribution and no lost edits.

``VxkitRoomHandler`` replaces jupyter-collaboration's room handler (same route):
- a read-only client (a visitor, a student on a file they may only read, or a student on
  any chat document) has every document update and save request dropped by the server
  (upstream issue #324);
- the ``user`` a client puts in its awareness state is overwritten with the server's
  signed identity, so nobody can appear under another name;
- each update is attributed to its sender in the contribution record;
- who is connected to which document is kept for the presence endpoint;
- before a room loads, updates that the ystore holds and the file doesn't (a crash before the
  debounced save) are written to the file, so upstream loads the room from the store
  instead of discarding them.
"""

from __future__ import annotations

import contextlib
import json
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from logging import Logger
from typing import Any

from jupyter_server.utils import ensure_async
from jupyter_server_ydoc.handlers import YDocWebSocketHandler
from jupyter_server_ydoc.rooms import DocumentRoom
from jupyter_server_ydoc.utils import OutOfBandChanges
from jupyter_ydoc import ydocs as YDOCS
from pycrdt import Decoder, Doc, Encoder, YMessageType, YSyncMessageType
from pycrdt.store import YDocNotFound
from tornado import web

from ..areas import area_of
from .gate import room_file
from .identity import Identity, identity_of
from .policy import WRITE, may
from .provider import SessionCheck

#: y-websocket message types (jupyter-collaboration's ``MessageType``: 2 is its RAW message,
#: whose only use is a save request)
RAW = 2
#: what a client that may only read the document may send: ask for the document, say who
#: and where it is. Everything else (updates, save requests, unknown kinds) is dropped.
READ_ONLY_MESSAGES = frozenset({"sync_step1", "awareness"})
WRITER_MESSAGES = READ_ONLY_MESSAGES | {"sync_step2", "sync_update", "save"}


def message_kind(message: bytes) -> str:
    """What a room message is, judged the way both of upstream's readers judge it.

    jupyter-collaboration reads the message type as a varint, the room behind it as a single
    byte: only a canonical one-byte type (and sync subtype) means the same to both, so any
    other encoding is "malformed" and never relayed.
    """
    if not message or message[0] >= 0x80:
        return "malformed"
    kind = message[0]
    if kind == YMessageType.AWARENESS:
        return "awareness"
    if kind == RAW:
        return "save"
    if kind != YMessageType.SYNC or len(message) < 2 or message[1] >= 0x80:
        return "malformed" if kind == YMessageType.SYNC else "other"
    return {
        YSyncMessageType.SYNC_STEP1: "sync_step1",
        YSyncMessageType.SYNC_STEP2: "sync_step2",
        YSyncMessageType.SYNC_UPDATE: "sync_update",
    }.get(message[1], "other")


@dataclass
class Connection:
    """One open room websocket."""

    identity: Identity
    username: str
    path: str
    since: float
    read_only: bool


class Presence:
    """Who is connected to which document, and who has JupyterLab open, now."""

    def __init__(self) -> None:
        self.connections: dict[int, Connection] = {}
        #: the global awareness room's connections: one per open JupyterLab tab
        self.online: dict[int, Connection] = {}
        #: called after every change (the event stream's hook), or None
        self.on_change: Callable[[], None] | None = None

    def changed(self) -> None:
        """Someone came, went, or opened another document: tell the event stream."""
        if self.on_change is not None:
            self.on_change()

    def team(self, members: list[tuple[str, str, str]], team_folder: str) -> list[dict[str, Any]]:
        """The members of one team (``(student id, name, class id)``) with whether each is
        online now and which notebooks of ``team_folder`` they have open (nothing else: a
        teammate's own folder or a teacher's files stay theirs)."""
        prefix = team_folder.rstrip("/") + "/"
        live = list(self.online.values()) + list(self.connections.values())
        rows = []
        for student_id, name, class_id in members:
            mine = [c for c in live if c.identity.student_id == student_id]
            documents = sorted({c.path for c in mine if c.path.startswith(prefix)})
            rows.append(
                {"name": name, "class": class_id, "online": bool(mine), "documents": documents}
            )
        return rows

    def snapshot(self) -> list[dict[str, Any]]:
        """The open connections, grouped per document and person."""
        seen: dict[tuple[str, str], dict[str, Any]] = {}
        for conn in self.connections.values():
            key = (conn.path, conn.username)
            if key in seen:
                seen[key]["connections"] += 1
                continue
            seen[key] = {
                "document": conn.path,
                "username": conn.username,
                **conn.identity.as_dict(),
                "read_only": conn.read_only,
                "since": conn.since,
                "connections": 1,
            }
        return sorted(seen.values(), key=lambda r: (r["document"], r["name"]))


#: what a state in the global awareness room (everyone signed in is in it) may carry: who is
#: online. JupyterLab also puts there the document each person has open (``current``), which
#: would tell pupils which of the teachers' files are open.
GLOBAL_AWARENESS_FIELDS = frozenset({"user"})
#: the room every JupyterLab tab joins to say who is online (jupyter-collaboration's name)
GLOBAL_AWARENESS_ROOM = "JupyterLab:globalAwareness"


AwarenessState = tuple[int, int, str]


def _read_awareness(message: bytes) -> list[AwarenessState] | None:
    """The ``(client id, clock, JSON state)`` entries of an awareness message, or None."""
    decoder = Decoder(message)
    decoder.read_var_uint()  # message type
    payload = decoder.read_message()
    if payload is None:
        return None
    inner = Decoder(payload)
    count = inner.read_var_uint()
    states = []
    for _ in range(count):
        client_id = inner.read_var_uint()
        clock = inner.read_var_uint()
        states.append((client_id, clock, inner.read_var_string()))
    return states


def _state(raw: str) -> dict[str, Any] | None:
    try:
        state = json.loads(raw)
    except ValueError:
        return None
    return state if isinstance(state, dict) else None


def rewrite_awareness(
    message: bytes, user: dict[str, Any], fields: frozenset[str] | None = None
) -> bytes:
    """An awareness message with every state's ``user`` replaced by ``user``; with ``fields``,
    each state keeps only those fields."""
    entries = _read_awareness(message)
    if entries is None:
        return message
    states = []
    for client_id, clock, raw in entries:
        state = _state(raw)
        if state is not None:
            if fields is not None:
                state = {k: v for k, v in state.items() if k in fields}
            state["user"] = user
            raw = json.dumps(state)  # ASCII: pycrdt counts a string's length in characters
        states.append((client_id, clock, raw))
    return _write_awareness(states)


def awareness_for(message: bytes, reader: Identity) -> bytes | None:
    """A global awareness message as ``reader`` may receive it: a student sees who is online
    in their own team and the teachers, a visitor only the teachers; None when nothing is
    left. States without a user (a client leaving) carry no name and pass."""
    if reader.is_teacher:
        return message
    entries = _read_awareness(message)
    if entries is None:
        return None

    def may_know(raw: str) -> bool:
        state = _state(raw)
        if state is None or not state.get("user"):
            return True
        who = state["user"].get("vxkit") or {}
        if who.get("role") == "teacher":
            return True
        return (
            reader.is_student
            and reader.team_id is not None
            and who.get("team_id") == reader.team_id
        )

    kept = [entry for entry in entries if may_know(entry[2])]
    return _write_awareness(kept) if kept else None


def _write_awareness(states: list[AwarenessState]) -> bytes:
    encoder = Encoder()
    encoder.write_var_uint(len(states))
    for client_id, clock, raw in states:
        encoder.write_var_uint(client_id)
        encoder.write_var_uint(clock)
        encoder.write_var_string(raw)
    out = Encoder()
    out.write_var_uint(YMessageType.AWARENESS)
    body = encoder.to_bytes()
    out.write_var_uint(len(body))
    return out.to_bytes() + body


async def recover_from_ystore(room: DocumentRoom, contents_manager: Any, log: Logger) -> bool:
    """Write to the file the edits the ystore holds and the file doesn't; True if it did.

    Only when the store's last update is newer than the file: an outside write after the
    last edit (nbgrader, a script) still wins, as upstream decides.
    """
    ystore = room.ystore
    if ystore is None or room.ready:
        return False
    async with ystore.start_lock:
        if not ystore.started.is_set():
            room.create_task(ystore.start())
            await ystore.started.wait()
    last = 0.0
    try:
        async for _update, _meta, timestamp in ystore.read():
            last = max(last, timestamp or 0.0)
        stored = Doc()
        await ystore.apply_updates(stored)
    except YDocNotFound:
        return False
    path = room._file.path
    model = await ensure_async(
        contents_manager.get(path, format=room.file_format, type=room.file_type, content=True)
    )
    content = YDOCS.get(room.file_type, YDOCS["file"])(stored).get()
    if content == model["content"]:
        return False
    if last <= model["last_modified"].timestamp():
        return False
    await ensure_async(
        contents_manager.save(
            {"type": room.file_type, "format": room.file_format, "content": content}, path
        )
    )
    log.warning("vxkit: recovered unsaved edits of %s from the collaboration store", path)
    return True


async def save_open_documents(ywebsocket_server: Any, log: Logger) -> int:
    """Save every open document now (upstream cancels its pending debounced save on stop).

    Goes through the room's file loader, so a file changed on disk by someone else since the
    room last read it is left alone, as upstream's own save does. Returns how many were saved.
    """
    snapshots = []
    for room in list(getattr(ywebsocket_server, "rooms", {}).values()):
        if isinstance(room, DocumentRoom) and room.ready:
            # snapshot first: stopping the rooms must not change what is saved
            model = {"format": room.file_format, "type": room.file_type}
            snapshots.append((room, {**model, "content": room._document.get()}))
    saved = 0
    for room, model in snapshots:
        try:
            if await room._file.maybe_save_content(model):
                saved += 1
        except OutOfBandChanges:
            log.warning("vxkit: %s changed on disk; kept that version", room._file.path)
        except Exception as err:  # keep saving the others
            log.error("vxkit: could not save %s on shutdown: %s", room.room_id, err)
    if saved:
        log.info("vxkit: saved %d open document(s) before stopping", saved)
    return saved


def _stop_idle_anyio_workers() -> None:
    for thread in threading.enumerate():
        queue = getattr(thread, "queue", None)
        if thread.name == "AnyIO worker thread" and queue is not None:
            with contextlib.suppress(Exception):
                queue.put_nowait(None)  # anyio's own "shut down" command for a worker


def release_worker_threads_at_exit() -> None:
    """Let the process exit once the server has stopped.

    The collaboration store runs SQLite in anyio worker threads, which anyio stops only when
    its root task ends; tornado stops the loop without ending it, so after a SIGTERM the
    interpreter waits for those threads forever (stock jupyter-collaboration hangs the same
    way). ``threading._register_atexit`` runs before the interpreter joins threads, the hook
    ``concurrent.futures`` uses for its own workers.
    """
    register = getattr(threading, "_register_atexit", None)
    if register is not None:
        with contextlib.suppress(RuntimeError):  # already shutting down
            register(_stop_idle_anyio_workers)


class VxkitRoomHandler(YDocWebSocketHandler):
    """jupyter-collaboration's room websocket, with vxkit's roles and attribution."""

    _vxkit_conn: Connection | None = None
    _vxkit_fields: frozenset[str] | None = GLOBAL_AWARENESS_FIELDS
    _vxkit_session: SessionCheck

    async def open(self, room_id: str) -> None:  # type:ignore[override]
        """Check the role, recover crashed edits, then serve as upstream does."""
        identity = identity_of(self.current_user)
        if identity is None:  # the gate lets nobody unknown this far; never serve them
            raise web.HTTPError(403, "Sign in first: open your class's join link again.")
        self._vxkit_session = SessionCheck(self)
        _document, found = room_file(self)
        path = found or ""
        is_document = isinstance(self.room, DocumentRoom)
        root = self.settings.get("server_root_dir") or self.settings["vxkit_workspace"].root
        read_only = identity.is_visitor or (
            is_document and (found is None or not may(identity, WRITE, area_of(root, path)))
        )
        chat = is_document and self.room.file_type == "chat"
        if chat and not identity.is_teacher:
            # a chat's sender is what the client writes: students post through vxkit's
            # endpoint, which stamps them, wherever the .chat file is (a team folder too)
            read_only = True
        # who is in the room goes through always; what else a browser says in its awareness
        # state (jupyter-chat's "isWriting", any field it makes up) is free text that no word
        # list holds and no mute stops: in a chat, only teachers say more than who they are
        self._vxkit_fields = (
            None if is_document and not (read_only and chat) else GLOBAL_AWARENESS_FIELDS
        )
        if is_document:
            conn = Connection(identity, self.current_user.username, path, time.time(), read_only)
            self._vxkit_conn = conn
            presence: Presence | None = self.settings.get("vxkit_presence")
            if presence is not None:
                presence.connections[id(self)] = conn
                presence.changed()
            if not self.room.ready:
                async with self._room_lock(self._room_id):
                    try:
                        await recover_from_ystore(self.room, self.contents_manager, self.log)
                    except Exception as err:
                        self.log.error("vxkit: recovery of %s failed: %s", path, err)
        else:
            # A room that is no document (the global awareness room, or any name a client
            # makes up) is a y-sync relay upstream: if students could write in it, any two
            # of them, of any team or class, would share a document no teacher sees, no word
            # list holds and no mute stops. Only awareness (who is online) goes through.
            self._vxkit_conn = Connection(
                identity, self.current_user.username, "", time.time(), not identity.is_teacher
            )
            presence = self.settings.get("vxkit_presence")
            if presence is not None and self._room_id == GLOBAL_AWARENESS_ROOM:
                presence.online[id(self)] = self._vxkit_conn
                presence.changed()
        await super().open(room_id)
        if is_document and self.room is not None:
            # the room is loaded now, and serves no message before we return
            self._attach_contributions(path)

    def _attach_contributions(self, path: str) -> None:
        log = self.settings.get("vxkit_contributions")
        room = self.room
        if log is None or not room.ready or getattr(room, "_vxkit_attached", False):
            return
        room._vxkit_attached = True  # type:ignore[attr-defined]
        room._vxkit_author = None  # type:ignore[attr-defined]

        def author() -> Identity | None:
            return getattr(room, "_vxkit_author", None)

        log.attach(room.ydoc, path, author)

    async def on_message(self, message: bytes) -> None:  # type:ignore[override]
        """Drop what a read-only client may not send; name awareness with the real identity."""
        conn = self._vxkit_conn
        if not self._vxkit_session.ok():
            self.log.info("vxkit: closing the room websocket of a revoked session")
            self.close(4403, "Your join link was replaced: open the new one.")
            return
        if conn is not None and message:
            kind = message_kind(message)
            allowed = READ_ONLY_MESSAGES if conn.read_only else WRITER_MESSAGES
            if kind not in allowed:
                self.log.debug("vxkit: dropped a %s message from %s", kind, conn.username)
                return
            if kind == "awareness":
                try:
                    user = self._awareness_user(conn)
                    message = rewrite_awareness(message, user, self._vxkit_fields)
                except Exception:
                    return  # malformed awareness: drop it rather than relay it
        await super().on_message(message)

    def _awareness_user(self, conn: Connection) -> dict[str, Any]:
        user = self.current_user
        model = dict(self.identity_provider.identity_model(user))
        model["vxkit"] = {k: v for k, v in conn.identity.as_dict().items() if v is not None}
        return model

    async def __anext__(self) -> bytes:
        if self.room is not None:
            self.room._vxkit_author = None  # type:ignore[attr-defined]
        message = await super().__anext__()
        # The room applies this message right after we return it, with no await in between:
        # that is when the contribution observer asks who sent it.
        if self._vxkit_conn is not None and self.room is not None:
            self.room._vxkit_author = self._vxkit_conn.identity  # type:ignore[attr-defined]
        return message

    async def send(self, message: bytes) -> None:
        """Relay to this client; in the global awareness room, only the people it may know
        are online (``awareness_for``)."""
        conn = self._vxkit_conn
        if (
            conn is not None
            and not conn.path
            and message
            and message[0] == YMessageType.AWARENESS
            and getattr(self, "_room_id", None) == GLOBAL_AWARENESS_ROOM
        ):
            try:
                filtered = awareness_for(message, conn.identity)
            except Exception:
                return  # unreadable: relay nothing rather than everything
            if filtered is None:
                return
            message = filtered
        await super().send(message)

    def on_close(self) -> None:
        """Forget the connection in the presence list."""
        presence: Presence | None = self.settings.get("vxkit_presence")
        if presence is not None:
            gone = presence.connections.pop(id(self), None)
            gone = presence.online.pop(id(self), None) or gone
            if gone is not None:
                presence.changed()
        super().on_close()
