"""``VxkitSandboxProvisioner``: every kernel of a student's area starts sandboxed.

A jupyter_client kernel provisioner (entry point ``vxkit-sandbox``). Before a kernel
starts, it finds the kernel's area from its working folder (jupyter_server starts a
notebook's kernel in the notebook's folder; nbgrader in the submission's folder):

- a teacher-only area (the workspace root, ``course/`` but the release, ``.vxkit/``, a
  folder outside the layout): the kernel is the teacher's and runs as the stock one does;
- any other area: the launcher (``python -m vxkit.sandbox``) confines the kernel to it,
  with an environment built from an allowlist, a private HOME and TMPDIR, and read access
  to its own connection file only.

Wiring, in a server's config (tests/sandbox/test_server.py does exactly this)::

    c.KernelProvisionerFactory.default_provisioner_name = "vxkit-sandbox"
    c.VxkitSandboxProvisioner.workspace_root = str(workspace.root)  # default: root_dir
    c.VxkitSandboxProvisioner.unsafe_kernels = False  # True for --unsafe-kernels

or, per kernelspec, ``"metadata": {"kernel_provisioner": {"provisioner_name":
"vxkit-sandbox", "config": {"workspace_root": ...}}}``. At start the server calls
``vxkit.sandbox.prewarm()`` and prints ``vxkit.sandbox.sandbox_status()``.
"""

from __future__ import annotations

import os
import re
import shutil
import sys
import tempfile
from pathlib import Path
from typing import Any

from jupyter_client.provisioning import LocalProvisioner
from traitlets import Bool, List, Unicode, default

from ..areas import OUTSIDE, Area, area_of
from .grants import data_cache_dir, grants_for
from .mechanisms import MECHANISM_ENV, MECHANISMS, SandboxStatus, choose

#: ``VXKIT_WORKSPACE_ROOT``: the exchange workspace the server serves
ROOT_ENV = "VXKIT_WORKSPACE_ROOT"
#: ``VXKIT_UNSAFE_KERNELS=1``: run students' kernels unconfined where nothing can sandbox
UNSAFE_ENV = "VXKIT_UNSAFE_KERNELS"
#: environment variables a kernel may inherit (the server's carry tokens and secrets)
ENV_ALLOWED = re.compile(
    r"PATH|LANG|LANGUAGE|LC_[A-Z_]+|TZ|TERM|PYTHONPATH|PYTHONHASHSEED|PYTHONUNBUFFERED|"
    r"PYTHONIOENCODING|PYTHONUTF8|PYTHONWARNINGS|PYDEVD_DISABLE_FILE_VALIDATION|MPLBACKEND|"
    r"JPY_[A-Z_]+|NBGRADER_EXECUTION|VXKIT_CURRICULUM|OMP_NUM_THREADS|OPENBLAS_NUM_THREADS"
)
#: credentials no kernel gets, a teacher's included: a hub server's API token (JupyterHub
#: also sets it as JPY_API_TOKEN, which the allowlist's JPY_ would let through), the OAuth
#: client secret, and the gradebook's address (it may hold a password)
ENV_SECRETS = re.compile(r"JUPYTERHUB_[A-Z_]+|JPY_API_TOKEN|VXKIT_GRADEBOOK_URL")


def without_secrets(env: dict[str, str]) -> dict[str, str]:
    """``env`` without the server's credentials (``ENV_SECRETS``)."""
    return {k: v for k, v in env.items() if not ENV_SECRETS.fullmatch(k)}


#: kinds of areas whose kernels are the teacher's (the policy lets only teachers start them)
TEACHERS_KINDS = frozenset(
    {"root", "projects_root", "course", "state", "chats_root", "chat", "other", "outside"}
)


def kernel_area(ws_root: Path, cwd: Path) -> Area:
    """The area a kernel started in the folder ``cwd`` is confined to.

    ``area_of`` follows symlinks, and a kernel may make one in its own folder (to
    ``course/``, say): a notebook opened through it must not get a teacher's kernel. So a
    folder reached through a symlink inside a confined area stays in that area.
    """
    here = Path(os.path.abspath(cwd))
    for base in (Path(os.path.abspath(ws_root)), ws_root.resolve()):
        try:
            parts = here.relative_to(base).parts
        except ValueError:
            continue
        area = area_of(ws_root, "/".join(parts))
        if area.kind not in TEACHERS_KINDS:
            return area
        for depth in range(len(parts)):
            if base.joinpath(*parts[: depth + 1]).is_symlink():
                holder = area_of(ws_root, "/".join(parts[:depth]))
                return area if holder.kind in TEACHERS_KINDS else holder
        return area
    real, real_root = os.path.realpath(cwd), os.path.realpath(ws_root)
    if real == real_root or real.startswith(real_root + os.sep):
        return area_of(ws_root, os.path.relpath(real, real_root))
    return OUTSIDE


