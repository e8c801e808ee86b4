"""Team chats on jupyterlab-chat: one per team, one per class, the agora where teachers open it.

Each chat is a jupyterlab-chat document (``chats/teams/<team>.chat``, ``chats/classes/<class>.chat``,
``chats/agora.chat``: see ``vxkit.areas``), so it syncs through a collaboration room and is
saved like a notebook. Nobody but a teacher writes to it over the room websocket: the room
handler takes students' and visitors' sockets as read-only (they may not WRITE a chat area),
and messages come in through ``POST /vxkit/api/chats/<chat>``, which

- stamps the sender from the server's identity (name, city, class colour), never from what the
  browser says;
- refuses muted students and text that is not a message (``moderation.clean_text``);
- holds a message with a word of the teachers' list outside the document until a teacher
  releases it;
- adds the message with ``YChat.add_message`` (its text markdown-escaped, so that any viewer
  shows it as typed) and saves the file before answering, so an answered message survives a
  kill.

Reading goes through ``GET /vxkit/api/chats/<chat>`` (long polling with ``after`` and
``wait`` still works): each reader gets the messages with times in their own class's time
zone, their own held and hidden messages marked, and the time they last read the chat. The
event stream (``events.py``) pushes each reader's ``chat_rows`` (unread counts, versions) when
a chat changes; JupyterLab reads a chat again when its version moves.
"""

from __future__ import annotations

import asyncio
import contextlib
import csv
import io
import json
import math
import os
import threading
import time
import uuid
from collections.abc import Callable
from datetime import datetime, timezone
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

from jupyter_server_ydoc.utils import encode_file_path, room_id_from_encoded_path
from pycrdt import Map
from tornado import web

from ..areas import Area, area_of, chat_path
from ..exchange import Exchange
from ..files import atomic_write
from .events import hub_of, notify
from .handlers import VxkitAPIHandler
from .identity import Identity, identity_of
from .moderation import (
    Moderation,
    ModerationError,
    as_markdown_text,
    clean_text,
    flagged_words,
)
from .policy import READ, SAY, may
from .presence import TeacherAPIHandler
from .provider import current_exchange

EMPTY_CHAT = json.dumps({"messages": [], "users": {}, "attachments": {}, "metadata": {}})
#: longest a reader's GET waits for something new, in seconds
MAX_WAIT = 30.0


def chat_keys(exchange: Exchange) -> list[str]:
    """Every chat of the exchange: each team's, each class's, the agora."""
    return [
        *(f"team:{t.id}" for t in exchange.teams),
        *(f"class:{c.id}" for c in exchange.classes),
        "agora",
    ]


def chat_title(exchange: Exchange, key: str) -> str:
    """A chat's name as people see it: the team's name, the class's city, "Agora"."""
    kind, _, name = key.partition(":")
    if kind == "team":
        team = next((t for t in exchange.teams if t.id == name), None)
        return team.name if team else name
    if kind == "class":
        cls = next((c for c in exchange.classes if c.id == name), None)
        return f"{cls.city} ({cls.school})" if cls else name
    return "Agora"


def reader_zone(exchange: Exchange | None, identity: Identity | None, asked: str | None) -> str:
    """The time zone a reader sees times in: their class's; for someone without a class (the
    teacher with the token, a visitor) the zone they ask for, else the first class's."""
    classes = exchange.classes if exchange else []
    own = next((c for c in classes if identity and c.id == identity.class_id), None)
    if own is not None:
        return own.timezone
    if asked:
        try:
            ZoneInfo(asked)
            return asked
        except (ValueError, KeyError):
            pass
    return classes[0].timezone if classes else "UTC"


def local_time(when: float, zone: str) -> dict[str, str]:
    """``when`` (epoch seconds) in ``zone``: ISO date-time and the clock ("14:05")."""
    moment = datetime.fromtimestamp(when, timezone.utc).astimezone(ZoneInfo(zone))
    return {"local_time": moment.isoformat(timespec="seconds"), "clock": moment.strftime("%H:%M")}


def stamp(identity: Identity) -> dict[str, Any]:
    """What a message says about its sender: from the server's identity only."""
    return {
        "name": identity.name,
        "city": identity.city,
        "class_id": identity.class_id,
        "colour": identity.colour,
        "role": identity.role,
        "student_id": identity.student_id,
    }


