"""Comments on cells: threads anchored to a cell id of a notebook, kept beside it by the server.

A notebook's threads live in ``.vxkit/comments/<notebook path>.json`` (the state area: no
student reaches it by any door but these endpoints), never in the notebook's cells, so grading,
releases and the portfolio never see them. Whoever may read the notebook reads its threads;
whoever may write it (the team, teachers) starts, answers and resolves them. Every comment is
stamped with the server's identity and moderated like a chat message: muted students can't
post, a word of the teachers' list holds it for a teacher, teachers hide comments.

- ``GET /vxkit/api/comments?path=<notebook>``: the threads, as the asker sees them;
- ``POST /vxkit/api/comments`` with ``{"path", "cell_id", "body"}`` starts a thread, with
  ``{"path", "thread", "body"}`` answers one;
- ``POST /vxkit/api/comments/resolve`` with ``{"path", "thread", "resolved"}``.
"""

from __future__ import annotations

import json
import re
import threading
import time
import uuid
from collections.abc import Callable
from pathlib import Path
from typing import Any

from tornado import web

from ..areas import STATE, real_relative
from ..files import atomic_write
from .chat import ChatAPIHandler, held_view, local_time, reader_zone, stamp
from .events import hub_of
from .identity import Identity
from .moderation import ModerationError, clean_text, flagged_words

_CELL_ID = re.compile(r"^[A-Za-z0-9_-]{1,64}$")


class Comments:
    """The comment threads of one workspace."""

    def __init__(self, root: Path | str) -> None:
        self.root = Path(root)
        self._lock = threading.RLock()
        #: called with the notebook's path after every change (the event stream's hook)
        self.on_change: Callable[[str], None] | None = None

    def _file(self, path: str) -> Path:
        rel = real_relative(self.root, path)
        if rel is None or not rel.endswith(".ipynb"):
            raise ModerationError(f"The field 'path' must be a notebook, not {path!r}.")
        return self.root / STATE / "comments" / f"{rel}.json"

    def threads(self, path: str) -> list[dict[str, Any]]:
        """Every thread of notebook ``path``, oldest first."""
        try:
            data = json.loads(self._file(path).read_text(encoding="utf-8"))
        except (OSError, ValueError):
            return []
        return data.get("threads", []) if isinstance(data, dict) else []

    def _save(self, path: str, threads: list[dict[str, Any]]) -> None:
        atomic_write(self._file(path), json.dumps({"threads": threads}, ensure_ascii=False))
        self.changed(path)

    def changed(self, path: str) -> None:
        """The threads of ``path`` changed (or a comment on it is held): tell the stream."""
        if self.on_change is not None:
            self.on_change(real_relative(self.root, path) or path)

    def add(
        self,
        path: str,
        identity: Identity,
        username: str,
        text: str,
        cell_id: str | None = None,
        thread_id: str | None = None,
        when: float | None = None,
    ) -> tuple[str, str]:
        """Start a thread on ``cell_id`` or answer ``thread_id``; (thread id, comment id)."""
        comment = {
            "id": uuid.uuid4().hex,
            "sender": stamp(identity),
            "username": username,
            "text": text,
            "time": when or time.time(),
        }
        with self._lock:
            threads = self.threads(path)
            if thread_id is None:
                if not isinstance(cell_id, str) or not _CELL_ID.match(cell_id):
                    raise ModerationError(f"The field 'cell_id' is not a cell id: {cell_id!r}.")
                thread = {
                    "id": uuid.uuid4().hex,
                    "cell_id": cell_id,
                    "created": comment["time"],
                    "resolved": False,
                    "comments": [],
                }
                threads.append(thread)
            else:
                thread = next((t for t in threads if t["id"] == thread_id), None)
                if thread is None:
                    raise ModerationError(f"There is no thread {thread_id!r} on this notebook.")
            thread["comments"].append(comment)
            self._save(path, threads)
        return thread["id"], comment["id"]

    def check_thread(self, path: str, thread_id: Any) -> None:
        """ModerationError unless ``thread_id`` is a thread of ``path``."""
        if not any(t["id"] == thread_id for t in self.threads(path)):
            raise ModerationError(f"There is no thread {thread_id!r} on this notebook.")

    def resolve(self, path: str, thread_id: Any, resolved: bool, who: Identity) -> None:
        """Mark a thread resolved (or open again)."""
        with self._lock:
            threads = self.threads(path)
            thread = next((t for t in threads if t["id"] == thread_id), None)
            if thread is None:
                raise ModerationError(f"There is no thread {thread_id!r} on this notebook.")
            thread["resolved"] = resolved
            thread["resolved_by"] = who.name if resolved else None
            self._save(path, threads)

    def hide(self, path: str, comment_id: str, teacher: Identity) -> bool:
        """Hide a comment's text from everyone but its author; False if there is none."""
        with self._lock:
            threads = self.threads(path)
            for thread in threads:
                for comment in thread["comments"]:
                    if comment["id"] == comment_id:
                        comment["hidden"] = True
                        comment["hidden_by"] = teacher.name
                        self._save(path, threads)
                        return True
        return False

    def release(self, held: dict[str, Any]) -> None:
        """Post a held comment a teacher released."""
        extra = held.get("extra") or {}
        sender = Identity.from_dict(held["sender"])
        self.add(
            extra["path"],
            sender,
            held["username"],
            held["text"],
            cell_id=extra.get("cell_id"),
            thread_id=extra.get("thread"),
            when=held["time"],
        )


