"""One event stream per browser tab: the websocket ``/vxkit/api/events`` (base-url relative).

The Exchange panel, the dashboard, the teacher's jobs, the comments and the chat badges used
to ask the server on timers of their own (every 1 to 30 seconds each). They now listen on this
one socket, and the server pushes when something changed:

- ``team``: my team with who of it is online and in which team notebook (students; the answer
  of ``GET /vxkit/api/team``);
- ``presence``: who is connected to which document (teachers; ``GET /vxkit/api/presence``);
- ``jobs``: the teacher's jobs and their progress (teachers; ``GET /vxkit/api/jobs``);
- ``units``: per unit and class, fetched / handed in / graded counts (teachers;
  ``GET /vxkit/api/units``);
- ``contributions``: the contribution report (teachers, at most every 15 s while people type);
- ``chats``: the chats I may read with their unread counts and version (everyone, each for
  themselves; ``GET /vxkit/api/chats``);
- ``comments``: ``{"path": notebook}`` when the threads of a notebook I may read changed (the
  panel showing it reads them with ``GET /vxkit/api/comments``).

Each message is computed for the person on the socket by the same functions that answer the
GET endpoints, so the stream can't tell anyone more than those do. Changes are coalesced
(``COALESCE`` seconds after the first, ``MIN_INTERVAL`` per topic) and a message identical to
the last one sent on a socket is not sent again. A ``ping`` goes to every socket each
``HEARTBEAT`` seconds (one timer for all), so a client knows a silent stream is a dead one;
the session is checked then and on every push, and a revoked join link (or a student moved to
another team) closes the socket with code 4403.

Server to client, JSON text frames: ``{"type": "hello", "role", "topics", "heartbeat"}`` once,
``{"type": TOPIC, "data": ...}``, ``{"type": "subscribed", "topics"}``, ``{"type": "ping"}``.
Client to server, the only message read: ``{"type": "subscribe", "topics": [...]}``, which
chooses among the topics the person's role has (``topics_for``); it carries no team, chat or
path, so nothing a browser sends chooses whose data it gets. Anything else (binary frames,
text that isn't that JSON, unknown types) is ignored, and the socket stays open.

Why not jupyter_server's event bus (``/api/events/subscribe``)? It sends every event of the
server to every subscriber: file paths other teams and the teachers open and save, whatever
schemas other extensions register. Filtering it per reader would mean a view over events whose
shapes we don't own, and would still not give a student "my team's presence" or "my unread
counts", which are not events but answers computed per reader. So this is a websocket of
vxkit's own, named in the policy table (signed in; the gate refuses anyone else before the
handshake), and ``/api/events/subscribe`` stays teachers' only.
"""

from __future__ import annotations

import asyncio
import json
import threading
from collections.abc import Callable
from typing import Any

from jupyter_server.auth.decorator import ws_authenticated
from jupyter_server.base.handlers import JupyterHandler
from jupyter_server.base.websocket import WebSocketMixin
from tornado import ioloop
from tornado.websocket import WebSocketClosedError, WebSocketHandler

from ..areas import area_of
from ..errors import VxkitError
from .identity import Identity, identity_of
from .policy import READ, may
from .provider import SessionCheck

#: seconds between a change and the push (changes within it go out as one message)
COALESCE = 0.25
#: seconds between two pings to every socket
HEARTBEAT = 25.0
#: least seconds between two pushes of a topic that changes all the time
MIN_INTERVAL = {"contributions": 15.0, "units": 1.0}
#: longest message a client may send (a subscribe is a few dozen bytes)
MAX_MESSAGE = 2048

TEACHER_TOPICS = frozenset({"presence", "jobs", "units", "contributions"})
STUDENT_TOPICS = frozenset({"team", "chats", "comments"})
VISITOR_TOPICS = frozenset({"chats", "comments"})


def topics_for(identity: Identity | None) -> frozenset[str]:
    """The topics a person may listen to: teachers the classroom's, students their team's
    presence, everyone their own chats and the comments of notebooks they may read."""
    if identity is None:
        return frozenset()
    if identity.is_teacher:
        return TEACHER_TOPICS | {"chats", "comments"}
    if identity.is_student:
        return STUDENT_TOPICS
    return VISITOR_TOPICS


def wanted_topics(message: Any, allowed: frozenset[str]) -> frozenset[str] | None:
    """The topics a client's message subscribes to (within ``allowed``), or None when it is
    not a subscribe message (then it is ignored)."""
    if isinstance(message, bytes) or not isinstance(message, str) or len(message) > MAX_MESSAGE:
        return None
    try:
        data = json.loads(message)
    except ValueError:
        return None
    if not isinstance(data, dict) or data.get("type") != "subscribe":
        return None
    topics = data.get("topics")
    if not isinstance(topics, list) or not all(isinstance(t, str) for t in topics):
        return None
    return frozenset(topics) & allowed