def chat_username(identity: Identity, username: str) -> str:
    """The sender id in the chat document: stable per person."""
    return f"vx-{identity.student_id}" if identity.student_id else username


def ensure_chat_files(root: Path | str, exchange: Exchange) -> list[str]:
    """Create the missing chat files of the exchange (empty chats); returns their paths."""
    made = []
    for key in chat_keys(exchange):
        file = Path(root, *chat_path(key).split("/"))
        if not file.exists():
            atomic_write(file, EMPTY_CHAT)
            made.append(chat_path(key))
    return made


def configured_store(ystore_class: type, config: Any) -> type:
    """``ystore_class`` made with ``config`` whoever makes it (``SQLiteYStore.db_path``
    applies: the store stays in the workspace's hidden folder)."""

    class Configured(ystore_class):  # type:ignore[misc,valid-type]
        _vxkit_configured = True

        def __init__(self, *args: Any, **kwargs: Any) -> None:
            kwargs.setdefault("config", config)
            super().__init__(*args, **kwargs)

    Configured.__name__ = Configured.__qualname__ = ystore_class.__name__
    return Configured


class Chats:
    """The chats of one server: their live documents, who is waiting for news, saving."""

    def __init__(self, serverapp: Any, moderation: Moderation) -> None:
        self.serverapp = serverapp
        self.moderation = moderation
        self.root = str(serverapp.root_dir)
        self._versions: dict[str, int] = {}
        self._events: dict[str, asyncio.Event] = {}
        self._docs: dict[str, Any] = {}
        self._subscriptions: dict[str, Any] = {}  # pycrdt drops observers it holds no ref to
        self._locks: dict[str, asyncio.Lock] = {}
        self._rooms: dict[str, tuple[str, Any]] = {}
        self._users: dict[tuple[str, str], dict[str, Any]] = {}
        self._journal_lock = threading.Lock()
        self._snapshots: dict[str, tuple[int, list[dict[str, Any]], dict[str, Any]]] = {}
        #: called with the chat's key after every change (the event stream's hook), or None
        self.on_change: Callable[[str], None] | None = None

    def snapshot(self, key: str, doc: Any) -> tuple[list[dict[str, Any]], dict[str, Any]]:
        """The messages and users of chat ``key`` as plain data, read once per change."""
        version = self.version(key)
        cached = self._snapshots.get(key)
        if cached is None or cached[0] != version:
            cached = (version, doc._get_messages(), doc._get_users())
            self._snapshots[key] = cached
        return cached[1], cached[2]

    # -- documents -------------------------------------------------------------------------
    def ensure_file(self, key: str) -> str:
        """The chat's API path, its file created (empty) if missing."""
        path = chat_path(key)
        file = Path(self.root, *path.split("/"))
        if not file.exists():
            atomic_write(file, EMPTY_CHAT)
        return path

    def _ydoc_app(self) -> Any:
        apps = self.serverapp.extension_manager.extension_apps.get("jupyter_server_ydoc", set())
        for app in apps:
            if not getattr(app.ystore_class, "_vxkit_configured", False):
                # jupyter-collaboration's get_document() makes a room's store without the
                # server's config: its updates went to .jupyter_ystore.db in the served folder
                app.ystore_class = configured_store(app.ystore_class, app.config)
            return app
        raise web.HTTPError(503, "Chats need jupyter-collaboration, which is not running here.")

    async def document(self, key: str) -> Any:
        """The live YChat of chat ``key`` (its room started if nobody had it open; messages
        the journal holds and the file lost in a crash put back)."""
        app = self._ydoc_app()
        cached = self._rooms.get(key)
        if cached is not None and app.ywebsocket_server.rooms.get(cached[0]) is cached[1]:
            return cached[1]._document
        path = self.ensure_file(key)
        lock = self._locks.setdefault(key, asyncio.Lock())
        async with lock:
            doc = await app.get_document(
                path=path, content_type="chat", file_format="text", copy=False, create=True
            )
            if doc is None:
                raise web.HTTPError(503, "The chat could not be opened; try again.")
            file_id = self.serverapp.web_app.settings["file_id_manager"].index(path)
            room_id = room_id_from_encoded_path(encode_file_path("text", "chat", file_id))
            room = app.ywebsocket_server.rooms.get(room_id)
            if self._docs.get(key) is not doc:
                self._docs[key] = doc
                self._subscriptions[key] = doc.ydoc.observe(lambda _e, k=key: self.bump(k))
                self._replay(key, doc)
            if room is not None and room._document is doc:
                self._rooms[key] = (room_id, room)
        return doc

    async def save(self, key: str) -> None:
        """Write chat ``key`` to its file now (not after the debounce)."""
        await self.document(key)
        room = self._rooms.get(key, (None, None))[1]
        if room is None:
            return
        model = {"format": "text", "type": "chat", "content": room._document.get()}
        try:
            await room._file.maybe_save_content(model)
        except Exception as err:  # OutOfBandChanges: the room reloads the file itself
            self.serverapp.log.warning("vxkit: chat %s not saved now: %s", key, err)

    # -- the journal: what makes an answered message survive a kill ------------------------
    def _journal(self, key: str) -> Path:
        return self.moderation.folder / "journal" / f"{key.replace(':', '-')}.jsonl"

    def _append(self, key: str, entry: dict[str, Any]) -> None:
        line = json.dumps(entry, ensure_ascii=False) + "\n"
        with self._journal_lock:
            path = self._journal(key)
            path.parent.mkdir(parents=True, exist_ok=True)
            with path.open("a", encoding="utf-8") as f:
                f.write(line)
                f.flush()
                os.fsync(f.fileno())

    def _entries(self, key: str) -> list[dict[str, Any]]:
        try:
            lines = self._journal(key).read_text(encoding="utf-8").splitlines()
        except OSError:
            return []
        entries = []
        for line in lines:
            with contextlib.suppress(ValueError):
                entries.append(json.loads(line))
        return entries

    def _replay(self, key: str, doc: Any) -> None:
        present = {m.get("id") for m in doc._get_messages()}
        missing = [e for e in self._entries(key) if e["message"]["id"] not in present]
        if not missing:
            return
        hidden = self.moderation.hidden()
        with doc.ydoc.transaction():
            for entry in missing:
                message = entry["message"]
                if message["id"] in hidden:
                    message = _blanked(message, hidden[message["id"]].get("hidden_by"))
                doc.yusers[entry["user"]["username"]] = entry["user"]
                times = [m.get("time", 0) for m in doc._get_messages()]
                index = sum(1 for t in times if t <= message["time"])
                doc.ymessages.insert(index, Map(message))
        self.serverapp.log.warning(
            "vxkit: put back %d chat message(s) of %s from the journal", len(missing), key
        )

    def _forget_text(self, key: str, message_id: str) -> None:
        with self._journal_lock:
            entries = self._entries(key)
            for entry in entries:
                if entry["message"]["id"] == message_id:
                    entry["message"] = _blanked(entry["message"], None)
            atomic_write(
                self._journal(key),
                "".join(json.dumps(e, ensure_ascii=False) + "\n" for e in entries),
            )

    # -- news ------------------------------------------------------------------------------
    def bump(self, key: str) -> None:
        """Something changed in chat ``key``: wake whoever waits on it."""
        self._versions[key] = self._versions.get(key, 0) + 1
        event = self._events.pop(key, None)
        if event is not None:
            event.set()
        if self.on_change is not None:
            self.on_change(key)

    def version(self, key: str) -> int:
        return self._versions.get(key, 0)

    async def wait(self, key: str, version: int, timeout: float) -> None:
        """Return when chat ``key`` is past ``version``, or after ``timeout`` seconds."""
        if self.version(key) != version or timeout <= 0:
            return
        event = self._events.setdefault(key, asyncio.Event())
        with contextlib.suppress(asyncio.TimeoutError):
            await asyncio.wait_for(event.wait(), timeout)

    # -- writing ---------------------------------------------------------------------------
    async def add(
        self, key: str, identity: Identity, username: str, text: str, when: float | None = None
    ) -> str:
        """Add ``text`` by ``identity`` to chat ``key`` in one update, and write it to the
        journal before answering; returns the message id."""
        doc = await self.document(key)
        sender = chat_username(identity, username)
        display = f"{identity.name} ({identity.city})" if identity.city else identity.name
        user = {
            "username": sender,
            "name": display,
            "display_name": display,
            "initials": "".join(w[0] for w in identity.name.split()[:2] if w).upper() or "?",
            "color": identity.colour,
            "avatar_url": None,
            "bot": False,
        }
        now = time.time()
        message = {
            "type": "msg",
            "id": str(uuid.uuid4()),
            "body": as_markdown_text(text),
            "time": now,
            "sender": sender,
            "raw_time": False,  # the server's time already: upstream leaves it alone
            "mentions": [],
            "metadata": {"vxkit": {**stamp(identity), "text": text, "posted": when or now}},
        }
        with doc.ydoc.transaction():
            if self._users.get((key, sender)) != user:
                doc.yusers[sender] = user
                self._users[(key, sender)] = user
            doc.ymessages.append(Map(message))
        loop = asyncio.get_running_loop()
        await loop.run_in_executor(None, self._append, key, {"message": message, "user": user})
        return message["id"]

    async def hide(self, key: str, message_id: str, teacher: Identity) -> dict[str, Any] | None:
        """Hide a message: its text leaves the document (kept in ``hidden.json``)."""
        doc = await self.document(key)
        current = doc.get_message(message_id)
        if current is None:
            return None
        vx = dict((current.metadata or {}).get("vxkit") or {})
        record = {
            "chat": key,
            "text": vx.get("text", current.body),
            "sender": current.sender,
            "student_id": vx.get("student_id"),
            "name": vx.get("name"),
            "time": current.time,
            "hidden_by": teacher.name,
            "hidden_at": time.time(),
        }
        self.moderation.keep_hidden(message_id, record)
        blank = _blanked({"metadata": {"vxkit": vx}}, teacher.name)
        index = doc._indexes_by_id.get(message_id)
        if index is not None:
            with doc.ydoc.transaction():
                entry = doc.ymessages[index]
                entry["body"] = ""
                entry["metadata"] = blank["metadata"]
        self._forget_text(key, message_id)
        await self.save(key)
        self.bump(key)
        return record


