"""vxkit-keeper: a JupyterHub service that keeps an exchange server running.

Runs inside the hub (standard library only, so the hub image needs nothing extra). Every
VXKIT_KEEP_INTERVAL seconds it asks the hub whether the server of VXKIT_EXCHANGE_USER is
running, and starts it when it is not (at the hub's first start, after a crash, a killed
process or a lost Kubernetes pod; the workspace and the collaboration store are on the
exchange's own volume, so nothing is lost). JupyterHub passes JUPYTERHUB_API_URL and
JUPYTERHUB_API_TOKEN.
"""

import json
import os
import sys
import time
import urllib.error
import urllib.request

API = os.environ["JUPYTERHUB_API_URL"].rstrip("/")
TOKEN = os.environ["JUPYTERHUB_API_TOKEN"]
USER = os.environ["VXKIT_EXCHANGE_USER"]
INTERVAL = float(os.environ.get("VXKIT_KEEP_INTERVAL", "10"))


def call(method, path):
    request = urllib.request.Request(
        f"{API}{path}", method=method, headers={"Authorization": f"token {TOKEN}"}
    )
    with urllib.request.urlopen(request, timeout=30) as response:
        body = response.read()
    return json.loads(body) if body else {}


def keep():
    model = call("GET", f"/users/{USER}")
    server = (model.get("servers") or {}).get("")
    if server is None:  # not running and not starting: start it
        print(f"vxkit-keeper: starting the exchange server of {USER}", file=sys.stderr)
        try:
            call("POST", f"/users/{USER}/server")
        except urllib.error.HTTPError as err:
            if err.code != 400:  # 400: it is already starting
                raise


while True:
    try:
        keep()
    except (urllib.error.URLError, OSError, ValueError) as err:
        # the hub may still be starting: try again at the next round
        print(f"vxkit-keeper: {err}", file=sys.stderr)
    sys.stderr.flush()
    time.sleep(INTERVAL)
