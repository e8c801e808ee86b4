"""The join page: a class link lets a student pick their name and signs them in.

This is a login page, so it is the one vxkit page open to people who are not signed in
(like jupyter_server's ``/login``). Everything shown is escaped; every failure is a
friendly page naming what was wrong, never a traceback.
"""

from __future__ import annotations

import html
import json
import secrets
import time
import unicodedata
from collections import deque
from typing import Any
from urllib.parse import quote

from jupyter_server.auth.decorator import allow_unauthenticated
from jupyter_server.auth.login import LoginFormHandler
from jupyter_server.base.handlers import JupyterHandler
from tornado import web

from ..areas import STUDENTS
from ..errors import VxkitError
from ..exchange import Exchange, name_problem, student_id
from ..files import atomic_write
from ..workspace import Workspace
from .i18n import html_attributes, locale_of_header, locale_of_languages, translator
from .identity import Identity, VxkitUser, identity_of, user_for
from .links import Grant, links_for, normalise_code

PAGE = """<!DOCTYPE html>
<html lang="{lang}" dir="{direction}"><head><meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>{title}</title>
<style>
body {{ font-family: system-ui, sans-serif; max-width: 40rem; margin: 3rem auto; padding: 0 1rem;
       color: #222; }}
h1 {{ font-size: 1.6rem; }} .who {{ color: #555; }}
.names {{ display: flex; flex-wrap: wrap; gap: .6rem; margin: 1.5rem 0; }}
button {{ font-size: 1.1rem; padding: .6rem 1.1rem; border-radius: .5rem; cursor: pointer;
         border: 2px solid {colour}; background: white; }}
button:hover {{ background: {colour}; color: white; }}
input[type=text] {{ font-size: 1.1rem; padding: .5rem; }}
.problem {{ border-left: 4px solid #c0392b; padding: .5rem 1rem; background: #fdf0ee; }}
</style></head>
<body>{body}</body></html>
"""


def page(title: str, body_html: str, colour: str = "#1b9e77", locale: str | None = None) -> str:
    """A whole page in ``locale`` (None: English); ``body_html`` must already be escaped."""
    lang, direction = html_attributes(locale)
    return PAGE.format(
        title=html.escape(title),
        body=body_html,
        colour=html.escape(colour),
        lang=lang,
        direction=direction,
    )


class WrongCodeLimiter:
    """Counts wrong join codes per address: past ``limit`` in ``window`` seconds, that address
    gets a friendly "wait" page until its oldest wrong try leaves the window.

    Join codes are short so they can be read aloud; this keeps guessing them hopeless.
    """

    def __init__(self, limit: int, window: float) -> None:
        self.limit = limit
        self.window = window
        self._failures: dict[str, deque[float]] = {}

    def _recent(self, address: str, now: float) -> deque[float]:
        times = self._failures.setdefault(address, deque())
        while times and now - times[0] > self.window:
            times.popleft()
        return times

    def blocked(self, address: str, now: float | None = None) -> float:
        """Seconds ``address`` must still wait (0: it may try)."""
        now = time.monotonic() if now is None else now
        times = self._recent(address, now)
        if len(times) < self.limit:
            return 0.0
        return self.window - (now - times[0])

    def failed(self, address: str, now: float | None = None) -> None:
        """Record a wrong code from ``address``."""
        now = time.monotonic() if now is None else now
        self._recent(address, now).append(now)


#: a random id per browser: wrong codes are counted per browser before they are counted per
#: address, so one pupil trying codes doesn't lock out a whole school behind one address
DEVICE_COOKIE = "vxkit-device"
NICKNAMES_FILE = "nicknames.json"


def fold(name: str) -> str:
    """A name as compared for clashes: case, accents' forms and spacing don't matter."""
    return " ".join(unicodedata.normalize("NFKC", name).casefold().split())


