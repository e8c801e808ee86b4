"""Which area of an exchange workspace a path is in: the one place that knows the layout.

```
projects/               the projects root (a listing of team folders)   projects_root
projects/<team>/...     a team's folder                                 team, key = team id
students/<id>/...       a student's own folder                          student, key = student id
shared/...              data every class reads and adds to              shared
course/release/<unit>/  a released assignment                           release, key = unit
course/{submitted,autograded}/<id>/<unit>/   a hand-in (grading kernels)   submission,
                                           key = "submitted/<id>/<unit>" (or autograded/...)
course/...              nbgrader source, gradebook, submissions         course
chats/                  the chats folder (a listing)                   chats_root
chats/teams/<team>.chat a team's chat                                  chat, key = "team:<team>"
chats/classes/<class>.chat   a class's chat                            chat, key = "class:<class>"
chats/agora.chat        the exchange-wide chat                         chat, key = "agora"
chats/... (anything else)    teachers' files                           chat, key = "other"
*.chat elsewhere        a chat outside chats/ (teachers' only)         chat, key = "other"
.vxkit/...              server state: secrets, stores, the exchange     state
""                      the workspace root itself (a listing)           root
anything else           exchange.toml, nbgrader_config.py, other files  other
outside the workspace   (through ``..`` or a symbolic link)             outside
```

The server's policy, the kernel sandbox, contributions and grading all ask ``area_of``
instead of knowing folder names. Paths are API paths (``/``-separated, relative to the
workspace root, already URL-decoded once, as jupyter_server hands them to its contents
manager). Symbolic links are resolved on the real file system: a link inside a team folder
that points at ``course/`` is in the ``course`` area.

A chat's area also says who the teachers opened it to (``Area.audience``: "students" for the
agora, "visitors" for chats visitors may read), from the teachers' chat settings
(``.vxkit/chat/settings.json``), read when they change.
"""

from __future__ import annotations

import json
import os
import posixpath
from dataclasses import dataclass, field
from pathlib import Path

PROJECTS = "projects"
STUDENTS = "students"
SHARED = "shared"
COURSE = "course"
RELEASE = "release"
SUBMISSIONS = ("submitted", "autograded")
STATE = ".vxkit"
CHATS = "chats"
CHAT_SUFFIX = ".chat"
#: the teachers' chat settings, relative to the root (written by ``vxkit.server.moderation``)
CHAT_SETTINGS = f"{STATE}/chat/settings.json"

#: area kinds, in the order of the table above
KINDS = (
    "projects_root",
    "team",
    "student",
    "shared",
    "chats_root",
    "chat",
    "release",
    "submission",
    "course",
    "state",
    "root",
    "other",
    "outside",
)


@dataclass(frozen=True)
class Area:
    """An area of the workspace: its ``kind`` (one of ``KINDS``) and, for team, student,
    release and submission areas, the team id, student id, unit id or
    ``submitted|autograded/<id>/<unit>`` in ``key``."""

    kind: str
    key: str | None = None
    #: who besides members the teachers opened a chat to ("students", "visitors"); not part
    #: of the area's identity
    audience: frozenset[str] = field(default=frozenset(), compare=False)

    @property
    def folder(self) -> str | None:
        """The area's folder as an API path ("" for the root); None where there is none."""
        return {
            "projects_root": PROJECTS,
            "team": f"{PROJECTS}/{self.key}",
            "student": f"{STUDENTS}/{self.key}",
            "shared": SHARED,
            "release": f"{COURSE}/{RELEASE}/{self.key}",
            "submission": f"{COURSE}/{self.key}",
            "course": COURSE,
            "state": STATE,
            "chats_root": CHATS,
            "root": "",
        }.get(self.kind)


OUTSIDE = Area("outside")


def normalise(api_path: str | None) -> str | None:
    """``api_path`` normalised (no leading or trailing ``/``, no ``.``); None if it climbs
    out of the root with ``..``, is absolute on Windows terms, or holds a NUL byte."""
    if api_path is None or "\x00" in api_path:
        return None
    path = api_path.replace("\\", "/").strip("/")
    if not path:
        return ""
    if ":" in path.split("/", 1)[0]:
        return None  # "C:..." drive letters
    norm = posixpath.normpath(path)
    if norm == ".":
        return ""
    if norm == ".." or norm.startswith("../") or norm.startswith("/"):
        return None
    return norm


