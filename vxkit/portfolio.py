"""A team's portfolio: its notebooks as a static web site that works offline.

``build_portfolio`` renders every notebook in ``projects/<team>/`` with the nbconvert template
``vxkit_portfolio`` (a page per unit) and writes an index page listing the units and the team's
contributors by first name and class. Nothing else personal leaves the workspace: names of
students outside the team and teachers' names are replaced wherever they appear, student HTML
is cleaned, and maps are rebuilt as sandboxed, self-contained iframes (their Leaflet, jQuery and
D3 come from installed packages, so the pages need no network at all).
"""

from __future__ import annotations

import base64
import html
import json
import re
import sys
import time
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date
from functools import cache
from pathlib import Path
from typing import Any

from .errors import VxkitError
from .exchange import Exchange, Team, tomllib
from .files import atomic_write
from .workspace import Workspace, curriculum_dir

TEMPLATE_NAME = "vxkit_portfolio"
REDACTED = "[name]"
GENERATOR_MARK = 'content="vxkit portfolio"'  # of <meta name="generator">, in every page
SAFE_OUTPUT_TYPES = (
    "text/plain",
    "text/html",
    "text/markdown",
    "text/latex",
    "image/png",
    "image/jpeg",
)

_IFRAME_SRCDOC = re.compile(r"<iframe\b[^>]*?\bsrcdoc=\"([^\"]*)\"", re.IGNORECASE | re.DOTALL)
_IFRAME_DATA = re.compile(
    r"<iframe\b[^>]*?\bsrc=\"data:text/html;(?:charset=utf-8;)?base64,([A-Za-z0-9+/=]+)\"",
    re.IGNORECASE | re.DOTALL,
)
_SCRIPT_SRC = re.compile(
    r"<script\b[^>]*?\bsrc=[\"']([^\"']+)[\"'][^>]*>\s*</script>", re.IGNORECASE | re.DOTALL
)
_LINK_HREF = re.compile(r"<link\b[^>]*?\bhref=[\"']([^\"']+)[\"'][^>]*>", re.IGNORECASE | re.DOTALL)
_REMOTE = re.compile(r"^(?:[a-z][a-z0-9+.-]*:)?//", re.IGNORECASE)

_CLEAN_TAGS = frozenset(
    {
        *("a", "abbr", "b", "blockquote", "br", "caption", "code", "col", "colgroup", "dd"),
        *("del", "details", "div", "dl", "dt", "em", "figcaption", "figure", "h1", "h2"),
        *("h3", "h4", "h5", "h6", "hr", "i", "img", "ins", "kbd", "li", "mark", "ol", "p"),
        *("pre", "q", "s", "small", "span", "strong", "sub", "summary", "sup", "table"),
        *("tbody", "td", "tfoot", "th", "thead", "tr", "u", "ul"),
    }
)
_CLEAN_ATTRIBUTES = {
    "*": ["class", "id", "title", "lang", "dir"],
    "a": ["href", "title"],
    "img": ["src", "alt", "width", "height"],
    "td": ["colspan", "rowspan", "align"],
    "th": ["colspan", "rowspan", "align"],
}


def clean_html(text: str) -> str:
    """Student HTML made harmless: allowed tags stay, everything else is shown as text.

    Images must be embedded (``data:image/...``) or relative: a remote image would need the
    network and tells a third party who reads the portfolio.
    """
    import bleach

    def allowed(tag: str, name: str, value: str) -> bool:
        if name not in _CLEAN_ATTRIBUTES.get(tag, []) and name not in _CLEAN_ATTRIBUTES["*"]:
            return False
        if tag == "img" and name == "src":
            return value.startswith("data:image/") or not (_REMOTE.match(value) or ":" in value)
        if tag == "a" and name == "href":
            return not value.lower().startswith(("data:", "javascript:", "vbscript:"))
        return True

    return bleach.clean(
        str(text),
        tags=_CLEAN_TAGS,
        attributes=allowed,
        protocols={"http", "https", "mailto", "data"},
        strip_comments=True,
    )


# ---------------------------------------------------------------------------- offline maps


@cache
def _asset(package: str, name: str) -> str:
    """A file of an installed XStatic package, as text."""
    import importlib

    try:
        module = importlib.import_module(f"xstatic.pkg.{package}")
    except ImportError:
        raise VxkitError(
            f"The map library files are missing (the Python package XStatic-{package} is not "
            "installed): reinstall vxkit."
        ) from None
    return (Path(module.BASE_DIR) / name).read_text(encoding="utf-8")


