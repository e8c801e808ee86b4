"""Signing people in: the classroom server's identity provider and its login cookie.

Two ways in, and only two: a join link (students, visitors, partner teachers) or the server's
token (the teacher who started the server). Both end in the same login cookie, which tornado
signs with the server's cookie secret and vxkit signs again with the workspace's secret
(``.vxkit/links.json``, out of every kernel's reach). A cookie that is there but not valid
(tampered, revoked, expired, from another workspace, or without vxkit's signature) signs its
browser out: it never falls back to the token user, whatever the request also carries.

The cookie says who someone is, never what they may do: the class, team, city and colour of a
student are looked up in the current exchange on every request, so a student moved to
another team or taken off a roster loses the old access at once.
"""

from __future__ import annotations

import hmac
import json
import uuid
from pathlib import Path
from typing import Any

from jupyter_server.auth.identity import PasswordIdentityProvider, User
from jupyter_server.auth.utils import get_anonymous_username
from tornado import web
from traitlets import default

from ..errors import VxkitError
from ..exchange import Exchange
from ..workspace import Workspace
from .identity import Identity, VxkitUser, identity_of, sign, user_for
from .links import links_for

_EXCHANGES: dict[Path, tuple[int, Exchange]] = {}


def current_exchange(ws: Workspace) -> Exchange | None:
    """The workspace's exchange, re-read when exchange.toml changes; None if it is broken."""
    path = ws.exchange_file
    try:
        mtime = path.stat().st_mtime_ns
    except OSError:
        return None
    cached = _EXCHANGES.get(path)
    if cached and cached[0] == mtime:
        return cached[1]
    try:
        exchange = ws.load()
    except VxkitError:
        return None
    _EXCHANGES[path] = (mtime, exchange)
    return exchange


def place(identity: Identity, exchange: Exchange | None) -> Identity | None:
    """``identity`` with class, team, city and colour as the current exchange says; None if
    the exchange no longer has them (a student taken off the roster, a class removed)."""
    if identity.role == "visitor":
        return identity
    if exchange is None:
        return identity if identity.role == "teacher" and identity.class_id is None else None
    if identity.role == "teacher":
        if identity.class_id is None:
            return identity
        cls = next((c for c in exchange.classes if c.id == identity.class_id), None)
        if cls is None or cls.teacher != identity.name:
            return None
        return Identity("teacher", identity.name, class_id=cls.id, city=cls.city, colour=cls.colour)
    cls = next((c for c in exchange.classes if c.id == identity.class_id), None)
    if cls is None or (cls.students and identity.name not in cls.students):
        return None
    team = exchange.team_of(cls.id, identity.name)
    return Identity(
        "student",
        identity.name,
        student_id=identity.student_id,
        class_id=cls.id,
        team_id=team.id if team else None,
        city=cls.city,
        colour=cls.colour,
    )


def public_model(model: dict[str, Any], user: User) -> dict[str, Any]:
    """An identity model (/api/me, the awareness) with vxkit's identity and no internals."""
    for internal in ("generation", "via", "card", "hub_user"):
        model.pop(internal, None)
    identity = identity_of(user)
    if identity is not None:
        model["vxkit"] = {k: v for k, v in identity.as_dict().items() if v is not None}
    return model


