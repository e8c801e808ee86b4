"""An exchange workspace on disk: where every file of an exchange lives, and how one is made.

```
DIR/
  exchange.toml          the exchange (classes, rosters, teams, units)
  nbgrader_config.py     nbgrader course settings pointing at course/ and .vxkit/exchange
  course/source/<unit>/  nbgrader source notebooks (teachers only)
  units/<unit>/          the teacher's own curriculum units (optional; same layout as curriculum/)
  projects/<team>/       each team's co-edited notebooks
  shared/                data every class can read and add to
  .vxkit/                server state: collaboration stores, nbgrader exchange, logs
```
"""

from __future__ import annotations

import contextlib
import json
import os
import re
import shutil
import sys
from dataclasses import dataclass, field
from importlib import resources
from pathlib import Path

from .errors import VxkitError
from .exchange import EXCHANGE_FILE, Exchange, Team, _suggest, load_exchange
from .files import atomic_write

STATE_DIR = ".vxkit"
#: set in sandboxed kernels: the workspace they belong to, and their view of its exchange
WORKSPACE_ENV = "VXKIT_WORKSPACE"
VIEW_ENV = "VXKIT_EXCHANGE"
#: The teacher's own units, one folder per unit like the built-in curriculum's; they win over
#: a built-in unit of the same id.
OWN_UNITS_DIR = "units"


@dataclass(frozen=True)
class Workspace:
    """The folders and files of one exchange workspace."""

    root: Path

    @property
    def exchange_file(self) -> Path:
        return self.root / EXCHANGE_FILE

    @property
    def state_dir(self) -> Path:
        """Hidden server state: collaboration stores, the nbgrader exchange, logs."""
        return self.root / STATE_DIR

    @property
    def course_dir(self) -> Path:
        """nbgrader's course root (source, release, submitted, autograded, feedback)."""
        return self.root / "course"

    @property
    def source_dir(self) -> Path:
        """nbgrader's source folder: one ``<unit>/`` per installed unit."""
        return self.course_dir / "source"

    @property
    def own_units_dir(self) -> Path:
        """The teacher's own curriculum units, looked up before the built-in ones."""
        return self.root / OWN_UNITS_DIR

    @property
    def nbgrader_exchange(self) -> Path:
        return self.state_dir / "exchange"

    @property
    def projects_dir(self) -> Path:
        return self.root / "projects"

    @property
    def shared_dir(self) -> Path:
        return self.root / "shared"

    def team_dir(self, team_id: str) -> Path:
        return self.projects_dir / team_id

    def load(self) -> Exchange:
        """Load and check the workspace's exchange.

        In a sandboxed kernel that is the view of the exchange its area may see, which the
        sandbox wrote and names in ``$VXKIT_EXCHANGE`` (exchange.toml is out of its reach).
        """
        view = os.environ.get(VIEW_ENV)
        if view and os.environ.get(WORKSPACE_ENV) == str(self.root):
            return load_exchange(view)
        return load_exchange(self.exchange_file)

    def collaboration_settings(self) -> dict[str, dict[str, str]]:
        """Traitlets config that keeps every collaboration store inside ``.vxkit/``.

        Upstream defaults scatter them (the ystore in the server's working directory, the
        file-id database in the user's data dir), so a workspace copied or deleted would
        leave stale state behind.
        """
        state = self.state_dir
        return {
            "SQLiteYStore": {"db_path": str(state / "ystore.db")},
            "BaseFileIdManager": {"db_path": str(state / "file_id.db")},
            "YDocExtension": {"session_store_path": str(state / "collaboration_sessions.json")},
        }


def find_workspace(start: str | os.PathLike[str] | None = None) -> Workspace:
    """The workspace holding ``start`` (default: the current folder), found by walking up.

    Notebooks run with their own folder as working directory, so a team notebook in
    ``projects/<team>/`` finds its exchange this way.
    """
    here = Path(start or os.getcwd()).resolve()
    sandboxed = os.environ.get(WORKSPACE_ENV)
    if sandboxed and os.environ.get(VIEW_ENV):
        root = Path(sandboxed)
        if root == here or root in here.parents:
            return Workspace(root)
    for folder in (here, *here.parents):
        if (folder / EXCHANGE_FILE).is_file():
            return Workspace(folder)
    raise VxkitError(
        f"No {EXCHANGE_FILE} in {here} or any folder above it: this is not a vxkit workspace."
    )


