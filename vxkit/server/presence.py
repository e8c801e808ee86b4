"""Teacher endpoints: who is connected to which document, who contributed what, and the
join links."""

from __future__ import annotations

import json

from tornado import web

from ..errors import VxkitError
from .contributions import report
from .handlers import VxkitAPIHandler
from .identity import identity_of
from .links import links_summary


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


class LinksHandler(TeacherAPIHandler):
    """``GET /vxkit/api/links``: each class's join link, the visitor link and the teacher
    link, on the address other computers reach (teachers only: these links sign people in)."""

    @web.authenticated
    def get(self) -> None:
        """The links of the exchange, creating any missing code (as ``vxkit links`` does)."""
        if not self.require_teacher():
            return
        try:
            body = links_summary(
                self.settings["vxkit_workspace"], self.extensionapp.public_url(self.request)
            )
        except VxkitError as err:
            self.write_problem(409, str(err).splitlines()[0])
            return
        self.finish(json.dumps(body))
