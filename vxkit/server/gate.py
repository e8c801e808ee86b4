"""The gate: the policy (``policy.py``) applied to every route of the server.

Every request handler of every extension is replaced, in the server's routers, by a subclass
whose ``prepare`` asks the policy once the person is known, whether or not the handler itself
ever asks jupyter_server's authorizer. Handlers added later (another extension loading after
vxkit) are gated as they are added. A handler the policy does not name is teacher-only.

The gate also keeps the server's token out of every page it renders (the JupyterLab page
config and the templates of error pages), and filters the answers a row names a view for.
"""

from __future__ import annotations

import inspect
import json
from collections.abc import Awaitable, Callable
from typing import Any
from urllib.parse import quote

from jupyter_server.base.handlers import APIHandler, JupyterHandler
from jupyter_server.utils import ensure_async
from jupyter_server_ydoc.utils import decode_file_path, room_id_from_encoded_path
from tornado import web
from tornado.websocket import WebSocketHandler

from ..areas import Area, area_of, chat_path
from .identity import Identity, identity_of
from .policy import EXECUTE, PUBLIC, READ, SAY, SIGNED_IN, TEACHERS, WRITE, WS, may, rule_for

Target = list[tuple[str, Area | None]]


def _root(handler: web.RequestHandler) -> str:
    return str(handler.settings.get("server_root_dir") or handler.settings["vxkit_workspace"].root)


def _area(handler: web.RequestHandler, path: str | None) -> Area | None:
    return None if path is None else area_of(_root(handler), path)


def _body(handler: web.RequestHandler) -> dict[str, Any]:
    try:
        body = json.loads(handler.request.body or b"{}")
    except ValueError:
        raise web.HTTPError(400, "The request body is not valid JSON.") from None
    return body if isinstance(body, dict) else {}


def _url_path(handler: web.RequestHandler) -> str | None:
    path = handler.path_kwargs.get("path")
    if isinstance(path, str):
        return path
    args = [a for a in handler.path_args if isinstance(a, str)]
    return args[-1] if args else None


def personal_workspace(identity: Identity, username: str) -> str:
    """The JupyterLab workspace (layout) name of one person: nobody rewrites another's."""
    safe = "".join(ch if ch.isalnum() or ch in "-_" else "-" for ch in username)
    return f"vx-{safe}"[:80]


async def _contents(handler: web.RequestHandler, access: str) -> Target:
    path = _url_path(handler)
    targets: Target = [(access, _area(handler, path))]
    method = handler.request.method
    if method in ("POST", "PATCH") and handler.request.body:
        body = _body(handler)
        if "copy_from" in body:
            source = body["copy_from"]
            targets.append((READ, _area(handler, source if isinstance(source, str) else None)))
        if method == "PATCH" and "path" in body:
            dest = body["path"]
            targets.append((WRITE, _area(handler, dest if isinstance(dest, str) else None)))
    return targets


async def _path(handler: web.RequestHandler, access: str) -> Target:
    return [(access, _area(handler, _url_path(handler)))]


async def _body_path(handler: web.RequestHandler, access: str) -> Target:
    path = _body(handler).get("path")
    return [(access, _area(handler, path if isinstance(path, str) else None))]


def kernel_area(handler: web.RequestHandler, kernel_id: Any) -> Area | None:
    """The area a kernel belongs to (recorded when it started), or None if unknown."""
    areas = getattr(handler.settings.get("kernel_manager"), "vxkit_areas", {})
    return areas.get(kernel_id) if isinstance(kernel_id, str) else None


async def _kernel(handler: web.RequestHandler, access: str) -> Target:
    return [(access, kernel_area(handler, handler.path_kwargs.get("kernel_id")))]


def _session_body(handler: web.RequestHandler, access: str, body: dict[str, Any]) -> Target:
    targets: Target = []
    if "path" in body:
        path = body["path"]
        targets.append((access, _area(handler, path if isinstance(path, str) else None)))
    kernel = body.get("kernel")
    if isinstance(kernel, dict) and kernel.get("id") is not None:
        targets.append((access, kernel_area(handler, kernel.get("id"))))
    return targets


async def _session_new(handler: web.RequestHandler, access: str) -> Target:
    body = _body(handler)
    if not isinstance(body.get("path"), str):
        return [(access, None)]
    return _session_body(handler, access, body)


