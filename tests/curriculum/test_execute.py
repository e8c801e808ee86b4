"""Every team and graded source notebook runs top to bottom, with the network cut off.

Team notebooks run in their team folder of a workspace that installs every unit (as a class
would open them); graded notebooks run in ``course/source/<unit>/`` with their solutions and
hidden tests, so a wrong expected value in a hidden test fails here. All notebooks run in one
process, a few kernels at a time.
"""

from __future__ import annotations

import asyncio
import html
import re
import shutil
from pathlib import Path

import nbformat
import pytest
from nbclient import NotebookClient
from nbclient.exceptions import CellExecutionError

from vxkit.widgets.contribution import append_row
from vxkit.workspace import Workspace

from .conftest import CURRICULUM, TEMPLATE, graded_names, units

# the first test runs every notebook while setting up its fixture: allow for a busy machine
pytestmark = pytest.mark.timeout(600)

PARALLEL = 3  # kernels at once: they mostly wait on each other, 2 cores keep up
CELL_TIMEOUT = 120  # seconds

# Run first in every kernel: any connection or name lookup outside this machine fails.
OFFLINE = """
import socket as _socket

_LOCAL = ("127.0.0.1", "::1", "localhost", "")
_connect, _getaddrinfo = _socket.socket.connect, _socket.getaddrinfo


def _offline_connect(self, address, *args):
    host = address[0] if isinstance(address, tuple) else address
    if self.family in (_socket.AF_INET, _socket.AF_INET6) and host not in _LOCAL:
        raise OSError(f"no network in the curriculum tests: connect to {address}")
    return _connect(self, address, *args)


def _offline_getaddrinfo(host, *args, **kwargs):
    if host not in _LOCAL and host is not None:
        raise OSError(f"no network in the curriculum tests: look up {host}")
    return _getaddrinfo(host, *args, **kwargs)


_socket.socket.connect = _offline_connect
_socket.getaddrinfo = _offline_getaddrinfo
"""


def _jobs() -> list[str]:
    labels = []
    for unit in units():
        labels += [
            f"team/{p.name.replace('team', unit, 1)}"
            for p in sorted((CURRICULUM / unit).glob("team*.ipynb"))
        ]
        labels += [
            f"source/{unit}/{p.name}" for p in sorted((CURRICULUM / unit).glob("individual*.ipynb"))
        ]
    labels += [f"template/{p.name}" for p in sorted(TEMPLATE.glob("*.ipynb"))]
    return labels


JOBS = _jobs()


def _locate(ws: Workspace, template_copy: Path, label: str) -> Path:
    kind, rest = label.split("/", 1)
    if kind == "team":
        return ws.team_dir("team_rivers") / rest
    if kind == "source":
        return ws.course_dir / "source" / rest
    if rest.startswith("team"):  # a team notebook made from the skeleton, in a team folder
        target = ws.team_dir("team_rivers") / rest.replace("team", "my_unit", 1)
        shutil.copy(template_copy / rest, target)
        return target
    return template_copy / rest


async def _run(path: Path, limit: asyncio.Semaphore) -> tuple[str | None, nbformat.NotebookNode]:
    nb = nbformat.read(path, as_version=4)
    nb.cells.insert(0, nbformat.v4.new_code_cell(OFFLINE))
    client = NotebookClient(
        nb,
        timeout=CELL_TIMEOUT,
        startup_timeout=120,
        kernel_name="python3",
        resources={"metadata": {"path": str(path.parent)}},
    )
    async with limit:
        try:
            await client.async_execute()
        except CellExecutionError as err:
            return str(err)[-3000:], nb
    errors = [
        o for c in nb.cells if c.cell_type == "code" for o in c.outputs if o.output_type == "error"
    ]
    problem = f"error output: {errors[0]['ename']}: {errors[0]['evalue']}" if errors else None
    return problem, nb


