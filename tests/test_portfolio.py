"""Portfolios: the demo team's notebooks, run by a real kernel, published as an offline site."""

from __future__ import annotations

import html
import json
import re
from html.parser import HTMLParser
from pathlib import Path

import nbformat
import pytest
from nbclient import NotebookClient

from vxkit.cli import main
from vxkit.errors import VxkitError
from vxkit.portfolio import Redactor, build_portfolio, clean_html, offline_html, template_dir
from vxkit.workspace import Workspace, scaffold, template_text

TEAM = "team_rivers"
# what a student of the team might type: partners' names, a teacher, markup, a remote image
MARKDOWN = (
    "Hello from Chloé! Zawadi and Mme Laurent helped; Kito too. "
    "<script>alert('md')</script> <img src=x onerror=alert(2)> "
    "![remote](https://example.org/track.png) <b>bold</b>"
)
MAP_CELL = """import folium
m = folium.Map(location=[10, 20], zoom_start=2, tiles=None)
folium.GeoJson({"type": "Feature", "properties": {}, "geometry": {"type": "Polygon",
    "coordinates": [[[-5, 42], [8, 42], [8, 51], [-5, 51], [-5, 42]]]}}).add_to(m)
folium.CircleMarker([45.76, 4.84], radius=8, popup="Lyon, with Otieno's class").add_to(m)
folium.Marker([-1.29, 36.82], popup="Nairobi").add_to(m)
m"""
HTML_CELL = """from IPython.display import HTML
HTML("<table><tr><td>Rojas</td><td>Amani</td></tr></table><script>alert('out')</script>")"""
CDN_HOSTS = ("jsdelivr", "cdnjs", "code.jquery", "bootstrapcdn", "unpkg", "googleapis")


class _Loads(HTMLParser):
    """Every URL a page would load (scripts, styles, images, frames), srcdoc frames included."""

    def __init__(self) -> None:
        super().__init__()
        self.urls: list[str] = []
        self.scripts = 0
        self.handlers: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = dict(attrs)
        self.handlers += [name for name, _ in attrs if name.startswith("on")]
        if tag == "script":
            self.scripts += 1
        for name in ("src", "href") if tag in ("script", "img", "iframe", "link") else ():
            if values.get(name):
                self.urls.append(values[name] or "")
        if tag == "iframe" and values.get("srcdoc"):
            inner = _Loads()
            inner.feed(values["srcdoc"] or "")
            self.urls += inner.urls


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> tuple[Workspace, Path]:
    """The demo workspace, team_rivers' own notebook written and run by a kernel, the portfolio.

    The curriculum's notebooks are published as they are (not run here: their own tests run
    them); the team's notebook has the student-made parts a portfolio must handle.
    """
    root = tmp_path_factory.mktemp("portfolio")
    ws, _ = scaffold(root / "demo", template_text("demo_exchange.toml"))
    path = ws.team_dir(TEAM) / "our_rivers.ipynb"
    nb = nbformat.v4.new_notebook(
        cells=[
            nbformat.v4.new_markdown_cell("# Our rivers"),
            nbformat.v4.new_markdown_cell(MARKDOWN),
            nbformat.v4.new_code_cell(
                "from vxkit.workspace import find_workspace\n\n"
                "exchange = find_workspace().load()\n"
                "for cls in exchange.classes:\n"
                "    print(f'{cls.school} in {cls.city}')"
            ),
            nbformat.v4.new_code_cell(MAP_CELL),
            nbformat.v4.new_code_cell(HTML_CELL),
            nbformat.v4.new_code_cell("print(exchange.classes[0].teacher, 'taught', 'Tomás')"),
        ]
    )
    NotebookClient(nb, timeout=120, resources={"metadata": {"path": str(path.parent)}}).execute()
    nbformat.write(nb, path)
    out = root / "site"
    build_portfolio(ws, TEAM, out)
    return ws, out


def _pages(out: Path) -> dict[str, str]:
    return {p.name: p.read_text(encoding="utf-8") for p in sorted(out.glob("*.html"))}


def test_a_page_per_unit_and_an_index(site):
    ws, out = site
    pages = _pages(out)
    notebooks = sorted(ws.team_dir(TEAM).glob("*.ipynb"))
    assert len(notebooks) >= 2  # the curriculum's unit(s) and the team's own
    assert set(pages) == {"index.html"} | {f"{p.stem}.html" for p in notebooks}
    index = pages["index.html"]
    first_unit = ws.load().units[0]
    # one shared notebook per unit, so one page: no empty second-language copy is published
    assert [p.stem for p in notebooks if p.stem.startswith(first_unit)] == [first_unit]
    assert index.index(f'href="{first_unit}.html"') < index.index('href="our_rivers.html"')
    for page in pages.values():
        assert "Team Rivers" in page
        assert "Lyon, France:</span> Chloé, Hugo, Inès" in page
        assert "Valparaíso, Chile:</span> Valentina, Benjamín, Josefa" in page
    unit = pages["our_rivers.html"]
    assert "<title>Our rivers</title>" in unit
    assert "Hello from Chloé!" in unit
    assert "Collège Jean Moulin in Lyon" in unit  # the executed cell's output is kept