def curriculum_candidates() -> list[Path]:
    """Every place the curriculum units may be, first first: ``$VXKIT_CURRICULUM``, a source
    checkout, the installed share folder (they hold solutions: kernels read none of them)."""
    env = os.environ.get("VXKIT_CURRICULUM")
    candidates = [Path(env)] if env else []
    candidates.append(Path(__file__).resolve().parent.parent / "curriculum")
    candidates.append(Path(sys.prefix) / "share" / "vxkit" / "curriculum")
    return candidates


def curriculum_dir() -> Path:
    """Where the curriculum units are: a source checkout, or the installed share folder."""
    for candidate in curriculum_candidates():
        if candidate.is_dir():
            return candidate
    raise VxkitError("The vxkit curriculum is not installed: reinstall vxkit.")


def template_text(name: str) -> str:
    """A file shipped in ``vxkit/templates``."""
    return resources.files("vxkit.templates").joinpath(name).read_text(encoding="utf-8")


def nbgrader_config_text(ws: Workspace, course_id: str) -> str:
    """The ``nbgrader_config.py`` of a workspace: course and exchange inside the workspace."""
    return template_text("nbgrader_config.py.tmpl").format(course_id=course_id)


def scaffold(root: str | os.PathLike[str], exchange_text: str) -> tuple[Workspace, list[Path]]:
    """Create (or complete) a workspace from the TOML text of an exchange.

    Files that already exist are never overwritten: running it again on a workspace in
    use adds what is missing and keeps every student's work. Returns the paths created.
    """
    ws = Workspace(Path(root).resolve())
    created: list[Path] = []
    if ws.root.exists() and not ws.root.is_dir():
        raise VxkitError(f"{ws.root} exists and is not a folder.")
    ws.root.mkdir(parents=True, exist_ok=True)
    if not ws.exchange_file.exists():
        atomic_write(ws.exchange_file, exchange_text)
        created.append(ws.exchange_file)
    exchange = ws.load()

    for folder in (ws.state_dir, ws.course_dir / "source", ws.projects_dir, ws.shared_dir):
        if not folder.exists():
            folder.mkdir(parents=True)
            created.append(folder)
    if not ws.nbgrader_exchange.exists():
        ws.nbgrader_exchange.mkdir(parents=True)
        # nbgrader's exchange must be writable by every student account on a shared server
        os.chmod(ws.nbgrader_exchange, 0o777)
        created.append(ws.nbgrader_exchange)
    config = ws.root / "nbgrader_config.py"
    if not config.exists():
        atomic_write(config, nbgrader_config_text(ws, exchange.id))
        created.append(config)

    created += sync_units(ws, exchange).created
    return ws, created


def unit_roots(ws: Workspace) -> list[Path]:
    """Where this workspace's units come from, in order: the teacher's own, then the built-in."""
    roots = [ws.own_units_dir]
    with contextlib.suppress(VxkitError):  # no built-in curriculum: own units still install
        roots.append(curriculum_dir())
    return roots


def find_unit(ws: Workspace, unit: str) -> Path | None:
    """The curriculum folder unit ``unit`` is installed from, or None if there is none."""
    if not unit or unit.startswith(".") or "/" in unit or "\\" in unit:
        return None
    return next((root / unit for root in unit_roots(ws) if (root / unit).is_dir()), None)


def available_units(ws: Workspace) -> list[str]:
    """Every unit this workspace can install (folders holding a ``unit.toml``), sorted."""
    return sorted(
        {
            p.parent.name
            for root in unit_roots(ws)
            for p in root.glob("*/unit.toml")
            if not p.parent.name.startswith(".")  # e.g. a unit `vxkit unit new` is writing
        }
    )


