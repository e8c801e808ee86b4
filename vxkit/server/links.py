"""Join links: a short code per class, one for visitors, one for teachers, a personal code
per student (their sign-in card), and the secret.

They live in ``.vxkit/links.json`` of the workspace, written atomically and readable by the
server's user only. Revoking a code issues a new one and bumps its generation, which ends the
sessions opened with the old one (for a personal code: the sessions it verified).

A class code lets a pupil co-edit under a name picked from the roster; the personal code on
their card proves they are that pupil, which their grades, feedback and hand-ins need.
"""

from __future__ import annotations

import base64
import json
import secrets
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from ..errors import VxkitError
from ..exchange import Exchange
from ..files import atomic_write
from ..workspace import Workspace
from .identity import Identity

LINKS_FILE = "links.json"
CODE_ALPHABET = "ABCDEFGHJKMNPQRSTUVWXYZ23456789"  # no 0/O, 1/I/L: codes are read aloud
CLASS_CODE_LENGTH = 6
TEACHER_CODE_LENGTH = 20
PERSONAL_CODE_LENGTH = 8
TEACHER_KEY = "_teacher"
VISITOR_KEY = "_visitor"


def new_code(length: int = CLASS_CODE_LENGTH) -> str:
    """A random code from an alphabet that is easy to read aloud and type."""
    return "".join(secrets.choice(CODE_ALPHABET) for _ in range(length))


def normalise_code(code: str) -> str:
    """A code as typed by a person: case, spaces and dashes don't matter."""
    return "".join(ch for ch in code.upper() if ch.isalnum())


@dataclass(frozen=True)
class Grant:
    """What a code lets its holder become."""

    kind: str  # "student", "teacher" or "visitor"
    key: str  # class id, TEACHER_KEY or VISITOR_KEY
    generation: int


class Links:
    """The codes and the signing secret of one workspace."""

    def __init__(self, path: Path, data: dict[str, Any]) -> None:
        self.path = path
        self.data = data

    @property
    def secret(self) -> bytes:
        """The workspace's signing secret for identities in cookies."""
        return base64.b64decode(self.data["secret"])

    def code(self, key: str) -> str:
        """The current code of a class id, ``TEACHER_KEY`` or ``VISITOR_KEY``."""
        return self.data["codes"][key]["code"]

    def generation(self, key: str) -> int:
        """How many codes ``key`` has had (the current one's number); -1 if none."""
        entry = self.data["codes"].get(key)
        return int(entry["generation"]) if entry else -1

    def resolve(self, code: str) -> Grant | None:
        """The grant behind a code, or None for a wrong or revoked one."""
        wanted = normalise_code(code)
        if not wanted:
            return None
        for key, entry in self.data["codes"].items():
            if secrets.compare_digest(entry["code"], wanted):
                kind = {TEACHER_KEY: "teacher", VISITOR_KEY: "visitor"}.get(key, "student")
                return Grant(kind, key, int(entry["generation"]))
        return None

    def card(self, student_id: str) -> str | None:
        """The personal code of a roster student, or None if they have none."""
        entry = self.data.get("cards", {}).get(student_id)
        return entry["code"] if entry else None

    def card_generation(self, student_id: str | None) -> int:
        """Which personal code a student has now (-1: none)."""
        entry = self.data.get("cards", {}).get(student_id or "")
        return int(entry["generation"]) if entry else -1

    def check_card(self, student_id: str | None, code: str) -> int:
        """The card generation if ``code`` is the student's personal code, else -1."""
        wanted = normalise_code(code)
        current = self.card(student_id or "")
        if not wanted or current is None or not secrets.compare_digest(current, wanted):
            return -1
        return self.card_generation(student_id)

    def student_of_card(self, class_id: str, code: str) -> str | None:
        """The student id of the class whose personal code is ``code``, or None."""
        wanted = normalise_code(code)
        if not wanted:
            return None
        for sid, entry in self.data.get("cards", {}).items():
            if sid.startswith(class_id + "-") and secrets.compare_digest(entry["code"], wanted):
                return sid
        return None

    def still_valid(self, identity: Identity, generation: int) -> bool:
        """Whether a session opened with ``generation`` of its code is still good."""
        if identity.role == "student":
            key = identity.class_id or ""
        else:
            key = TEACHER_KEY if identity.role == "teacher" else VISITOR_KEY
        return self.generation(key) == generation


