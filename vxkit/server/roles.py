"""Roles, enforced by the server for every HTTP request and websocket.

- teacher: everything;
- student: their team's folder ``projects/<team>``, their own folder ``students/<id>``,
  ``shared/``, released assignments (``course/release``, read only); never the nbgrader
  source or gradebook, the formgrader, ``.vxkit/`` or another team's folder;
- visitor: reads the projects and ``shared/``; no writes, no code, no document updates.

``VxkitAuthorizer`` is jupyter_server's authorization hook (HTTP handlers and the
collaboration and kernel websockets all call it). Handlers of other extensions that never
ask the authorizer (nbgrader's formgrader) are closed by ``teacher_only_url``, which the
identity provider checks on every request.
"""

from __future__ import annotations

import json
import posixpath
from typing import Any

from jupyter_server.auth.authorizer import Authorizer
from tornado import web

from .identity import Identity, identity_of

#: each student's own folder: ``students/<student id>``
STUDENTS_DIR = "students"
#: URL prefixes (relative to base_url) only teachers may open
TEACHER_ONLY_URLS = (
    "formgrader",
    "formgraders",
    "terminals",
    "api/terminals",
    "api/shutdown",
    "lab/api/extensions",
)
#: resources a student may change besides files (kernels and sessions run their notebooks)
STUDENT_WRITABLE = {"kernels", "sessions", "events", "workspaces"}
#: resources a visitor may read
READABLE = {"api", "csp", "kernelspecs", "config", "events", "workspaces", "sessions", "kernels"}
PATH_RESOURCES = {"contents", "files", "nbconvert"}


def clean_path(path: str) -> str | None:
    """A path relative to the server root, normalised; None if it tries to escape.

    Tornado has already URL-decoded path arguments: decoding again would check another path
    than the contents manager opens.
    """
    path = (path or "").replace("\\", "/").strip("/")
    if not path:
        return ""
    norm = posixpath.normpath(path)
    if norm.startswith("..") or norm.startswith("/"):
        return None
    return "" if norm == "." else norm


def path_allowed(identity: Identity, path: str | None, write: bool) -> bool:
    """Whether ``identity`` may read (or, with ``write``, change) the file or folder ``path``."""
    if identity.is_teacher:
        return True
    if path is None:
        return False
    parts = path.split("/") if path else []
    if not parts:
        return not write  # the workspace root can be listed, not changed
    top = parts[0]
    if top == "projects":
        if len(parts) == 1:
            return not write
        if identity.is_visitor:
            return not write
        return parts[1] == identity.team_id and identity.team_id is not None
    if top == "shared":
        return identity.is_student or not write
    if top == STUDENTS_DIR and identity.is_student:
        if len(parts) == 1:
            return False
        return parts[1] == identity.student_id
    if top == "course" and identity.is_student and not write:
        return len(parts) >= 2 and parts[1] == "release"
    return False


def request_paths(handler: web.RequestHandler, resource: str) -> list[tuple[str | None, bool]]:
    """The file paths a request touches, each with whether it is only read (False) or changed.

    Contents copies and renames name a second path in the body: both are checked.
    """
    method = handler.request.method or "GET"
    write = method not in ("GET", "HEAD", "OPTIONS")
    args = [a for a in handler.path_args if isinstance(a, str)]
    raw = args[-1] if args else ""
    if isinstance(handler.path_kwargs.get("path"), str):
        raw = handler.path_kwargs["path"]  # routes built on jupyter_server's path_regex
    if resource == "nbconvert" and len(args) >= 2:
        raw = args[1]
    route = handler.request.path
    if "/api/collaboration/room/" in route or "/api/collaboration/fork/" in route:
        return [(room_path(handler, raw), write)]
    if "/api/collaboration/session/" in route:
        return [(clean_path(raw), False)]  # opening a document's session only reads it
    if "/api/collaboration/undo_redo/" in route:
        return [(room_path(handler, raw), True)]
    paths: list[tuple[str | None, bool]] = [(clean_path(raw), write)]
    if resource == "contents" and method in ("POST", "PATCH") and handler.request.body:
        try:
            body = json.loads(handler.request.body)
        except ValueError:
            body = {}
        if isinstance(body, dict):
            if isinstance(body.get("copy_from"), str):
                paths.append((clean_path(body["copy_from"]), False))
            if method == "PATCH" and isinstance(body.get("path"), str):
                paths.append((clean_path(body["path"]), True))
    return paths


def room_path(handler: web.RequestHandler, room_id: str) -> str | None:
    """The file behind a collaboration room id (``json:notebook:<file id>``).

    Rooms that are not documents (the global awareness) map to the root, which everyone
    may read; an unknown file id maps to None (refused).
    """
    room_id = room_id.split("/")[-1]
    if room_id.count(":") < 2:
        return ""
    file_id = room_id.split(":", 2)[2]
    manager = handler.settings.get("file_id_manager")
    path = manager.get_path(file_id) if manager is not None else None
    if path is None:
        return None
    root = handler.settings.get("server_root_dir", "")
    if root and path.startswith(str(root)):
        path = path[len(str(root)) :]
    return clean_path(path)


def teacher_only_url(handler: web.RequestHandler) -> bool:
    """Whether the request is for a URL that only teachers may open."""
    base = getattr(handler, "base_url", "/") or "/"
    path = handler.request.path
    rel = path[len(base) :] if path.startswith(base) else path.lstrip("/")
    return any(rel == p or rel.startswith(p + "/") for p in TEACHER_ONLY_URLS)


class VxkitAuthorizer(Authorizer):
    """Applies the vxkit roles to everything jupyter_server authorizes."""

    def is_authorized(
        self, handler: web.RequestHandler, user: Any, action: str, resource: str
    ) -> bool:
        """Teachers may do anything; students and visitors what their role allows."""
        identity = identity_of(user)
        if identity.is_teacher:
            return True
        allowed = self._allowed(handler, identity, action, resource)
        if not allowed:
            self.log.info(
                "vxkit: %s %s (%s) may not %s %s %s",
                identity.role,
                identity.student_id or identity.name,
                identity.class_id,
                action,
                resource,
                handler.request.path,
            )
        return allowed

    def _allowed(
        self, handler: web.RequestHandler, identity: Identity, action: str, resource: str
    ) -> bool:
        if teacher_only_url(handler):
            return False
        if resource in PATH_RESOURCES:
            return all(
                path_allowed(identity, path, write and action != "read")
                for path, write in request_paths(handler, resource)
            )
        if identity.is_student:
            return (action == "read" and resource in READABLE) or resource in STUDENT_WRITABLE
        # visitors: read only, and no kernel websocket (that is how code runs)
        return action == "read" and resource in READABLE