def _blanked(message: dict[str, Any], hidden_by: str | None) -> dict[str, Any]:
    """A message dict with its text gone, marked hidden."""
    vx = {k: v for k, v in ((message.get("metadata") or {}).get("vxkit") or {}).items()}
    vx.pop("text", None)
    vx["hidden"] = True
    if hidden_by:
        vx["hidden_by"] = hidden_by
    return {**message, "body": "", "metadata": {**(message.get("metadata") or {}), "vxkit": vx}}


# ------------------------------------------------------------------------------------------
# reading


def message_view(
    raw: dict[str, Any],
    users: dict[str, Any],
    reader: Identity,
    reader_sender: str,
    zone: str,
    hidden: dict[str, dict[str, Any]],
) -> dict[str, Any]:
    """One message of the document as ``reader`` sees it."""
    meta = (raw.get("metadata") or {}).get("vxkit") or {}
    user = users.get(raw.get("sender"), {}) if isinstance(users, dict) else {}
    when = float(raw.get("time") or 0)
    mine = raw.get("sender") == reader_sender
    is_hidden = bool(meta.get("hidden"))
    text = meta.get("text", raw.get("body", "")) if meta else raw.get("body", "")
    if is_hidden:
        text = hidden.get(raw.get("id", ""), {}).get("text", "") if mine else ""
    view = {
        "id": raw.get("id"),
        "time": when,
        **local_time(when, zone),
        "name": meta.get("name") or user.get("display_name") or raw.get("sender"),
        "city": meta.get("city"),
        "class_id": meta.get("class_id"),
        "colour": meta.get("colour") or user.get("color"),
        "role": meta.get("role") or "teacher",
        "stamped": bool(meta),
        "text": text if isinstance(text, str) else "",
        "hidden": is_hidden,
        "held": False,
        "mine": mine,
    }
    if reader.is_teacher:  # what muting needs
        view["student_id"] = meta.get("student_id")
    return view