class VxkitSandboxProvisioner(LocalProvisioner):  # type: ignore[misc]
    """The local provisioner, with kernels of students' areas confined to their area."""

    workspace_root = Unicode(
        config=True,
        help=f"The exchange workspace whose areas kernels are confined to (default: ${ROOT_ENV}, "
        "else the Jupyter server's root_dir). Empty: refuse to start kernels, since no area "
        "can be told apart.",
    )
    mechanism = Unicode(
        config=True,
        help=f"How kernels are sandboxed: one of {', '.join(MECHANISMS)} "
        f"(default: ${MECHANISM_ENV}, else auto: Landlock with signal scoping, else "
        "bubblewrap, else older Landlock).",
    )
    unsafe_kernels = Bool(
        config=True,
        help=f"Start students' kernels unconfined when this machine can sandbox nothing "
        f"(default: True when ${UNSAFE_ENV}=1). False: such kernels are refused.",
    )
    allowed_env = List(
        Unicode(),
        default_value=[],
        config=True,
        help="Names of further environment variables a sandboxed kernel may inherit.",
    )
    extra_read = List(
        Unicode(),
        default_value=[],
        config=True,
        help="Further folders sandboxed kernels may read (another Python installation, say).",
    )

    private_dir: str | None = None
    status: SandboxStatus | None = None

    @default("workspace_root")
    def _workspace_root_default(self) -> str:
        # a Jupyter server's kernel manager knows the root it serves (the workspace, for vxkit)
        server_root = getattr(getattr(self.parent, "parent", None), "root_dir", "")
        return os.environ.get(ROOT_ENV) or str(server_root or "")

    @default("mechanism")
    def _mechanism_default(self) -> str:
        return os.environ.get(MECHANISM_ENV, "auto")

    @default("unsafe_kernels")
    def _unsafe_default(self) -> bool:
        return os.environ.get(UNSAFE_ENV, "") == "1"

    async def pre_launch(self, **kwargs: Any) -> dict[str, Any]:
        """Put the launcher in front of the kernel command and replace its environment."""
        if not self.workspace_root:
            raise RuntimeError(
                f"The vxkit sandbox doesn't know the workspace: set ${ROOT_ENV} or "
                "VxkitSandboxProvisioner.workspace_root."
            )
        root = Path(self.workspace_root).resolve()
        cwd = kwargs.get("cwd") or os.getcwd()
        area = kernel_area(Path(self.workspace_root), Path(cwd))
        if area.kind in TEACHERS_KINDS:
            self.log.info("vxkit: kernel %s in %s runs unconfined (teacher)", self.kernel_id, cwd)
            return self._no_secrets(await super().pre_launch(**kwargs))
        self.status = status = choose(self.mechanism)
        if status.mechanism is None:
            if not self.unsafe_kernels:
                raise RuntimeError(
                    f"A kernel for {cwd} was refused: {status.sentence} Start the server with "
                    "--unsafe-kernels to run students' kernels unconfined."
                )
            self.log.warning("vxkit: kernel %s runs UNCONFINED: %s", self.kernel_id, status)
            return self._no_secrets(await super().pre_launch(**kwargs))

        private = self._private_dir()
        km = self.parent
        if status.mechanism == "bubblewrap" and km is not None:
            # no network in the sandbox: ZMQ over unix sockets in the private folder
            km.cache_ports = False
            km.transport = "ipc"
            km.ip = str(private / "zmq")
        kwargs = await super().pre_launch(**kwargs)
        info = self.connection_info
        ports = tuple(
            int(info[k])
            for k in ("shell_port", "iopub_port", "stdin_port", "hb_port", "control_port")
            if info.get("transport", "tcp") == "tcp" and k in info
        )
        cmd = list(kwargs["cmd"])
        grants = grants_for(
            root,
            area,
            private=private,
            connection_file=os.path.realpath(km.connection_file) if km is not None else "",
            ports=ports,
            shell_port=ports[0] if ports else None,
            cwd=str(Path(cwd).resolve()),
            kernel_argv0=shutil.which(cmd[0]) if cmd else None,
            extra_read=tuple(self.extra_read),
        )
        # -I: the launcher starts in the student's folder, unconfined; isolated mode keeps
        # that folder (and PYTHONPATH) off its sys.path, so nothing planted there is imported
        launcher = [sys.executable, "-I", "-m", "vxkit.sandbox", "--mechanism", status.mechanism]
        for path in grants.read:
            launcher += ["--read", path]
        for path in grants.write:
            launcher += ["--write", path]
        for path in grants.listed:
            launcher += ["--list", path]
        for port in grants.bind_ports:
            launcher += ["--bind-port", str(port)]
        for port in grants.connect_ports:
            launcher += ["--connect-port", str(port)]
        kwargs["cmd"] = [*launcher, "--chdir", grants.cwd, "--", *cmd]
        kwargs["env"] = self.kernel_env(kwargs.get("env") or {}, private)
        kwargs["env"].update(self._exchange_view(root, area, private))
        self.log.info(
            "vxkit: kernel %s sandboxed (%s) to %s %s", self.kernel_id, status, area.kind, area.key
        )
        return kwargs

    @staticmethod
    def _no_secrets(kwargs: dict[str, Any]) -> dict[str, Any]:
        kwargs["env"] = without_secrets(kwargs.get("env") or dict(os.environ))
        return kwargs

    def kernel_env(self, env: dict[str, str], private: Path) -> dict[str, str]:
        """The kernel's environment: allowlisted names only (never a secret), HOME and
        TMPDIR private."""
        allowed = set(self.allowed_env) | set(self.kernel_spec.env or {})
        out = {
            k: v
            for k, v in without_secrets(env).items()
            if ENV_ALLOWED.fullmatch(k) or k in allowed
        }
        home = private / "home"
        out.update(
            HOME=str(home),
            TMPDIR=str(private / "tmp"),
            MPLCONFIGDIR=str(home / ".config" / "matplotlib"),
            IPYTHONDIR=str(home / ".ipython"),
            JUPYTER_CONFIG_DIR=str(home / ".jupyter"),
            JUPYTER_DATA_DIR=str(home / ".local" / "share" / "jupyter"),
            JUPYTER_RUNTIME_DIR=str(private / "runtime"),
            XDG_CACHE_HOME=str(home / ".cache"),
            VXKIT_CACHE_DIR=str(data_cache_dir()),
        )
        out.setdefault("PATH", os.defpath)
        return out

    def _exchange_view(self, root: Path, area: Area, private: Path) -> dict[str, str]:
        """Write the exchange as this kernel's area sees it (no other team's pupils, no
        teachers' names) into its private folder; the environment that points at it."""
        from ..errors import VxkitError
        from ..exchange import dump_exchange, load_exchange
        from ..files import atomic_write
        from ..views import exchange_view
        from ..workspace import VIEW_ENV, WORKSPACE_ENV

        view = private / "exchange.toml"
        try:
            exchange = load_exchange(root / "exchange.toml")
            atomic_write(view, dump_exchange(exchange_view(exchange, area)))
        except (VxkitError, OSError) as err:
            self.log.warning("vxkit: kernel %s gets no exchange view: %s", self.kernel_id, err)
            return {}
        return {VIEW_ENV: str(view), WORKSPACE_ENV: str(root)}

    def _private_dir(self) -> Path:
        """The kernel's own folder (0700, kept across restarts): HOME, TMPDIR, its sockets."""
        if self.private_dir is None or not os.path.isdir(self.private_dir):
            self.private_dir = tempfile.mkdtemp(prefix="vxkit-kernel-")
        private = Path(self.private_dir)
        for sub in ("home", "tmp", "runtime"):
            (private / sub).mkdir(mode=0o700, exist_ok=True)
        mpl = private / "home" / ".config" / "matplotlib"
        if not mpl.exists():
            mpl.mkdir(parents=True, mode=0o700)
            for fontlist in (data_cache_dir() / "matplotlib").glob("fontlist-*.json"):
                shutil.copyfile(fontlist, mpl / fontlist.name)  # see vxkit.sandbox.prewarm
        return private

    async def cleanup(self, restart: bool = False) -> None:
        """Remove the kernel's private folder once it is gone for good."""
        await super().cleanup(restart=restart)
        if not restart and self.private_dir:
            shutil.rmtree(self.private_dir, ignore_errors=True)
            self.private_dir = None
