"""The ``vxkit`` command: one thin function per subcommand.

Every failure a person can fix is a ``VxkitError`` and is printed as a sentence with exit
status 1; usage mistakes exit with status 2, as argparse does.
"""

from __future__ import annotations

import argparse
import os
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

from . import __version__
from .errors import VxkitError

Handler = Callable[[argparse.Namespace], int]
_COMMANDS: list[tuple[str, str, Callable[[argparse.ArgumentParser], None], Handler]] = []


def command(
    name: str, help: str, arguments: Callable[[argparse.ArgumentParser], None] | None = None
):
    """Register ``vxkit NAME``: ``arguments`` adds its options, the function runs it."""

    def register(func: Handler) -> Handler:
        _COMMANDS.append((name, help, arguments or (lambda parser: None), func))
        return func

    return register


def _dir_argument(parser: argparse.ArgumentParser, default: str = ".") -> None:
    parser.add_argument(
        "dir",
        nargs="?",
        default=default,
        metavar="DIR",
        help=f"the exchange workspace folder (default: {default})",
    )


def _server_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--port", type=int, default=8888, help="port to serve on (default: 8888)")
    parser.add_argument(
        "--ip",
        default="127.0.0.1",
        help="address to listen on; 0.0.0.0 lets other computers join (default: 127.0.0.1)",
    )
    parser.add_argument("--no-browser", action="store_true", help="don't open a browser window")
    parser.add_argument(
        "--unsafe-kernels",
        action="store_true",
        help="where this computer can't sandbox kernels, let students run code anyway (their "
        "code can then read everything on this server, solutions included)",
    )


def _lab_arguments(parser: argparse.ArgumentParser) -> None:
    _dir_argument(parser)
    _server_arguments(parser)


def _demo_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--dir",
        default="vxkit-demo",
        help="where to keep the demo workspace (default: ./vxkit-demo); reused if it exists",
    )
    _server_arguments(parser)


@command("new", "create an exchange workspace with an example exchange.toml", _dir_argument)
def cmd_new(args: argparse.Namespace) -> int:
    from .workspace import scaffold, template_text

    root = Path(args.dir)
    if (root / "exchange.toml").exists():
        raise VxkitError(
            f"{root} already holds an exchange. Edit {root / 'exchange.toml'} and run `vxkit check`."
        )
    ws, created = scaffold(root, template_text("exchange.toml"))
    print(f"Created the exchange workspace {ws.root} ({len(created)} files and folders).")
    print(
        f"Next: edit {ws.exchange_file}, then run `vxkit check {args.dir}` and `vxkit lab {args.dir}`."
    )
    return 0


@command("check", "validate the exchange and the curriculum it uses", _dir_argument)
def cmd_check(args: argparse.Namespace) -> int:
    from .checks import check_workspace

    summary, problems, notes = check_workspace(Path(args.dir))
    for note in notes:
        print(note)
    if problems:
        noun = "problem" if len(problems) == 1 else "problems"
        print(f"{len(problems)} {noun} found:", file=sys.stderr)
        for problem in problems:
            print(f"  - {problem}", file=sys.stderr)
        return 1
    print(f"OK: {summary}")
    return 0


@command("lab", "serve the workspace in JupyterLab with real-time collaboration", _lab_arguments)
def cmd_lab(args: argparse.Namespace) -> int:
    from .workspace import Workspace

    ws = Workspace(Path(args.dir).resolve())
    # ws.load() refuses an exchange with problems (the message lists them all); the server
    # installs units and teams added since the last start (VxkitApp.initialize_settings)
    ws.load()
    return serve(ws, args.port, args.ip, not args.no_browser, args.unsafe_kernels)


@command("demo", "create (or reuse) the demo exchange and serve it", _demo_arguments)
def cmd_demo(args: argparse.Namespace) -> int:
    from .workspace import scaffold, template_text

    ws, created = scaffold(Path(args.dir), template_text("demo_exchange.toml"))
    state = "Created" if created else "Reusing"
    print(f"{state} the demo exchange in {ws.root}.", flush=True)
    return serve(ws, args.port, args.ip, not args.no_browser, args.unsafe_kernels)


