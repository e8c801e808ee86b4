"""Kernels confined to their area: Linux Landlock, or bubblewrap where Landlock can't.

A kernel of a team notebook reads and writes ``projects/<team>``; it reads ``shared/``, the
released assignments, ``exchange.toml``, the Python installation and the pre-computed data
cache; it has a private HOME and TMPDIR of its own. It reaches nothing else: not
``course/``, not ``.vxkit/`` (the join secrets), not other teams, not the Jupyter runtime
folder or other kernels' connection files, not the server's ``/proc``; it can't open a
TCP connection (so not to the Jupyter server) and can't signal processes outside its sandbox.

- ``sandbox_status()`` says which mechanism this machine has, for the server to print;
- ``prewarm()`` fills the data cache kernels read (read only) before any kernel starts;
- ``VxkitSandboxProvisioner`` (``vxkit.sandbox.provisioner``, entry point ``vxkit-sandbox``)
  applies it to every kernel jupyter_client starts;
- ``python -m vxkit.sandbox`` is the launcher the provisioner puts in front of the kernel.
"""

from __future__ import annotations

import functools
import os
import shutil
import subprocess
import sys
import sysconfig
from dataclasses import dataclass
from pathlib import Path

from ..areas import Area, area_of
from . import landlock

#: ``VXKIT_SANDBOX``: auto (default), landlock, bubblewrap or none
MECHANISM_ENV = "VXKIT_SANDBOX"
MECHANISMS = ("auto", "landlock", "bubblewrap", "none")
#: the Landlock ABI from which auto prefers Landlock: TCP rules (4) and signal scoping (6)
FULL_LANDLOCK_ABI = 6

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


@dataclass(frozen=True)
class SandboxStatus:
    """Which mechanism confines kernels on this machine, and a sentence for the teacher."""

    mechanism: str | None  # "landlock", "bubblewrap" or None
    landlock_abi: int
    sentence: str

    def __str__(self) -> str:
        return self.sentence


@functools.cache
def bubblewrap_works() -> bool:
    """Whether ``bwrap`` is installed and can make an unprivileged sandbox here."""
    bwrap = shutil.which("bwrap")
    if bwrap is None:
        return False
    try:
        done = subprocess.run(
            [
                bwrap,
                "--unshare-user",
                "--unshare-pid",
                "--unshare-net",
                "--ro-bind",
                "/",
                "/",
                "true",
            ],
            capture_output=True,
            timeout=10,
        )
    except (OSError, subprocess.TimeoutExpired):
        return False
    return done.returncode == 0


def choose(preference: str | None = None) -> SandboxStatus:
    """The mechanism to use for ``preference`` (default: ``$VXKIT_SANDBOX`` or auto)."""
    preference = (preference or os.environ.get(MECHANISM_ENV) or "auto").strip().lower()
    if preference not in MECHANISMS:
        raise ValueError(
            f"{MECHANISM_ENV}={preference!r} is not a sandbox mechanism: use one of "
            + ", ".join(MECHANISMS)
            + "."
        )
    abi = landlock.abi_version()
    bwrap = preference in ("auto", "bubblewrap") and bubblewrap_works()
    if preference == "none":
        return SandboxStatus(None, abi, f"Kernels are not sandboxed ({MECHANISM_ENV}=none).")
    if preference in ("auto", "landlock") and abi >= FULL_LANDLOCK_ABI:
        return SandboxStatus("landlock", abi, f"landlock ABI {abi}")
    if bwrap:
        return SandboxStatus("bubblewrap", abi, "bubblewrap")
    if preference in ("auto", "landlock") and abi >= 1:
        missing = "TCP connections and signals" if abi < 4 else "signals"
        return SandboxStatus(
            "landlock",
            abi,
            f"landlock ABI {abi} (files only: this Linux kernel can't stop kernels' {missing}; "
            "Linux 6.12 or bubblewrap can)",
        )
    if preference == "bubblewrap":
        why = (
            "bwrap is not installed"
            if shutil.which("bwrap") is None
            else ("bwrap can't create a user namespace here")
        )
        return SandboxStatus(None, abi, f"Kernels can't be sandboxed with bubblewrap: {why}.")
    if sys.platform != "linux":
        why = f"Landlock and bubblewrap exist only on Linux, and this is {sys.platform}"
    elif abi == 0:
        why = "this Linux kernel has no Landlock and bubblewrap (Debian package bubblewrap) is missing or can't create a user namespace"
    else:
        why = "Landlock is switched off"
    return SandboxStatus(None, abi, f"Kernels can't be sandboxed on this machine: {why}.")


def sandbox_status() -> SandboxStatus:
    """Which mechanism confines kernels here: "landlock ABI n", "bubblewrap", or None and why.

    For the server to print at start; the choice follows ``$VXKIT_SANDBOX``.
    """
    return choose()


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
    read = [str(root / "exchange.toml"), str(root / "shared"), connection_file]
    if area.kind in ("team", "student", "shared", "submission"):
        write.append(str(area.root_path))
    if area.kind == "submission":
        read.append(str(root / "course" / "release" / area.key.split("/", 1)[1]))
    elif area.kind == "release":
        read.append(str(area.root_path))
    else:
        read.append(str(root / "course" / "release"))
    guarded = [root, Path.home().resolve(), Path(jupyter_runtime_dir()).resolve()]
    system = [*SYSTEM_READ, *_python_paths(kernel_argv0), *extra_read]
    read += [p for p in system if _harmless(p, root, guarded)]
    read.append(str(data_cache_dir()))
    return Grants(
        read=tuple(dict.fromkeys(read)),
        write=tuple(dict.fromkeys(write)),
        bind_ports=tuple(ports),
        # ipykernel's debugger talks to its own shell socket (measured: its only connection)
        connect_ports=(shell_port,) if shell_port else (),
        cwd=cwd or str(area.root_path),
        private=str(private),
    )


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
        area = area_of(root, here)
        return area.kind == "other" and (area.root_path / "pyvenv.cfg").is_file()
    return True


def kernel_env_for_workspace(ws_root: str | os.PathLike[str]) -> dict[str, str]:
    """Environment that makes jupyter_client in this process start sandboxed kernels.

    For processes that start kernels themselves (``vxkit grade``'s workers): every kernel gets
    the ``vxkit-sandbox`` provisioner, confined to the area of its working folder. Where
    nothing can sandbox, kernels run unconfined, as they did before (say so to the teacher).
    """
    # every setting explicit: a forkserver's workers inherit its environment, from whenever
    # it started, not this process's current one
    mechanism = choose().mechanism
    return {
        "JUPYTER_DEFAULT_PROVISIONER_NAME": "vxkit-sandbox",
        "VXKIT_WORKSPACE_ROOT": str(Path(ws_root).resolve()),
        MECHANISM_ENV: mechanism or "none",
        "VXKIT_UNSAFE_KERNELS": "1" if mechanism is None else "",
    }
