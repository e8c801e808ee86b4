"""Who is asking: the signed-in identity behind a request or a kernel message.

Contract used across vxkit (the join-link identity fills it in):
- ``Identity.role`` is "teacher", "student" or "visitor";
- ``Identity.student_id`` is the roster id from ``vxkit.exchange.student_id`` (students only);
- ``identity_of(user)`` maps a jupyter_server ``User`` to an ``Identity``; a user the
  server authenticated by token (the teacher who started the server) is a teacher.

Students, visitors and teachers who come in through a join link get a ``VxkitUser``: a
jupyter_server ``User`` carrying its ``Identity``. The identity travels in the login cookie,
which tornado signs with the server's cookie secret and which vxkit signs again with the
workspace's own secret (``.vxkit/links.json``): editing the cookie, or a revoked class code,
turns it into no user at all.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
from dataclasses import dataclass, field
from typing import Any

from jupyter_server.auth.identity import PasswordIdentityProvider, User
from tornado import web
from traitlets import default

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


def identity_of(user: Any) -> Identity:
    """The vxkit identity of a jupyter_server user (``handler.current_user``)."""
    vx = getattr(user, "vxkit", None)
    if isinstance(vx, Identity):
        return vx
    return Identity(role="teacher", name=getattr(user, "display_name", "") or "Teacher")


def _initials(name: str) -> str:
    letters = [w[0] for w in name.replace("-", " ").split() if w and w[0].isalnum()]
    return "".join(letters[:2]).upper() or "?"


def user_for(identity: Identity, username: str, generation: int = 0) -> VxkitUser:
    """The jupyter_server user shown in JupyterLab for ``identity``.

    JupyterLab puts these fields in the collaboration awareness: the collaborator list shows
    ``display_name`` and the cursor labels ``name``, so both are "Chloé (Lyon)" (first name and
    school city, nothing more), in the class colour. ``vxkit.name`` keeps the plain first name.
    """
    display = f"{identity.name} ({identity.city})" if identity.city else identity.name
    return VxkitUser(
        username=username,
        name=display,
        display_name=display,
        initials=_initials(identity.name),
        color=identity.colour,
        vxkit=identity,
        generation=generation,
    )


def sign(secret: bytes, payload: bytes) -> str:
    """HMAC-SHA256 of ``payload`` under ``secret``, URL-safe base64."""
    digest = hmac.new(secret, payload, hashlib.sha256).digest()
    return base64.urlsafe_b64encode(digest).decode().rstrip("=")


class VxkitIdentityProvider(PasswordIdentityProvider):
    """Token and password login for the teacher, join links for everyone else.

    Token users (the teacher who started the server, scripts with the token) are teachers,
    as with stock Jupyter. People who open a join link get a signed ``VxkitUser``.
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
        model = super().identity_model(user)
        model.pop("generation", None)
        if isinstance(user, VxkitUser):
            model["vxkit"] = {k: v for k, v in user.vxkit.as_dict().items() if v is not None}
        return model

    def get_handlers(self) -> list[tuple[str, object]]:
        """The login handlers plus the join-link pages."""
        from .join import JoinHandler

        return [*super().get_handlers(), (r"/vxkit/join/(.*)", JoinHandler)]

    async def get_user(self, handler: web.RequestHandler) -> User | None:
        """The signed-in user; students and visitors are stopped at teacher-only URLs here,
        because some extensions' handlers (nbgrader's formgrader) never ask the authorizer."""
        from .roles import teacher_only_url

        user = await self._get_user(handler)
        if user is not None and not identity_of(user).is_teacher and teacher_only_url(handler):
            raise web.HTTPError(403, "This page is for teachers only.")
        return user

    def generate_anonymous_user(self, handler: web.RequestHandler) -> User:
        """A token-authenticated request without a vxkit cookie: the teacher."""
        return User(username="teacher", name="Teacher", display_name="Teacher", initials="T")

    def _links(self, handler: web.RequestHandler):
        from .links import links_for

        ws = handler.settings.get("vxkit_workspace")
        return links_for(ws) if ws is not None else None

    def user_to_cookie(self, user: User) -> str:
        """Plain users as upstream does; vxkit users with their identity, signed twice."""
        if not isinstance(user, VxkitUser):
            return super().user_to_cookie(user)
        body = json.dumps(
            {"username": user.username, "generation": user.generation, **user.vxkit.as_dict()},
            sort_keys=True,
            ensure_ascii=False,
        )
        # the signature is added by set_login_cookie, which knows the workspace secret
        return body

    def set_login_cookie(self, handler: web.RequestHandler, user: User) -> None:
        """Set the (tornado-signed) login cookie; vxkit users get a second, vxkit signature."""
        if isinstance(user, VxkitUser):
            links = self._links(handler)
            if links is None:
                raise web.HTTPError(500, "vxkit join links need the vxkit server extension")
            body = self.user_to_cookie(user).encode()
            value = json.dumps({"vxkit": body.decode(), "sig": sign(links.secret, body)})
            handler._vxkit_cookie_value = value  # type:ignore[attr-defined]
            self._set_cookie_value(handler, value)
            return
        super().set_login_cookie(handler, user)

    def _set_cookie_value(self, handler: web.RequestHandler, value: str) -> None:
        options = dict(self.cookie_options)
        options.setdefault("httponly", True)
        secure = self.secure_cookie
        if secure is None:
            secure = handler.request.protocol == "https"
        if secure:
            options.setdefault("secure", True)
        options.setdefault("path", handler.base_url)  # type:ignore[attr-defined]
        handler.set_secure_cookie(self.get_cookie_name(handler), value, **options)

    def get_user_cookie(self, handler: web.RequestHandler) -> User | None:
        """The user in the login cookie, or None if it is missing, forged or revoked."""
        raw = handler.get_secure_cookie(
            self.get_cookie_name(handler), **self.get_secure_cookie_kwargs
        )
        if not raw:
            return None
        try:
            data = json.loads(raw.decode())
        except (ValueError, UnicodeDecodeError):
            return None
        if not isinstance(data, dict):
            return None
        if "vxkit" not in data:
            try:
                return self.user_from_cookie(raw.decode())
            except Exception:
                return None
        return self._vxkit_user(handler, data)

    def _vxkit_user(self, handler: web.RequestHandler, data: dict[str, Any]) -> User | None:
        links = self._links(handler)
        body, sig = data.get("vxkit"), data.get("sig")
        if links is None or not isinstance(body, str) or not isinstance(sig, str):
            return None
        if not hmac.compare_digest(sign(links.secret, body.encode()), sig):
            self.log.warning("vxkit: refused a login cookie with a wrong signature")
            return None
        try:
            fields = json.loads(body)
            identity = Identity.from_dict(fields)
            generation = int(fields.get("generation", 0))
            username = str(fields["username"])
        except (ValueError, KeyError, TypeError):
            return None
        if not links.still_valid(identity, generation):
            return None
        return user_for(identity, username, generation)


class SessionCheck:
    """Whether a long-lived connection's user is still signed in (their code not revoked).

    Websockets outlive the request that authenticated them, so the room and kernel websockets
    ask this for every message; the links are cached and re-read only when their file changes
    (one ``stat`` per message).
    """

    def __init__(self, handler: web.RequestHandler) -> None:
        self.handler = handler
        self._ok = True

    def ok(self) -> bool:
        """False once the user's join code has been revoked (and from then on)."""
        user = self.handler.current_user
        ws = self.handler.settings.get("vxkit_workspace")
        if not isinstance(user, VxkitUser) or ws is None or not self._ok:
            return self._ok
        from .links import links_for

        try:
            self._ok = links_for(ws).still_valid(user.vxkit, user.generation)
        except Exception:
            self._ok = False  # a damaged links file signs people out, it never lets more in
        return self._ok