def held_view(held: dict[str, Any], zone: str, mine: bool) -> dict[str, Any]:
    """A held message as its author or a teacher sees it."""
    sender = held.get("sender") or {}
    when = float(held.get("time") or 0)
    return {
        "id": held.get("id"),
        "time": when,
        **local_time(when, zone),
        "name": sender.get("name"),
        "city": sender.get("city"),
        "class_id": sender.get("class_id"),
        "colour": sender.get("colour"),
        "role": sender.get("role"),
        "stamped": True,
        "text": held.get("text", ""),
        "hidden": False,
        "held": True,
        "words": held.get("words", []),
        "mine": mine,
        "student_id": sender.get("student_id"),
    }


def chats_of(handler: web.RequestHandler) -> Chats:
    """The server's chats (made on first use)."""
    chats = handler.settings.get("vxkit_chats")
    if chats is None:
        serverapp = handler.settings["serverapp"]
        chats = Chats(serverapp, Moderation(serverapp.root_dir))
        chats.on_change = hub_of(handler.settings).notifier("chats")
        handler.settings["vxkit_chats"] = chats
    return chats


class ChatAPIHandler(VxkitAPIHandler):
    """Shared parts of the chat endpoints."""

    @property
    def chats(self) -> Chats:
        return chats_of(self)

    @property
    def identity(self) -> Identity:
        identity = identity_of(self.current_user)
        if identity is None:  # the gate lets nobody unknown this far
            raise web.HTTPError(403, "Sign in first: open your class's join link again.")
        return identity

    def exchange(self) -> Exchange:
        exchange = current_exchange(self.settings["vxkit_workspace"])
        if exchange is None:
            raise web.HTTPError(409, "exchange.toml has problems: a teacher must run vxkit check.")
        return exchange

    def chat_key(self, key: str, exchange: Exchange) -> str:
        if key not in chat_keys(exchange):
            raise web.HTTPError(404, f"There is no chat '{key}' in this exchange.")
        return key

    def area(self, key: str) -> Area:
        return area_of(self.chats.root, chat_path(key))

    def body(self) -> dict[str, Any]:
        try:
            data = json.loads(self.request.body or b"{}")
        except ValueError:
            raise web.HTTPError(400, "The request body is not valid JSON.") from None
        if not isinstance(data, dict):
            raise web.HTTPError(400, "The request body must be a JSON object.")
        return data


