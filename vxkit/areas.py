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
"""

from __future__ import annotations

import os
import posixpath
from dataclasses import dataclass
from pathlib import Path

PROJECTS = "projects"
STUDENTS = "students"
SHARED = "shared"
COURSE = "course"
RELEASE = "release"
SUBMISSIONS = ("submitted", "autograded")
STATE = ".vxkit"

#: area kinds, in the order of the table above
KINDS = (
    "projects_root",
    "team",
    "student",
    "shared",
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
    return Area("other")


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
    return OUTSIDE if rel is None else classify(rel)