async def _session(handler: web.RequestHandler, access: str) -> Target:
    manager = handler.settings["session_manager"]
    session_id = handler.path_kwargs.get("session_id")
    try:
        model = await ensure_async(manager.get_session(session_id=session_id))
    except web.HTTPError:
        return [(access, None)]
    targets: Target = [(access, _area(handler, model.get("path")))]
    kernel = model.get("kernel") or {}
    targets.append((access, kernel_area(handler, kernel.get("id"))))
    return targets


async def _session_move(handler: web.RequestHandler, access: str) -> Target:
    return [*await _session(handler, access), *_session_body(handler, access, _body(handler))]


def file_id_path(handler: web.RequestHandler, file_id: str) -> str | None:
    """The API path of a file id (None if the id is unknown)."""
    manager = handler.settings.get("file_id_manager")
    path = manager.get_path(file_id) if manager is not None else None
    if not isinstance(path, str):
        return None
    root = _root(handler).rstrip("/")
    if path.startswith(root + "/"):
        path = path[len(root) :]
    elif path.startswith("/"):
        return None
    return path


def room_file(handler: web.RequestHandler) -> tuple[bool, str | None]:
    """Whether a room websocket is for a document, and that document's API path, decoded
    exactly as jupyter-collaboration decodes the room id (from the raw, still encoded URL)."""
    room_id = room_id_from_encoded_path(handler.request.path)
    if room_id.count(":") < 2:
        return False, ""
    try:
        _format, _type, file_id = decode_file_path(room_id)
    except ValueError:
        return True, None
    return True, file_id_path(handler, file_id)


async def _room(handler: web.RequestHandler, access: str) -> Target:
    is_document, path = room_file(handler)
    if not is_document:
        return []  # the global awareness room: who is online, no document
    return [(access, _area(handler, path))]


async def _query_path(handler: web.RequestHandler, access: str) -> Target:
    path = handler.get_argument("path", None)
    if path is None or path.startswith("/"):
        return [(access, None)]  # the file id service takes absolute paths: never for pupils
    return [(access, _area(handler, path))]


async def _query_file_id(handler: web.RequestHandler, access: str) -> Target:
    file_id = handler.get_argument("id", None)
    return [(access, _area(handler, file_id_path(handler, file_id) if file_id else None))]


async def _chat(handler: web.RequestHandler, access: str) -> Target:
    key = handler.path_kwargs.get("chat")
    try:
        path = chat_path(key) if isinstance(key, str) else None
    except ValueError:
        path = None
    return [(access, _area(handler, path))]


async def _own_workspace(handler: web.RequestHandler, access: str) -> Target:
    identity = identity_of(handler.current_user)
    name = handler.path_kwargs.get("space_name")
    own = identity is not None and name == personal_workspace(
        identity, handler.current_user.username
    )
    return [] if own else [(access, None)]


#: how a rule's ``target`` finds what a request touches: a list of (access, area)
TARGETS: dict[str, Callable[[web.RequestHandler, str], Awaitable[Target]]] = {
    "contents": _contents,
    "path": _path,
    "body_path": _body_path,
    "kernel": _kernel,
    "session_body": _session_new,
    "session": _session,
    "session_move": _session_move,
    "room": _room,
    "query_path": _query_path,
    "query_file_id": _query_file_id,
    "own_workspace": _own_workspace,
    "chat": _chat,
}


def _own_kernels(handler: web.RequestHandler, models: Any) -> Any:
    identity = identity_of(handler.current_user)
    return [
        m
        for m in models
        if isinstance(m, dict)
        and may(identity, EXECUTE, kernel_area(handler, m.get("id")) or _NONE)
    ]


def _own_sessions(handler: web.RequestHandler, models: Any) -> Any:
    identity = identity_of(handler.current_user)
    keep = []
    for m in models:
        if not isinstance(m, dict):
            continue
        kernel = (m.get("kernel") or {}).get("id")
        path_area = _area(handler, m.get("path")) or _NONE
        kernel_ok = may(identity, EXECUTE, kernel_area(handler, kernel) or _NONE)
        if may(identity, EXECUTE, path_area) and kernel_ok:
            keep.append(m)
    return keep


_NONE = Area("outside")