@dataclass
class UnitSync:
    """What ``sync_units`` did to a workspace (or, with ``dry_run``, would do)."""

    ws: Workspace
    dry_run: bool
    #: unit id -> (the folder it comes from, the files and folders created from it)
    installed: dict[str, tuple[Path, list[Path]]] = field(default_factory=dict)
    #: units listed in exchange.toml that are neither installed nor in the curriculum
    missing: list[str] = field(default_factory=list)
    #: units present in the workspace but no longer listed: kept as they are
    unlisted: list[str] = field(default_factory=list)
    available: list[str] = field(default_factory=list)
    created: list[Path] = field(default_factory=list)

    def install_lines(self) -> list[str]:
        """One sentence per unit installed (or to be installed), naming what it got."""
        verb = "The next `vxkit lab` or `vxkit assign` installs" if self.dry_run else "Installed"
        lines, projects = [], self.ws.projects_dir
        for unit, (folder, paths) in self.installed.items():
            parts = []
            if self.ws.source_dir / unit in paths:
                parts.append(f"its nbgrader source in course/source/{unit}")
            teams = sorted(
                {p.relative_to(projects).parts[0] for p in paths if p.is_relative_to(projects)}
            )
            if teams:
                parts.append(f"its team notebooks in the folders of {', '.join(teams)}")
            lines.append(f'{verb} unit "{unit}" from {folder}: {" and ".join(parts)}.')
        return lines

    def missing_lines(self) -> list[str]:
        """One sentence per listed unit that can't be installed, with a suggestion."""
        known = ", ".join(self.available) or "none"
        return [
            f'Unit "{unit}" is listed in exchange.toml but is neither installed '
            f"(course/source/{unit}) nor a unit in the workspace's {OWN_UNITS_DIR}/ folder or the "
            f"built-in curriculum{_suggest(unit, self.available)}. "
            f"Units available: {known}."
            for unit in self.missing
        ]

    def unlisted_lines(self) -> list[str]:
        """One sentence per unit in the workspace that exchange.toml no longer lists."""
        return [
            f'Unit "{unit}" is not listed in exchange.toml: its files (course/source/{unit}, '
            "team notebooks) are kept as they are; vxkit never deletes students' work."
            for unit in self.unlisted
        ]

    def lines(self) -> list[str]:
        """Every sentence of the report."""
        return self.install_lines() + self.missing_lines() + self.unlisted_lines()


def sync_units(ws: Workspace, exchange: Exchange | None = None, dry_run: bool = False) -> UnitSync:
    """Install every unit exchange.toml lists that the workspace lacks, in every team's folder.

    This is how scaffolding installs units, and every command that serves or uses the
    exchange runs it, so a unit or a team added to a running exchange gets its files.
    Nothing that exists is overwritten; a unit taken off the list is kept and reported.
    ``dry_run`` reports what would be created without writing anything.
    """
    exchange = exchange or ws.load()
    report = UnitSync(ws, dry_run, available=available_units(ws))
    for unit in exchange.units:
        folder = find_unit(ws, unit)
        if folder is None:
            if not (ws.source_dir / unit).is_dir():
                report.missing.append(unit)
            continue
        paths = _install_unit(ws, exchange, unit, folder, dry_run)
        if paths:
            report.installed[unit] = (folder, paths)
            report.created += paths
    for team in exchange.teams:
        team_dir = ws.team_dir(team.id)
        if not team_dir.exists() and not dry_run:
            team_dir.mkdir(parents=True)
            report.created.append(team_dir)
    report.unlisted = sorted(_units_present(ws, exchange) - set(exchange.units))
    return report


def _units_present(ws: Workspace, exchange: Exchange) -> set[str]:
    """Units with files in the workspace: an nbgrader source, or a team notebook."""
    folders = ws.source_dir.iterdir() if ws.source_dir.is_dir() else []
    present = {p.name for p in folders if p.is_dir() and not p.name.startswith(".")}
    for unit in available_units(ws):
        if any((ws.team_dir(t.id) / f"{unit}.ipynb").exists() for t in exchange.teams):
            present.add(unit)
    return present


def _install_unit(
    ws: Workspace, exchange: Exchange, unit: str, unit_dir: Path, dry_run: bool = False
) -> list[Path]:
    """Copy a curriculum unit: team notebooks to each team folder, the rest to nbgrader source."""
    created = install_unit_source(ws.source_dir, unit, unit_dir, dry_run)
    for team in exchange.teams:
        languages = team_languages(exchange, team)
        created += install_team_files(
            ws.team_dir(team.id), unit, unit_dir, team.name, languages, dry_run=dry_run
        )
    return created


