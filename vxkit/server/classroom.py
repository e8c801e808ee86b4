"""Wiring of the classroom features into the server: called by ``VxkitApp``.

Join-link identity, roles, kernel message stamping, the collaboration room with read-only
visitors, presence, contributions and saving on stop. Each server class is installed only
when the server still has the stock one, so a JupyterHub single-user server keeps the hub's
identity provider.
"""

from __future__ import annotations

import signal
import sys
import threading
from logging import Logger
from typing import Any

from jupyter_server.auth.authorizer import AllowAllAuthorizer
from jupyter_server.auth.identity import PasswordIdentityProvider

from ..workspace import Workspace
from .contributions import CONTRIBUTIONS_FILE, ContributionLog
from .identity import VxkitIdentityProvider
from .kernels import VxkitKernelWebsocketConnection
from .presence import ContributionsHandler, PresenceHandler
from .roles import VxkitAuthorizer
from .rtc import (
    Presence,
    install_room_handler,
    release_worker_threads_at_exit,
    save_open_documents,
)


def configure_server(serverapp: Any, log: Logger) -> None:
    """Install vxkit's identity provider, and with it the authorizer and kernel stamping.

    Where another identity provider is configured (JupyterHub's), vxkit leaves all three
    alone: it can't tell students from teachers there, and a stamp saying "teacher" on every
    hub user's code would be worse than none.
    """
    if serverapp.identity_provider_class is not PasswordIdentityProvider:
        log.info("vxkit: keeping the configured identity provider; join links and roles are off")
        return
    serverapp.identity_provider_class = VxkitIdentityProvider
    if serverapp.authorizer_class is AllowAllAuthorizer:
        serverapp.authorizer_class = VxkitAuthorizer
    # a kernel gateway has its own connection class; so may a site's configuration
    configured = serverapp.config.get("ServerApp", {})
    gateway = serverapp.config.get("GatewayClient", {}).get("url")
    if "kernel_websocket_connection_class" not in configured and not gateway:
        serverapp.kernel_websocket_connection_class = VxkitKernelWebsocketConnection


def classroom_settings(ws: Workspace) -> dict[str, Any]:
    """Tornado settings the classroom handlers share."""
    # a server started outside a workspace (the extension is enabled for every server) keeps
    # no record: it must not leave a .vxkit folder in someone's home
    record = ws.exchange_file.is_file()
    return {
        "vxkit_presence": Presence(),
        "vxkit_contributions": ContributionLog(ws.state_dir / CONTRIBUTIONS_FILE)
        if record
        else None,
    }


CLASSROOM_HANDLERS = [
    (r"/vxkit/api/presence", PresenceHandler),
    (r"/vxkit/api/contributions", ContributionsHandler),
]


def install_handlers(web_app: Any, log: Logger) -> None:
    """Put vxkit's collaboration room handler in place of upstream's."""
    if not install_room_handler(web_app):
        log.warning(
            "vxkit: jupyter-collaboration's room handler was not found: visitors are not "
            "read-only and edits are not attributed"
        )


def stop_on_sigint(serverapp: Any) -> None:
    """Make SIGINT stop the server the clean way (as SIGTERM does) when there is no terminal.

    With a terminal, jupyter_server asks for confirmation and then stops cleanly itself.
    """
    if sys.stdin is not None and sys.stdin.isatty():
        return
    if threading.current_thread() is threading.main_thread():
        signal.signal(signal.SIGINT, serverapp._signal_stop)


async def save_all_open_documents(serverapp: Any, log: Logger) -> int:
    """Write every co-edited document to its file now, without waiting for the debounced save.

    Used before a stop, and before a hand-in copies files from disk, so that the last second
    of edits is in the file. Returns how many documents were written.
    """
    ydoc_apps = serverapp.extension_manager.extension_apps.get("jupyter_server_ydoc", set())
    saved = 0
    for app in ydoc_apps:
        server = getattr(app, "ywebsocket_server", None)
        if server is not None:
            saved += await save_open_documents(server, log)
    return saved


async def stop_classroom(serverapp: Any, settings: dict[str, Any], log: Logger) -> None:
    """Save every open document and the contribution record before the server exits."""
    release_worker_threads_at_exit()
    await save_all_open_documents(serverapp, log)
    contributions = settings.get("vxkit_contributions")
    if contributions is not None:
        contributions.flush()
