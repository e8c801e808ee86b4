"""The Zero to JupyterHub values of `vxkit hub-config`, checked without a cluster.

Neither Helm nor the chart can be downloaded here: the values are validated against the
chart's published values schema (../shared/z2jh, see its README), and the exchange server's
spawn settings are loaded into KubeSpawner's own objects, which make the pod and volume
claim manifests a cluster would get.
"""

from __future__ import annotations

from pathlib import Path
from types import SimpleNamespace

import jsonschema
import pytest
import yaml
from traitlets.config import Config

from vxkit.hub import KUBE_WORKSPACE, render_hub_config
from vxkit.workspace import Workspace, scaffold

from .test_hub import EXCHANGE, OWNER

SCHEMA = Path(__file__).resolve().parents[2] / "shared" / "z2jh" / "values.schema.yaml"


@pytest.fixture(scope="module")
def workspace(tmp_path_factory: pytest.TempPathFactory) -> Workspace:
    ws, _ = scaffold(tmp_path_factory.mktemp("k8sws") / "exchange", EXCHANGE)
    return ws


@pytest.fixture(scope="module")
def values(workspace: Workspace) -> dict:
    _, helm = render_hub_config(
        workspace.load(),
        image="registry.example.org/vxkit:2027-01",
        gradebook_url="postgresql+psycopg://nbgrader@db:5432/{course}",
        resources={"storage": "20Gi", "mem_limit": "6G"},
    )
    return yaml.safe_load(helm)


def overlay_schema(node):
    """The chart's schema for values given on top of its defaults: Helm validates the merged
    values, where the chart's own values.yaml (not available here) fills what is required,
    so ``required`` goes; names, types and unknown keys are checked as Helm would."""
    if isinstance(node, dict):
        return {k: overlay_schema(v) for k, v in node.items() if k != "required"}
    if isinstance(node, list):
        return [overlay_schema(v) for v in node]
    return node


def test_values_are_valid_for_the_chart(values):
    if not SCHEMA.is_file():
        pytest.fail(f"The Zero to JupyterHub values schema is missing: {SCHEMA}")
    schema = overlay_schema(yaml.safe_load(SCHEMA.read_text(encoding="utf-8")))
    jsonschema.validate(values, schema)
    # and the schema does catch a mistake in them (it is not an empty check)
    broken = {**values, "singleuser": {**values["singleuser"], "storage": {"capacity": 10}}}
    with pytest.raises(jsonschema.ValidationError):
        jsonschema.validate(broken, schema)
    with pytest.raises(jsonschema.ValidationError):
        jsonschema.validate({**values, "singleusr": {}}, schema)


KUBECONFIG = """
apiVersion: v1
kind: Config
clusters: [{name: none, cluster: {server: "https://127.0.0.1:9"}}]
users: [{name: none, user: {token: none}}]
contexts: [{name: none, context: {cluster: none, user: none}}]
current-context: none
"""


@pytest.fixture(autouse=True)
def no_cluster(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """KubeSpawner reads a kube config when it is made; this one names no real cluster (the
    manifests are made without asking one)."""
    config = tmp_path / "kubeconfig"
    config.write_text(KUBECONFIG, encoding="utf-8")
    monkeypatch.setenv("KUBECONFIG", str(config))


async def kubespawner_for(values: dict, user: str):
    """A KubeSpawner for ``user`` configured as the chart's hub would: its config, then the
    vxkit block (hub.extraConfig), then the pre-spawn hook the hub runs before a start."""
    from kubespawner import KubeSpawner

    config = Config()
    config.KubeSpawner.pvc_name_template = "claim-{username}"  # the chart's per-user storage
    config.KubeSpawner.volumes = [
        {"name": "volume-{username}", "persistentVolumeClaim": {"claimName": "{pvc_name}"}}
    ]
    config.KubeSpawner.volume_mounts = [{"name": "volume-{username}", "mountPath": "/home/jovyan"}]
    config.KubeSpawner.image = "{}:{}".format(*values["singleuser"]["image"].values())
    code = values["hub"]["extraConfig"]["vxkit"]
    exec(compile(code, "hub.extraConfig.vxkit", "exec"), {"c": config})
    hub = SimpleNamespace(
        public_host="hub.example.org", url="http://hub:8081/hub/", base_url="/", api_url="x"
    )
    named = SimpleNamespace(name=user, id=1, url=f"/user/{user}/", escaped_name=user)
    spawner = KubeSpawner(_mock=True, config=config, user=named, hub=hub)
    spawner.api_token = "test-token"
    await spawner.pre_spawn_hook(spawner)
    return spawner


async def test_the_exchange_server_gets_its_own_volume_and_resources(values):
    spawner = await kubespawner_for(values, OWNER)
    claim = spawner.get_pvc_manifest()
    assert claim.metadata.name == "vxkit-hub-test-workspace"
    assert claim.spec.resources.requests["storage"] == "20Gi"
    assert claim.spec.access_modes == ["ReadWriteOnce"]
    pod = await spawner.get_pod_manifest()
    volumes = {v.name: v for v in pod.spec.volumes}
    assert volumes["vxkit-workspace"].persistent_volume_claim["claimName"] == claim.metadata.name
    (container,) = pod.spec.containers
    mounts = {m.name: m.mount_path for m in container.volume_mounts}
    assert mounts["vxkit-workspace"] == KUBE_WORKSPACE
    assert container.working_dir == KUBE_WORKSPACE
    assert container.args[:4] == ["python", "-m", "vxkit.hub", "exchange"]
    env = {e.name: e.value for e in container.env}
    assert env["JUPYTERHUB_ROOT_DIR"] == KUBE_WORKSPACE and env["VXKIT_HUB"] == OWNER
    assert 'id = "hub_test"' in env["VXKIT_EXCHANGE_TOML"]
    assert env["VXKIT_GRADEBOOK_URL"] == "postgresql+psycopg://nbgrader@db:5432/hub_test"
    limits, requests = container.resources.limits, container.resources.requests
    assert (limits["cpu"], limits["memory"]) == (2.0, 6 * 1024**3)  # KubeSpawner's units
    assert (requests["cpu"], requests["memory"]) == (0.5, 2 * 1024**3)


async def test_students_servers_keep_the_charts_settings(values):
    spawner = await kubespawner_for(values, "lyon_4b-ana")
    assert spawner.get_pvc_manifest().metadata.name.startswith("claim-lyon-4b-ana")
    pod = await spawner.get_pod_manifest()
    (container,) = pod.spec.containers
    assert "vxkit.hub" not in " ".join(container.args or [])
    assert {m.mount_path for m in container.volume_mounts} == {"/home/jovyan"}
    env = {e.name: e.value for e in container.env}
    assert "VXKIT_EXCHANGE_TOML" not in env
    assert env["VXKIT_HUB"] == OWNER  # the image's binder/start leaves the demo off