async def chat_rows(
    chats: Chats, exchange: Exchange, identity: Identity, username: str
) -> list[dict[str, Any]]:
    """The chats ``identity`` may read, one row each: key, title, kind, version, how many
    messages and how many others posted since the person last read it."""
    seen = chats.moderation.seen(username)
    sender = chat_username(identity, username)
    rows = []
    for key in chat_keys(exchange):
        area = area_of(chats.root, chat_path(key))
        if not may(identity, READ, area):
            continue
        doc = await chats.document(key)
        last = seen.get(key, 0.0)
        messages = chats.snapshot(key, doc)[0]
        unread = sum(1 for m in messages if m.get("time", 0) > last and m.get("sender") != sender)
        rows.append(
            {
                "key": key,
                "title": chat_title(exchange, key),
                "kind": key.partition(":")[0],
                "unread": unread,
                "messages": len(messages),
                "version": chats.version(key),
                "may_post": may(identity, SAY, area) or identity.is_teacher,
            }
        )
    return rows


class ChatListHandler(ChatAPIHandler):
    """``GET /vxkit/api/chats``: the chats the asker may read, with unread counts."""

    @web.authenticated
    async def get(self) -> None:
        """One row per chat (``chat_rows``)."""
        rows = await chat_rows(
            self.chats, self.exchange(), self.identity, self.current_user.username
        )
        self.finish(json.dumps({"chats": rows}))