def taken_names(exchange: Exchange) -> set[str]:
    """Names nobody else may take: every roster name and every teacher's name, folded."""
    names = {fold(n) for c in exchange.classes for n in c.students}
    names |= {fold(c.teacher) for c in exchange.classes if c.teacher}
    return names | {"teacher", "visitor"}


def claim_nickname(ws: Workspace, class_id: str, name: str, device: str) -> bool:
    """Claim ``name`` in a class without a roster for the browser ``device``; False if
    another browser holds it already. Claims live in ``.vxkit/nicknames.json``.

    What is claimed is the student id the name gives (``student_id``: it names the folder,
    the hand-ins and the grades), not the name as typed: "Zoe" and "ZOE!" are Zoé's id, so
    they are hers too. Claims written before, under the folded name, count for their id."""
    path = ws.state_dir / NICKNAMES_FILE
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        data = {}
    if not isinstance(data, dict):
        data = {}
    claims = data.get(class_id)
    if not isinstance(claims, dict):
        claims = data[class_id] = {}
    sid = student_id(class_id, name)
    holders = {
        str(holder)
        for key, holder in claims.items()
        if key == sid or student_id(class_id, key) == sid
    }
    if holders:
        return bool(device) and all(secrets.compare_digest(h, device) for h in holders)
    if not device:
        return False
    claims[sid] = device
    atomic_write(path, json.dumps(data, indent=1, sort_keys=True) + "\n")
    return True


class _Localised:
    """A page in its reader's language: ``self._`` translates a sentence."""

    _vxkit_locale: str | None = None
    _vxkit_locale_known = False

    @property
    def page_locale(self) -> str | None:
        """The page's locale: its class's once known, else the browser's."""
        if not self._vxkit_locale_known:
            header = self.request.headers.get("Accept-Language")  # type:ignore[attr-defined]
            return locale_of_header(header)
        return self._vxkit_locale

    def use_languages(self, languages: list[str]) -> None:
        """Speak the first of a class's ``languages`` that has a catalogue."""
        self._vxkit_locale = locale_of_languages(languages)
        self._vxkit_locale_known = True

    def _(self, text: str) -> str:
        return translator(self.page_locale)(text)


