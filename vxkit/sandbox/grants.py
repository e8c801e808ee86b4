"""What a sandboxed kernel may reach: its area, the shared read-only parts, Python."""

from __future__ import annotations

import os
import subprocess
import sys
import sysconfig
from dataclasses import dataclass
from pathlib import Path

from ..areas import Area, area_of

SYSTEM_READ = (
    "/usr",
    "/lib",
    "/lib64",
    "/lib32",
    "/bin",
    "/sbin",
    "/etc/ssl",
    "/etc/ca-certificates",
    "/etc/pki",
    "/etc/localtime",
    "/etc/timezone",
    "/etc/fonts",
    "/etc/ld.so.cache",
    "/etc/passwd",
    "/etc/group",
    "/etc/nsswitch.conf",
    "/etc/hosts",
    "/etc/mime.types",
    "/etc/matplotlibrc",
    "/etc/os-release",
    "/var/cache/fontconfig",
    "/sys/devices/system/cpu",
    "/proc/cpuinfo",
    "/proc/meminfo",
    "/proc/stat",
)
DEVICES_RW = ("/dev/null", "/dev/zero", "/dev/full", "/dev/random", "/dev/urandom", "/dev/shm")


def data_cache_dir() -> Path:
    """The vxkit data cache kernels read (``$VXKIT_CACHE_DIR`` or the user cache folder)."""
    from ..data.sources import cache_dir

    return cache_dir()


def prewarm() -> Path:
    """Compute what kernels would otherwise compute per map (world boundaries) into the cache.

    Call it once at server start (it takes a few seconds the first time, nothing after):
    kernels get the cache read only, at the path returned, through ``$VXKIT_CACHE_DIR``, and
    a copy of matplotlib's font list in their private HOME.
    """
    from ..data.geo import boundaries

    boundaries()
    cache = data_cache_dir()
    # matplotlib's font list, which each kernel's private MPLCONFIGDIR gets a copy of (built
    # per kernel, it costs every first chart seconds on a machine with many fonts)
    fonts = cache / "matplotlib"
    fonts.mkdir(exist_ok=True)
    if not any(fonts.glob("fontlist-*.json")):
        subprocess.run(
            [sys.executable, "-c", "import matplotlib.font_manager"],
            env={**os.environ, "MPLCONFIGDIR": str(fonts)},
            capture_output=True,
            timeout=600,
            check=False,
        )
    return cache


@dataclass(frozen=True)
class Grants:
    """What a confined kernel may reach (absolute paths), and where it runs."""

    read: tuple[str, ...]
    write: tuple[str, ...]
    bind_ports: tuple[int, ...]
    connect_ports: tuple[int, ...]
    cwd: str
    private: str  # the kernel's private folder (HOME, TMPDIR), writable
    #: folders whose entries may be listed but not read (around a hidden folder, see ``around``)
    listed: tuple[str, ...] = ()


def grants_for(
    ws_root: Path,
    area: Area,
    *,
    private: Path,
    connection_file: str,
    ports: tuple[int, ...] = (),
    shell_port: int | None = None,
    cwd: str | None = None,
    kernel_argv0: str | None = None,
    extra_read: tuple[str, ...] = (),
) -> Grants:
    """The grants of a kernel of ``area``: its folder, the shared read-only parts, Python.

    ``ports`` are the kernel's ZMQ ports (it listens on them), ``shell_port`` the one it may
    connect to (its own).

    System paths that contain the workspace, the user's home or Jupyter's runtime folder
    (a ``sys.path`` entry of ``/home/teacher``, say) are left out: they would open everything;
    so are those inside the workspace, but for a virtual environment at its top.
    """
    from jupyter_core.paths import jupyter_runtime_dir

    root = ws_root.resolve()
    write = [str(private), *DEVICES_RW]
    # not exchange.toml (every roster): the kernel gets its area's view in its private folder
    read = [str(root / "shared"), connection_file]
    folder = root / (area.folder or "")
    if area.kind in ("team", "student", "shared", "submission"):
        write.append(str(folder))
    if area.kind == "submission":
        read.append(str(root / "course" / "release" / (area.key or "").split("/")[-1]))
    elif area.kind == "release":
        read.append(str(folder))
    else:
        read.append(str(root / "course" / "release"))
    guarded = [root, Path.home().resolve(), Path(jupyter_runtime_dir()).resolve()]
    system = [*SYSTEM_READ, *_python_paths(kernel_argv0), *extra_read]
    read += [p for p in system if _harmless(p, root, guarded)]
    read.append(str(data_cache_dir()))
    read, listed = around(read, teachers_material(kernel_argv0))
    return Grants(
        read=tuple(dict.fromkeys(read)),
        listed=tuple(dict.fromkeys(listed)),
        write=tuple(dict.fromkeys(write)),
        bind_ports=tuple(ports),
        # ipykernel's debugger talks to its own shell socket (measured: its only connection)
        connect_ports=(shell_port,) if shell_port else (),
        cwd=cwd or str(folder),
        private=str(private),
    )