def _portfolio_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("team", metavar="TEAM", help="the team's id in exchange.toml")
    parser.add_argument("--dir", default=".", help="the exchange workspace (default: here)")
    parser.add_argument(
        "--out", default=None, help="where to write the site (default: DIR/portfolios/TEAM)"
    )


@command("portfolio", "publish a team's notebooks as a static web site", _portfolio_arguments)
def cmd_portfolio(args: argparse.Namespace) -> int:
    from .portfolio import build_portfolio
    from .workspace import find_workspace

    site = build_portfolio(find_workspace(args.dir), args.team, args.out and Path(args.out))
    print(
        f"Wrote {len(site.pages) + 1} pages; open {site.index} in a browser, or publish the folder."
    )
    return 0


def _binder_link_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "unit", metavar="UNIT", help="the curriculum unit to open, e.g. meet_partners"
    )
    parser.add_argument(
        "--repo", default=None, help="the GitHub repository Binder builds, as OWNER/NAME"
    )
    parser.add_argument("--ref", default="main", help="branch, tag or commit (default: main)")
    parser.add_argument("--team", default=None, help="whose team notebook (default: first team)")


@command("binder-link", "print a Binder link that opens a unit", _binder_link_arguments)
def cmd_binder_link(args: argparse.Namespace) -> int:
    from .binder import binder_link

    print(binder_link(args.unit, args.repo, args.ref, args.team))
    return 0


def _hub_config_arguments(parser: argparse.ArgumentParser) -> None:
    _dir_argument(parser)
    parser.add_argument(
        "--out", default=None, help="the jupyterhub_config.py to write (default: DIR/...)"
    )
    parser.add_argument(
        "--gradebook-url",
        help="nbgrader's gradebook database; {course} becomes the exchange id "
        "(default: a SQLite file in the exchange's workspace)",
    )
    parser.add_argument("--image", help="single-user image for Kubernetes, as NAME:TAG")
    parser.add_argument(
        "--resource",
        action="append",
        default=[],
        metavar="NAME=VALUE",
        help="the exchange server's pod on Kubernetes: storage, cpu_guarantee, cpu_limit, "
        "mem_guarantee or mem_limit (default: storage=5Gi, cpu 0.5 to 2, memory 2G to 4G)",
    )


@command(
    "hub-config", "write a JupyterHub config and Helm values for a school", _hub_config_arguments
)
def cmd_hub_config(args: argparse.Namespace) -> int:
    from .hub import parse_resources, write_hub_config
    from .workspace import Workspace

    given = {"gradebook_url": args.gradebook_url, "image": args.image}
    options = {key: value for key, value in given.items() if value is not None}
    options["resources"] = parse_resources(args.resource)
    files = write_hub_config(Workspace(Path(args.dir).resolve()), args.out, **options)
    print(f"Wrote {files.config} (JupyterHub) and {files.values} (Zero to JupyterHub values).")
    return 0


def _url_argument(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--url",
        default="http://127.0.0.1:8888/",
        help="the address students open, as the server is reached (default: http://127.0.0.1:8888/)",
    )


def _links_arguments(parser: argparse.ArgumentParser) -> None:
    _dir_argument(parser)
    _url_argument(parser)
    parser.add_argument(
        "--revoke",
        metavar="CLASS",
        help="issue a new code for this class (or 'teacher', 'visitor'); the old link stops working",
    )


@command("links", "print the join links of each class, visitors and teachers", _links_arguments)
def cmd_links(args: argparse.Namespace) -> int:
    from .server.links import format_links, revoke
    from .workspace import find_workspace

    ws = find_workspace(args.dir)
    if args.revoke:
        revoke(ws, args.revoke)
        print(f"Issued a new code for {args.revoke}: the old link no longer works.\n")
    print(format_links(ws, args.url))
    return 0