def install_unit_source(
    source_dir: Path, unit: str, unit_dir: Path, dry_run: bool = False
) -> list[Path]:
    """Copy a unit's graded notebooks and data to ``source_dir/<unit>`` unless it exists.

    Team notebooks, the teacher guide and ``unit.toml`` stay out of nbgrader's source.
    """
    source = source_dir / unit
    if source.exists():
        return []
    if not dry_run:
        shutil.copytree(
            unit_dir,
            source,
            ignore=shutil.ignore_patterns("team*.ipynb", "*.md", "unit.toml", ".ipynb_checkpoints"),
        )
    return [source]


def install_team_files(
    folder: Path,
    unit: str,
    unit_dir: Path,
    team_name: str,
    languages: list[str] | None = None,
    dry_run: bool = False,
) -> list[Path]:
    """Put one unit's team notebook and data into a team's folder; existing files are kept.

    The unit's one ``team.ipynb`` becomes ``<unit>.ipynb``: the single notebook the mixed team
    co-edits. Its prose is written in every language of the unit, each cell one block per
    language; the team's copy keeps the blocks in ``languages`` (the team's classes'
    languages; all of them when none is given or none matches). Every unit adds its
    ``data/`` files to the team's one ``data/`` folder. ``dry_run`` lists the files it would
    create, writing none.
    """
    created: list[Path] = []
    notebook = unit_dir / "team.ipynb"
    target = folder / f"{unit}.ipynb"
    if notebook.is_file() and _free(folder, target):
        if not dry_run:
            text = personalise(notebook.read_text(encoding="utf-8"), team_name, languages)
            atomic_write(target, text)
        created.append(target)
    data = unit_dir / "data"
    for item in sorted(p for p in data.rglob("*") if p.is_file()) if data.is_dir() else []:
        target = folder / "data" / item.relative_to(data)
        if not _free(folder, target):
            continue
        if not dry_run:
            atomic_write(target, item.read_bytes())
        created.append(target)
    return created


def _free(folder: Path, target: Path) -> bool:
    """Whether ``target`` may be created: nothing is there, not even a dangling link, and no
    folder from ``folder`` down to it is a link. Students write in their team's folder, and a
    link they plant must not make the install write anywhere else."""
    if os.path.lexists(target):
        return False
    here = target.parent
    while not here.is_symlink():
        if here == folder or here == here.parent:
            return True
        here = here.parent
    return False


# How a multilingual Markdown cell marks where each language's text starts (invisible when
# rendered: an HTML comment).
LANGUAGE_MARK = "<!-- vxkit:lang {lang} -->"
_MARK = re.compile(r"^<!-- vxkit:lang ([A-Za-z]{2,3}(?:-[A-Za-z0-9]+)?) -->[ \t]*\n?", re.M)


def language_blocks(text: str) -> dict[str, str]:
    """A multilingual Markdown cell's text per language, in order ({} if it has no marks)."""
    parts = _MARK.split(text)
    return {parts[i]: parts[i + 1].strip("\n") for i in range(1, len(parts), 2)}


def join_languages(blocks: dict[str, str]) -> str:
    """The text of a multilingual Markdown cell: each language's block after its mark."""
    return "\n\n".join(f"{LANGUAGE_MARK.format(lang=k)}\n{v}" for k, v in blocks.items())


def team_languages(exchange: Exchange, team: Team) -> list[str]:
    """The languages of a team's classes, in class order, each once."""
    out: list[str] = []
    for class_id in team.members:
        for lang in exchange.get_class(class_id).languages:
            if lang not in out:
                out.append(lang)
    return out


def personalise(notebook_json: str, team_name: str, languages: list[str] | None = None) -> str:
    """A team's copy of a team notebook: its name in the metadata, the prose in its languages."""
    nb = json.loads(notebook_json)
    kept: list[str] = []
    for cell in nb.get("cells", []):
        if cell.get("cell_type") != "markdown":
            continue
        blocks = language_blocks("".join(cell.get("source", [])))
        if not blocks:
            continue
        chosen = {k: v for k, v in blocks.items() if languages and k in languages} or blocks
        kept += [k for k in chosen if k not in kept]
        cell["source"] = join_languages(chosen).splitlines(keepends=True)
    nb.setdefault("metadata", {})["vxkit"] = {
        "team": team_name,
        **({"languages": kept} if kept else {}),
    }
    return json.dumps(nb, indent=1, ensure_ascii=False) + "\n"