def teachers_material(kernel_argv0: str | None = None) -> list[Path]:
    """Folders inside the Python installation that no pupil's kernel reads: the kit's
    curriculum (nbgrader sources with every solution and hidden test, teachers' guides),
    wherever this install keeps it, and in the kernel's own prefix too (resolved, existing)."""
    from ..workspace import curriculum_candidates

    places = list(curriculum_candidates())
    prefixes = {sys.prefix, sys.base_prefix, sys.exec_prefix, sys.base_exec_prefix}
    if kernel_argv0 and os.path.isabs(kernel_argv0):
        prefixes.add(str(Path(kernel_argv0).parent.parent))
        prefixes.add(str(Path(kernel_argv0).resolve().parent.parent))
    places += [Path(p, "share", "vxkit", "curriculum") for p in prefixes]
    return sorted({Path(os.path.realpath(p)) for p in places if os.path.isdir(p)})


def around(paths: list[str], hidden: list[Path]) -> tuple[list[str], list[str]]:
    """``paths`` (folders to grant) with the ``hidden`` folders cut out; and the folders
    that were split, which may be listed only (Python's importer lists a ``sys.path`` folder).

    Sandboxes grant whole folders: a granted folder that holds a hidden one is replaced by
    its entries but the one on the way to the hidden folder, which is split the same way,
    level by level (``/usr`` holding ``/usr/local/share/vxkit/curriculum`` becomes
    ``/usr/bin``, ``/usr/lib``, ..., ``/usr/local/share/vxkit/templates``). A granted path
    inside a hidden folder is dropped. Paths are compared resolved, so a symbolic link to a
    hidden folder grants nothing either."""
    out: list[str] = []
    listed: list[str] = []
    seen: set[Path] = set()

    def keep(path: str) -> None:
        real = Path(os.path.realpath(path))
        if any(h == real or h in real.parents for h in hidden):
            return
        inner = [h for h in hidden if real in h.parents]
        if not inner:
            out.append(path)
            return
        if real in seen:  # a symbolic link back up: split it once
            return
        seen.add(real)
        listed.append(path)
        try:
            names = sorted(os.listdir(real))
        except OSError:
            return
        for name in names:
            keep(os.path.join(path, name))

    for path in paths:
        if path:  # an empty path grants nothing (and would be the working folder here)
            seen.clear()  # each spelling of a folder is split (bubblewrap mounts as spelt)
            keep(os.path.abspath(path))
    return out, listed


def _python_paths(kernel_argv0: str | None) -> list[str]:
    """The Python installation: prefixes, the standard library, site-packages, vxkit itself."""
    paths = {sys.prefix, sys.base_prefix, sys.exec_prefix, sys.base_exec_prefix}
    paths.update(v for k, v in sysconfig.get_paths().items() if k != "scripts")
    paths.update(p for p in sys.path if p and os.path.isdir(p))
    paths.add(str(Path(__file__).resolve().parent.parent))  # vxkit, wherever it is installed
    paths.add(str(Path(sys.executable).resolve().parent))
    if kernel_argv0 and os.path.isabs(kernel_argv0):
        paths.add(str(Path(kernel_argv0).parent.parent))  # <prefix>/bin/python: its prefix
        paths.add(str(Path(kernel_argv0).resolve().parent.parent))
    # each as spelt and resolved: bubblewrap mounts what it is given, and the kernel's
    # command names the spelt path (a prefix under a symlinked folder, say)
    return sorted({os.path.normpath(p) for p in paths} | {os.path.realpath(p) for p in paths})


def _harmless(path: str, root: Path, guarded: list[Path]) -> bool:
    """Whether a system path may be granted: it contains no guarded folder, and inside the
    workspace it is a virtual environment at the top (``.venv``), never an area's folder
    (a server started from ``course/`` has that folder on ``sys.path``)."""
    here = Path(os.path.realpath(path))
    if any(g == here or here in g.parents for g in guarded):
        return False
    if root in here.parents:
        top = root / here.relative_to(root).parts[0]
        return area_of(root, top.name).kind == "other" and (top / "pyvenv.cfg").is_file()
    return True
