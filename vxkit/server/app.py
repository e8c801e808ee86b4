"""``VxkitApp``: the Jupyter server extension that serves an exchange workspace."""

from __future__ import annotations

import os
import socket
from pathlib import Path
from typing import Any

from jupyter_server.extension.application import ExtensionApp
from tornado.httputil import HTTPServerRequest
from tornado.ioloop import IOLoop
from traitlets import Bool, Float, Int, Unicode

from ..errors import VxkitError
from ..exchange import Exchange
from ..workspace import Workspace
from . import classroom
from .handlers import ExchangeHandler
from .join import WrongCodeLimiter

#: where the links are when the banner can't know the public address (Binder, a hub)
PROXIED_LINKS = (
    "Behind this proxy (Binder, JupyterHub) the class links are in JupyterLab: "
    "Help > Class links (teachers), or the Classroom dashboard."
)


def behind_proxy() -> bool:
    """Whether this server runs behind a JupyterHub proxy (Binder included): the address
    partners open is then the proxy's, not this machine's."""
    return bool(os.environ.get("JUPYTERHUB_SERVICE_PREFIX"))


class VxkitApp(ExtensionApp):
    """Serves the exchange of the workspace at the server's root (or ``workspace``)."""

    name = "vxkit"
    description = "vxkit: the virtual exchange kit for Jupyter"
    load_other_extensions = True

    workspace = Unicode(
        None,
        allow_none=True,
        config=True,
        help="""Folder of the exchange workspace (the one holding exchange.toml).
        None means the server's root_dir.""",
    )

    announce = Bool(
        False,
        config=True,
        help="""Print a short banner with the exchange name and the URL to open once the server
        is up. `vxkit lab` and `vxkit demo` turn it on; plain `jupyter lab` leaves it off.""",
    )

    classroom = Bool(
        True,
        config=True,
        help="""Run the classroom: join links, the role policy on every route, owned and
        stamped kernels, read-only visitors. It switches itself on only where the server's
        root holds an exchange.toml and no site sign-in is configured (see
        docs/classroom.md); False keeps it off even there.""",
    )

    hub_login = Bool(
        False,
        config=True,
        help="""Trust the JupyterHub login as the classroom's sign-in: set on the exchange
        server of a hub (`python -m vxkit.hub exchange` sets it), where hub users are the
        students, teachers and visitors of exchange.toml by name and anyone else gets a 403
        page. False leaves a hub's single-user servers (students' own) without the
        classroom.""",
    )

    unsafe_kernels = Bool(
        False,
        config=True,
        help="""Let students' kernels run unconfined where this machine can sandbox nothing
        (no Landlock, no bubblewrap): their code can then read everything the server's user
        can, solutions and secrets included. `vxkit lab --unsafe-kernels` sets it; a Binder
        room, which holds nothing but the demo, may. Without it such kernels are refused.
        Where a sandbox works this changes nothing.""",
    )

    stop_on_sigint = Bool(
        False,
        config=True,
        help="""Stop cleanly (saving every open notebook) on SIGINT even when the server has no
        terminal; without it jupyter_server turns a SIGINT without a terminal into an abrupt
        exit. `vxkit lab` and `vxkit demo` turn it on; a terminal's Ctrl-C asks first anyway.""",
    )

    kernel_idle_timeout = Int(
        1800,
        config=True,
        help="""Seconds after which a kernel with nothing to do is shut down, even with its
        notebook still open in a tab (30 minutes: half a lesson). Fifty students leave their
        tabs open; without this each of their kernels keeps its memory until the server
        stops. A busy kernel (a long computation) is never shut down; a student who comes
        back restarts the kernel and runs the cells again. 0 keeps kernels forever. Applies
        where the classroom is on, unless MappingKernelManager.cull_idle_timeout is set.""",
    )

    kernel_cull_interval = Int(
        60,
        config=True,
        help="""How often, in seconds, idle kernels are looked for (with
        `kernel_idle_timeout`; jupyter_server's MappingKernelManager.cull_interval).""",
    )

    join_attempts_limit = Int(
        10,
        config=True,
        help="""Wrong join codes one browser may try within `join_attempts_window` seconds;
        past that it is asked to wait. 0 means no limit.""",
    )

    join_attempts_per_address = Int(
        300,
        config=True,
        help="""Wrong join codes all browsers behind one IP address (a whole school behind
        one router) may try within `join_attempts_window` seconds: high enough that one pupil
        guessing doesn't lock out the school, low enough that guessing a code stays hopeless
        (a code has 31^6 values). 0 means no limit.""",
    )

    join_attempts_window = Float(
        600.0,
        config=True,
        help="""Length, in seconds, of the window in which wrong join codes are counted.""",
    )

    def _link_jupyter_server_extension(self, serverapp) -> None:
        super()._link_jupyter_server_extension(serverapp)
        self.classroom_on = bool(self.classroom) and classroom.configure_server(
            serverapp, self.log, self.workspace, self.hub_login
        )

    async def _start_jupyter_server_extension(self, serverapp) -> None:
        await super()._start_jupyter_server_extension(serverapp)
        if self.classroom_on:
            classroom.check_gate(serverapp.web_app, self.log)

    classroom_on = False

    async def stop_extension(self) -> None:
        """End a running teacher job; save open documents and the contribution record before
        the server exits."""
        jobs = self.settings.get("vxkit_jobs")
        if jobs is not None:
            jobs.stop()
        if self.classroom_on:
            await classroom.stop_classroom(self.serverapp, self.settings, self.log)

    def initialize_settings(self) -> None:
        """Remember where the workspace is; the exchange is read on each request."""
        root = Path(self.workspace or self.serverapp.root_dir).expanduser().resolve()
        self.settings["vxkit_workspace"] = Workspace(root)
        self.settings.update(classroom.classroom_settings(Workspace(root)))
        from .jobs import JobRunner

        self.settings["vxkit_jobs"] = JobRunner(Workspace(root))
        if self.classroom_on:
            if self.hub_login:
                classroom.sign_in_from_hub(self.serverapp, self.log)
            self._sandbox_at_start()
            # what was added to exchange.toml since the last start
            classroom.prepare_workspace(Workspace(root), self.log)
        if self.classroom_on:
            self._cull_idle_kernels()
        if self.join_attempts_limit:
            self.settings["vxkit_join_device_limiter"] = WrongCodeLimiter(
                self.join_attempts_limit, self.join_attempts_window
            )
        if self.join_attempts_per_address:
            self.settings["vxkit_join_limiter"] = WrongCodeLimiter(
                self.join_attempts_per_address, self.join_attempts_window
            )
        if self.stop_on_sigint:
            classroom.stop_on_sigint(self.serverapp)
        if self.announce:
            IOLoop.current().add_callback(self._announce)

    def initialize_handlers(self) -> None:
        """Register the REST endpoints, relative to the server's base_url."""
        self.handlers.extend([(r"/vxkit/api/exchange", ExchangeHandler)])
        from ..grading.handlers import GRADING_HANDLERS
        from .me import MeHandler
        from .presence import LinkRevokeHandler, LinksHandler
        from .teacher import ClassLinksPage

        self.handlers.extend(
            [
                (r"/vxkit/api/me", MeHandler),
                (r"/vxkit/api/links", LinksHandler),
                (r"/vxkit/api/links/(?P<key>[a-z0-9_]{1,40})", LinkRevokeHandler),
                (r"/vxkit/class-links", ClassLinksPage),
            ]
        )

        self.handlers.extend(GRADING_HANDLERS)
        from .cards import CARD_HANDLERS
        from .jobs import JOB_HANDLERS
        from .setup import SETUP_HANDLERS

        self.handlers.extend(JOB_HANDLERS + CARD_HANDLERS + SETUP_HANDLERS)
        self.handlers.extend(classroom.CLASSROOM_HANDLERS)
        if self.classroom_on:
            classroom.own_kernels(self.serverapp, self.unsafe_kernels)
            classroom.install_gate(self.serverapp.web_app, self.log)

    def _cull_idle_kernels(self) -> None:
        """jupyter_server's kernel culling with the lesson's defaults, unless the site has
        its own culling settings."""
        manager = self.serverapp.kernel_manager
        own = self.serverapp.config.get("MappingKernelManager", {})
        if "cull_idle_timeout" in own or not hasattr(manager, "cull_idle_timeout"):
            return
        manager.cull_idle_timeout = self.kernel_idle_timeout
        manager.cull_interval = self.kernel_cull_interval
        # an open tab keeps a websocket connected: it must not keep an idle kernel alive
        if "cull_connected" not in own:
            manager.cull_connected = True

    def _sandbox_at_start(self) -> None:
        from ..sandbox import prewarm, sandbox_status

        status = sandbox_status()
        self.settings["vxkit_sandbox"] = status
        if status.mechanism is not None:
            self.log.info("vxkit: %s", status)
        elif self.unsafe_kernels:
            self.log.warning(
                "vxkit: %s Students' kernels run unconfined (--unsafe-kernels): their code can "
                "read everything on this server, solutions and secrets included.",
                status,
            )
        else:
            self.log.warning(
                "vxkit: %s Students can open and co-edit notebooks but not run code. To let "
                "them run code anyway, knowing it can read everything on this server, "
                "restart with --unsafe-kernels.",
                status,
            )
        # the boundaries cache kernels read (read only): built once, off the event loop
        IOLoop.current().run_in_executor(None, prewarm)

    def load_exchange(self) -> Exchange:
        """The workspace's exchange, freshly read and checked."""
        return self.settings["vxkit_workspace"].load()

    def class_links(self, request: HTTPServerRequest | None = None) -> dict[str, Any]:
        """The links teachers hand out (``links_summary``), on the address of ``request``;
        on a hub's exchange server the one address everyone opens after the hub login."""
        from .links import hub_summary, links_summary

        summary = hub_summary if self.hub_login else links_summary
        return summary(self.settings["vxkit_workspace"], self.public_url(request))

    def public_url(self, request: HTTPServerRequest | None = None) -> str:
        """The server's address as other computers reach it (no token), ending with "/".

        Behind a JupyterHub or Binder proxy (``JUPYTERHUB_SERVICE_PREFIX`` is set) that is the
        address the asking browser used: the proxy's public host, the scheme it forwarded
        (``trust_xheaders``, as BinderHub sets it) and this server's ``/user/<name>/`` base
        URL. Without a request there it is "" (unknown). Elsewhere it is this machine's name
        and port, which other computers on the school network reach.
        """
        app = self.serverapp
        if behind_proxy():
            if request is None:
                return ""
            return f"{request.protocol}://{request.host}{app.base_url}"
        host = app.ip if app.ip not in ("", "0.0.0.0", "::") else socket.gethostname()
        scheme = "https" if app.certfile else "http"
        return f"{scheme}://{host}:{app.port}{app.base_url}"

    def _announce(self) -> None:
        ws: Workspace = self.settings["vxkit_workspace"]
        links = ""
        try:
            title = f"'{self.load_exchange().title}'"
            if self.classroom_on and self.public_url():
                from .links import format_links

                links = "\n" + format_links(ws, self.public_url()) + "\n"
            elif self.classroom_on:
                links = f"\n  {PROXIED_LINKS}\n"
        except VxkitError as err:
            title = f"(exchange.toml has problems: run `vxkit check`)\n{err}"
        url = self.serverapp.display_url.splitlines()[0].strip()
        status = self.settings.get("vxkit_sandbox")
        if self.classroom_on:
            links += (
                "\n  Sign-in cards with each student's personal code (for grades and hand-ins):"
                "\n  vxkit cards CLASS\n"
            )
            if status is not None:
                links += f"\n  {status}\n"
        print(
            f"\n  vxkit is serving {title}\n  from {ws.root}\n\n  Open this link in your browser"
            f" (you are the teacher):\n  {url}\n{links}\n  Press Ctrl-C to stop.\n",
            flush=True,
        )
