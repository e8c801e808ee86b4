"""Publishing a team's work: ``vxkit portfolio`` next to plain ``jupyter nbconvert --to html``.

The demo team's notebooks are run once (not timed): the curriculum's team notebook, and a
notebook a student made with a stock folium map (CDN links, default tiles) and a line naming a
student of another team and a teacher. Then, in one process, each tool renders them to HTML:
nbconvert's stock ``HTMLExporter`` (lab template), one file per notebook; vxkit's
``build_portfolio``, one page per notebook plus an index. Warm-up first, then the median of
``--runs``. Reported: time, bytes written, resources the pages would fetch from the network,
and names of people outside the team that end up in the output.

    .venv/bin/python bench/portfolio.py [--runs 5]
"""

from __future__ import annotations

import argparse
import html
import re
import statistics
import tempfile
import time
from pathlib import Path

import nbformat
from nbclient import NotebookClient
from nbconvert import HTMLExporter

from vxkit.portfolio import build_portfolio
from vxkit.workspace import Workspace, scaffold, template_text

TEAM = "team_rivers"
STUDENT_CELLS = [
    nbformat.v4.new_markdown_cell("# Our rivers\n\nZawadi (team Forests) and Mme Laurent helped."),
    nbformat.v4.new_code_cell(
        "import folium\n"
        "m = folium.Map(location=[0, 20], zoom_start=2)\n"
        "folium.Marker([45.76, 4.84], popup='Lyon').add_to(m)\n"
        "folium.Marker([-1.29, 36.82], popup='Nairobi').add_to(m)\n"
        "m"
    ),
]
REMOTE = re.compile(r"<(?:script|link|img|iframe)\b[^>]*?\b(?:src|href)=[\"'](?:https?:)?//", re.I)


def prepare(root: Path) -> Workspace:
    ws, _ = scaffold(root / "demo", template_text("demo_exchange.toml"))
    folder = ws.team_dir(TEAM)
    nb = nbformat.v4.new_notebook(cells=STUDENT_CELLS)
    nbformat.write(nb, folder / "our_rivers.ipynb")
    for path in sorted(folder.glob("*.ipynb")):
        nb = nbformat.read(path, as_version=4)
        NotebookClient(nb, timeout=300, resources={"metadata": {"path": str(folder)}}).execute()
        nbformat.write(nb, path)
    return ws


def stock(ws: Workspace, out: Path) -> list[Path]:
    exporter = HTMLExporter()
    written = []
    for path in sorted(ws.team_dir(TEAM).glob("*.ipynb")):
        body, _ = exporter.from_filename(str(path))
        target = out / f"{path.stem}.html"
        target.write_text(body, encoding="utf-8")
        written.append(target)
    return written


def ours(ws: Workspace, out: Path) -> list[Path]:
    site = build_portfolio(ws, TEAM, out)
    return [site.index] + [out / page.file for page in site.pages]


def measure(render, ws: Workspace, root: Path, runs: int) -> dict[str, float]:
    (root / "warmup").mkdir(parents=True)
    render(ws, root / "warmup")
    times = []
    for run in range(runs):
        out = root / f"run{run}"
        out.mkdir(parents=True, exist_ok=True)
        start = time.perf_counter()
        files = render(ws, out)
        times.append(time.perf_counter() - start)
    texts = [f.read_text(encoding="utf-8") for f in files]
    # map frames are escaped once in their srcdoc attribute
    unescaped = [html.unescape(t) for t in texts]
    exchange = ws.load()
    own = {s.name for s in exchange.get_team(TEAM).students()}
    outsiders = [s.name for s in exchange.students() if s.name not in own]
    outsiders += [c.teacher for c in exchange.classes]
    return {
        "seconds": statistics.median(times),
        "bytes": sum(len(t.encode()) for t in texts),
        "files": len(files),
        "remote": sum(len(REMOTE.findall(t)) for t in texts + unescaped),
        "outsiders": sum(
            len(re.findall(rf"(?<!\w){re.escape(n)}(?!\w)", t))
            for t in unescaped
            for n in outsiders
        ),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp)
        ws = prepare(root)
        a = measure(ours, ws, root / "ours", args.runs)
        b = measure(stock, ws, root / "stock", args.runs)
    print(f"{'measure':<40}{'vxkit portfolio':>18}{'nbconvert html':>18}{'ratio':>8}")
    rows = [
        ("render the team's notebooks (s)", "seconds", "{:.2f}"),
        ("bytes written", "bytes", "{:,.0f}"),
        ("files", "files", "{:.0f}"),
        ("remote resources referenced", "remote", "{:.0f}"),
        ("names of people outside the team", "outsiders", "{:.0f}"),
    ]
    for label, key, fmt in rows:
        ratio = f"{a[key] / b[key]:.2f}" if b[key] else "-"
        print(f"{label:<40}{fmt.format(a[key]):>18}{fmt.format(b[key]):>18}{ratio:>8}")


if __name__ == "__main__":
    main()
