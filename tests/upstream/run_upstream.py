"""Run upstream's own tests without and with vxkit, and fail on any test that vxkit breaks.

Takes the test suites of the installed versions from their sdists (PyPI, cached in
``tests/artifacts/upstream``): jupyter-server-ydoc's whole suite (the jupyter-collaboration
repository's server tests; the jupyter-collaboration sdist is a metapackage without tests) and
jupyter_server's auth, contents and sessions tests. Each suite runs twice, with vxkit's server
config absent and present (see vxkit_upstream.py); a test that passes without vxkit and fails
with it, after one more try with vxkit, fails the step. Tests that fail in both runs are listed
and don't fail it. Usage: ``python tests/upstream/run_upstream.py [--suite NAME] [-k EXPR]``.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tarfile
import time
from dataclasses import dataclass
from importlib.metadata import PackageNotFoundError, version
from pathlib import Path

HERE = Path(__file__).resolve().parent
REPO = HERE.parent.parent
DEFAULT_CACHE = REPO / "tests" / "artifacts" / "upstream"
# per suite and run; upstream's own per-test timeouts (100 s, 300 s) apply inside
RUN_TIMEOUT = 20 * 60

# jupyter-server-ydoc's sdist has no pytest settings (they live at the root of the
# jupyter-collaboration repository): ours, in the same spirit (warnings are errors).
OWN_PYTEST_INI = """\
[pytest]
testpaths = tests
# upstream allows 300 s; here the slowest test takes a few seconds: a hang costs 1 minute
timeout = 60
filterwarnings =
    error
    # the test of this deprecated option expects the warning, raised in a task it never
    # awaits: as an error it kills the task and the test waits forever
    ignore:`document_ttl` is deprecated:DeprecationWarning
    # tornado, jupyter_core and anyio still emit these on the installed versions
    ignore:unclosed <socket.socket:ResourceWarning
    ignore:Unclosed <MemoryObjectSendStream:ResourceWarning
    ignore:Jupyter is migrating its paths to use standard platformdirs:DeprecationWarning
    ignore:.*datetime.utcfromtimestamp\\(\\) is deprecated.*:DeprecationWarning
"""


@dataclass(frozen=True)
class Suite:
    """One upstream project's tests, as they are run here."""

    name: str
    distribution: str
    test_paths: tuple[str, ...]
    # pytest settings: the sdist's own pyproject.toml, or ours written beside its tests
    own_pytest_config: bool


SUITES = [
    Suite("jupyter-server-ydoc", "jupyter-server-ydoc", ("tests",), own_pytest_config=False),
    Suite(
        "jupyter_server",
        "jupyter_server",
        ("tests/auth", "tests/services/contents", "tests/services/sessions"),
        own_pytest_config=True,
    ),
]


class UpstreamError(Exception):
    """Something that stops the step before tests can be compared."""


def installed_version(distribution: str) -> str:
    """The version of ``distribution`` in this environment."""
    try:
        return version(distribution)
    except PackageNotFoundError:
        raise UpstreamError(f"{distribution} is not installed in {sys.prefix}") from None


def download_sdist(distribution: str, ver: str, cache: Path) -> Path:
    """The sdist of ``distribution==ver``, downloaded with pip into ``cache`` unless there."""
    stem = f"{distribution.replace('-', '_')}-{ver}".lower()
    for found in sorted(cache.glob("*.tar.gz")):
        if found.name.lower() == f"{stem}.tar.gz":
            return found
    cache.mkdir(parents=True, exist_ok=True)
    command = [
        sys.executable,
        "-m",
        "pip",
        "download",
        "--quiet",
        "--no-deps",
        # the sdist of this one only: with :all:, pip would build every build dependency from
        # its sdist too (minutes, on an empty pip cache)
        "--no-binary",
        distribution,
        f"{distribution}=={ver}",
        "-d",
        str(cache),
    ]
    done = subprocess.run(command, capture_output=True, text=True)
    for found in sorted(cache.glob("*.tar.gz")):
        if found.name.lower() == f"{stem}.tar.gz":
            return found
    raise UpstreamError(
        f"pip could not download the sdist of {distribution}=={ver}:\n{done.stderr[-3000:]}"
    )