class JoinHandler(_Localised, JupyterHandler):
    """``GET /vxkit/join/CODE`` shows the roster, ``POST`` signs the chosen person in."""

    def check_xsrf_cookie(self) -> None:
        """Tornado's XSRF check, failing with a sentence."""
        # The form carries _xsrf; a browser with no cookie yet gets a friendly page instead
        # of tornado's bare 403 text.
        try:
            super().check_xsrf_cookie()
        except web.HTTPError:
            raise web.HTTPError(
                403, self._("This form has expired: reload the page and try again.")
            ) from None

    @property
    def workspace(self) -> Workspace:
        """The workspace this server serves."""
        ws = self.settings.get("vxkit_workspace")
        if ws is None:
            raise web.HTTPError(404, "This server does not run the vxkit extension.")
        return ws

    def _device(self) -> str:
        device = self.get_cookie(DEVICE_COOKIE)
        if not device or len(device) != 32 or not device.isalnum():
            device = secrets.token_hex(16)
            self.set_cookie(
                DEVICE_COOKIE,
                device,
                httponly=True,
                samesite="Lax",
                path=self.base_url,
                expires_days=365,
            )
        self._vxkit_device = device
        return device

    def _grant(self, code: str) -> tuple[Exchange, Grant]:
        limiter: WrongCodeLimiter | None = self.settings.get("vxkit_join_limiter")
        device_limiter: WrongCodeLimiter | None = self.settings.get("vxkit_join_device_limiter")
        address = self.request.remote_ip or ""
        device = self._device()
        wait = max(
            limiter.blocked(address) if limiter else 0,
            device_limiter.blocked(device) if device_limiter else 0,
        )
        if wait:
            minutes = max(1, round(wait / 60))
            if minutes == 1:
                sentence = self._(
                    "Too many wrong codes were tried from this computer. Wait a minute and ask "
                    "your teacher for the link."
                )
            else:
                sentence = self._(
                    "Too many wrong codes were tried from this computer. Wait {minutes} minutes "
                    "and ask your teacher for the link."
                ).format(minutes=minutes)
            raise web.HTTPError(429, sentence)
        try:
            exchange = self.workspace.load()
            grant = links_for(self.workspace).resolve(code)
        except VxkitError as err:
            raise web.HTTPError(503, str(err).splitlines()[0]) from None
        if grant is None:
            self._wrong_code()
            shown = normalise_code(code)[:20] or code[:20]
            raise web.HTTPError(
                404,
                self._(
                    'The code "{code}" is not a join code of this exchange, or it has been '
                    "replaced by a new one. Ask your teacher for the current link."
                ).format(code=shown),
            )
        if grant.kind == "student":
            self.use_languages(list(exchange.get_class(grant.key).languages))
        return exchange, grant

    @allow_unauthenticated
    def get(self, code: str) -> None:
        """The roster to pick a name from (or a friendly page for a wrong code); with
        ``?card=PERSONAL`` (the QR code on a sign-in card) the student signs in as themselves."""
        exchange, grant = self._grant(code)
        card = self.get_argument("card", "")
        if card and grant.kind == "student":
            sid = links_for(self.workspace).student_of_card(grant.key, card)
            student = next((s for s in exchange.students() if s.id == sid), None)
            if student is None:
                self._wrong_code()
                raise web.HTTPError(
                    404,
                    self._(
                        "This card's code is not (or no longer) valid: ask your teacher for a "
                        "new card."
                    ),
                )
            identity, username = self._identity(exchange, grant, student.name, "")
            self._sign_in(identity, username, grant, card=card)
            return
        self.finish(self._form(exchange, grant))

    def _wrong_code(self) -> None:
        limiter: WrongCodeLimiter | None = self.settings.get("vxkit_join_limiter")
        device_limiter: WrongCodeLimiter | None = self.settings.get("vxkit_join_device_limiter")
        if limiter:
            limiter.failed(self.request.remote_ip or "")
        if device_limiter:
            device_limiter.failed(getattr(self, "_vxkit_device", ""))

    @allow_unauthenticated
    def post(self, code: str) -> None:
        """Sign the picked person in and send them to their team's folder."""
        exchange, grant = self._grant(code)
        picked = self.get_body_argument("name", "").strip()
        nickname = self.get_body_argument("nickname", "").strip()
        try:
            identity, username = self._identity(exchange, grant, picked, nickname)
        except ValueError as err:
            self.set_status(400)
            self.finish(self._form(exchange, grant, problem=str(err)))
            return
        self._sign_in(identity, username, grant)

    def _sign_in(self, identity: Identity, username: str, grant: Grant, card: str = "") -> None:
        if identity.student_id:
            # the student's own folder (fetched assignments, personal notes)
            (self.workspace.root / STUDENTS / identity.student_id).mkdir(
                parents=True, exist_ok=True
            )
        proved = links_for(self.workspace).check_card(identity.student_id, card) if card else -1
        user = user_for(identity, username, grant.generation, card=proved, verified=proved >= 0)
        self.identity_provider.set_login_cookie(self, user)
        _ = self.xsrf_token  # sets the _xsrf cookie, even when no form was shown (a card link)
        target = "lab"
        if identity.team_id:
            target = f"lab/tree/projects/{quote(identity.team_id)}"
        elif identity.role == "visitor":
            target = "lab/tree/projects"
        self.redirect(self.base_url + target)

    def _identity(
        self, exchange: Exchange, grant: Grant, picked: str, nickname: str
    ) -> tuple[Identity, str]:
        if grant.kind == "student":
            cls = exchange.get_class(grant.key)
            if cls.students:
                if picked not in cls.students:
                    raise ValueError(
                        self._(
                            '"{name}" is not on the roster of {school}: pick your name from the '
                            "list."
                        ).format(name=picked, school=cls.school)
                    )
                name = picked
            else:
                name = nickname
                problem = name_problem(name)
                if problem:
                    raise ValueError(self._("Nickname: {problem}.").format(problem=problem))
                device = getattr(self, "_vxkit_device", "")
                if fold(name) in taken_names(exchange) or not claim_nickname(
                    self.workspace, cls.id, name, device
                ):
                    raise ValueError(
                        self._(
                            'Someone in {school} is already called "{name}": choose another '
                            "nickname."
                        ).format(school=cls.school, name=name)
                    )
            team = exchange.team_of(cls.id, name)
            sid = student_id(cls.id, name)
            identity = Identity(
                role="student",
                name=name,
                student_id=sid,
                class_id=cls.id,
                team_id=team.id if team else None,
                city=cls.city,
                colour=cls.colour,
            )
            return identity, sid
        if grant.kind == "teacher":
            teachers = {c.teacher: c for c in exchange.classes if c.teacher}
            name = picked or nickname or "Teacher"
            problem = name_problem(name)
            if problem:
                raise ValueError(f"Name: {problem}.")
            cls = teachers.get(name)
            identity = Identity(
                role="teacher",
                name=name,
                class_id=cls.id if cls else None,
                city=cls.city if cls else None,
                colour=cls.colour if cls else None,
            )
            return identity, "teacher-" + student_id("t", name)[2:]
        name = nickname or "Visitor"
        problem = name_problem(name)
        if problem:
            raise ValueError(f"Name: {problem}.")
        if fold(name) in taken_names(exchange):
            raise ValueError(
                self._(
                    '"{name}" is the name of someone in this exchange: visitors choose another '
                    "name."
                ).format(name=name)
            )
        identity = Identity(role="visitor", name=f"{name} (visitor)", colour="#777777")
        return identity, f"visitor-{secrets.token_hex(8)}"

    def _form(self, exchange: Exchange, grant: Grant, problem: str | None = None) -> str:
        esc = html.escape
        xsrf = self.xsrf_form_html()
        parts = [f"<h1>{esc(exchange.title)}</h1>"]
        colour = "#1b9e77"
        if problem:
            parts.append(f'<p class="problem" role="alert">{esc(problem)}</p>')
        if grant.kind == "student":
            cls = exchange.get_class(grant.key)
            colour = cls.colour
            parts.append(
                f'<p class="who">{esc(cls.school)}, {esc(cls.city)} ({esc(cls.country_name())})</p>'
            )
            if cls.students:
                buttons = "".join(
                    f'<button type="submit" name="name" value="{esc(n, quote=True)}">'
                    f"{esc(n)}</button>"
                    for n in cls.students
                )
                parts.append(
                    f'<form method="post">{xsrf}<p>{esc(self._("Who are you? Pick your name:"))}'
                    f'</p><div class="names">{buttons}</div></form>'
                )
            else:
                label = self._("Type your first name or a nickname:")
                parts.append(self._nickname_form(xsrf, label, self._("Join")))
        elif grant.kind == "teacher":
            teachers = [c for c in exchange.classes if c.teacher]
            buttons = "".join(
                f'<button type="submit" name="name" value="{esc(c.teacher, quote=True)}">'
                f"{esc(c.teacher)} ({esc(c.city)})</button>"
                for c in teachers
            )
            parts.append(
                f'<form method="post">{xsrf}<p>{esc(self._("Teachers: who are you?"))}</p>'
                f'<div class="names">{buttons}</div></form>'
            )
        else:
            visiting = self._("You are joining as a visitor: you can watch, not edit.")
            parts.append(f"<p>{esc(visiting)}</p>")
            parts.append(self._nickname_form(xsrf, self._("Your name (optional):"), self._("Join")))
        title = self._("Join {title}").format(title=exchange.title)
        return page(title, "\n".join(parts), colour, self.page_locale)

    @staticmethod
    def _nickname_form(xsrf: str, label: str, join: str) -> str:
        return (
            f'<form method="post">{xsrf}<label>{html.escape(label)} '
            '<input type="text" name="nickname" maxlength="40" autocomplete="off"></label> '
            f'<button type="submit">{html.escape(join)}</button></form>'
        )

    def write_error(self, status_code: int, **kwargs: Any) -> None:
        """Every error is a short page with a sentence, never a traceback."""
        message = self._("Something went wrong on the server. Ask your teacher to look at its log.")
        exc = kwargs.get("exc_info", (None, None, None))[1]
        if (isinstance(exc, web.HTTPError) and exc.log_message and status_code < 500) or (
            isinstance(exc, web.HTTPError) and status_code == 503 and exc.log_message
        ):
            message = exc.log_message
        self.set_header("Content-Type", "text/html; charset=UTF-8")
        body = (
            f"<h1>{html.escape(self._('This link does not work'))}</h1>"
            f'<p class="problem" role="alert">{html.escape(message)}</p>'
        )
        self.finish(page(self._("Join link"), body, locale=self.page_locale))