def test_nothing_personal_beyond_the_team(site):
    ws, out = site
    exchange = ws.load()
    team = exchange.get_team(TEAM)
    own = {s.name for s in team.students()}
    others = [s.name for s in exchange.students() if s.name not in own]
    teachers = [c.teacher for c in exchange.classes]
    surnames = [t.split()[-1] for t in teachers]
    assert {"Zawadi", "Kito", "Tomás"} <= set(others)
    for name, page in _pages(out).items():
        text = html.unescape(html.unescape(page))  # srcdoc frames are escaped twice
        for word in [*others, *teachers, *surnames]:
            assert not re.search(rf"(?<!\w){re.escape(word)}(?!\w)", text), (name, word)
    unit = _pages(out)["our_rivers.html"]
    assert "[name] and [name] helped; [name] too" in unit
    assert "[name] taught [name]" in unit  # the printed output too


def test_no_network_and_no_student_script(site):
    _, out = site
    for name, page in _pages(out).items():
        loads = _Loads()
        loads.feed(page)
        remote = [u for u in loads.urls if re.match(r"^(https?:)?//", u)]
        assert remote == [], name
        assert not any(host in u for u in loads.urls for host in CDN_HOSTS), name
        assert loads.scripts == 0, name  # maps run only inside their sandboxed frames
        assert loads.handlers == [], name
    unit = _pages(out)["our_rivers.html"]
    assert 'sandbox="allow-scripts"' in unit
    assert "&lt;script&gt;alert('out')&lt;/script&gt;" in unit  # shown as text, not run
    assert "<td>[name]</td><td>Amani</td>" in unit
    assert "leaflet@" not in unit and "L.Icon.Default.imagePath" in html.unescape(unit)


def test_cli_writes_the_site_and_explains_mistakes(site, capsys):
    ws, _ = site
    out = ws.root / "pub"
    assert main(["portfolio", "team_forests", "--dir", str(ws.root), "--out", str(out)]) == 0
    assert "open" in capsys.readouterr().out
    assert (out / "index.html").is_file() and len(list(out.glob("*.html"))) >= 2
    assert "Zawadi" in (out / "index.html").read_text(encoding="utf-8")  # her own team

    assert main(["portfolio", "team_lakes", "--dir", str(ws.root)]) == 1
    err = capsys.readouterr().err
    assert 'There is no team "team_lakes"' in err and "team_rivers" in err
    assert "Traceback" not in err


def test_a_broken_notebook_leaves_the_old_site_whole(site):
    ws, _ = site
    out = ws.root / "atomic"
    build_portfolio(ws, "team_forests", out)
    before = {name: text for name, text in _pages(out).items()}
    broken = ws.team_dir("team_forests") / "zz_broken.ipynb"
    broken.write_text('{"cells": [', encoding="utf-8")
    try:
        with pytest.raises(VxkitError, match=r"zz_broken\.ipynb is not a valid notebook"):
            build_portfolio(ws, "team_forests", out)
    finally:
        broken.unlink()
    assert _pages(out) == before
    assert not [p for p in out.iterdir() if p.name.startswith(".")]  # no temporary files left


def test_redactor_matches_whole_names_only():
    redact = Redactor(["Ana", "Mme Laurent", "Laurent"])
    assert (
        redact("Ana, ana and Anatole met Mme Laurent.") == "[name], [name] and Anatole met [name]."
    )
    assert redact(["not text"]) == ["not text"]
    assert Redactor(["Tomás"])('{"label": "Tom\\u00e1s"}') == '{"label": "[name]"}'


def test_clean_html_keeps_tables_and_drops_code():
    cleaned = clean_html(
        '<table><tr><td onclick="x()">1</td></tr></table><img src="https://t.example/p.png">'
        '<a href="javascript:alert(1)">a</a><iframe src="x"></iframe>'
    )
    assert "<td>1</td>" in cleaned
    assert "onclick" not in cleaned and "https://t.example" not in cleaned
    assert "javascript:" not in cleaned and "<iframe" not in cleaned


