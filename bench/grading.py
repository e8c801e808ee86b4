"""Benchmark: `vxkit grade` next to `nbgrader autograde` on the same submissions.

Builds one workspace with N students (two classes) who fetch and submit the tiny test unit
through vxkit's student steps (real nbgrader exchange), collects them, copies the
workspace twice and grades one copy with each command, in the same run. Prints the wall
time of each, the ratio, and whether every score is identical.

    .venv/bin/python bench/grading.py [--submissions 60] [--workers N]
"""

from __future__ import annotations

import argparse
import os
import shutil
import subprocess
import sys
import tempfile
import time
import warnings
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

from tests.grading.conftest import answer, make_workspace  # noqa: E402
from vxkit import grading  # noqa: E402
from vxkit.workspace import Workspace  # noqa: E402

UNIT = "squares"
# (square answer, greet answer): full marks, partial, wrong, unanswered
ANSWERS = [
    ("return x * x", 'return "Hello " + name'),
    ("return x + x", 'return "Hello " + name'),
    ("return x ** 2", 'return "Hi " + name'),
    (None, None),
]


def exchange_text(count: int) -> str:
    half = count // 2
    names = [[f"Student{i:02d}" for i in range(n)] for n in (half, count - half)]
    text = (REPO / "tests/grading/fixtures/exchange.toml").read_text(encoding="utf-8")
    text = text.split("[[teams]]")[0]  # no teams: every student submits alone
    text = text.replace('students = ["Chloé", "Hugo", "Inès"]', f"students = {names[0]!r}")
    return text.replace(
        'students = ["Valentina", "Benjamín", "Josefa"]', f"students = {names[1]!r}"
    ).replace("'", '"')


def build(root: Path, count: int) -> Workspace:
    ws = make_workspace(root / "ws")
    (ws.root / "exchange.toml").write_text(exchange_text(count), encoding="utf-8")
    config = ws.root / "nbgrader_config.py"
    config.write_text(config.read_text().replace("timeout = 4", "timeout = 30"), encoding="utf-8")
    grading.assign(ws, UNIT)
    for n, student in enumerate(ws.load().students()):
        folder, _ = grading.fetch_assignment(ws, UNIT, student.id)
        answer(folder / "answers.ipynb", *ANSWERS[n % len(ANSWERS)])
        grading.submit(ws, UNIT, student.id)
    grading.collect(ws, UNIT)
    return ws


def scores(ws: Workspace) -> dict[str, float]:
    api = grading.make_api(ws)
    with api.gradebook as gb:
        return {s.student.id: s.score for s in gb.assignment_submissions(UNIT)}


def timed(argv: list[str], cwd: Path) -> float:
    env = dict(os.environ, PATH=f"{Path(sys.executable).parent}{os.pathsep}{os.environ['PATH']}")
    started = time.perf_counter()
    done = subprocess.run(argv, cwd=cwd, env=env, capture_output=True, text=True)
    seconds = time.perf_counter() - started
    if done.returncode != 0:
        sys.exit(f"{' '.join(argv)} failed:\n{done.stdout[-2000:]}\n{done.stderr[-2000:]}")
    return seconds


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--submissions", type=int, default=60)
    parser.add_argument("--workers", type=int, default=None, help="default: one per core")
    args = parser.parse_args()
    warnings.simplefilter("ignore")  # nbgrader's SQLAlchemy noise
    with tempfile.TemporaryDirectory(prefix="vxkit-bench-") as tmp:
        root = Path(tmp)
        t0 = time.perf_counter()
        ws = build(root, args.submissions)
        print(f"{args.submissions} submissions ready in {time.perf_counter() - t0:.1f} s")
        ours = Workspace(root / "ours")
        stock = Workspace(root / "stock")
        shutil.copytree(ws.root, ours.root, symlinks=True)
        shutil.copytree(ws.root, stock.root, symlinks=True)
        argv = [sys.executable, "-m", "vxkit.cli", "grade", UNIT, "--dir", str(ours.root)]
        if args.workers:
            argv += ["--workers", str(args.workers)]
        t_stock = timed([sys.executable, "-m", "nbgrader", "autograde", UNIT], stock.root)
        t_ours = timed(argv, ours.root)
        a, b = scores(ours), scores(stock)
        same = a == b and len(a) == args.submissions
        print(f"nbgrader autograde: {t_stock:.1f} s")
        print(f"vxkit grade:        {t_ours:.1f} s")
        print(f"ratio (nbgrader / vxkit): {t_stock / t_ours:.2f}x faster, cores: {os.cpu_count()}")
        print(f"scores identical for all {len(a)} submissions: {same}")
        total = {k: round(v, 2) for k, v in sorted(a.items())[:4]}
        print(f"first scores: {total}")
        return 0 if same else 1


if __name__ == "__main__":
    sys.exit(main())
