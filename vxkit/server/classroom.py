"""Wiring of the classroom features into the server: called by ``VxkitApp``.

Join-link identity, the policy gate on every route, kernel ownership and message stamping,
the collaboration room with read-only visitors, presence, contributions and saving on stop.

The classroom is on only where it belongs: a server whose root holds an exchange.toml, with
jupyter_server's own identity provider and login page (join links), or the exchange server of
a JupyterHub (``VxkitApp.hub_login``: the hub login, see ``hubsource``). Anywhere else
(someone's own JupyterLab with vxkit installed, a student's own hub server, a site with its
own login) vxkit changes nothing.
"""

from __future__ import annotations

import signal
import sys
import threading
from logging import Logger
from pathlib import Path
from typing import Any

from jupyter_server.auth.authorizer import AllowAllAuthorizer
from jupyter_server.auth.identity import PasswordIdentityProvider
from jupyter_server_ydoc.handlers import YDocWebSocketHandler

from ..errors import VxkitError
from ..exchange import EXCHANGE_FILE
from ..workspace import Workspace, sync_units
from . import gate, policy
from .authorizer import VxkitAuthorizer
from .chat import CHAT_HANDLERS, ensure_chat_files
from .comments import COMMENT_HANDLERS
from .contributions import CONTRIBUTIONS_FILE, ContributionLog
from .join import VerifyHandler
from .kernels import VxkitKernelWebsocketConnection, owned, sandboxed
from .links import ensure_links
from .presence import ContributionsHandler, PresenceHandler, TeamPresenceHandler
from .provider import VxkitIdentityProvider
from .rtc import (
    Presence,
    VxkitRoomHandler,
    release_worker_threads_at_exit,
    save_open_documents,
)


def prepare_workspace(ws: Workspace, log: Logger) -> None:
    """Give what exchange.toml added its files: join codes of new classes and cards of new
    students, units and team folders, chats (at start, and after the setup form saves)."""
    try:
        ensure_links(ws)
    except VxkitError as err:
        log.warning("vxkit: %s", str(err).splitlines()[0])
    try:
        for line in sync_units(ws).lines():
            log.info("vxkit: %s", line)
        ensure_chat_files(ws.root, ws.load())
    except VxkitError as err:
        log.warning("vxkit: %s", err)


def classroom_root(serverapp: Any, workspace: str | None) -> Path | None:
    """The workspace the classroom serves, or None where the classroom stays off: the
    server's root must be the exchange workspace (exchange.toml at its top)."""
    root = Path(serverapp.root_dir).expanduser().resolve()
    if workspace is not None and Path(workspace).expanduser().resolve() != root:
        return None
    return root if (root / EXCHANGE_FILE).is_file() else None


def site_login(serverapp: Any) -> str | None:
    """The site's own login configuration vxkit must respect, named; None if there is none."""
    if serverapp.identity_provider_class is not PasswordIdentityProvider:
        return f"identity provider {serverapp.identity_provider_class.__name__}"
    for section in ("ServerApp", "PasswordIdentityProvider", "IdentityProvider"):
        if "login_handler_class" in serverapp.config.get(section, {}):
            return f"{section}.login_handler_class"
    return None


def hub_provider(serverapp: Any) -> type | None:
    """vxkit's identity provider for a server JupyterHub signs people in to (the
    ``jupyterhub-singleuser`` extension set its provider), else None."""
    try:
        from jupyterhub.singleuser.extension import JupyterHubIdentityProvider
    except ImportError:
        return None
    if serverapp.identity_provider_class is not JupyterHubIdentityProvider:
        return None
    from .hubsource import VxkitHubIdentityProvider

    return VxkitHubIdentityProvider