def _cards_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("class_id", metavar="CLASS", help="the class id (as in exchange.toml)")
    _dir_argument(parser)
    _url_argument(parser)
    parser.add_argument(
        "--out", metavar="FILE", help="where to write the page (default: cards-CLASS.html here)"
    )
    parser.add_argument(
        "--replace",
        metavar="STUDENT",
        help="issue a new personal code for this student id (a lost card); the old one stops working",
    )


@command(
    "cards",
    "print a page of sign-in cards (personal code and QR code) for a class",
    _cards_arguments,
)
def cmd_cards(args: argparse.Namespace) -> int:
    from .server.cards import write_cards
    from .server.links import revoke_card
    from .workspace import find_workspace

    ws = find_workspace(args.dir)
    if args.replace:
        revoke_card(ws, args.replace)
        print(f"Issued a new personal code for {args.replace}: the old card no longer works.")
    out = Path(args.out or f"cards-{args.class_id}.html")
    try:
        write_cards(ws, args.class_id, args.url, out)
    except ValueError as err:
        print(f"vxkit cards: {err}", file=sys.stderr)
        return 1
    print(f"Wrote the sign-in cards of {args.class_id} to {out}: print it, cut the cards out and")
    print("give each student theirs. Keep the page private; it signs students in.")
    return 0


def _contributions_arguments(parser: argparse.ArgumentParser) -> None:
    _dir_argument(parser)
    parser.add_argument("--csv", metavar="FILE", help="also write one row per person to FILE")


@command(
    "contributions",
    "report who edited which notebooks, per team, class and student",
    _contributions_arguments,
)
def cmd_contributions(args: argparse.Namespace) -> int:
    from .files import atomic_write
    from .server.contributions import report_csv, report_text, workspace_report
    from .workspace import find_workspace

    rep = workspace_report(find_workspace(args.dir))
    print(report_text(rep))
    if args.csv:
        atomic_write(args.csv, report_csv(rep))
        print(f"Wrote {len(rep['students'])} rows to {args.csv}.")
    return 0


def _certificates_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("class_id", metavar="CLASS", help="the class id in exchange.toml")
    parser.add_argument(
        "--out", metavar="FILE", help="where to write the page (default: certificates-CLASS.html)"
    )
    _dir_argument(parser)


@command(
    "certificates",
    "print a certificate of participation for each student of a class (one A4 page each)",
    _certificates_arguments,
)
def cmd_certificates(args: argparse.Namespace) -> int:
    from .certificates import write_certificates
    from .workspace import find_workspace

    out = write_certificates(find_workspace(args.dir), args.class_id, args.out)
    print(f"Wrote the certificates of {args.class_id} to {out}: open it and print it.")
    return 0


def _unit_arguments(parser: argparse.ArgumentParser) -> None:
    actions = parser.add_subparsers(dest="unit_command", metavar="ACTION", required=True)
    new = actions.add_parser(
        "new",
        help="scaffold a unit of your own in the workspace's units/ folder",
        description="Scaffold a unit of your own in the workspace's units/ folder: graded "
        "notebooks (nbgrader), a team notebook, unit.toml and a teacher guide per language, "
        "to edit in JupyterLab.",
    )
    new.add_argument("id", metavar="ID", help="the unit id: lowercase letters, digits, _")
    new.add_argument(
        "--langs",
        default="en",
        help='the unit\'s languages, comma-separated, "en" included (default: en)',
    )
    new.add_argument("--title", help="the unit's title (default: a placeholder to edit)")
    new.add_argument("--dir", default=".", help="the exchange workspace (default: here)")


@command("unit", "make a curriculum unit of your own (vxkit unit new ID)", _unit_arguments)
def cmd_unit(args: argparse.Namespace) -> int:
    from .units import new_unit
    from .workspace import find_workspace

    ws = find_workspace(args.dir)
    folder = new_unit(ws, args.id, args.langs, args.title)
    names = sorted(p.name for p in folder.iterdir())
    print(f'Created the unit "{args.id}" in {folder}: {", ".join(names)}.')
    print(
        f'Next: edit its notebooks in JupyterLab, run `vxkit check`, add "{args.id}" to units '
        f"in exchange.toml, then `vxkit assign {args.id} --due 'YYYY-MM-DD HH:MM'`."
    )
    return 0


