"""Signing people in from the JupyterHub login, on the exchange server of a hub.

The exchange server runs as ``jupyterhub-singleuser`` for the hub account ``vx-<exchange id>``
(``python -m vxkit.hub exchange``). JupyterHub's own identity provider checks the hub login
and the ``access:servers`` scope on this server; this one then says who that hub user is in
the classroom (``vxkit.directory``): a roster student, a class teacher, a visitor (the
visitors group), or nobody, who gets a 403 page with a sentence. Class, team, city and colour
come from the current exchange on each request, as for join links (``provider.place``).

The hub login is a real login: its students are verified (they may hand in and read their
feedback) without a personal code. vxkit's own login cookie and join links play no part here.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from jupyter_server.auth.identity import User
from jupyterhub.singleuser.extension import JupyterHubIdentityProvider
from tornado import web

from ..directory import hub_identity
from .identity import VxkitUser, user_for
from .provider import current_exchange, place, public_model

#: what a hub user who isn't in this exchange reads (HTTP 403)
NOT_IN_EXCHANGE = (
    "You are signed in to the hub as {name}, but {name} is not in this exchange: ask your "
    "teacher to add you to the class list."
)


@dataclass
class HubVxkitUser(VxkitUser):
    """A hub user placed in the classroom (``via`` is "hub")."""

    hub_user: dict[str, Any] = field(default_factory=dict)


class VxkitHubIdentityProvider(JupyterHubIdentityProvider):
    """JupyterHub's login, answered with vxkit identities."""

    def identity_model(self, user: User) -> dict[str, Any]:
        """The user as JSON for /api/me and the awareness: vxkit identity, no internals."""
        return public_model(super().identity_model(user), user)

    async def get_user(self, handler: web.RequestHandler) -> User | None:
        """The signed-in hub user as a vxkit user; None for nobody (and then the gate
        answers 403 with ``handler._vxkit_refusal``)."""
        if hasattr(handler, "_vxkit_hub_user"):
            return handler._vxkit_hub_user  # type:ignore[attr-defined]
        hub = await super().get_user(handler)
        user: HubVxkitUser | None = None
        if hub is not None:
            model = hub.hub_user
            ws = handler.settings.get("vxkit_workspace")
            exchange = current_exchange(ws) if ws is not None else None
            identity = hub_identity(exchange, model.get("name", ""), model.get("groups") or [])
            placed = place(identity, exchange) if identity is not None else None
            if placed is None:
                self.log.info("vxkit: hub user %s is not in this exchange", model.get("name"))
                handler._vxkit_refusal = NOT_IN_EXCHANGE.format(  # type:ignore[attr-defined]
                    name=model.get("name", "?")
                )
            else:
                base = user_for(placed, model["name"], via="hub", verified=True)
                user = HubVxkitUser(**{**base.__dict__, "hub_user": model})
        handler._vxkit_hub_user = user  # type:ignore[attr-defined]
        return user