class VxkitIdentityProvider(PasswordIdentityProvider):
    """Token and password login for the teacher, join links for everyone else.

    Each browser that signs in with the token is a teacher of its own (a random username and
    name, as upstream tells token users apart). People who open a join link get a signed
    ``VxkitUser``. Anyone else is nobody.
    """

    @default("login_handler_class")
    def _login_page(self) -> type:
        from .join import VxkitLoginHandler

        return VxkitLoginHandler

    @default("updatable_fields")
    def _no_renaming(self) -> list[str]:
        # names come from the roster and are signed: nobody renames themselves via /api/me
        return []

    def identity_model(self, user: User) -> dict[str, Any]:
        """The user as JSON for /api/me and the awareness: vxkit identity, no internals."""
        return public_model(super().identity_model(user), user)

    def get_handlers(self) -> list[tuple[str, object]]:
        """The login handlers plus the join-link pages."""
        from .join import JoinHandler

        return [*super().get_handlers(), (r"/vxkit/join/(.*)", JoinHandler)]

    def _workspace(self, handler: web.RequestHandler) -> Workspace | None:
        return handler.settings.get("vxkit_workspace")

    async def get_user(self, handler: web.RequestHandler) -> User | None:
        """The signed-in user, or None.

        A login cookie that is present but not valid signs the browser out, even when the
        request also carries the token: a revoked student's open tab must never become the
        teacher.
        """
        cached = getattr(handler, "_jupyter_current_user", None)
        if cached:
            return cached
        present = handler.get_cookie(self.get_cookie_name(handler)) is not None
        cookie_user = self.get_user_cookie(handler)
        if present and cookie_user is None:
            # the cookie stays: while the browser keeps it, no token makes it the teacher.
            # Joining again (a new link) or signing in on the login page replaces it.
            self.log.info("vxkit: a browser whose login cookie is no longer valid is signed out")
            return None
        if self.token and self.get_token(handler) == self.token:
            handler._token_authenticated = True  # type:ignore[attr-defined]
            if isinstance(cookie_user, VxkitUser) and cookie_user.via == "token":
                return cookie_user
            user = self.generate_anonymous_user(handler)
            self.set_login_cookie(handler, user)
            return user
        return cookie_user

    def generate_anonymous_user(self, handler: web.RequestHandler) -> User:
        """A browser that signed in with the token: a teacher, told apart from other
        browsers with the same token by a random username and name, as upstream does."""
        moon = get_anonymous_username()
        identity = Identity(role="teacher", name=f"Teacher {moon}")
        return user_for(identity, f"teacher-{uuid.uuid4().hex}", generation=0, via="token")

    def user_to_cookie(self, user: User) -> str:
        """The cookie body: who someone is and how they signed in (never what they may do)."""
        if not isinstance(user, VxkitUser):
            raise web.HTTPError(500, "vxkit signs in only its own users")
        identity = user.vxkit
        return json.dumps(
            {
                "username": user.username,
                "generation": user.generation,
                "via": user.via,
                "card": user.card,
                "role": identity.role,
                "name": identity.name,
                "student_id": identity.student_id,
                "class_id": identity.class_id,
            },
            sort_keys=True,
            ensure_ascii=False,
        )

    def set_login_cookie(self, handler: web.RequestHandler, user: User) -> None:
        """Set the login cookie (signed by tornado) with vxkit's own signature inside."""
        ws = self._workspace(handler)
        if ws is None:
            raise web.HTTPError(500, "vxkit sign-in needs the vxkit server extension")
        body = self.user_to_cookie(user)
        value = json.dumps({"vxkit": body, "sig": sign(links_for(ws).secret, body.encode())})
        options = dict(self.cookie_options)
        options.setdefault("httponly", True)
        options.setdefault("samesite", "Lax")
        secure = self.secure_cookie
        if secure is None:
            secure = handler.request.protocol == "https"
        if secure:
            options.setdefault("secure", True)
        options.setdefault("path", handler.base_url)  # type:ignore[attr-defined]
        handler.set_secure_cookie(self.get_cookie_name(handler), value, **options)

    def get_user_cookie(self, handler: web.RequestHandler) -> User | None:
        """The user in the login cookie, or None if it is missing, forged, revoked or no
        longer on the exchange. vxkit's signature is required for every role."""
        raw = handler.get_secure_cookie(
            self.get_cookie_name(handler), **self.get_secure_cookie_kwargs
        )
        ws = self._workspace(handler)
        if not raw or ws is None:
            return None
        try:
            data = json.loads(raw.decode())
            body, sig = data["vxkit"], data["sig"]
            if not isinstance(body, str) or not isinstance(sig, str):
                return None
            links = links_for(ws)
        except (ValueError, UnicodeDecodeError, KeyError, TypeError, VxkitError):
            return None
        if not hmac.compare_digest(sign(links.secret, body.encode()), sig):
            self.log.warning("vxkit: refused a login cookie with a wrong signature")
            return None
        try:
            fields = json.loads(body)
            identity = Identity.from_dict(fields)
            generation = int(fields["generation"])
            username = str(fields["username"])
            via = fields["via"]
        except (ValueError, KeyError, TypeError):
            return None
        if via == "token":
            if identity.role != "teacher" or not self.token:
                return None
        elif via != "link" or not links.still_valid(identity, generation):
            return None
        exchange = current_exchange(ws)
        placed = place(identity, exchange)
        if placed is None:
            return None
        card = int(fields.get("card", -1))
        current = links.card_generation(placed.student_id)
        if card != current:
            card = -1  # the card was replaced: this browser must enter the new code
        # pupils of a class without a roster have no card: their nickname is bound to the
        # browser that claimed it
        rosterless = (
            exchange is not None
            and placed.is_student
            and not next((c.students for c in exchange.classes if c.id == placed.class_id), [])
        )
        verified = placed.is_student and (card >= 0 or rosterless)
        return user_for(placed, username, generation, via, card, verified)


class SessionCheck:
    """Whether a long-lived connection's user is still signed in (their code not revoked,
    still on the exchange).

    Websockets outlive the request that authenticated them, so the room and kernel websockets
    ask this for every message; links and exchange are cached and re-read only when their
    files change (a ``stat`` each per message).
    """

    def __init__(self, handler: web.RequestHandler) -> None:
        self.handler = handler
        self._ok = True

    def ok(self) -> bool:
        """False once the user's join code has been revoked (and from then on)."""
        user = self.handler.current_user
        ws = self.handler.settings.get("vxkit_workspace")
        if not self._ok:
            return False
        if not isinstance(user, VxkitUser) or ws is None:
            self._ok = False
            return False
        try:
            if user.via == "link":
                self._ok = links_for(ws).still_valid(user.vxkit, user.generation)
            if self._ok:
                self._ok = place(user.vxkit, current_exchange(ws)) == user.vxkit
        except Exception:
            self._ok = False  # a damaged links file signs people out, it never lets more in
        return self._ok