def _inline_script(code: str) -> str:
    # "</script" inside inlined code would end the element early
    return "<script>" + code.replace("</script", "<\\/script") + "</script>"


@cache
def _leaflet_css() -> str:
    from .widgets.maps import _leaflet_assets  # the same inlined Leaflet as vxkit's own maps

    return "<style>" + _leaflet_assets()[0] + "</style>"


@cache
def _leaflet_js() -> str:
    from .widgets.maps import _leaflet_assets, _package_file

    def image(name: str) -> str:
        raw = _package_file(f"images/{name}").read_bytes()
        return "data:image/png;base64," + base64.b64encode(raw).decode("ascii")

    # Leaflet looks for its marker images next to leaflet.css; inlined, they must be data URIs.
    icons = json.dumps(
        {
            "iconUrl": image("marker-icon.png"),
            "iconRetinaUrl": image("marker-icon-2x.png"),
            "shadowUrl": image("marker-shadow.png"),
        }
    )
    fix = f'L.Icon.Default.imagePath = "";L.Icon.Default.mergeOptions({icons});'
    return _inline_script(_leaflet_assets()[1]) + _inline_script(fix)


def _offline_asset(url: str, kind: str) -> str | None:
    """The inline replacement for a map library loaded from ``url``, or None to leave it out."""
    name = url.rsplit("/", 1)[-1].split("?", 1)[0].lower()
    if kind == "script":
        if re.fullmatch(r"leaflet(-src)?\.js", name):
            return _leaflet_js()
        if re.fullmatch(r"jquery(-[0-9.]+)?(\.min)?\.js", name):
            return _inline_script(_asset("jquery", "jquery.min.js"))
        if re.fullmatch(r"d3(\.v3)?(\.min)?\.js", name):
            return _inline_script(_asset("d3", "d3.js"))
        return None
    if name == "leaflet.css":
        return _leaflet_css()
    return None


def offline_html(page: str) -> str:
    """An HTML page (a map) with every remote script and stylesheet inlined or left out.

    Leaflet, jQuery and D3 are inlined from installed packages; other remote files (Bootstrap,
    icon fonts, plugins loaded from a CDN) are dropped: the core map works without them.
    """

    def script(match: re.Match[str]) -> str:
        url = match.group(1)
        if not _REMOTE.match(url):
            return match.group(0)
        return _offline_asset(url, "script") or ""

    def link(match: re.Match[str]) -> str:
        url = match.group(1)
        if not _REMOTE.match(url):
            return match.group(0)
        return _offline_asset(url, "style") or ""

    return _LINK_HREF.sub(link, _SCRIPT_SRC.sub(script, page))


def map_page(output_html: str) -> str | None:
    """The page inside a map output (folium's ``<iframe srcdoc>``), or None if it is no map."""
    match = _IFRAME_SRCDOC.search(output_html)
    if match:
        return html.unescape(match.group(1))
    match = _IFRAME_DATA.search(output_html)
    if match:
        return base64.b64decode(match.group(1)).decode("utf-8", "replace")
    return None


def map_iframe(page: str) -> str:
    """A map page as a sandboxed iframe: its scripts run, but can't touch the portfolio page."""
    return (
        '<div class="vx-map"><iframe title="Map" sandbox="allow-scripts" '
        f'srcdoc="{html.escape(page, quote=True)}"></iframe></div>'
    )


# ----------------------------------------------------------------------------- redaction


class Redactor:
    """Replaces names that must not be published (other students, teachers) with a mark."""

    def __init__(self, names: Iterable[str]) -> None:
        plain = {n.strip() for n in names if len(n.strip()) >= 2}
        # maps carry their labels as JSON, where "Tomás" is written Tom\u00e1s
        escaped = {json.dumps(n)[1:-1] for n in plain}
        words = sorted(plain | escaped, key=len, reverse=True)
        self.pattern = (
            re.compile(r"(?<!\w)(?:" + "|".join(map(re.escape, words)) + r")(?!\w)", re.IGNORECASE)
            if words
            else None
        )

    def __call__(self, text: Any) -> Any:
        if self.pattern is None or not isinstance(text, str):
            return text
        return self.pattern.sub(REDACTED, text)

    @classmethod
    def for_team(cls, exchange: Exchange, team: Team) -> Redactor:
        """Everyone of the exchange who is not in ``team``: other students and every teacher."""
        own = {s.name.casefold() for s in team.students()}
        names = [s.name for s in exchange.students() if s.name.casefold() not in own]
        for cls_ in exchange.classes:
            teacher = cls_.teacher.strip()
            if teacher:
                names.append(teacher)
                parts = teacher.split()
                # the surname alone ("Laurent said..."); honorifics like "Mme" stay
                if len(parts) > 1 and parts[-1].casefold() not in own:
                    names.append(parts[-1])
        return cls(names)


