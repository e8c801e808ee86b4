"""Teacher endpoints: who is connected to which document, and who contributed what."""

from __future__ import annotations

import json

from tornado import web

from .contributions import report
from .handlers import VxkitAPIHandler
from .identity import identity_of


class TeacherAPIHandler(VxkitAPIHandler):
    """A JSON endpoint for teachers only (403 with a sentence for everyone else)."""

    def require_teacher(self) -> bool:
        """True for teachers; answers 403 with a sentence for everyone else."""
        identity = identity_of(self.current_user)
        if identity is not None and identity.is_teacher:
            return True
        self.write_problem(403, "Only teachers can see this.")
        return False


class PresenceHandler(TeacherAPIHandler):
    """``GET /vxkit/api/presence``: who is connected to which document, now."""

    @web.authenticated
    def get(self) -> None:
        """The open connections, one row per person and document."""
        if not self.require_teacher():
            return
        presence = self.settings.get("vxkit_presence")
        rows = presence.snapshot() if presence is not None else []
        self.finish(json.dumps({"connections": rows}))


class ContributionsHandler(TeacherAPIHandler):
    """``GET /vxkit/api/contributions``: edits per team, class, student, document and cell."""

    @web.authenticated
    def get(self) -> None:
        """The contribution report of this server's record."""
        if not self.require_teacher():
            return
        log = self.settings.get("vxkit_contributions")
        if log is None:
            self.write_problem(404, "The contribution record is not kept on this server.")
            return
        self.finish(json.dumps(report(log.data)))
