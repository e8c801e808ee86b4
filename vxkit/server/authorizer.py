"""jupyter_server's authorization hook, answered from the classroom policy.

The gate (``gate.py``) has already applied the policy to every request by the time a handler
asks the authorizer, so for a gated handler the answer is the gate's. The one question the
gate can't answer is ``/api/me?permissions=...`` (what may I do, in general?): that gets the
broad answer of ``AREAS`` for the person's role, for the front end to hide what it can't use.
"""

from __future__ import annotations

from typing import Any

from jupyter_server.auth.authorizer import Authorizer
from tornado import web

from ..areas import Area
from .identity import identity_of
from .policy import EXECUTE, READ, WRITE, may

#: jupyter_server resources whose general answer is the one for ``shared/`` (files every
#: class reads); kernels and sessions are answered for the person's own folder
FILE_RESOURCES = frozenset({"contents", "files", "nbconvert"})
RUN_RESOURCES = frozenset({"kernels", "sessions"})


class VxkitAuthorizer(Authorizer):
    """Teachers may do anything; everyone else what the policy lets them, nobody unknown
    anything."""

    def is_authorized(
        self, handler: web.RequestHandler, user: Any, action: str, resource: str
    ) -> bool:
        """Whether ``user`` may ``action`` on ``resource`` for this request."""
        identity = identity_of(user)
        if identity is None:
            return False
        if identity.is_teacher:
            return True
        if getattr(handler, "_vxkit_original", None) is not None and not _is_permission_query(
            handler
        ):
            return True  # the gate has applied the policy to this very request
        access = {"read": READ, "write": WRITE, "execute": EXECUTE}.get(action)
        if access is None:
            return False
        if resource in FILE_RESOURCES:
            return may(identity, access, Area("shared"))
        if resource in RUN_RESOURCES:  # her team's kernels, or her own folder's once proved
            own = [Area("team", identity.team_id), Area("student", identity.student_id)]
            return identity.student_id is not None and any(may(identity, EXECUTE, a) for a in own)
        return False


def _is_permission_query(handler: web.RequestHandler) -> bool:
    original = getattr(handler, "_vxkit_original", None)
    return getattr(original, "__name__", "") == "IdentityHandler"