_CACHE: dict[Path, tuple[float, Links]] = {}


def _fresh(keys: list[str]) -> dict[str, Any]:
    return {
        "secret": base64.b64encode(secrets.token_bytes(32)).decode(),
        "codes": {key: _entry(key, 1) for key in keys},
    }


def _entry(key: str, generation: int) -> dict[str, Any]:
    length = TEACHER_CODE_LENGTH if key == TEACHER_KEY else CLASS_CODE_LENGTH
    return {"code": new_code(length), "generation": generation}


def _card(generation: int) -> dict[str, Any]:
    return {"code": new_code(PERSONAL_CODE_LENGTH), "generation": generation}


def _write(path: Path, data: dict[str, Any]) -> None:
    atomic_write(path, json.dumps(data, indent=1, sort_keys=True) + "\n")
    path.chmod(0o600)  # the teacher code and the secret sign people in


def ensure_links(ws: Workspace, exchange: Exchange | None = None) -> Links:
    """The workspace's links, creating the file and any missing class codes."""
    exchange = exchange or ws.load()
    path = ws.state_dir / LINKS_FILE
    keys = [c.id for c in exchange.classes] + [VISITOR_KEY, TEACHER_KEY]
    pupils = [s.id for s in exchange.students() if exchange.get_class(s.class_id).students]
    data = _read(path)
    changed = data is None
    if data is None:
        data = _fresh(keys)
    for key in keys:
        if key not in data["codes"]:
            data["codes"][key] = _entry(key, 1)
            changed = True
    cards = data.setdefault("cards", {})
    for sid in pupils:
        if sid not in cards:
            cards[sid] = _card(1)
            changed = True
    if changed:
        _write(path, data)
    _CACHE.pop(path, None)
    return Links(path, data)


def _read(path: Path) -> dict[str, Any] | None:
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        return None
    except (OSError, ValueError) as err:
        raise VxkitError(
            f"The join links file {path} is damaged ({err}); delete it and run `vxkit links` "
            "to issue new links."
        ) from None
    if not isinstance(data, dict) or "secret" not in data or "codes" not in data:
        raise VxkitError(f"The join links file {path} is damaged; delete it and run `vxkit links`.")
    return data


def links_for(ws: Workspace) -> Links:
    """The links as the server sees them: cached, re-read when the file changes."""
    path = ws.state_dir / LINKS_FILE
    try:
        mtime = path.stat().st_mtime_ns
    except FileNotFoundError:
        try:
            return ensure_links(ws)
        except VxkitError:
            # exchange.toml has problems: the teacher must still be able to sign in and read
            # them; class codes and cards are added once it loads (ensure_links adds missing ones)
            data = _fresh([VISITOR_KEY, TEACHER_KEY])
            _write(path, data)
            return Links(path, data)
    cached = _CACHE.get(path)
    if cached and cached[0] == mtime:
        return cached[1]
    links = Links(path, _read(path) or _fresh([]))
    _CACHE[path] = (mtime, links)
    return links


def revoke(ws: Workspace, key: str) -> Links:
    """Issue a new code for a class (or "teacher" / "visitor"): the old one stops working."""
    exchange = ws.load()
    aliases = {"teacher": TEACHER_KEY, "teachers": TEACHER_KEY, "visitor": VISITOR_KEY}
    aliases["visitors"] = VISITOR_KEY
    key = aliases.get(key, key)
    if key not in (TEACHER_KEY, VISITOR_KEY):
        exchange.get_class(key)  # a clear error naming the classes there are
    links = ensure_links(ws, exchange)
    data = links.data
    data["codes"][key] = _entry(key, links.generation(key) + 1)
    _write(links.path, data)
    _CACHE.pop(links.path, None)
    return Links(links.path, data)


