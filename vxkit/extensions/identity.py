"""Who is asking: the signed-in identity behind a request or a kernel message.

Contract used across vxkit (the join-link identity fills it in):
- ``Identity.role`` is "teacher", "student" or "visitor";
- ``Identity.student_id`` is the roster id from ``vxkit.exchange.student_id`` (students only);
- ``identity_of(user)`` maps a jupyter_server ``User`` to an ``Identity``; a user the
  server authenticated by token (the teacher who started the server) is a teacher.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any


@dataclass(frozen=True)
class Identity:
    """A signed-in person as vxkit sees them."""

    role: str
    name: str
    student_id: str | None = None
    class_id: str | None = None

    @property
    def is_teacher(self) -> bool:
        return self.role == "teacher"

    def as_dict(self) -> dict[str, Any]:
        return {
            "role": self.role,
            "name": self.name,
            "student_id": self.student_id,
            "class_id": self.class_id,
        }


def identity_of(user: Any) -> Identity:
    """The vxkit identity of a jupyter_server user (``handler.current_user``)."""
    vx = getattr(user, "vxkit", None)
    if isinstance(vx, Identity):
        return vx
    return Identity(role="teacher", name=getattr(user, "display_name", "") or "Teacher")