def extract_tests(sdist: Path, dest: Path) -> Path:
    """Unpack the sdist's ``tests/`` and ``pyproject.toml`` (not the package: the installed
    one is tested) into ``dest``; returns the folder that holds ``tests/``."""
    with tarfile.open(sdist) as tar:
        members = tar.getmembers()
        top = members[0].name.split("/")[0]
        root = dest / top
        if (root / "tests").is_dir():
            return root
        wanted = [
            m
            for m in members
            if m.name == f"{top}/pyproject.toml" or m.name.startswith(f"{top}/tests/")
        ]
        tmp = dest / f".{top}.partial"
        # the "data" filter refuses links and paths out of tmp (Python 3.10.12+, 3.11.4+)
        safe = {"filter": "data"} if hasattr(tarfile, "data_filter") else {}
        tar.extractall(tmp, members=wanted, **safe)
    (tmp / top).rename(root)
    tmp.rmdir()
    return root


def installed_vxkit_config() -> Path:
    """The ``jupyter_server_config.d/vxkit.json`` that installing vxkit put in the config path."""
    from jupyter_core.paths import jupyter_config_path

    for folder in jupyter_config_path():
        candidate = Path(folder) / "jupyter_server_config.d" / "vxkit.json"
        if candidate.is_file():
            return candidate
    raise UpstreamError(
        "vxkit's jupyter_server_config.d/vxkit.json is in none of the Jupyter config folders "
        f"{jupyter_config_path()}: is vxkit installed (make venv)?"
    )


def clean_environment() -> dict[str, str]:
    """This environment without settings that would reach into the upstream tests."""
    env = {
        k: v
        for k, v in os.environ.items()
        if not k.startswith(("JUPYTER_", "PYTEST_")) and k not in ("PYTHONPATH", "COV_CORE_SOURCE")
    }
    # the plugin is imported by module name; the repository root stays off the path because
    # jupyter_server's tests are a package named `tests` too
    env["PYTHONPATH"] = str(HERE)
    env["PYTHONDONTWRITEBYTECODE"] = "1"
    return env


def run_pytest(
    suite: Suite,
    root: Path,
    mode: str,
    results: Path,
    vxkit_config: Path,
    extra: list[str],
    tests: list[str] | None = None,
) -> tuple[dict, float, Path]:
    """Run ``suite`` (or only ``tests`` of it) once with vxkit ``mode`` ("on"/"off");
    returns its results, seconds and log file."""
    if not suite.own_pytest_config:
        (root / "pytest.ini").write_text(OWN_PYTEST_INI, encoding="utf-8")
    config_file = root / ("pyproject.toml" if suite.own_pytest_config else "pytest.ini")
    log = results.with_suffix(".log")
    log.parent.mkdir(parents=True, exist_ok=True)
    results.unlink(missing_ok=True)
    command = [
        sys.executable,
        "-m",
        "pytest",
        "-c",
        str(config_file),
        "--rootdir",
        str(root),
        "-p",
        "vxkit_upstream",
        f"--vxkit={mode}",
        f"--vxkit-server-config={vxkit_config}",
        f"--vxkit-results={results}",
        "-p",
        "no:cacheprovider",
        "--color=no",
        "-q",
        *extra,
        *(tests or suite.test_paths),
    ]
    started = time.monotonic()
    with log.open("w", encoding="utf-8") as out:
        try:
            done = subprocess.run(
                command,
                cwd=root,
                env=clean_environment(),
                stdout=out,
                stderr=subprocess.STDOUT,
                timeout=RUN_TIMEOUT,
            )
        except subprocess.TimeoutExpired:
            raise UpstreamError(
                f"{suite.name} with vxkit {mode} took over {RUN_TIMEOUT} s; log: {log}"
            ) from None
    seconds = time.monotonic() - started
    # 0: all passed, 1: some failed; anything else is pytest or the plugin failing
    if done.returncode not in (0, 1) or not results.is_file():
        tail = log.read_text(encoding="utf-8", errors="replace")[-3000:]
        raise UpstreamError(
            f"pytest on {suite.name} with vxkit {mode} stopped with exit code "
            f"{done.returncode}; log: {log}\n{tail}"
        )
    return json.loads(results.read_text(encoding="utf-8")), seconds, log