def revoke_card(ws: Workspace, student_id: str) -> Links:
    """Issue a new personal code for one student (a lost card): the old one stops working and
    the browsers it verified must enter the new one."""
    exchange = ws.load()
    if student_id not in {s.id for s in exchange.students()}:
        known = ", ".join(s.id for s in exchange.students()[:5])
        raise VxkitError(f'No student "{student_id}" on a roster (student ids look like {known}).')
    links = ensure_links(ws, exchange)
    data = links.data
    cards = data.setdefault("cards", {})
    if student_id not in cards:
        raise VxkitError(f'"{student_id}" is in a class without a roster: there is no card.')
    cards[student_id] = _card(links.card_generation(student_id) + 1)
    _write(links.path, data)
    _CACHE.pop(links.path, None)
    return Links(links.path, data)


def card_url(base_url: str, class_code: str, card_code: str) -> str:
    """The link on a student's card: their class's join link that signs them in as themselves."""
    return join_url(base_url, class_code) + "?card=" + card_code


def format_card_code(code: str) -> str:
    """A personal code as printed: two groups of four, easy to copy by hand."""
    return f"{code[:4]}-{code[4:]}" if len(code) == 8 else code


def join_url(base_url: str, code: str) -> str:
    """The link a person opens to join with ``code``."""
    return base_url.rstrip("/") + "/vxkit/join/" + code


def links_summary(ws: Workspace, base_url: str) -> dict[str, Any]:
    """Each class's join link, the visitor link and the teacher link on ``base_url``, as
    JSON-ready data (creating any missing code, as ``vxkit links`` does)."""
    exchange = ws.load()
    links = ensure_links(ws, exchange)

    def link(key: str) -> dict[str, str]:
        return {"code": links.code(key), "url": join_url(base_url, links.code(key))}

    classes = [
        {"id": c.id, "school": c.school, "city": c.city, **link(c.id)} for c in exchange.classes
    ]
    return {
        "title": exchange.title,
        "classes": classes,
        "visitor": link(VISITOR_KEY),
        "teacher": link(TEACHER_KEY),
    }


def hub_summary(ws: Workspace, base_url: str) -> dict[str, Any]:
    """What ``links_summary`` says on a JupyterHub's exchange server, where nobody joins by
    link: everyone signs in to the hub and opens this server's address (``base_url``), and
    the hub's groups say who is in which class (``vxkit hub-config``). Same shape, no codes."""
    exchange = ws.load()
    address = base_url.rstrip("/") + "/lab" if base_url else ""

    def link() -> dict[str, str]:
        return {"code": "", "url": address}

    return {
        "title": exchange.title,
        "hub": True,
        "classes": [
            {"id": c.id, "school": c.school, "city": c.city, **link()} for c in exchange.classes
        ],
        "visitor": link(),
        "teacher": link(),
    }


def format_links(ws: Workspace, base_url: str) -> str:
    """The join links of every class, the visitor link and the teacher link, as text."""
    exchange = ws.load()
    links = ensure_links(ws, exchange)
    lines = [f"Join links for '{exchange.title}' on {base_url}", ""]
    width = max(len(c.id) for c in exchange.classes)
    for cls in exchange.classes:
        code = links.code(cls.id)
        lines.append(
            f"  {cls.id:<{width}}  code {code}  {join_url(base_url, code)}"
            f"  ({cls.school}, {cls.city}; {len(cls.students)} on the roster)"
        )
    lines += [
        "",
        f"  visitors (read-only): code {links.code(VISITOR_KEY)}  "
        f"{join_url(base_url, links.code(VISITOR_KEY))}",
        f"  teachers (keep private): {join_url(base_url, links.code(TEACHER_KEY))}",
        "",
        "Students open their class link and pick their name. A leaked link? "
        "Run `vxkit links --revoke CLASS` to issue a new code.",
    ]
    return "\n".join(lines)
