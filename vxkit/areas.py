"""Which area of an exchange workspace a path is in: the one layout function.

The server's policy, the kernel sandbox, grading and contributions all ask ``area_of``
instead of each knowing folder names. The path is resolved on the real file system first
(symlinks, ``..``), and folders are recognised by identity (device and inode), not by
spelling, so a symlink out of a team folder, a differently cased name on a case-insensitive
disk or a trailing slash all land in the area the file really is in.

| kind            | paths                                                  | key           |
|-----------------|--------------------------------------------------------|---------------|
| `root`          | the workspace folder, and the files directly in it     | `""`          |
| `projects_root` | `projects/` itself, and the files directly in it       | `""`          |
| `team`          | `projects/<team>/...`                                  | team id       |
| `student`       | `students/<id>/...` (`students/` itself is `other`)    | student id    |
| `shared`        | `shared/...`                                           | `""`          |
| `release`       | `course/release/<unit>/...` (`course/release`: key "") | unit          |
| `submission`    | `course/{submitted,autograded}/<id>/<unit>/...`        | `<id>/<unit>` |
| `course`        | the rest of `course/` (source, gradebook, feedback)    | `""`          |
| `state`         | `.vxkit/...` (join secrets, stores, logs)              | `""`          |
| `other`         | anything else, inside the workspace or outside it      | `""`          |

A name below a folder of areas that doesn't exist yet is taken for a folder (``projects/new``
is the team "new", which nobody is on). A kernel started in an area of the ``TEACHERS_KERNELS``
kinds is the teacher's: the sandbox leaves it unconfined, so the policy must never let anyone
else start one there. Kernels of every other kind are confined to their area, ``submission``
included: it is the teacher's to open, but its kernels run a student's code.

This module imports nothing from the server or Jupyter.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

KINDS = (
    "team",
    "student",
    "shared",
    "release",
    "projects_root",
    "root",
    "course",
    "state",
    "submission",
    "other",
)
#: kinds whose kernels are the teacher's (unconfined): only teachers may start kernels there
TEACHERS_KERNELS = frozenset({"root", "projects_root", "course", "state", "other"})

_TOP = ["projects", "students", "shared", "course"]
_STATE = ".vxkit"
_SUBMISSIONS = ("submitted", "autograded")


@dataclass(frozen=True)
class Area:
    """An area of the workspace: its kind (see ``KINDS``), key and top folder.

    ``root_path`` is the resolved folder the area is rooted at (``projects/<team>`` for a
    team, ``course/autograded/<id>/<unit>`` for a submission); for ``other`` outside the
    workspace, it is the resolved path itself.
    """

    kind: str
    key: str
    root_path: Path

    @property
    def teachers_kernel(self) -> bool:
        """Whether a kernel started here is the teacher's (the sandbox leaves it unconfined)."""
        return self.kind in TEACHERS_KERNELS


def area_of(ws_root: str | os.PathLike[str], path: str | os.PathLike[str]) -> Area:
    """The area of the workspace at ``ws_root`` that ``path`` is in.

    ``path`` is absolute, or relative to ``ws_root`` (a Jupyter API path, already decoded
    once as the server decodes it: this function never decodes). It need not exist: the
    deepest existing folder decides, symlinks resolved. A path that can't be a file name
    (a NUL byte) is ``other``.
    """
    root = Path(os.path.realpath(ws_root))
    try:
        raw = os.fspath(path)
        full = Path(raw) if os.path.isabs(raw) else root / raw
        resolved = Path(os.path.realpath(full))
        parts = _parts_below(root, resolved)
    except (ValueError, OSError):
        return Area("other", "", root)
    if parts is None:
        return Area("other", "", resolved)
    if not parts:
        return Area("root", "", root)
    top = _name_in(root, parts[0], [*_TOP, _STATE])
    if top is None:
        if len(parts) == 1 and not (root / parts[0]).is_dir():
            return Area("root", "", root)  # a file directly in the workspace (exchange.toml)
        return Area("other", "", root / parts[0])
    if top == _STATE:
        return Area("state", "", root / _STATE)
    if top == "shared":
        return Area("shared", "", root / "shared")
    if top == "projects":
        return _owned(
            root / "projects", parts[1:], "team", Area("projects_root", "", root / "projects")
        )
    if top == "students":
        return _owned(root / "students", parts[1:], "student", Area("other", "", root / "students"))
    course = root / "course"
    sub = _name_in(course, parts[1], ["release", *_SUBMISSIONS]) if len(parts) > 1 else None
    if sub == "release":
        release = course / "release"
        return _owned(release, parts[2:], "release", Area("release", "", release))
    if sub in _SUBMISSIONS and len(parts) >= 4 and not (course / sub / parts[2]).is_file():
        who = _real_name(course / sub, parts[2])
        found = _owned(course / sub / who, parts[3:], "submission", Area("course", "", course))
        if found.kind == "submission":
            return Area("submission", f"{who}/{found.key}", found.root_path)
        return found
    return Area("course", "", course)


def _owned(folder: Path, rest: list[str], kind: str, itself: Area) -> Area:
    """The area of ``folder/rest``: the folder itself (or a file directly in it) is ``itself``;
    below it, each sub-folder is an area of ``kind`` keyed by its name."""
    if not rest or (folder / rest[0]).is_file():
        return itself
    key = _real_name(folder, rest[0])
    return Area(kind, key, folder / key)


def _parts_below(root: Path, resolved: Path) -> list[str] | None:
    """The names from ``root`` down to ``resolved``; None when ``resolved`` is not below it.

    Compared by folder identity, so a root spelt in another case still matches.
    """
    try:
        return list(resolved.relative_to(root).parts)
    except ValueError:
        pass
    root_id = _identity(root)
    if root_id is None:
        return None
    for depth, ancestor in enumerate(resolved.parents):
        if _identity(ancestor) == root_id:
            return list(resolved.parts[len(resolved.parts) - depth - 1 :])
    return None


def _identity(path: Path) -> tuple[int, int] | None:
    try:
        st = os.stat(path)
    except OSError:
        return None
    return st.st_dev, st.st_ino


def _name_in(folder: Path, name: str, known: list[str]) -> str | None:
    """Which of the ``known`` entries of ``folder`` is ``name`` (same folder on disk), if any."""
    if name in known:
        return name
    ident = _identity(folder / name)
    if ident is None:
        return None
    for candidate in known:
        if _identity(folder / candidate) == ident:
            return candidate
    return None


def _real_name(folder: Path, name: str) -> str:
    """``name`` as the folder's own entry spells it (case-insensitive disks), else as given."""
    ident = _identity(folder / name)
    if ident is None or (folder / name).name in _listdir(folder):
        return name
    for entry in _listdir(folder):
        if _identity(folder / entry) == ident:
            return entry
    return name


def _listdir(folder: Path) -> list[str]:
    try:
        return os.listdir(folder)
    except OSError:
        return []
