"""The classroom policy: what each role may reach, as one table. Anything it does not name is
teacher-only.

Two tables say it all:

- ``AREAS``: which areas of the workspace (``vxkit.areas``) a student or a visitor may read,
  write or run code in. Teachers may do everything.
- ``ENDPOINTS``: one row per request handler (by class, from every extension, so base URLs and
  mount points don't matter): which HTTP methods (``WS`` for a websocket) each row covers, and
  what they need: ``PUBLIC`` (anyone, signed in or not: login, join and static pages),
  ``SIGNED_IN`` (anyone vxkit signed in), ``TEACHERS`` (teachers only, listed for the record:
  a handler the table does not name is teachers' too), or an access (``READ``, ``WRITE``, ``EXECUTE``) on the
  target the row's ``target`` names (the paths in the URL or body, a kernel's area, a session's
  area, a collaboration room's file). A row may also name a ``view``: the answer is filtered
  for the asker (the kernels and sessions of their own area only).

The gate (``gate.py``) applies these tables to every route of the server; the authorizer
(``authorizer.py``) answers jupyter_server's own questions from them; docs/classroom.md shows
them (``python -m vxkit.server.policy`` prints the table).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from ..areas import Area
from .identity import Identity

READ, WRITE, EXECUTE = "read", "write", "execute"
#: post a message in a chat (through vxkit's endpoint, which stamps who says it)
SAY = "say"
PUBLIC, SIGNED_IN, TEACHERS = "public", "signed in", "teachers"
WS = "WS"
READS = frozenset({"GET", "HEAD"})
WRITES = frozenset({"POST", "PUT", "PATCH", "DELETE"})
ALL = READS | WRITES | {WS}


def _own_team(who: Identity, area: Area) -> bool:
    return area.kind == "team" and who.team_id is not None and area.key == who.team_id


def _own_folder(who: Identity, area: Area) -> bool:
    return area.kind == "student" and who.student_id is not None and area.key == who.student_id


def _kind(*kinds: str) -> Callable[[Identity, Area], bool]:
    def check(_who: Identity, area: Area) -> bool:
        return area.kind in kinds

    check.__doc__ = " or ".join(kinds)
    return check


def _own_chat(who: Identity, area: Area) -> bool:
    if area.kind != "chat" or area.key is None:
        return False
    own = {f"team:{who.team_id}" if who.team_id else "", f"class:{who.class_id}"}
    return area.key in own or (area.key == "agora" and "students" in area.audience)


def _chat_open_to_visitors(_who: Identity, area: Area) -> bool:
    return area.kind == "chat" and "visitors" in area.audience


_own_team.__doc__ = "own team's folder"
_own_folder.__doc__ = "own student folder"
_own_chat.__doc__ = "own team's and class's chats, the agora if teachers open it"
_chat_open_to_visitors.__doc__ = "chats, if teachers open them to visitors"

#: role -> access -> the areas it reaches (teachers reach everything)
AREAS: dict[str, dict[str, tuple[Callable[[Identity, Area], bool], ...]]] = {
    "student": {
        READ: (
            _own_team,
            _own_folder,
            _own_chat,
            _kind("shared", "release", "root", "projects_root"),
        ),
        WRITE: (_own_team, _own_folder, _kind("shared")),
        EXECUTE: (_own_team, _own_folder),
        SAY: (_own_chat,),
    },
    "visitor": {
        READ: (_kind("team", "shared", "root", "projects_root"), _chat_open_to_visitors),
    },
}


def may(who: Identity | None, access: str, area: Area) -> bool:
    """Whether ``who`` may ``access`` (read, write, execute) the ``area``."""
    if who is None:
        return False
    if who.is_teacher:
        return True
    return any(check(who, area) for check in AREAS.get(who.role, {}).get(access, ()))


@dataclass(frozen=True)
class Rule:
    """What some methods of an endpoint need."""

    methods: frozenset[str]
    need: str  # PUBLIC, SIGNED_IN, TEACHERS, READ, WRITE, EXECUTE or SAY
    target: str = ""  # what the access is checked on: see gate.TARGETS
    view: str = ""  # a response filter: see gate.VIEWS


def rules(*items: Rule) -> tuple[Rule, ...]:
    """The rules of one endpoint (a small helper to keep the table readable)."""
    return items


def _r(methods: frozenset[str] | set[str], need: str, target: str = "", view: str = "") -> Rule:
    return Rule(frozenset(methods), need, target, view)


JS = "jupyter_server."
CONTENTS = JS + "services.contents.handlers:"
KERNELS = JS + "services.kernels."
SESSIONS = JS + "services.sessions.handlers:"
YDOC = "jupyter_server_ydoc.handlers:"
LAB = "jupyterlab_server."
HUB = "jupyterhub.singleuser.extension:"

#: handler class ("module:QualName") -> its rules. Teachers may use every handler; a handler
#: or a method not listed here is for teachers only.
ENDPOINTS: dict[str, tuple[Rule, ...]] = {
    # pages anyone may open: sign-in, join links, static files, redirects and "not found"
    JS + "auth.login:LoginFormHandler": rules(_r(READS | {"POST"}, PUBLIC)),
    "vxkit.server.join:VxkitLoginHandler": rules(_r(READS | {"POST"}, PUBLIC)),
    "vxkit.server.join:JoinHandler": rules(_r(READS | {"POST"}, PUBLIC)),
    "vxkit.server.join:VerifyHandler": rules(_r(READS | {"POST"}, SIGNED_IN)),
    JS + "auth.logout:LogoutHandler": rules(_r(READS, PUBLIC)),
    # on a hub's exchange server: the hub's sign-in comes back here, and signing out
    HUB + "JupyterHubOAuthCallbackHandler": rules(_r(READS, PUBLIC)),
    HUB + "JupyterHubLogoutHandler": rules(_r(READS, PUBLIC)),
    JS + "base.handlers:FileFindHandler": rules(_r(READS, PUBLIC)),
    JS + "base.handlers:PublicStaticFileHandler": rules(_r(READS, PUBLIC)),
    JS + "base.handlers:TrailingSlashHandler": rules(_r(READS, PUBLIC)),
    JS + "base.handlers:APIVersionHandler": rules(_r(READS, PUBLIC)),
    JS + "base.handlers:Template404": rules(_r(ALL, PUBLIC)),
    JS + "base.handlers:MainHandler": rules(_r(READS, SIGNED_IN)),
    # the JupyterLab application and what it loads for everyone
    LAB + "handlers:LabHandler": rules(_r(READS, SIGNED_IN)),
    LAB + "handlers:NotFoundHandler": rules(_r(READS, SIGNED_IN)),
    LAB + "settings_handler:SettingsHandler": rules(_r(READS, SIGNED_IN, view="class_language")),
    LAB + "translations_handler:TranslationsHandler": rules(_r(READS, SIGNED_IN)),
    LAB + "themes_handler:ThemesHandler": rules(_r(READS, SIGNED_IN)),
    LAB + "listings_handler:ListingsHandler": rules(_r(READS, SIGNED_IN)),
    LAB + "licenses_handler:LicensesHandler": rules(_r(READS, SIGNED_IN)),
    LAB + "workspaces_handler:WorkspacesHandler": rules(
        _r(READS | {"PUT"}, WRITE, "own_workspace")
    ),
    JS + "services.api.handlers:APISpecHandler": rules(_r(READS, SIGNED_IN)),
    JS + "services.api.handlers:APIStatusHandler": rules(_r(READS, SIGNED_IN)),
    JS + "services.api.handlers:IdentityHandler": rules(_r(READS, SIGNED_IN)),
    JS + "services.config.handlers:ConfigHandler": rules(_r(READS, SIGNED_IN)),
    JS + "services.kernelspecs.handlers:MainKernelSpecHandler": rules(_r(READS, SIGNED_IN)),
    JS + "services.kernelspecs.handlers:KernelSpecHandler": rules(_r(READS, SIGNED_IN)),
    JS + "kernelspecs.handlers:KernelSpecResourceHandler": rules(_r(READS, SIGNED_IN)),
    JS + "services.nbconvert.handlers:NbconvertRootHandler": rules(_r(READS, SIGNED_IN)),
    # files: the paths in the URL (and a copy's source, a rename's destination in the body)
    CONTENTS + "ContentsHandler": rules(_r(READS, READ, "contents"), _r(WRITES, WRITE, "contents")),
    CONTENTS + "CheckpointsHandler": rules(_r(READS, READ, "path"), _r({"POST"}, WRITE, "path")),
    CONTENTS + "ModifyCheckpointsHandler": rules(_r({"POST", "DELETE"}, WRITE, "path")),
    CONTENTS + "NotebooksRedirectHandler": rules(_r(ALL - {WS}, SIGNED_IN)),
    JS + "base.handlers:AuthenticatedFileHandler": rules(_r(READS, READ, "path")),
    JS + "view.handlers:ViewHandler": rules(_r(READS, READ, "path")),
    JS + "nbconvert.handlers:NbconvertFileHandler": rules(_r(READS, READ, "path")),
    # kernels and sessions belong to the area of the notebook they run
    KERNELS + "handlers:MainKernelHandler": rules(
        _r(READS, SIGNED_IN, view="own_kernels"), _r({"POST"}, EXECUTE, "body_path")
    ),
    KERNELS + "handlers:KernelHandler": rules(_r(READS | {"DELETE"}, EXECUTE, "kernel")),
    KERNELS + "handlers:KernelActionHandler": rules(_r({"POST"}, EXECUTE, "kernel")),
    KERNELS + "websocket:KernelWebsocketHandler": rules(_r(READS | {WS}, EXECUTE, "kernel")),
    SESSIONS + "SessionRootHandler": rules(
        _r(READS, SIGNED_IN, view="own_sessions"), _r({"POST"}, EXECUTE, "session_body")
    ),
    SESSIONS + "SessionHandler": rules(
        _r(READS | {"DELETE"}, EXECUTE, "session"), _r({"PATCH"}, EXECUTE, "session_move")
    ),
    # real-time collaboration: a document's session and room need read access to its file;
    # the room handler itself drops updates from whoever may not write it
    YDOC + "DocSessionHandler": rules(_r({"PUT"}, READ, "path")),
    "vxkit.server.rtc:VxkitRoomHandler": rules(_r(READS | {WS}, READ, "room")),
    "jupyter_server_fileid.handler:FileIDHandler": rules(_r(READS, READ, "query_path")),
    "jupyter_server_fileid.handler:FilePathHandler": rules(_r(READS, READ, "query_file_id")),
    # vxkit's own endpoints answer each person for themselves (their own hand-ins and grades;
    # the exchange without rosters for visitors)
    "vxkit.server.handlers:ExchangeHandler": rules(_r(READS, SIGNED_IN)),
    "vxkit.server.me:MeHandler": rules(_r(READS, SIGNED_IN)),
    "vxkit.grading.handlers:AssignmentsHandler": rules(_r(READS, SIGNED_IN)),
    "vxkit.grading.handlers:AssignmentActionHandler": rules(_r({"POST"}, SIGNED_IN)),
    "vxkit.grading.handlers:GradesHandler": rules(_r(READS, SIGNED_IN)),
    "vxkit.grading.handlers:AssignmentsPageHandler": rules(_r(READS, SIGNED_IN)),
    "vxkit.server.presence:TeamPresenceHandler": rules(_r(READS, SIGNED_IN)),
    # the classroom dashboard: teachers only (their handlers ask again)
    "vxkit.server.presence:PresenceHandler": rules(_r(ALL, TEACHERS)),
    "vxkit.server.presence:ContributionsHandler": rules(_r(ALL, TEACHERS)),
    "vxkit.server.presence:LinksHandler": rules(_r(ALL, TEACHERS)),
    "vxkit.server.presence:LinkRevokeHandler": rules(_r(ALL, TEACHERS)),
    "vxkit.server.cards:CardsHandler": rules(_r(ALL, TEACHERS)),
    "vxkit.server.cards:CardReplaceHandler": rules(_r(ALL, TEACHERS)),
    "vxkit.server.jobs:JobsHandler": rules(_r(ALL, TEACHERS)),
    "vxkit.server.jobs:JobHandler": rules(_r(ALL, TEACHERS)),
    "vxkit.server.jobs:UnitsHandler": rules(_r(ALL, TEACHERS)),
    "vxkit.server.setup:SetupHandler": rules(_r(ALL, TEACHERS)),
    "vxkit.server.setup:SetupCheckHandler": rules(_r(ALL, TEACHERS)),
    # chats: read by members (and whoever teachers open a chat to); messages are posted only
    # through vxkit's endpoint, which stamps the sender. Moderation (hide, release, mute,
    # export, settings) is for teachers only (their handlers ask again).
    "vxkit.server.chat:ChatListHandler": rules(_r(READS, SIGNED_IN)),
    "vxkit.server.chat:ChatHandler": rules(_r(READS, READ, "chat"), _r({"POST"}, SAY, "chat")),
    "vxkit.server.chat:ChatSeenHandler": rules(_r({"POST"}, READ, "chat")),
    # comments on cells: read with the notebook, written by whoever may write it
    "vxkit.server.comments:CommentsHandler": rules(
        _r(READS, READ, "query_path"), _r({"POST"}, WRITE, "body_path")
    ),
    "vxkit.server.comments:ResolveHandler": rules(_r({"POST"}, WRITE, "body_path")),
    "vxkit.server.chat:ChatExportHandler": rules(_r(ALL, TEACHERS)),
    "vxkit.server.chat:ModerationHandler": rules(_r(ALL, TEACHERS)),
    "vxkit.server.chat:HideHandler": rules(_r(ALL, TEACHERS)),
    "vxkit.server.chat:HeldHandler": rules(_r(ALL, TEACHERS)),
    "vxkit.server.chat:MuteHandler": rules(_r(ALL, TEACHERS)),
}


def name_of(handler_class: type) -> str:
    """The table key of a handler class: ``module:QualName``."""
    return f"{handler_class.__module__}:{handler_class.__qualname__}"


def rule_for(handler_class: type, method: str) -> Rule | None:
    """The rule for ``method`` on exactly this handler class, or None: teachers only.

    Rows are never inherited: another extension's subclass of a listed handler may do
    something else entirely, so it is teacher-only until the table names it.
    """
    return rule_named(name_of(handler_class), method)


def rule_named(handler: str, method: str) -> Rule | None:
    """The rule for ``method`` on the handler named ``handler`` ("module:QualName")."""
    return next((r for r in ENDPOINTS.get(handler, ()) if method in r.methods), None)


#: what the front end shows or hides (``GET /vxkit/api/me``): each capability is the
#: policy's answer for one request that the tool makes
CAPABILITIES: dict[str, tuple[str, str]] = {
    "terminals": ("jupyter_server_terminals.api_handlers:TerminalRootHandler", "POST"),
    "nbgrader_ui": ("nbgrader.server_extensions.formgrader.handlers:FormgraderHandler", "GET"),
    "extension_manager": ("jupyterlab.handlers.extension_manager_handler:ExtensionHandler", "GET"),
    "dashboard": ("vxkit.server.presence:PresenceHandler", "GET"),
    "handin": ("vxkit.grading.handlers:AssignmentActionHandler", "POST"),
}


def capabilities(who: Identity | None) -> dict[str, bool]:
    """Which tools ``who`` may use, by ``CAPABILITIES``: a tool whose request the policy
    lets through without looking at a file (teachers: all of them). Hand-ins are for
    students only (the hand-in handler answers students, whatever the gate lets in)."""

    def allowed(handler: str, method: str) -> bool:
        if who is None:
            return False
        if who.is_teacher:
            return True
        rule = rule_named(handler, method)
        return rule is not None and rule.need in (PUBLIC, SIGNED_IN)

    caps = {name: allowed(*request) for name, request in CAPABILITIES.items()}
    caps["handin"] = caps["handin"] and who is not None and who.is_student
    return caps


def table_markdown() -> str:
    """The policy as Markdown, for docs/classroom.md."""
    lines = ["| access | student | visitor |", "|---|---|---|"]
    for access in (READ, WRITE, EXECUTE, SAY):
        cells = []
        for role in ("student", "visitor"):
            checks = AREAS.get(role, {}).get(access, ())
            cells.append(", ".join(c.__doc__ or c.__name__ for c in checks) or "nothing")
        lines.append(f"| {access} | {cells[0]} | {cells[1]} |")
    lines += ["", "| handler | methods | needs | on | view |", "|---|---|---|---|---|"]
    for name, row in sorted(ENDPOINTS.items()):
        for rule in row:
            methods = ", ".join(sorted(rule.methods))
            lines.append(f"| `{name}` | {methods} | {rule.need} | {rule.target} | {rule.view} |")
    lines.append("| anything else | any | teacher | | |")
    return "\n".join(lines)


START, END = "<!-- policy:start -->", "<!-- policy:end -->"


def update_docs(text: str) -> str:
    """``text`` (docs/classroom.md) with the generated policy between its markers."""
    head, rest = text.split(START, 1)
    _old, tail = rest.split(END, 1)
    return f"{head}{START}\n{table_markdown()}\n{END}{tail}"


if __name__ == "__main__":
    import sys
    from pathlib import Path

    if sys.argv[1:2] in (["--write"], ["--check"]):
        doc = Path(sys.argv[2] if len(sys.argv) > 2 else "docs/classroom.md")
        text = doc.read_text(encoding="utf-8")
        if sys.argv[1] == "--write":
            doc.write_text(update_docs(text), encoding="utf-8")
        elif update_docs(text) != text:
            sys.exit(f"{doc} is out of date: run python -m vxkit.server.policy --write")
    else:
        print(table_markdown())