class VerifyHandler(_Localised, JupyterHandler):
    """``/vxkit/verify``: a signed-in student enters the personal code from their card, once
    per browser, before they see their grades and feedback or hand in."""

    def _student(self) -> VxkitUser:
        user = self.current_user
        identity = identity_of(user)
        if not isinstance(user, VxkitUser) or identity is None or not identity.is_student:
            raise web.HTTPError(403, self._("Only students have personal codes."))
        try:
            cls = self.settings["vxkit_workspace"].load().get_class(identity.class_id or "")
            self.use_languages(list(cls.languages))
        except (VxkitError, KeyError, ValueError):
            pass  # an exchange with problems: the browser's language
        return user

    def _page(self, user: VxkitUser, problem: str = "") -> str:
        esc = html.escape
        parts = [f"<h1>{esc(user.vxkit.name)}</h1>"]
        if problem:
            parts.append(f'<p class="problem" role="alert">{esc(problem)}</p>')
        if user.verified:
            known = self._("This browser knows it is you. You can close this page.")
            parts.append(f"<p>{esc(known)}</p>")
        else:
            label = esc(self._("Your personal code, from your card:"))
            parts.append(
                f'<form method="post">{self.xsrf_form_html()}<label>{label} '
                '<input type="text" name="code" maxlength="12" autocomplete="off" '
                f'autofocus></label> <button type="submit">{esc(self._("OK"))}</button></form>'
            )
        colour = user.vxkit.colour or "#1b9e77"
        return page(self._("Your personal code"), "\n".join(parts), colour, self.page_locale)

    @web.authenticated
    def get(self) -> None:
        """The form (or "this browser knows it is you")."""
        self.finish(self._page(self._student()))

    @web.authenticated
    def post(self) -> None:
        """Check the code; on success this browser is verified until the card is replaced."""
        user = self._student()
        limiter: WrongCodeLimiter | None = self.settings.get("vxkit_join_device_limiter")
        key = f"verify:{user.username}"
        if limiter and limiter.blocked(key):
            raise web.HTTPError(
                429, self._("Too many wrong codes: wait a few minutes and try again.")
            )
        ws: Workspace = self.settings["vxkit_workspace"]
        card = links_for(ws).check_card(user.vxkit.student_id, self.get_body_argument("code", ""))
        if card < 0:
            if limiter:
                limiter.failed(key)
            self.set_status(400)
            self.finish(
                self._page(user, self._("That is not your personal code: look at your card again."))
            )
            return
        proved = user_for(user.vxkit, user.username, user.generation, user.via, card, True)
        self.identity_provider.set_login_cookie(self, proved)
        self.finish(self._page(proved))


class VxkitLoginHandler(LoginFormHandler):
    """Jupyter's token login page, telling students where to go instead."""

    def _render(self, message: dict[str, str] | None = None) -> None:
        if message is None:
            message = {
                "info": "Students and visitors: open your class's join link again (ask your "
                "teacher for it). Teachers: sign in with the token."
            }
        super()._render(message=message)