class EventHub:
    """The open event sockets of this server, what changed since the last push, the timers."""

    def __init__(self, coalesce: float = COALESCE, heartbeat: float = HEARTBEAT) -> None:
        self.coalesce = coalesce
        self.heartbeat = heartbeat
        self.sockets: set[EventsHandler] = set()
        self._dirty: dict[str, set[str]] = {}
        self._last_push: dict[str, float] = {}
        self._handle: asyncio.TimerHandle | None = None
        self._loop: asyncio.AbstractEventLoop | None = None
        self._thread: int | None = None
        self._lock = asyncio.Lock()
        self._tasks: set[asyncio.Task[None]] = set()
        self._pinger: ioloop.PeriodicCallback | None = None

    def touch(self, topic: str, detail: str | None = None) -> None:
        """Something of ``topic`` changed (``detail``: which notebook or chat); safe to call
        from any thread."""
        loop = self._loop
        if loop is None or not self.sockets:
            return  # nobody listens: nothing to compute
        if threading.get_ident() != self._thread:
            loop.call_soon_threadsafe(self.touch, topic, detail)
            return
        details = self._dirty.setdefault(topic, set())
        if detail is not None:
            details.add(detail)
        self._schedule()

    def notifier(self, topic: str) -> Callable[..., None]:
        """A callback for a producer's ``on_change``: ``touch(topic, detail)``."""
        return lambda detail=None: self.touch(topic, detail)

    def _due(self, topic: str) -> float:
        return self._last_push.get(topic, -1e9) + MIN_INTERVAL.get(topic, 0.0)

    def _schedule(self) -> None:
        if self._handle is not None or not self._dirty or self._loop is None:
            return
        now = self._loop.time()
        when = min(max(now + self.coalesce, self._due(t)) for t in self._dirty)
        self._handle = self._loop.call_at(when, self._start_flush)

    def _start_flush(self) -> None:
        self._handle = None
        self._spawn(self._flush())

    def _spawn(self, coro: Any) -> None:
        task = asyncio.get_running_loop().create_task(coro)
        self._tasks.add(task)
        task.add_done_callback(self._tasks.discard)

    async def _flush(self) -> None:
        async with self._lock:
            assert self._loop is not None
            now = self._loop.time()
            ready = {t: d for t, d in self._dirty.items() if self._due(t) <= now + 1e-3}
            for topic in ready:
                del self._dirty[topic]
                self._last_push[topic] = now
            shared: dict[Any, Any] = {}
            for socket in list(self.sockets):
                await socket.push(ready, shared)
        self._schedule()

    def add(self, socket: EventsHandler) -> None:
        """A socket opened: from now on it gets pushes (and the heartbeat)."""
        if self._loop is None:
            self._loop = asyncio.get_running_loop()
            self._thread = threading.get_ident()
        self.sockets.add(socket)
        if self._pinger is None and self.heartbeat > 0:
            self._pinger = ioloop.PeriodicCallback(self._ping, self.heartbeat * 1000)
            self._pinger.start()

    def remove(self, socket: EventsHandler) -> None:
        """A socket closed."""
        self.sockets.discard(socket)
        if not self.sockets and self._pinger is not None:
            self._pinger.stop()
            self._pinger = None

    def _ping(self) -> None:
        for socket in list(self.sockets):
            if socket.still_signed_in():
                socket.send({"type": "ping"})

    def stop(self) -> None:
        """The server is stopping: no more timers."""
        if self._handle is not None:
            self._handle.cancel()
            self._handle = None
        if self._pinger is not None:
            self._pinger.stop()
            self._pinger = None


def hub_of(settings: dict[str, Any]) -> EventHub:
    """This server's event hub (made on first use)."""
    hub = settings.get("vxkit_events")
    if hub is None:
        hub = settings["vxkit_events"] = EventHub()
    return hub


def notify(settings: dict[str, Any], topic: str, detail: str | None = None) -> None:
    """Tell the event stream that ``topic`` changed (a no-op where nobody listens)."""
    hub = settings.get("vxkit_events")
    if hub is not None:
        hub.touch(topic, detail)


def wire(settings: dict[str, Any]) -> EventHub:
    """Connect the producers the server made at start (presence, the contribution record,
    the job runner) to this server's hub; chats and comments connect when they are made."""
    hub = hub_of(settings)
    presence = settings.get("vxkit_presence")
    if presence is not None:
        # one change, two views of it: the classroom's (teachers) and each team's (students)
        presence.on_change = lambda: (hub.touch("presence"), hub.touch("team"))
    log = settings.get("vxkit_contributions")
    if log is not None:
        log.on_change = hub.notifier("contributions")
    jobs = settings.get("vxkit_jobs")
    if jobs is not None:
        jobs.on_change = hub.notifier("jobs")
        jobs.on_units_change = hub.notifier("units")
    return hub