def classify(rel: str) -> Area:
    """The area of a normalised, symlink-free path relative to the root (no file access)."""
    area = _classify(rel)
    if area.kind in ("team", "student", "shared") and rel.endswith(CHAT_SUFFIX):
        # chats live in chats/ only: a .chat anywhere else would be a chat nobody moderates
        return Area("chat", "other")
    return area


def _classify(rel: str) -> Area:
    parts = rel.split("/") if rel else []
    if not parts:
        return Area("root")
    top = parts[0]
    if top == PROJECTS:
        return Area("team", parts[1]) if len(parts) > 1 else Area("projects_root")
    if top == STUDENTS:
        return Area("student", parts[1]) if len(parts) > 1 else Area("other")
    if top == SHARED:
        return Area("shared")
    if top == COURSE:
        if len(parts) > 2 and parts[1] == RELEASE:
            return Area("release", parts[2])
        if len(parts) > 3 and parts[1] in SUBMISSIONS:
            return Area("submission", "/".join(parts[1:4]))
        return Area("course")
    if top == STATE:
        return Area("state")
    if top == CHATS:
        return _chat_area(parts[1:])
    return Area("other")


def _chat_area(parts: list[str]) -> Area:
    if not parts:
        return Area("chats_root")
    name = parts[-1]
    stem = name[: -len(CHAT_SUFFIX)] if name.endswith(CHAT_SUFFIX) else ""
    if len(parts) == 1 and stem == "agora":
        return Area("chat", "agora")
    kind = {"teams": "team", "classes": "class"}.get(parts[0])
    if len(parts) == 2 and stem and kind:
        return Area("chat", f"{kind}:{stem}")
    return Area("chat", "other")


def chat_path(key: str) -> str:
    """The API path of the chat whose area key is ``key`` ("team:<id>", "class:<id>",
    "agora"); raises ValueError for anything else."""
    kind, _, name = key.partition(":")
    if key == "agora":
        return f"{CHATS}/agora{CHAT_SUFFIX}"
    if kind in ("team", "class") and name and normalise(name) == name and "/" not in name:
        folder = "teams" if kind == "team" else "classes"
        return f"{CHATS}/{folder}/{name}{CHAT_SUFFIX}"
    raise ValueError(f"not a chat: {key!r}")


_SETTINGS_CACHE: dict[str, tuple[int, dict]] = {}


def chat_settings(root: Path | str) -> dict:
    """The teachers' chat settings of the workspace at ``root`` (``{}`` if none), re-read
    when the file changes."""
    path = os.path.join(os.path.realpath(root), *CHAT_SETTINGS.split("/"))
    try:
        mtime = os.stat(path).st_mtime_ns
    except OSError:
        return {}
    cached = _SETTINGS_CACHE.get(path)
    if cached and cached[0] == mtime:
        return cached[1]
    try:
        with open(path, encoding="utf-8") as f:
            data = json.load(f)
    except (OSError, ValueError):
        data = {}
    data = data if isinstance(data, dict) else {}
    _SETTINGS_CACHE[path] = (mtime, data)
    return data


def _audience(root: Path | str, area: Area) -> Area:
    settings = chat_settings(root)
    audience = set()
    if area.key == "agora" and settings.get("agora") is True:
        audience.add("students")
    if area.key != "other" and settings.get("visitors") is True:
        audience.add("visitors")
    return Area(area.kind, area.key, frozenset(audience))


def real_relative(root: Path | str, api_path: str | None) -> str | None:
    """``api_path`` as a path relative to the real ``root`` after resolving every symbolic
    link on the file system; None if it is outside the root or can't be resolved."""
    rel = normalise(api_path)
    if rel is None:
        return None
    real_root = os.path.realpath(root)
    try:
        real = os.path.realpath(os.path.join(real_root, rel))
    except (OSError, ValueError):
        return None
    if real == real_root:
        return ""
    if not real.startswith(real_root + os.sep):
        return None
    return real[len(real_root) + 1 :].replace(os.sep, "/")


def area_of(root: Path | str, api_path: str | None) -> Area:
    """The area ``api_path`` is in, under the workspace ``root``, symlinks resolved.

    The real file decides: a link named ``projects/a/x`` that points at ``projects/b/x`` is
    in team b, and a link from a team folder to anywhere outside the workspace is
    ``outside``.
    """
    rel = real_relative(root, api_path)
    if rel is None:
        return OUTSIDE
    area = classify(rel)
    return _audience(root, area) if area.kind == "chat" else area
