"""Who is asking: the identity model every part of the classroom server imports.

Contract used across vxkit:
- ``Identity.role`` is "teacher", "student" or "visitor";
- ``Identity.student_id`` is the roster id from ``vxkit.exchange.student_id`` (students only);
- ``identity_of(user)`` maps a jupyter_server ``User`` to an ``Identity``, or to None for a
  user vxkit did not sign in: deny by default, only a positive fact makes a teacher.

Everyone the classroom server signs in (a join link, or the server's token for the teacher
who started it) is a ``VxkitUser``: a jupyter_server ``User`` carrying its ``Identity``. How it
is signed and checked lives in ``provider``; this module imports nothing of the server.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
from dataclasses import dataclass, field, replace
from typing import Any

from jupyter_server.auth.identity import User

ROLES = ("teacher", "student", "visitor")


@dataclass(frozen=True)
class Identity:
    """A signed-in person as vxkit sees them."""

    role: str
    name: str
    student_id: str | None = None
    class_id: str | None = None
    team_id: str | None = None
    city: str | None = None
    colour: str | None = None
    #: whether the person proved who they are (a student's personal code, the hub's login, a
    #: nickname bound to this browser; teachers): what a student's own folder needs. Set by
    #: ``user_for`` on each request, never read from a cookie, not part of ``as_dict``.
    proved: bool = field(default=False, compare=False)

    @property
    def is_teacher(self) -> bool:
        """A teacher: may do everything."""
        return self.role == "teacher"

    @property
    def is_student(self) -> bool:
        """A student on a class roster (or with a nickname, for a class without one)."""
        return self.role == "student"

    @property
    def is_visitor(self) -> bool:
        """A visitor: reads and watches, changes nothing."""
        return self.role == "visitor"

    def as_dict(self) -> dict[str, Any]:
        """The identity as plain JSON-ready data."""
        return {
            "role": self.role,
            "name": self.name,
            "student_id": self.student_id,
            "class_id": self.class_id,
            "team_id": self.team_id,
            "city": self.city,
            "colour": self.colour,
        }

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Identity:
        """The inverse of ``as_dict``; unknown keys are ignored."""
        if data.get("role") not in ROLES or not isinstance(data.get("name"), str):
            raise ValueError(f"not a vxkit identity: {data!r}")
        keys = ("student_id", "class_id", "team_id", "city", "colour")
        return cls(role=data["role"], name=data["name"], **{k: data.get(k) for k in keys})


TEACHER = Identity(role="teacher", name="Teacher")


@dataclass
class VxkitUser(User):
    """A jupyter_server user who joined through a vxkit link."""

    vxkit: Identity = field(default=TEACHER)
    #: which generation of the join code let them in (a revoked code ends the session)
    generation: int = 0
    #: how they signed in: "link" (a join code) or "token" (the server's token)
    via: str = "link"
    #: which personal code (sign-in card) this browser proved, -1 for none
    card: int = -1
    #: whether this browser proved it is this person (their personal code, or a teacher):
    #: what grades, feedback and hand-ins need
    verified: bool = False


def identity_of(user: Any) -> Identity | None:
    """The vxkit identity of a jupyter_server user (``handler.current_user``), or None for a
    user vxkit did not sign in (nobody, or another identity provider's user)."""
    if isinstance(user, VxkitUser) and isinstance(user.vxkit, Identity):
        return user.vxkit
    return None


def _initials(name: str) -> str:
    letters = [w[0] for w in name.replace("-", " ").split() if w and w[0].isalnum()]
    return "".join(letters[:2]).upper() or "?"


def user_for(
    identity: Identity,
    username: str,
    generation: int = 0,
    via: str = "link",
    card: int = -1,
    verified: bool = False,
) -> VxkitUser:
    """The jupyter_server user shown in JupyterLab for ``identity``.

    JupyterLab puts these fields in the collaboration awareness: the collaborator list shows
    ``display_name`` and the cursor labels ``name``, so both are "Chloé (Lyon)" (first name and
    school city, nothing more), in the class colour. ``vxkit.name`` keeps the plain first name.
    """
    display = f"{identity.name} ({identity.city})" if identity.city else identity.name
    verified = verified or identity.is_teacher
    return VxkitUser(
        username=username,
        name=display,
        display_name=display,
        initials=_initials(identity.name),
        color=identity.colour,
        vxkit=replace(identity, proved=verified),
        generation=generation,
        via=via,
        card=card,
        verified=verified,
    )


def sign(secret: bytes, payload: bytes) -> str:
    """HMAC-SHA256 of ``payload`` under ``secret``, URL-safe base64."""
    digest = hmac.new(secret, payload, hashlib.sha256).digest()
    return base64.urlsafe_b64encode(digest).decode().rstrip("=")