from .grading import commands as _grading  # noqa: E402 - next to the grading subcommands


@command("assign", "release a unit to every class (local deadlines)", _grading.assign_arguments)
def cmd_assign(args: argparse.Namespace) -> int:
    return _grading.run_assign(args)


@command("collect", "collect the submissions of a unit", _grading.unit_arguments)
def cmd_collect(args: argparse.Namespace) -> int:
    return _grading.run_collect(args)


@command("grade", "autograde every submission of a unit, in parallel", _grading.grade_arguments)
def cmd_grade(args: argparse.Namespace) -> int:
    return _grading.run_grade(args)


@command("feedback", "generate and return feedback on a unit", _grading.unit_arguments)
def cmd_feedback(args: argparse.Namespace) -> int:
    return _grading.run_feedback(args)


@command("grades", "show grades by class or student (or write a CSV)", _grading.grades_arguments)
def cmd_grades(args: argparse.Namespace) -> int:
    return _grading.run_grades(args)


@command("peer-review", "hand out or return peer reviews", _grading.peer_review_arguments)
def cmd_peer_review(args: argparse.Namespace) -> int:
    return _grading.run_peer_review(args)


def lab_argv(
    ws: Any, port: int, ip: str, open_browser: bool, unsafe_kernels: bool = False
) -> list[str]:
    """Command-line options for JupyterLab serving workspace ``ws``."""
    return [
        *classroom_argv(ws, unsafe_kernels),
        f"--ServerApp.port={port}",
        f"--ServerApp.ip={ip}",
        f"--ServerApp.open_browser={open_browser}",
        "--VxkitApp.announce=True",
        "--VxkitApp.stop_on_sigint=True",
    ]


def classroom_argv(ws: Any, unsafe_kernels: bool = False) -> list[str]:
    """Server options every exchange server runs with (`vxkit lab`, the hub's exchange
    server): rooted at the workspace, collaboration stores inside it, nothing fetched."""
    argv = [
        f"--VxkitApp.unsafe_kernels={unsafe_kernels}",
        f"--ServerApp.root_dir={ws.root}",
        # schools are often offline or filtered: never reach out for news or updates
        "--LabApp.news_url=None",
        "--LabApp.check_for_updates_class=jupyterlab.handlers.announcements.NeverCheckForUpdate",
    ]
    for section, values in ws.collaboration_settings().items():
        argv += [f"--{section}.{key}={value}" for key, value in values.items()]
    if hasattr(os, "geteuid") and os.geteuid() == 0:
        argv.append("--allow-root")  # containers and CI run as root
    return argv


def serve(ws: Any, port: int, ip: str, open_browser: bool, unsafe_kernels: bool = False) -> int:
    """Run JupyterLab in this process until it is stopped."""
    from jupyterlab.labapp import LabApp

    ws.state_dir.mkdir(parents=True, exist_ok=True)
    # The ystore and other relative defaults would land in the working directory.
    os.chdir(ws.root)
    LabApp.launch_instance(argv=lab_argv(ws, port, ip, open_browser, unsafe_kernels))
    return 0


def build_parser() -> argparse.ArgumentParser:
    """The argument parser with every registered subcommand."""
    parser = argparse.ArgumentParser(
        prog="vxkit",
        description="vxkit: partner classes in different countries do data projects together "
        "in JupyterLab.",
    )
    parser.add_argument("--version", action="version", version=f"vxkit {__version__}")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")
    for name, help_text, arguments, func in _COMMANDS:
        child = sub.add_parser(
            name, help=help_text, description=help_text[:1].upper() + help_text[1:] + "."
        )
        arguments(child)
        child.set_defaults(func=func)
    return parser


def main(argv: list[str] | None = None) -> int:
    """Entry point of the ``vxkit`` console script."""
    parser = build_parser()
    args = parser.parse_args(argv)
    if not getattr(args, "func", None):
        parser.print_help()
        return 2
    try:
        return args.func(args)
    except VxkitError as err:
        print(f"vxkit: {err}", file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        print("vxkit: stopped.", file=sys.stderr)
        return 130


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