def outcome(entry: dict) -> str:
    """One word for a test: failed (in any phase), xfailed, skipped or passed."""
    phases = entry["phases"].values()
    if "failed" in phases or "xpassed" in phases:
        return "failed"
    for word in ("xfailed", "skipped"):
        if word in phases:
            return word
    return "passed"


@dataclass
class Comparison:
    """How one suite's tests fared without and with vxkit."""

    broken: list[str]  # pass without vxkit, fail with it (twice)
    flaky: list[str]  # failed once with vxkit, passed on the second try
    both: list[str]  # fail in both runs
    other: list[str]  # any other change of outcome (e.g. skipped in one run only)
    not_loaded: list[str]  # with vxkit, started a server that did not load vxkit
    loaded_without: list[str]  # without vxkit, loaded it anyway


def compare(without: dict, with_: dict, retry: dict | None) -> Comparison:
    """Compare per test id; ``retry`` holds a second run, with vxkit, of the tests it broke."""
    off, on = without["tests"], with_["tests"]
    result = Comparison([], [], [], [], [], [])
    for nodeid in sorted(set(off) | set(on)):
        before = outcome(off[nodeid]) if nodeid in off else "absent"
        after = outcome(on[nodeid]) if nodeid in on else "absent"
        if before == "passed" and after in ("failed", "absent"):
            again = outcome(retry["tests"][nodeid]) if retry and nodeid in retry["tests"] else None
            (result.flaky if again == "passed" else result.broken).append(nodeid)
        elif before == "failed" and after == "failed":
            result.both.append(nodeid)
        elif before != after:
            result.other.append(f"{nodeid}: {before} without vxkit, {after} with it")
    for nodeid, entry in sorted(on.items()):
        started_server = entry["server"] and entry["phases"].get("setup") == "passed"
        if started_server and not entry["vxkit_loaded"]:
            result.not_loaded.append(nodeid)
    result.loaded_without = sorted(n for n, e in off.items() if e["vxkit_loaded"])
    return result