class ChatHandler(ChatAPIHandler):
    """``GET /vxkit/api/chats/<chat>``: the messages (``?after=<version>&wait=<s>`` waits for
    news); ``POST`` with ``{"body": text}``: post a message as oneself."""

    @web.authenticated
    async def get(self, chat: str) -> None:
        """The chat as the asker sees it."""
        identity = self.identity
        exchange = self.exchange()
        key = self.chat_key(chat, exchange)
        try:
            after = int(self.get_argument("after", "-1"))
            wait = float(self.get_argument("wait", "0"))
        except ValueError:
            raise web.HTTPError(400, "'after' must be a whole number, 'wait' seconds.") from None
        if not math.isfinite(wait):  # NaN passes min() and breaks asyncio's timer heap
            raise web.HTTPError(400, f"'wait' must be a number of seconds, not {wait!r}.")
        wait = min(wait, MAX_WAIT)
        if not may(identity, READ, self.area(key)):  # the gate said so already; say it twice
            raise web.HTTPError(403, "You can't open this chat: it belongs to another team.")
        doc = await self.chats.document(key)
        if after >= 0:
            await self.chats.wait(key, after, wait)
        zone = reader_zone(exchange, identity, self.get_argument("tz", None))
        username = self.current_user.username
        sender = chat_username(identity, username)
        moderation = self.chats.moderation
        hidden = moderation.hidden()
        raw, users = self.chats.snapshot(key, doc)
        messages = [message_view(m, users, identity, sender, zone, hidden) for m in raw]
        where = f"chat:{key}"
        if identity.is_teacher:
            held = [h for h in moderation.held() if h.get("where") == where]
        else:
            held = moderation.held_by(username, where)
        for h in held:
            view = held_view(h, zone, h.get("username") == username)
            if not identity.is_teacher:
                view.pop("student_id")
            messages.append(view)
        messages.sort(key=lambda m: m["time"])
        settings = moderation.settings(self._languages(exchange))
        muted = moderation.muted_until(identity.student_id or "") if identity.student_id else 0
        self.finish(
            json.dumps(
                {
                    "key": key,
                    "title": chat_title(exchange, key),
                    "version": self.chats.version(key),
                    "timezone": zone,
                    "last_seen": moderation.seen(username).get(key, 0.0),
                    "may_post": may(identity, SAY, self.area(key)) or identity.is_teacher,
                    "muted_until": muted,
                    "moderator": identity.is_teacher,
                    "links": settings["links"],
                    "images": settings["images"],
                    "messages": messages,
                }
            )
        )

    def _languages(self, exchange: Exchange) -> list[str]:
        return [lang for c in exchange.classes for lang in c.languages]

    @web.authenticated
    async def post(self, chat: str) -> None:
        """Post ``body`` as the signed-in person (whatever else the browser sends)."""
        identity = self.identity
        exchange = self.exchange()
        key = self.chat_key(chat, exchange)
        if not (identity.is_teacher or may(identity, SAY, self.area(key))):
            raise web.HTTPError(403, "You can read this chat but not write in it.")
        moderation = self.chats.moderation
        if identity.student_id:
            until = moderation.muted_until(identity.student_id)
            if until:
                clock = local_time(until, reader_zone(exchange, identity, None))["clock"]
                raise web.HTTPError(403, f"A teacher muted you until {clock}.")
        try:
            text = clean_text(self.body().get("body"))
        except ModerationError as err:
            self.write_problem(400, str(err))
            return
        username = self.current_user.username
        if not identity.is_teacher:
            words = flagged_words(text, moderation.settings(self._languages(exchange))["words"])
            if words:
                held = moderation.hold(f"chat:{key}", stamp(identity), username, text, words)
                self.chats.bump(key)
                self.set_status(202)
                self.finish(
                    json.dumps(
                        {
                            "held": True,
                            "id": held.id,
                            "message": "A teacher will read your message before the others see it.",
                        }
                    )
                )
                return
        message_id = await self.chats.add(key, identity, username, text)
        self.finish(json.dumps({"held": False, "id": message_id}))


class ChatSeenHandler(ChatAPIHandler):
    """``POST /vxkit/api/chats/<chat>/seen`` with ``{"time": t}``: read up to ``t`` (now if
    missing)."""

    @web.authenticated
    async def post(self, chat: str) -> None:
        """Remember the asker read the chat."""
        exchange = self.exchange()
        key = self.chat_key(chat, exchange)
        when = self.body().get("time", time.time())
        if not isinstance(when, (int, float)) or isinstance(when, bool):
            self.write_problem(400, f"The field 'time' must be a number of seconds, not {when!r}.")
            return
        self.chats.moderation.mark_seen(self.current_user.username, key, min(when, time.time()))
        notify(self.settings, "chats", key)  # my unread count moved
        self.finish(json.dumps({"last_seen": when}))