def test_offline_html_inlines_leaflet_and_drops_other_cdn_files():
    page = (
        '<script src="https://cdn.jsdelivr.net/npm/leaflet@1.9.3/dist/leaflet.js"></script>'
        '<link rel="stylesheet" href="https://cdn.jsdelivr.net/npm/leaflet@1.9.3/dist/leaflet.css"/>'
        '<script src="https://cdn.jsdelivr.net/npm/bootstrap@5.2.2/dist/js/bootstrap.bundle.min.js">'
        "</script><script src='local.js'></script>"
    )
    result = offline_html(page)
    assert "http" not in result.split("<script>")[0]
    assert "bootstrap" not in result and "local.js" in result
    assert "L.Icon.Default.imagePath" in result and "data:image/png;base64," in result


def test_templates_ship_in_the_wheel_and_are_found_there(vxkit_wheel, tmp_path, monkeypatch):
    """Build the wheel from the tracked files, install its data files, find the templates."""
    import sys
    import zipfile

    from vxkit import hub, portfolio

    wheel, _seconds = vxkit_wheel
    prefix = tmp_path / "prefix"
    with zipfile.ZipFile(wheel) as archive:
        for name in archive.namelist():
            head, _, rest = name.partition(".data/data/")
            if rest and head.startswith("vxkit-"):
                (prefix / rest).parent.mkdir(parents=True, exist_ok=True)
                (prefix / rest).write_bytes(archive.read(name))
    # as installed: no checkout next to the package, the data files under sys.prefix
    monkeypatch.setattr(sys, "prefix", str(prefix))
    monkeypatch.setattr(portfolio, "__file__", str(tmp_path / "site" / "vxkit" / "portfolio.py"))
    monkeypatch.setattr(hub, "__file__", str(tmp_path / "site" / "vxkit" / "hub.py"))
    assert template_dir() == prefix / "share" / "jupyter" / "nbconvert" / "templates"
    assert (template_dir() / "vxkit_portfolio" / "index.html.j2").is_file()
    assert hub.hub_template_dir() == prefix / "share" / "vxkit" / "templates" / "jupyterhub"
    conf = json.loads((template_dir() / "vxkit_portfolio" / "conf.json").read_text())
    assert conf["base_template"] == "lab"


@pytest.mark.browser
def test_chromium_offline_shows_pages_and_maps(site, chromium_path, artifacts_dir):
    from playwright.sync_api import expect, sync_playwright

    from tests.conftest import CHROMIUM_ARGS

    _, out = site
    blocked: list[str] = []

    def offline(route):
        if route.request.url.startswith(("file:", "data:", "about:")):
            route.continue_()
        else:
            blocked.append(route.request.url)
            route.abort()

    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=chromium_path, args=CHROMIUM_ARGS)
        try:
            context = browser.new_context(viewport={"width": 1100, "height": 900})
            context.route("**/*", offline)
            page = context.new_page()
            errors: list[str] = []
            page.on("pageerror", lambda exc: errors.append(str(exc)))
            page.goto((out / "index.html").as_uri())
            expect(page.locator("h1")).to_have_text("Team Rivers")
            page.screenshot(path=str(artifacts_dir / "portfolio-index.png"), full_page=True)

            page.locator(".vx-units").get_by_role("link", name="Our rivers").click()
            expect(page).to_have_title("Our rivers")
            frame = page.frame_locator(".vx-map iframe")
            expect(frame.locator(".leaflet-container")).to_be_visible(timeout=15_000)
            expect(frame.locator("path.leaflet-interactive")).to_have_count(2)  # polygon, circle
            marker = frame.locator("img.leaflet-marker-icon")
            expect(marker).to_be_visible()
            assert marker.evaluate("img => img.complete && img.naturalWidth > 0")
            marker.click()
            expect(frame.locator(".leaflet-popup-content")).to_have_text("Nairobi")
            page.locator(".vx-map").scroll_into_view_if_needed()
            page.screenshot(path=str(artifacts_dir / "portfolio-unit.png"), full_page=True)
            assert errors == []
        finally:
            browser.close()
    assert blocked == []


def test_republishing_drops_pages_of_removed_notebooks(site):
    ws, _ = site
    out = ws.root / "republish"
    extra = ws.team_dir("team_forests") / "draft.ipynb"
    nbformat.write(
        nbformat.v4.new_notebook(cells=[nbformat.v4.new_markdown_cell("# Draft")]), extra
    )
    (out / "notes.html").parent.mkdir(parents=True, exist_ok=True)
    (out / "notes.html").write_text("<p>the teacher's own page</p>", encoding="utf-8")
    build_portfolio(ws, "team_forests", out)
    assert (out / "draft.html").is_file()
    extra.unlink()
    build_portfolio(ws, "team_forests", out)
    assert not (out / "draft.html").exists()
    assert (out / "notes.html").is_file()  # not written by vxkit: left alone
    assert "draft.html" not in (out / "index.html").read_text(encoding="utf-8")