def run_suite(
    suite: Suite, cache: Path, vxkit_config: Path, extra: list[str], stock_only: bool = False
) -> tuple[bool, list[str]]:
    """Run one suite both ways; True if vxkit broke nothing, and the lines to print.

    ``stock_only`` also fails the suite when vxkit supplied any part of a server (none of
    these servers is an exchange workspace, so vxkit should keep upstream's parts)."""
    ver = installed_version(suite.distribution)
    sdist = download_sdist(suite.distribution, ver, cache / "sdists")
    root = extract_tests(sdist, cache / "src")
    out_dir = cache / "results"
    lines = [f"== {suite.name} {ver}: {' '.join(suite.test_paths)} (from {sdist.name})"]
    runs = {}
    for mode in ("off", "on"):
        data, seconds, log = run_pytest(
            suite, root, mode, out_dir / f"{suite.name}-{mode}.json", vxkit_config, extra
        )
        counts: dict[str, int] = {}
        for entry in data["tests"].values():
            counts[outcome(entry)] = counts.get(outcome(entry), 0) + 1
        summary = ", ".join(f"{n} {word}" for word, n in sorted(counts.items()))
        lines.append(f"   vxkit {mode:3}: {seconds:6.1f} s  {summary}  (log: {log})")
        runs[mode] = data
    candidates = [
        n
        for n, e in runs["on"]["tests"].items()
        if outcome(e) == "failed"
        and n in runs["off"]["tests"]
        and outcome(runs["off"]["tests"][n]) == "passed"
    ]
    retry = None
    if candidates:
        data, seconds, _ = run_pytest(
            suite,
            root,
            "on",
            out_dir / f"{suite.name}-on-again.json",
            vxkit_config,
            extra,
            sorted({n.split("::<collection>")[0] for n in candidates}),
        )
        lines.append(f"   vxkit on, {len(candidates)} failures again: {seconds:.1f} s")
        retry = data
    result = compare(runs["off"], runs["on"], retry)
    ok = not (result.broken or result.not_loaded or result.loaded_without)
    if not runs["on"]["tests"] or all(not e["server"] for e in runs["on"]["tests"].values()):
        lines.append("   FAIL: no test started a server with vxkit: nothing was compared")
        ok = False
    for nodeid in result.broken:
        lines.append(f"   FAIL (passes without vxkit, fails with it): {nodeid}")
        tail = runs["on"]["tests"][nodeid]["longrepr"].strip().splitlines()[-25:]
        lines.extend(f"      | {line}" for line in tail)
    for nodeid in result.not_loaded:
        lines.append(f"   FAIL (vxkit was not loaded by the test's server): {nodeid}")
    for nodeid in result.loaded_without:
        lines.append(f"   FAIL (vxkit was loaded in the run without it): {nodeid}")
    lines.extend(f"   flaky with vxkit (failed once, passed again): {n}" for n in result.flaky)
    lines.extend(f"   fails with and without vxkit: {n}" for n in result.both)
    lines.extend(f"   changed: {line}" for line in result.other)
    servers = [e for e in runs["on"]["tests"].values() if e["vxkit_loaded"]]
    replaced: dict[str, int] = {}
    for entry in servers:
        for part in entry["replaced"]:
            replaced[part] = replaced.get(part, 0) + 1
    lines.append(
        f"   vxkit was loaded in {len(servers)} servers; in place of upstream's it supplied:"
    )
    lines.extend(f"      {part} (in {n})" for part, n in sorted(replaced.items()))
    if not replaced:
        lines.append("      nothing")
    elif stock_only:
        lines.append("   FAIL (--stock-only): vxkit replaced upstream's parts outside a workspace")
        ok = False
    lines.append(f"   {'ok' if ok else 'FAILED'}: {len(result.broken)} broken by vxkit")
    return ok, lines


def main(argv: list[str] | None = None) -> int:
    """Entry point: 0 when vxkit breaks no upstream test, 1 when it does, 2 on setup errors."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--suite", choices=[s.name for s in SUITES], action="append")
    parser.add_argument("--cache", type=Path, default=DEFAULT_CACHE, help="sdists and results")
    parser.add_argument("-k", dest="keyword", help="pytest -k expression (for trying things)")
    parser.add_argument(
        "--stock-only",
        action="store_true",
        help="also fail when vxkit puts its identity provider, authorizer, kernel connection or "
        "a handler of an upstream route into these servers (none is an exchange workspace)",
    )
    args = parser.parse_args(argv)
    extra = ["-k", args.keyword] if args.keyword else []
    ok = True
    started = time.monotonic()
    try:
        vxkit_config = installed_vxkit_config()
        for suite in SUITES:
            if args.suite and suite.name not in args.suite:
                continue
            suite_ok, lines = run_suite(
                suite, args.cache.resolve(), vxkit_config, extra, args.stock_only
            )
            print("\n".join(lines), flush=True)
            ok = ok and suite_ok
    except UpstreamError as err:
        print(f"run_upstream: {err}", file=sys.stderr)
        return 2
    print(f"upstream tests: {time.monotonic() - started:.0f} s in all", flush=True)
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