@pytest.fixture(scope="module")
def executed(
    units_workspace: Workspace, tmp_path_factory: pytest.TempPathFactory
) -> dict[str, tuple[str | None, nbformat.NotebookNode]]:
    """Each notebook's label -> (None if it ran cleanly, else what went wrong; the notebook)."""
    template_copy = tmp_path_factory.mktemp("template") / "my_unit"
    shutil.copytree(TEMPLATE, template_copy)
    # two classes' noon temperatures, so local_data compares real contributions
    observations = units_workspace.team_dir("team_rivers") / "observations.csv"
    for class_id, day, value in (
        ("lyon_4b", "2027-01-11", "3.5"),
        ("valparaiso_1m", "2027-01-11", "21"),
        ("lyon_4b", "2027-01-12", "4"),
        ("lyon_4b", "2027-01-12", "5"),  # the same day again: a correction, the last counts
    ):
        row = {"class_id": class_id, "observed_on": day, "kind": "temperature", "value": value}
        append_row(observations, row)

    async def run_all() -> list[tuple[str | None, nbformat.NotebookNode]]:
        limit = asyncio.Semaphore(PARALLEL)
        paths = [_locate(units_workspace, template_copy, label) for label in JOBS]
        return await asyncio.gather(*(_run(p, limit) for p in paths))

    return dict(zip(JOBS, asyncio.run(run_all()), strict=True))


def test_every_unit_is_executed():
    assert sum(label.startswith("team/") for label in JOBS) == len(
        units()
    )  # one shared notebook each
    assert sum(label.startswith("source/") for label in JOBS) == sum(
        len(graded_names(u)) for u in units()
    )


@pytest.mark.parametrize("label", JOBS)
def test_notebook_runs_offline(executed: dict, label: str):
    problem, _ = executed[label]
    assert problem is None, problem


def test_local_data_compares_the_classes_contributions(executed: dict):
    _, nb = executed["team/local_data.ipynb"]
    shown = [
        o["data"]["text/plain"]
        for c in nb.cells
        if c.cell_type == "code" and "describe()" in c.source
        for o in c.outputs
        if "data" in o
    ]
    assert len(shown) == 1
    rows = {line.split()[0]: line.split()[1:3] for line in shown[0].splitlines()[2:]}
    assert rows == {"lyon_4b": ["2.0", "4.2"], "valparaiso_1m": ["1.0", "21.0"]}
    outputs = {
        key: "".join(
            str(o.get("data", {}).get(kind, ""))
            for c in nb.cells
            if key in c.source
            for o in c.outputs
        )
        for key, kind in (
            ("observations_chart(", "text/html"),
            ("observations=noon", "text/html"),
            ("measuring_times(", "text/plain"),
        )
    }
    # the chart: three days' bars side by side (Lyon on two days, Valparaíso on one)
    chart = outputs["observations_chart("]
    assert chart.count("vx-bar") == 3 and "Lyon (lyon_4b)" in chart and "2027-01-11" in chart
    # the map: each school coloured by its mean, the legend in the team's three languages
    page = html.unescape(outputs["observations=noon"])
    page = html.unescape(page)  # the map page sits escaped in an iframe's srcdoc
    assert "midi (moyenne)" in page and "(mean)" in page and "(media)" in page
    page = page.replace("\\u00b0", "°")  # the popups travel as ASCII JSON
    assert "4.2 °C" in page and "21 °C" in page
    # each school's solar noon in its clock time, headers in the team's languages
    times = outputs["measuring_times("]
    assert "midi solaire le" in times and "mediodía solar el" in times
    assert "Europe/Paris" in times and "America/Santiago" in times
    assert len(re.findall(r"\b1[23]:\d\d\b", times)) == 6, times  # 3 schools, 2 days


def test_the_offline_guard_really_blocks(units_workspace: Workspace, tmp_path: Path):
    """A notebook that reaches for the network fails under the same guard."""
    nb = nbformat.v4.new_notebook()
    nb.cells.append(
        nbformat.v4.new_code_cell(
            "import urllib.request\nurllib.request.urlopen('http://example.org', timeout=5)"
        )
    )
    path = tmp_path / "online.ipynb"
    nbformat.write(nb, path)
    problem, _ = asyncio.run(_run(path, asyncio.Semaphore(1)))
    assert problem is not None and "no network in the curriculum tests" in problem