async def view(handler: EventsHandler, topic: str, shared: dict[Any, Any]) -> Any:
    """What ``topic`` looks like for the person on ``handler``'s socket (None: nothing to
    say). ``shared`` caches answers that are the same for everyone of a role during a push."""
    identity = handler.identity
    settings = handler.settings
    if topic in TEACHER_TOPICS and not identity.is_teacher:
        return None  # topics_for said so already; say it twice
    if topic == "team":
        from .presence import team_view

        key = ("team", identity.team_id if identity.is_student else None)
        if key not in shared:
            try:
                shared[key] = team_view(settings, identity)
            except VxkitError:
                shared[key] = None
        return shared[key]
    if topic in shared:
        return shared[topic]
    if topic == "presence":
        presence = settings.get("vxkit_presence")
        data: Any = {"connections": presence.snapshot() if presence is not None else []}
    elif topic == "jobs":
        from .jobs import runner_for

        data = runner_for(settings).summary()
    elif topic == "units":
        from ..grading.counts import all_unit_counts

        try:
            data = {"units": await asyncio.to_thread(all_unit_counts, settings["vxkit_workspace"])}
        except VxkitError:
            data = None
    elif topic == "contributions":
        from .contributions import report

        log = settings.get("vxkit_contributions")
        data = report(log.data) if log is not None else None
    elif topic == "chats":
        from .chat import chat_rows, chats_of
        from .provider import current_exchange

        exchange = current_exchange(settings["vxkit_workspace"])
        if exchange is None:
            return None
        user = handler.current_user
        return {"chats": await chat_rows(chats_of(handler), exchange, identity, user.username)}
    else:
        return None
    shared[topic] = data
    return data


class EventsHandler(WebSocketMixin, JupyterHandler, WebSocketHandler):
    """``/vxkit/api/events``: the event stream of one browser tab (see the module)."""

    identity: Identity
    topics: frozenset[str] = frozenset()
    _session: SessionCheck | None = None

    @property
    def max_message_size(self) -> int:  # type:ignore[override]
        return MAX_MESSAGE

    @ws_authenticated
    async def get(self, *args: Any, **kwargs: Any) -> None:
        """Upgrade to the websocket (signed-in people only; the gate asked the policy)."""
        await super().get(*args, **kwargs)

    async def open(self, *args: Any, **kwargs: Any) -> None:  # type:ignore[override]
        """Say hello and send the current state of every topic the person has."""
        super().open(*args, **kwargs)
        identity = identity_of(self.current_user)
        if identity is None:
            self.close(4403, "Sign in first: open your class's join link again.")
            return
        self.identity = identity
        self.topics = topics_for(identity)
        self._session = SessionCheck(self)
        self._sent: dict[str, str] = {}
        hub = hub_of(self.settings)
        hub.add(self)
        self.send(
            {
                "type": "hello",
                "role": identity.role,
                "topics": sorted(self.topics),
                "heartbeat": hub.heartbeat,
            }
        )
        await self.push({topic: set() for topic in self.topics}, {})

    def on_message(self, message: str | bytes) -> None:
        """A subscribe message changes the topics; anything else is ignored."""
        if self._session is None:
            return
        wanted = wanted_topics(message, topics_for(self.identity))
        if wanted is None:
            return
        added = wanted - self.topics
        self.topics = wanted
        for topic in set(self._sent) - wanted:
            del self._sent[topic]  # subscribing again sends the state again
        self.send({"type": "subscribed", "topics": sorted(wanted)})
        if added:
            hub_of(self.settings)._spawn(self.push({topic: set() for topic in added}, {}))

    def still_signed_in(self) -> bool:
        """Whether the session still holds; closes the socket (4403) when it doesn't."""
        if self._session is None or self.ws_connection is None:
            return False
        if self._session.ok():
            return True
        self.close(4403, "Your join link was replaced: open the new one.")
        return False

    async def push(self, dirty: dict[str, set[str]], shared: dict[Any, Any]) -> None:
        """Send what changed of ``dirty``'s topics (and is new for this socket)."""
        if not self.still_signed_in():
            return
        for topic in sorted(set(dirty) & self.topics):
            if topic == "comments":
                self._comments(dirty[topic])
                continue
            try:
                data = await view(self, topic, shared)
            except Exception as err:  # one topic failing never stops the others
                self.log.warning("vxkit: the %s event could not be computed: %s", topic, err)
                continue
            if data is None or topic not in self.topics:
                continue
            text = json.dumps({"type": topic, "data": data})
            if self._sent.get(topic) != text:
                self._sent[topic] = text
                self.send(text)

    def _comments(self, paths: set[str]) -> None:
        root = self.settings.get("server_root_dir") or self.settings["vxkit_workspace"].root
        for path in sorted(paths):
            if may(self.identity, READ, area_of(str(root), path)):
                self.send({"type": "comments", "data": {"path": path}})

    def send(self, message: dict[str, Any] | str) -> None:
        """Write one message; a socket closed under us is simply forgotten."""
        text = message if isinstance(message, str) else json.dumps(message)
        try:
            self.write_message(text)
        except WebSocketClosedError:
            hub_of(self.settings).remove(self)

    def on_close(self) -> None:
        """Stop pushing to this socket."""
        hub_of(self.settings).remove(self)
