"""``GET /vxkit/api/me``: who is asking, and which tools the front end shows them.

The front end never decides who may do what: it asks here, and the answers come from the
identity the server signed in and the policy table (``policy.capabilities``).
"""

from __future__ import annotations

import json
from typing import Any

from tornado import web

from ..errors import VxkitError
from .handlers import VxkitAPIHandler, server_path
from .identity import identity_of
from .language import locale_for, text_direction
from .policy import capabilities


def me_for(user: Any, team_folder: str | None, locale: str | None = None) -> dict[str, Any]:
    """The answer for the signed-in ``user`` (a jupyter_server user); ``locale`` is their
    class's (None: JupyterLab's own)."""
    who = identity_of(user)
    return {
        "language": locale,
        "dir": text_direction(locale),
        "role": who.role if who else "unknown",
        "name": who.name if who else "",
        "class": who.class_id if who else None,
        "team": who.team_id if who else None,
        "team_folder": team_folder,
        "city": who.city if who else None,
        "colour": who.colour if who else None,
        "verified": bool(getattr(user, "verified", False)),
        "capabilities": capabilities(who),
    }


class MeHandler(VxkitAPIHandler):
    """``GET /vxkit/api/me``: role, name, class, team (and its folder), city, colour,
    whether this browser proved who it is, and the capabilities."""

    @web.authenticated
    def get(self) -> None:
        who = identity_of(self.current_user)
        ws = self.settings["vxkit_workspace"]
        folder = locale = None
        if who is not None and who.team_id:
            folder = server_path(self.settings, ws, ws.team_dir(who.team_id))
        if who is not None and who.is_student:
            try:
                locale = locale_for(who, ws.load())
            except VxkitError:
                locale = None  # exchange.toml has problems: JupyterLab's own language
        self.finish(json.dumps(me_for(self.current_user, folder, locale)))
