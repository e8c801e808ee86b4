"""The setup form's endpoints: teachers edit the exchange without a text editor.

- ``GET /vxkit/api/setup``: exchange.toml as form data, its problems now, the version of the
  file, and what this teacher may change;
- ``POST /vxkit/api/setup/check``: the problems ``vxkit check`` would report after a proposed
  change (nothing is written);
- ``PUT /vxkit/api/setup``: save the change, atomically and with the file's comments kept.

Who may change what is decided here, from the signed-in identity: the teacher who started
the server (the token) is the exchange's organiser and changes every class and the teams; a
partner teacher (the teacher link, or a class teacher's hub account) changes their own class
and where their own pupils are in the teams; everyone else is refused by the policy (these
handlers are teachers' only) and asked again here.
"""

from __future__ import annotations

import asyncio
import json
from typing import Any

from tornado import web

from ..exchange import ExchangeError, Problem, read_toml
from ..exchange_form import FormRefusal, Rights, apply_change, form_data, version_of
from ..files import atomic_write
from .identity import identity_of
from .presence import TeacherAPIHandler


def rights_of(user: Any) -> Rights:
    """What the signed-in ``user`` may change in the form (nothing for anyone but teachers).

    The organiser is only the token's teacher: a teacher with no class who came by the
    teacher link (a name that is no class's teacher) changes nothing."""
    who = identity_of(user)
    if who is None or not who.is_teacher:
        return Rights()
    if who.class_id is None:
        return Rights(everything=getattr(user, "via", "") == "token")
    return Rights(own_class=who.class_id, teacher_of=who.name)


def problem_rows(problems: list[Problem]) -> list[dict[str, Any]]:
    """Problems as JSON rows (field, value, message), values that JSON can't hold as text."""
    return [
        {
            "field": p.field,
            "value": json.loads(json.dumps(p.value, default=str)),
            "message": p.message,
        }
        for p in problems
    ]


class SetupAPIHandler(TeacherAPIHandler):
    """Shared by the setup endpoints: the file's text and the proposed change."""

    def file_text(self) -> str | None:
        """exchange.toml's text; answers (and returns None) when it can't be read."""
        ws = self.settings["vxkit_workspace"]
        try:
            return ws.exchange_file.read_bytes().decode("utf-8")
        except FileNotFoundError:
            self.write_problem(404, f"There is no exchange file at {ws.exchange_file}.")
        except UnicodeDecodeError:
            self.write_problem(409, "exchange.toml is not UTF-8 text: fix it in a text editor.")
        except OSError as err:
            self.write_problem(500, f"Cannot read exchange.toml: {err.strerror}.")
        return None

    def proposal(self) -> Any:
        """The JSON body; answers 400 (and returns None) when it is not a JSON object."""
        try:
            body = json.loads(self.request.body or b"")
        except (ValueError, UnicodeDecodeError):
            self.write_problem(400, "The request body is not valid JSON.")
            return None
        if not isinstance(body, dict):
            self.write_problem(400, 'The change must be a JSON object like {"classes": [...]}.')
            return None
        return body

    def request_and_file(self) -> tuple[dict[str, Any], str] | None:
        """For a teacher: the proposed change and the file's text; otherwise (or when either
        can't be read) the answer is sent and the result is None."""
        if not self.require_teacher():
            return None
        body = self.proposal()
        text = self.file_text() if body is not None else None
        if body is None or text is None:
            return None
        return body, text

    def applied(self, text: str, body: dict[str, Any]):
        """The change applied to ``text``; answers (and returns None) when it is refused."""
        try:
            return apply_change(text, body, rights_of(self.current_user))
        except FormRefusal as err:
            self.write_problem(err.status, str(err), reason="refused")
        except ExchangeError as err:
            self.write_problem(409, str(err).splitlines()[0], problem_rows(err.problems))
        return None


class SetupHandler(SetupAPIHandler):
    """``GET /vxkit/api/setup``: the form; ``PUT`` ``{"version", "classes"?, "teams"?}``
    saves a change (400 with every problem when the exchange would not be valid, 403 for
    a change that is not this teacher's, 409 when the file changed since ``version``)."""

    @web.authenticated
    def get(self) -> None:
        """The exchange as form data, its problems, its version and this teacher's rights."""
        if not self.require_teacher():
            return
        text = self.file_text()
        if text is None:
            return
        try:
            tables = read_toml(text)
        except ExchangeError as err:
            self.write_problem(409, str(err).splitlines()[0], problem_rows(err.problems))
            return
        applied = apply_change(text, {}, Rights())
        data = form_data(tables)
        rights = rights_of(self.current_user)
        self.finish(
            json.dumps(
                {
                    **data,
                    "version": version_of(text),
                    "problems": problem_rows(applied.problems),
                    "editable": rights.as_dict([c["id"] for c in data["classes"]]),
                }
            )
        )

    @web.authenticated
    async def put(self) -> None:
        """Check the change and write it in one rename; the old file stays on any error."""
        asked = self.request_and_file()
        if asked is None:
            return
        body, text = asked
        if body.get("version") != version_of(text):
            self.write_problem(
                409,
                "exchange.toml was changed since you opened the form (by another teacher or "
                "in a text editor): reload the form, then make your change again.",
                reason="changed",
            )
            return
        applied = self.applied(text, body)
        if applied is None:
            return
        if applied.problems:
            count = len(applied.problems)
            self.write_problem(
                400,
                f"Not saved: the exchange would have {count} problem{'s' if count > 1 else ''}.",
                problem_rows(applied.problems),
                reason="problems",
            )
            return
        ws = self.settings["vxkit_workspace"]
        if applied.changed:
            try:
                atomic_write(ws.exchange_file, applied.text)
            except OSError as err:
                self.log.warning("vxkit: saving exchange.toml failed: %s", err)
                self.write_problem(
                    500,
                    f"Not saved: exchange.toml could not be written ({err.strerror or err}); "
                    "the file is as it was.",
                )
                return
            if getattr(self.extensionapp, "classroom_on", False):
                from .classroom import prepare_workspace

                # one at a time: two quick saves must not install the same team's files at once
                lock = self.settings.setdefault("vxkit_setup_lock", asyncio.Lock())
                async with lock:
                    await asyncio.to_thread(prepare_workspace, ws, self.log)
        self.finish(json.dumps({"saved": applied.changed, "version": version_of(applied.text)}))


class SetupCheckHandler(SetupAPIHandler):
    """``POST /vxkit/api/setup/check``: the problems after a proposed change, nothing
    written (200 with the problems; 403 for a change that is not this teacher's)."""

    @web.authenticated
    def post(self) -> None:
        """What ``vxkit check`` would say of the exchange with this change."""
        asked = self.request_and_file()
        if asked is None:
            return
        body, text = asked
        applied = self.applied(text, body)
        if applied is None:
            return
        self.finish(json.dumps({"problems": problem_rows(applied.problems)}))


SETUP_HANDLERS: list[tuple[str, type]] = [
    (r"/vxkit/api/setup", SetupHandler),
    (r"/vxkit/api/setup/check", SetupCheckHandler),
]