# ------------------------------------------------------------------------------------------
# teachers: moderation


class ModerationAPIHandler(ChatAPIHandler, TeacherAPIHandler):
    """A moderation endpoint: teachers only (the policy names none of these, and each says
    so again)."""


class ChatExportHandler(ModerationAPIHandler):
    """``GET /vxkit/api/chats/<chat>/export?format=csv|json``: the whole conversation, hidden
    and held messages included, as a download."""

    @web.authenticated
    async def get(self, chat: str) -> None:
        """The conversation as a file."""
        if not self.require_teacher():
            return
        exchange = self.exchange()
        key = self.chat_key(chat, exchange)
        fmt = self.get_argument("format", "json")
        if fmt not in ("csv", "json"):
            self.write_problem(400, f"The format '{fmt}' is not one of csv, json.")
            return
        doc = await self.chats.document(key)
        moderation = self.chats.moderation
        hidden = moderation.hidden()
        zone = reader_zone(exchange, self.identity, self.get_argument("tz", None))
        rows = []
        for m in doc._get_messages():
            meta = (m.get("metadata") or {}).get("vxkit") or {}
            status = "hidden" if meta.get("hidden") else "shown"
            text = (
                hidden.get(m.get("id"), {}).get("text", "")
                if meta.get("hidden")
                else meta.get("text", m.get("body", ""))
            )
            rows.append(self._row(m.get("time", 0), zone, meta, m.get("sender"), text, status))
        for h in moderation.held():
            if h.get("where") == f"chat:{key}":
                rows.append(
                    self._row(h["time"], zone, h["sender"], h["username"], h["text"], "held")
                )
        rows.sort(key=lambda r: r["time"])
        name = key.replace(":", "-")
        if fmt == "json":
            body = json.dumps({"chat": key, "timezone": zone, "messages": rows}, ensure_ascii=False)
            self.set_header("Content-Type", "application/json; charset=utf-8")
        else:
            out = io.StringIO()
            writer = csv.DictWriter(out, fieldnames=list(rows[0]) if rows else ["time"])
            writer.writeheader()
            for row in rows:
                # a spreadsheet runs cells starting with = + - @ as formulas
                writer.writerow(
                    {
                        k: ("'" + v if isinstance(v, str) and v[:1] in "=+-@\t\r" else v)
                        for k, v in row.items()
                    }
                )
            body = out.getvalue()
            self.set_header("Content-Type", "text/csv; charset=utf-8")
        self.set_header("Content-Disposition", f'attachment; filename="{name}.{fmt}"')
        self.finish(body)

    def _row(
        self, when: float, zone: str, who: dict[str, Any], sender: Any, text: str, status: str
    ) -> dict[str, Any]:
        return {
            "time": when,
            "local_time": local_time(when, zone)["local_time"],
            "name": who.get("name") or sender,
            "city": who.get("city"),
            "class_id": who.get("class_id"),
            "role": who.get("role"),
            "status": status,
            "text": text,
        }


class ModerationHandler(ModerationAPIHandler):
    """``GET /vxkit/api/moderation``: settings, word list, held messages and mutes;
    ``PATCH`` with switches and/or ``words``: change them."""

    @web.authenticated
    def get(self) -> None:
        """The moderation state."""
        if not self.require_teacher():
            return
        moderation = self.chats.moderation
        exchange = self.exchange()
        zone = reader_zone(exchange, self.identity, self.get_argument("tz", None))
        held = [{**held_view(h, zone, False), "where": h.get("where")} for h in moderation.held()]
        languages = [lang for c in exchange.classes for lang in c.languages]
        self.finish(
            json.dumps(
                {
                    "settings": moderation.settings(languages),
                    "held": held,
                    "mutes": moderation._read("mutes.json", {}),
                }
            )
        )

    @web.authenticated
    def patch(self) -> None:
        """Change settings or the word list."""
        if not self.require_teacher():
            return
        exchange = self.exchange()
        languages = [lang for c in exchange.classes for lang in c.languages]
        try:
            settings = self.chats.moderation.update_settings(self.body(), languages)
        except ModerationError as err:
            self.write_problem(400, str(err))
            return
        for key in chat_keys(exchange):
            self.chats.bump(key)
        self.finish(json.dumps({"settings": settings}))