def comments_of(handler: web.RequestHandler) -> Comments:
    """The server's comment threads (made on first use)."""
    comments = handler.settings.get("vxkit_comments")
    if comments is None:
        comments = Comments(handler.settings["serverapp"].root_dir)
        comments.on_change = hub_of(handler.settings).notifier("comments")
        handler.settings["vxkit_comments"] = comments
    return comments


def comment_view(
    comment: dict[str, Any], reader: Identity, username: str, zone: str
) -> dict[str, Any]:
    """One comment as ``reader`` sees it: a hidden one's text only for its author."""
    sender = comment.get("sender") or {}
    mine = comment.get("username") == username
    hidden = bool(comment.get("hidden"))
    view = {
        "id": comment["id"],
        "time": comment["time"],
        **local_time(comment["time"], zone),
        "name": sender.get("name"),
        "city": sender.get("city"),
        "class_id": sender.get("class_id"),
        "colour": sender.get("colour"),
        "role": sender.get("role"),
        "text": comment["text"] if (mine or not hidden) else "",
        "hidden": hidden,
        "held": False,
        "mine": mine,
    }
    if reader.is_teacher:
        view["student_id"] = sender.get("student_id")
    return view


class CommentsHandler(ChatAPIHandler):
    """``GET`` the threads of ``?path=``; ``POST`` a new thread or an answer."""

    @property
    def comments(self) -> Comments:
        return comments_of(self)

    @web.authenticated
    def get(self) -> None:
        """The notebook's threads as the asker sees them (held comments: author, teachers)."""
        identity = self.identity
        path = self.get_argument("path")
        exchange = self.exchange()
        zone = reader_zone(exchange, identity, self.get_argument("tz", None))
        username = self.current_user.username
        try:
            threads = self.comments.threads(path)
        except ModerationError as err:
            self.write_problem(400, str(err))
            return
        where = f"comment:{real_relative(self.comments.root, path)}"
        held = [
            h
            for h in self.chats.moderation.held()
            if h.get("where") == where and (identity.is_teacher or h.get("username") == username)
        ]
        out = []
        for thread in threads:
            views = [comment_view(c, identity, username, zone) for c in thread["comments"]]
            views += [
                self._held(h, zone, username)
                for h in held
                if (h.get("extra") or {}).get("thread") == thread["id"]
            ]
            out.append({**{k: v for k, v in thread.items() if k != "comments"}, "comments": views})
        for h in held:
            extra = h.get("extra") or {}
            if extra.get("thread") is None:
                out.append(
                    {
                        "id": f"held-{h['id']}",
                        "cell_id": extra.get("cell_id"),
                        "created": h["time"],
                        "resolved": False,
                        "comments": [self._held(h, zone, username)],
                    }
                )
        self.finish(
            json.dumps(
                {
                    "path": path,
                    "timezone": zone,
                    "moderator": identity.is_teacher,
                    "may_comment": not identity.is_visitor,
                    "threads": out,
                }
            )
        )

    def _held(self, held: dict[str, Any], zone: str, username: str) -> dict[str, Any]:
        view = held_view(held, zone, held.get("username") == username)
        if not self.identity.is_teacher:
            view.pop("student_id")
        return view

    @web.authenticated
    def post(self) -> None:
        """Start a thread (``cell_id``) or answer one (``thread``), stamped as the asker."""
        identity = self.identity
        body = self.body()
        path = body.get("path")
        exchange = self.exchange()
        moderation = self.chats.moderation
        if identity.student_id and moderation.muted_until(identity.student_id):
            raise web.HTTPError(403, "A teacher muted you for a while.")
        try:
            if not isinstance(path, str):
                raise ModerationError(f"The field 'path' must be a notebook, not {path!r}.")
            text = clean_text(body.get("body"))
            thread = body.get("thread")
            cell_id = body.get("cell_id")
            if thread is not None:
                self.comments.check_thread(path, thread)
            elif not isinstance(cell_id, str) or not _CELL_ID.match(cell_id):
                raise ModerationError(f"The field 'cell_id' is not a cell id: {cell_id!r}.")
            username = self.current_user.username
            languages = [lang for c in exchange.classes for lang in c.languages]
            words = (
                []
                if identity.is_teacher
                else flagged_words(text, moderation.settings(languages)["words"])
            )
            if words:
                where = f"comment:{real_relative(self.comments.root, path)}"
                extra = {"path": path, "thread": thread, "cell_id": cell_id}
                held = moderation.hold(where, stamp(identity), username, text, words, extra)
                self.comments.changed(path)
                self.set_status(202)
                self.finish(json.dumps({"held": True, "id": held.id}))
                return
            thread_id, comment_id = self.comments.add(
                path, identity, username, text, cell_id=cell_id, thread_id=thread
            )
        except ModerationError as err:
            self.write_problem(400, str(err))
            return
        self.finish(json.dumps({"held": False, "thread": thread_id, "id": comment_id}))


class ResolveHandler(ChatAPIHandler):
    """``POST /vxkit/api/comments/resolve`` with ``{"path", "thread", "resolved"}``."""

    @web.authenticated
    def post(self) -> None:
        """Resolve a thread, or open it again."""
        body = self.body()
        resolved = body.get("resolved", True)
        if not isinstance(resolved, bool):
            self.write_problem(
                400, f"The field 'resolved' must be true or false, not {resolved!r}."
            )
            return
        try:
            comments_of(self).resolve(
                str(body.get("path")), body.get("thread"), resolved, self.identity
            )
        except ModerationError as err:
            self.write_problem(400, str(err))
            return
        self.finish(json.dumps({"resolved": resolved}))


COMMENT_HANDLERS = [
    (r"/vxkit/api/comments", CommentsHandler),
    (r"/vxkit/api/comments/resolve", ResolveHandler),
]