def _class_language(handler: web.RequestHandler, data: Any) -> Any:
    from .language import locale_for, with_class_language

    try:
        exchange = handler.settings["vxkit_workspace"].load()
    except Exception:  # a broken exchange.toml: the settings as they are
        return data
    return with_class_language(data, locale_for(identity_of(handler.current_user), exchange))


#: response filters a rule may name: they get the decoded JSON answer and return it filtered
VIEWS: dict[str, Callable[[web.RequestHandler, Any], Any]] = {
    "own_kernels": _own_kernels,
    "own_sessions": _own_sessions,
    "class_language": _class_language,
}


def _method(handler: web.RequestHandler) -> str:
    upgrade = handler.request.headers.get("Upgrade", "").lower() == "websocket"
    if upgrade and isinstance(handler, WebSocketHandler):
        return WS
    return handler.request.method or "GET"


def _refuse(handler: web.RequestHandler, signed_in: bool, why: str) -> None:
    page = not isinstance(handler, APIHandler) and _method(handler) != WS
    if not signed_in and page and handler.request.method in ("GET", "HEAD"):
        url = handler.get_login_url()
        if "?" not in url:  # as tornado does: a login URL with a query (the hub's) keeps it
            url += "?next=" + quote(handler.request.uri or "/")
        handler.redirect(url)
        return
    raise web.HTTPError(403, why)


async def check(handler: web.RequestHandler, original: type) -> None:
    """Let the request through, or refuse it (403 with a sentence, or the sign-in page)."""
    method = _method(handler)
    rule = rule_for(original, method)
    if rule is not None and rule.need == PUBLIC:
        return
    if not hasattr(handler, "_jupyter_current_user"):  # not a Jupyter handler, or checked first
        provider = handler.settings["identity_provider"]
        handler.current_user = await ensure_async(provider.get_user(handler))
    identity = identity_of(handler.current_user)
    if identity is None:
        refusal = getattr(handler, "_vxkit_refusal", None)
        if refusal:  # signed in elsewhere (the hub) as someone this exchange doesn't know
            raise web.HTTPError(403, refusal)
        _refuse(handler, False, "Sign in first: open your class's join link again.")
        return
    if identity.is_teacher:
        return
    if rule is None or rule.need == TEACHERS:
        _refuse(handler, True, "This is for teachers only.")
        return
    if rule.need != SIGNED_IN:
        targets = await TARGETS[rule.target](handler, rule.need)
        for access, area in targets:
            if area is None or not may(identity, access, area):
                _log_refusal(handler, identity, access, area)
                _refuse(handler, True, _sentence(access))
                return
    if rule.view:
        handler._vxkit_view = rule.view  # type:ignore[attr-defined]


def _sentence(access: str) -> str:
    return {
        READ: "You can't open this: it belongs to another team or to the teachers.",
        WRITE: "You can't change this: it belongs to another team or to the teachers.",
        EXECUTE: "You can't run code here: this notebook belongs to another team.",
        SAY: "You can't write in this chat: it belongs to another team or class.",
    }.get(access, "This is for teachers only.")


def _log_refusal(
    handler: web.RequestHandler, identity: Identity, access: str, area: Area | None
) -> None:
    handler.log.info(
        "vxkit: %s %s (%s) may not %s %s (%s)",
        identity.role,
        identity.student_id or identity.name,
        identity.class_id,
        access,
        handler.request.path,
        area.kind if area else "unknown",
    )


#: handlers whose own prepare() does work for whoever asks (the collaboration room handler
#: makes the room and its file loader for any id): the policy is asked before it
CHECK_FIRST = frozenset({"YDocWebSocketHandler"})


def _checks_first(original: type) -> bool:
    return any(cls.__name__ in CHECK_FIRST for cls in original.__mro__)


class _GateMixin:
    """What every gated handler adds: the policy check after sign-in, filtered answers."""

    _vxkit_original: type

    async def prepare(self, *args: Any, **kwargs: Any) -> None:
        first = _checks_first(self._vxkit_original)
        if first:
            await check(self, self._vxkit_original)  # type:ignore[arg-type]
            if self._finished:  # type:ignore[attr-defined]
                return
        result = super().prepare(*args, **kwargs)  # type:ignore[misc]
        if inspect.isawaitable(result):
            await result
        if self._finished or first:  # type:ignore[attr-defined]
            return
        await check(self, self._vxkit_original)  # type:ignore[arg-type]

    def finish(self, chunk: Any = None) -> Any:
        view = getattr(self, "_vxkit_view", None)
        if view and chunk is not None and self.get_status() == 200:  # type:ignore[attr-defined]
            data = json.loads(chunk)
            chunk = json.dumps(VIEWS[view](self, data))  # type:ignore[arg-type]
        return super().finish(chunk)  # type:ignore[misc]