class HideHandler(ModerationAPIHandler):
    """``POST /vxkit/api/moderation/hide`` with ``{"chat", "id"}`` (a chat message) or
    ``{"path", "id"}`` (a comment on a notebook): hide it."""

    @web.authenticated
    async def post(self) -> None:
        """Take the message's text out of the shared document (or the comment thread)."""
        if not self.require_teacher():
            return
        body = self.body()
        if "path" in body:
            from .comments import comments_of

            try:
                found = comments_of(self).hide(
                    str(body["path"]), str(body.get("id")), self.identity
                )
            except ModerationError as err:
                self.write_problem(400, str(err))
                return
            if not found:
                self.write_problem(404, f"There is no comment '{body.get('id')}' on this notebook.")
                return
            self.finish(json.dumps({"hidden": True}))
            return
        key = self.chat_key(str(body.get("chat")), self.exchange())
        record = await self.chats.hide(key, str(body.get("id")), self.identity)
        if record is None:
            self.write_problem(404, f"There is no message '{body.get('id')}' in this chat.")
            return
        self.finish(json.dumps({"hidden": True}))


class HeldHandler(ModerationAPIHandler):
    """``POST /vxkit/api/moderation/held/<id>`` with ``{"action": "release"|"discard"}``."""

    @web.authenticated
    async def post(self, held_id: str) -> None:
        """Release a held message into its chat (or comment thread), or discard it."""
        if not self.require_teacher():
            return
        action = self.body().get("action")
        if action not in ("release", "discard"):
            self.write_problem(
                400, f"The field 'action' must be release or discard, not {action!r}."
            )
            return
        held = self.chats.moderation.take_held(held_id)
        if held is None:
            self.write_problem(404, f"There is no held message '{held_id}'.")
            return
        where = str(held.get("where", ""))
        kind, _, place = where.partition(":")
        if action == "release":
            from .identity import Identity as _Identity

            sender = _Identity.from_dict({**held["sender"], "role": held["sender"].get("role")})
            if kind == "chat":
                await self.chats.add(place, sender, held["username"], held["text"], held["time"])
            elif kind == "comment":
                from .comments import comments_of

                comments_of(self).release(held)
        if kind == "chat":
            self.chats.bump(place)
        elif kind == "comment":
            notify(self.settings, "comments", place)  # the held comment left the teachers' view
        self.finish(json.dumps({"action": action, "where": where}))


class MuteHandler(ModerationAPIHandler):
    """``POST /vxkit/api/moderation/mute`` with ``{"student": id, "minutes": n}`` (0 lifts)."""

    @web.authenticated
    def post(self) -> None:
        """Mute a student for a time."""
        if not self.require_teacher():
            return
        body = self.body()
        student = body.get("student")
        if not isinstance(student, str) or not student:
            self.write_problem(400, f"The field 'student' must be a student id, not {student!r}.")
            return
        try:
            until = self.chats.moderation.mute(student, body.get("minutes"))
        except ModerationError as err:
            self.write_problem(400, str(err))
            return
        self.finish(json.dumps({"student": student, "muted_until": until}))


CHAT_HANDLERS = [
    (r"/vxkit/api/chats", ChatListHandler),
    (r"/vxkit/api/chats/(?P<chat>[^/]+)", ChatHandler),
    (r"/vxkit/api/chats/(?P<chat>[^/]+)/seen", ChatSeenHandler),
    (r"/vxkit/api/chats/(?P<chat>[^/]+)/export", ChatExportHandler),
    (r"/vxkit/api/moderation", ModerationHandler),
    (r"/vxkit/api/moderation/hide", HideHandler),
    (r"/vxkit/api/moderation/held/(?P<held_id>[0-9a-f]+)", HeldHandler),
    (r"/vxkit/api/moderation/mute", MuteHandler),
]