def _clean_output(output: Any, redact: Redactor) -> Any | None:
    """One code-cell output, redacted and made safe; None drops it."""
    kind = output.get("output_type")
    if kind == "stream":
        output["text"] = redact(output.get("text", ""))
        return output
    if kind == "error":
        output["ename"] = redact(output.get("ename", ""))
        output["evalue"] = redact(output.get("evalue", ""))
        output["traceback"] = [redact(line) for line in output.get("traceback", [])]
        return output
    if kind not in ("display_data", "execute_result"):
        return None
    data = output.get("data", {})
    # scripts, widget views and inline SVG could run code in the page: keep what can't
    for key in list(data):
        if key not in SAFE_OUTPUT_TYPES:
            del data[key]
    for key in data:
        if key.startswith("text/"):
            data[key] = redact(data[key] if isinstance(data[key], str) else "".join(data[key]))
    if "text/html" in data:
        page = map_page(data["text/html"])
        if page is not None:
            data["text/html"] = map_iframe(offline_html(page))
        else:
            data["text/html"] = clean_html(data["text/html"])
    output["metadata"] = {}
    return output if data else None


def clean_notebook(nb: Any, redact: Redactor) -> Any:
    """The notebook as it may be published: redacted, cleaned, no metadata but the language."""
    language = nb.get("metadata", {}).get("language_info", {})
    nb["metadata"] = {"language_info": {"name": language.get("name", "python")}}
    cells = []
    for cell in nb.get("cells", []):
        if cell.get("cell_type") == "raw":
            continue  # raw cells are for conversions, not readers
        cell["source"] = redact(cell.get("source", ""))
        cell["metadata"] = {}
        if cell.get("cell_type") == "code":
            outputs = (_clean_output(o, redact) for o in cell.get("outputs", []))
            cell["outputs"] = [o for o in outputs if o is not None]
        cells.append(cell)
    nb["cells"] = cells
    return nb


# ------------------------------------------------------------------------------- the site


def template_dir() -> Path:
    """The folder holding the ``vxkit_portfolio`` nbconvert template (checkout or installed)."""
    candidates = [
        Path(__file__).resolve().parent.parent / "templates" / "nbconvert",
        Path(sys.prefix) / "share" / "jupyter" / "nbconvert" / "templates",
    ]
    for candidate in candidates:
        if (candidate / TEMPLATE_NAME / "conf.json").is_file():
            return candidate
    raise VxkitError("The portfolio template (vxkit_portfolio) is not installed: reinstall vxkit.")


@dataclass
class Page:
    """One page of the site: a unit notebook rendered to HTML."""

    file: str
    title: str
    source: Path
    html: str = ""


@dataclass
class Portfolio:
    """What ``build_portfolio`` wrote."""

    out_dir: Path
    index: Path
    pages: list[Page] = field(default_factory=list)


def read_notebook(path: Path, attempts: int = 5) -> Any:
    """Read a notebook; the server rewrites files in place, so a half-written one is retried."""
    import nbformat

    deadline = time.monotonic() + 2.0
    for attempt in range(attempts):
        try:
            return nbformat.reads(path.read_text(encoding="utf-8"), as_version=4)
        except (json.JSONDecodeError, nbformat.reader.NotJSONError, UnicodeDecodeError):
            if attempt == attempts - 1 or time.monotonic() > deadline:
                break
            time.sleep(0.1)
        except OSError as err:
            raise VxkitError(f"Cannot read the notebook {path}: {err.strerror}.") from None
    raise VxkitError(f"The notebook {path} is not a valid notebook file (broken JSON).")


def unit_title(exchange: Exchange, stem: str, nb: Any) -> str:
    """A page title: the curriculum unit's title, else the notebook's first heading."""
    unit, _, lang = stem.partition(".")
    suffix = f" ({lang})" if lang else ""
    if unit in exchange.units:
        try:
            toml_file = curriculum_dir() / unit / "unit.toml"
            if toml_file.is_file():
                title = tomllib.loads(toml_file.read_text(encoding="utf-8")).get("title")
                if isinstance(title, str) and title.strip():
                    return title.strip() + suffix
        except (VxkitError, OSError, ValueError):
            pass
    for cell in nb.cells:
        if cell.cell_type == "markdown":
            for line in cell.source.splitlines():
                if line.startswith("#"):
                    return line.lstrip("#").strip() + suffix
    return stem.replace("_", " ").capitalize()