class _PageMixin:
    """Templates of gated Jupyter pages never see the server's token."""

    @property
    def template_namespace(self) -> dict[str, Any]:
        namespace = dict(super().template_namespace)  # type:ignore[misc]
        namespace["token"] = ""
        return namespace


class _LabMixin:
    """JupyterLab's page: no token, and each person's own workspace (layout)."""

    def get_page_config(self) -> dict[str, Any]:
        config = dict(super().get_page_config())  # type:ignore[misc]
        config["token"] = ""
        return config

    def render_template(self, name: str, **ns: Any) -> str:
        page_config = ns.get("page_config")
        user = self.current_user  # type:ignore[attr-defined]
        identity = identity_of(user)
        if isinstance(page_config, dict) and identity is not None:
            page_config = dict(page_config, token="")
            if page_config.get("workspace") in (None, "default"):
                page_config["workspace"] = personal_workspace(identity, user.username)
            ns["page_config"] = page_config
        return super().render_template(name, **ns)  # type:ignore[misc]


_GATED: dict[type, type] = {}


def gated(target: type) -> type:
    """The gated subclass of a handler class (made once per class)."""
    if getattr(target, "_vxkit_original", None) is not None:
        return target
    if target not in _GATED:
        bases: list[type] = [_GateMixin]
        if issubclass(target, JupyterHandler):
            bases.append(_PageMixin)
        if hasattr(target, "get_page_config"):
            bases.insert(1, _LabMixin)
        _GATED[target] = type(
            target.__name__,
            (*bases, target),
            {"_vxkit_original": target, "__module__": target.__module__},
        )
    return _GATED[target]


def _walk(router: Any, swap: dict[type, type]) -> int:
    count = 0
    for rule in getattr(router, "rules", []):
        target = rule.target
        if hasattr(target, "rules"):
            count += _walk(target, swap)
        elif isinstance(target, type) and issubclass(target, web.RequestHandler):
            target = swap.get(target, target)
            rule.target = gated(target)
            count += 1
    return count


def install(web_app: web.Application, swap: dict[type, type]) -> int:
    """Gate every route of ``web_app`` now and every route added later; ``swap`` replaces
    some upstream handlers by vxkit's own first (the collaboration room). Returns how many
    routes are gated now."""
    count = _walk(web_app.default_router, swap) + _walk(web_app.wildcard_router, swap)
    if not getattr(web_app, "_vxkit_gated", False):
        add = web_app.add_handlers

        def add_gated(host_pattern: str, host_handlers: Any) -> None:
            add(host_pattern, host_handlers)
            _walk(web_app.default_router, swap)
            _walk(web_app.wildcard_router, swap)

        web_app.add_handlers = add_gated  # type:ignore[method-assign]
        web_app._vxkit_gated = True  # type:ignore[attr-defined]
    default = web_app.settings.get("default_handler_class")
    if isinstance(default, type):
        web_app.settings["default_handler_class"] = gated(default)
    page_config = web_app.settings.get("page_config_data")
    if isinstance(page_config, dict):
        page_config["token"] = ""
    return count


def census(web_app: web.Application) -> list[tuple[str, str]]:
    """Every routed handler (by its original class) with the methods it defines: what the
    census test compares with the committed list."""
    seen: set[tuple[str, str]] = set()

    def walk(router: Any) -> None:
        for rule in getattr(router, "rules", []):
            target = rule.target
            if hasattr(target, "rules"):
                walk(target)
            elif isinstance(target, type):
                original = getattr(target, "_vxkit_original", target)
                name = f"{original.__module__}:{original.__qualname__}"
                methods = sorted(
                    m.upper()
                    for m in ("get", "head", "post", "put", "patch", "delete", "open")
                    if any(
                        m in k.__dict__ for k in original.__mro__ if k.__module__ != "tornado.web"
                    )
                )
                seen.add((name, ",".join(methods)))

    walk(web_app.default_router)
    walk(web_app.wildcard_router)
    return sorted(seen)
