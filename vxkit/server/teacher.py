"""``/vxkit/class-links``: the teacher's page with the class links, opened from JupyterLab's
Help menu (Help > Class links).

On Binder and on a hub the server's log is out of the teacher's sight, so the links the start
banner prints must reach them in the browser. The page is for teachers only, twice over: the
policy table does not name it (the gate refuses everyone else), and the handler itself answers
403 to anyone who is not a teacher.
"""

from __future__ import annotations

import html
import os
from typing import Any

from jupyter_server.base.handlers import JupyterHandler
from jupyter_server.extension.handler import ExtensionHandlerMixin
from tornado import web

from ..errors import VxkitError
from .identity import identity_of
from .join import page


def binder_note() -> str:
    """What a teacher on Binder must know about the room (empty elsewhere)."""
    if not os.environ.get("BINDER_LAUNCH_HOST") and not os.environ.get("BINDER_REQUEST"):
        return ""
    return (
        "<p><strong>This is a Binder room.</strong> Give your partners the class links on "
        "this page, not the Binder badge: the badge starts a new, empty room. The room "
        "closes after about 10 minutes without activity, and after at most about 6 hours; "
        "nothing in it is kept. Rosters here must be made-up names.</p>"
    )


class ClassLinksPage(ExtensionHandlerMixin, JupyterHandler):
    """``GET /vxkit/class-links``: the join links of every class, for teachers."""

    def _links(self) -> dict[str, Any]:
        identity = identity_of(self.current_user)
        if identity is None or not identity.is_teacher:
            raise web.HTTPError(403, "This page is for teachers only.")
        try:
            return self.extensionapp.class_links(self.request)
        except VxkitError as err:
            raise web.HTTPError(409, str(err).splitlines()[0]) from None

    @web.authenticated
    def get(self) -> None:
        """The page: one row per class, then visitors and the teachers' own link."""
        links = self._links()
        esc = html.escape

        def row(label: str, link: dict[str, str]) -> str:
            url = esc(link["url"], quote=True)
            return (
                f"<tr><th>{esc(label)}</th><td><code>{esc(link['code'])}</code></td>"
                f'<td><a href="{url}">{esc(link["url"])}</a></td></tr>'
            )

        rows = [row(f"{c['school']}, {c['city']} ({c['id']})", c) for c in links["classes"]]
        rows.append(row("Visitors (read-only)", links["visitor"]))
        rows.append(row("Teachers (keep private)", links["teacher"]))
        if links.get("hub"):
            intro = (
                "<p>On this hub nobody joins by link: students, partners and visitors sign in "
                "to the hub with their own account, then open the address below. The hub's "
                "class groups say who may come in (<code>vxkit hub-config</code>).</p>"
            )
            revoking = ""
        else:
            intro = (
                "<p>Students open their class's link in their own browser and pick their "
                "name: they join this very session and co-edit with you and their partners.</p>"
            )
            revoking = (
                "<p>A leaked link? Run <code>vxkit links --revoke CLASS</code> in a terminal to "
                "issue a new code.</p>"
            )
        body = (
            "<style>.links th { text-align: left; padding: .3rem 1rem .3rem 0; }</style>"
            f"<h1>Class links: {esc(links['title'])}</h1>"
            f"{intro}{binder_note()}"
            f'<table class="links">{"".join(rows)}</table>{revoking}'
        )
        self.set_header("Cache-Control", "no-store")
        self.finish(page("Class links", body))

    def write_error(self, status_code: int, **kwargs: Any) -> None:
        """A short page with a sentence, never a traceback."""
        exc = kwargs.get("exc_info", (None, None, None))[1]
        message = "Something went wrong on the server. Look at its log."
        if isinstance(exc, web.HTTPError) and exc.log_message and status_code < 500:
            message = exc.log_message
        self.set_header("Content-Type", "text/html; charset=UTF-8")
        body = f'<h1>Class links</h1><p class="problem" role="alert">{html.escape(message)}</p>'
        self.finish(page("Class links", body))