def configure_server(
    serverapp: Any, log: Logger, workspace: str | None, hub_login: bool = False
) -> bool:
    """Turn the classroom on (identity provider, authorizer, kernel ownership, sandbox and
    stamping) where it belongs; returns whether it is on.

    With ``hub_login`` (the hub's exchange server), the JupyterHub login is the sign-in the
    classroom trusts: hub users become students, teachers and visitors by name.
    """
    root = classroom_root(serverapp, workspace)
    if root is None:
        log.info("vxkit: the server root holds no exchange.toml; the classroom is off")
        return False
    provider = hub_provider(serverapp) if hub_login else None
    if hub_login and provider is None:
        log.warning(
            "vxkit: VxkitApp.hub_login is set but this server is not a JupyterHub single-user "
            "server; the classroom is off"
        )
        return False
    site = None if provider is not None else site_login(serverapp)
    if site is not None:
        log.warning(
            "vxkit: this server has its own sign-in (%s); the classroom (join links, roles) "
            "is off and vxkit leaves sign-in to it",
            site,
        )
        return False
    if provider is None:
        serverapp.identity_provider_class = VxkitIdentityProvider
    # on a hub, jupyterhub-singleuser sets its provider class again after every extension is
    # linked: vxkit's takes over the instance once it exists (``sign_in_from_hub``)
    if serverapp.authorizer_class is AllowAllAuthorizer:
        serverapp.authorizer_class = VxkitAuthorizer
    # a kernel gateway has its own connection class; so may a site's configuration
    configured = serverapp.config.get("ServerApp", {})
    gateway = serverapp.config.get("GatewayClient", {}).get("url")
    if "kernel_websocket_connection_class" not in configured and not gateway:
        serverapp.kernel_websocket_connection_class = VxkitKernelWebsocketConnection
    return True


def sign_in_from_hub(serverapp: Any, log: Logger) -> bool:
    """Make the server's JupyterHub identity provider vxkit's (``hubsource``): the same
    hub login, answered with classroom identities. Called once the provider exists.

    If that can't be done the classroom stays on and signs nobody in (every request gets
    403): failing closed, never a hub's whole server for every hub user who may open it.
    """
    provider_class = hub_provider(serverapp)
    current = serverapp.identity_provider
    if provider_class is None or type(current) is not serverapp.identity_provider_class:
        log.error("vxkit: the hub login is not this server's sign-in: nobody is let in")
        return False
    current.__class__ = provider_class
    return True


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
    (r"/vxkit/verify", VerifyHandler),
    (r"/vxkit/api/presence", PresenceHandler),
    (r"/vxkit/api/team", TeamPresenceHandler),
    (r"/vxkit/api/contributions", ContributionsHandler),
    *CHAT_HANDLERS,
    *COMMENT_HANDLERS,
]


def own_kernels(serverapp: Any, unsafe_kernels: bool) -> None:
    """Make the server's kernel manager record the area each kernel belongs to, and start
    every kernel through the ``vxkit-sandbox`` provisioner (a kernel of a student's area is
    confined to it; a teacher's runs as the stock one does).

    Both managers exist by the time extensions load; their classes gain a method each
    (``kernels.owned``, ``kernels.sandboxed``), whatever classes the site configured. The
    provisioner is named in the kernel specs this server hands out, not as the process-wide
    default, so kernels other code in the process starts are left alone.
    """
    manager = serverapp.kernel_manager
    manager.__class__ = owned(type(manager))
    specs = serverapp.kernel_spec_manager
    specs.__class__ = sandboxed(type(specs))
    specs.vxkit_provisioner = {
        "provisioner_name": "vxkit-sandbox",
        "config": {"workspace_root": str(serverapp.root_dir), "unsafe_kernels": unsafe_kernels},
    }


def install_gate(web_app: Any, log: Logger) -> None:
    """Gate every route (now and added later), with vxkit's collaboration room handler in
    place of upstream's."""
    count = gate.install(web_app, {YDocWebSocketHandler: VxkitRoomHandler})
    log.debug("vxkit: %d routes gated", count)


def check_gate(web_app: Any, log: Logger) -> None:
    """At start, once every extension is loaded: say so if the room handler is missing (the
    policy then keeps collaboration rooms for teachers only)."""
    names = {name for name, _methods in gate.census(web_app)}
    if policy.name_of(VxkitRoomHandler) not in names:
        log.warning(
            "vxkit: jupyter-collaboration's room handler was not found: real-time "
            "collaboration is for teachers only on this server"
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