def contributors(exchange: Exchange, team: Team) -> list[dict[str, Any]]:
    """The team's members by class: ``[{"place": "Lyon, France", "names": [...]}, ...]``."""
    out = []
    for class_id, names in team.members.items():
        cls = exchange.get_class(class_id)
        out.append({"place": f"{cls.city}, {cls.country_name()}", "names": list(names)})
    return out


def _order(exchange: Exchange, notebooks: list[Path]) -> list[Path]:
    rank = {unit: i for i, unit in enumerate(exchange.units)}

    def key(path: Path) -> tuple[int, str, bool, str]:
        unit, _, lang = path.stem.partition(".")
        return (rank.get(unit, len(rank)), unit, bool(lang), lang)

    return sorted(notebooks, key=key)


def build_portfolio(ws: Workspace, team_id: str, out_dir: Path | None = None) -> Portfolio:
    """Render team ``team_id``'s notebooks to a static site in ``out_dir``.

    Default ``out_dir``: ``<workspace>/portfolios/<team>``. Every page is rendered before the
    first file is written, and each file is written atomically, so a failure leaves the
    previous site whole.
    """
    import jinja2
    from nbconvert import HTMLExporter

    exchange = ws.load()
    team = exchange.get_team(team_id)
    folder = ws.team_dir(team.id)
    notebooks = _order(exchange, [p for p in folder.glob("*.ipynb") if p.is_file()])
    if not notebooks:
        raise VxkitError(f'Team "{team.id}" has no notebooks in {folder} yet: nothing to publish.')
    out = Path(out_dir) if out_dir is not None else ws.root / "portfolios" / team.id
    if out.exists() and not out.is_dir():
        raise VxkitError(f"The output {out} exists and is not a folder.")

    redact = Redactor.for_team(exchange, team)
    site: dict[str, Any] = {
        # "Rivers" shows as "Team Rivers"; a name that already says "team" is kept as it is
        "team": team.name if team.name.casefold().startswith("team") else f"Team {team.name}",
        "exchange": exchange.title,
        "description": redact(exchange.description),
        "contributors": contributors(exchange, team),
        "date": date.today().isoformat(),
        "pages": [],
    }
    loaded = []
    for path in notebooks:
        nb = read_notebook(path)
        page = Page(
            file=f"{path.stem}.html", title=redact(unit_title(exchange, path.stem, nb)), source=path
        )
        loaded.append((page, clean_notebook(nb, redact)))
        site["pages"].append({"file": page.file, "title": page.title})

    templates = template_dir()
    exporter = HTMLExporter(
        template_name=TEMPLATE_NAME,
        extra_template_basedirs=[str(templates)],
        embed_images=True,
        exclude_input_prompt=True,
        exclude_output_prompt=True,
    )
    exporter.register_filter("vx_clean", clean_html)
    for page, nb in loaded:
        resources = {
            "metadata": {"name": page.title, "path": str(page.source.parent)},
            "vxkit": {**site, "current": page.file},
        }
        page.html, _ = exporter.from_notebook_node(nb, resources=resources)

    env = jinja2.Environment(
        loader=jinja2.FileSystemLoader(str(templates / TEMPLATE_NAME)),
        autoescape=True,
        undefined=jinja2.StrictUndefined,
    )
    index_html = env.get_template("site_index.html.j2").render(site=site)

    out.mkdir(parents=True, exist_ok=True)
    for page, _ in loaded:
        atomic_write(out / page.file, page.html)
    atomic_write(out / "index.html", index_html)
    _remove_stale_pages(out, {"index.html", *(page.file for page, _ in loaded)})
    return Portfolio(out_dir=out, index=out / "index.html", pages=[p for p, _ in loaded])


def _remove_stale_pages(out: Path, keep: set[str]) -> None:
    """Delete pages of notebooks the team has removed: what they took out must not stay online.

    Only pages this command wrote (they carry its generator mark) are touched.
    """
    for path in out.glob("*.html"):
        if path.name in keep:
            continue
        try:
            head = path.read_text(encoding="utf-8", errors="replace")[:4096]
        except OSError:
            continue
        if GENERATOR_MARK in head:
            path.unlink()
