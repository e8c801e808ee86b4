"""vxkit-sharing: a JupyterHub service that shares each team's notebook server with the team.

Runs inside the hub (standard library only, so the hub image needs nothing extra). For each
team it grants every member a share of the team owner's server, again every
VXKIT_SHARE_INTERVAL seconds (after a restart or a roster change). JupyterHub passes
JUPYTERHUB_API_URL and JUPYTERHUB_API_TOKEN; VXKIT_SHARES is {"owner": ["member", ...]}.
"""

import json
import os
import sys
import time
import urllib.error
import urllib.request

API = os.environ["JUPYTERHUB_API_URL"].rstrip("/")
TOKEN = os.environ["JUPYTERHUB_API_TOKEN"]
SHARES = json.loads(os.environ["VXKIT_SHARES"])
INTERVAL = float(os.environ.get("VXKIT_SHARE_INTERVAL", "600"))


def share(owner, member):
    # JupyterHub 5+: POST /shares/{owner}/ with {"user": name} (the trailing slash matters)
    body = json.dumps({"user": member}).encode()
    request = urllib.request.Request(
        f"{API}/shares/{owner}/",
        data=body,
        method="POST",
        headers={"Authorization": f"token {TOKEN}", "Content-Type": "application/json"},
    )
    with urllib.request.urlopen(request, timeout=30) as response:
        return response.status


def grant_all():
    missing = 0
    for owner, members in SHARES.items():
        for member in members:
            try:
                share(owner, member)
            except (urllib.error.URLError, OSError) as err:
                missing += 1
                print(
                    f"vxkit-sharing: cannot share {owner}'s server with {member}: {err}",
                    file=sys.stderr,
                )
    return missing


retry = 1.0
while True:
    if grant_all() == 0:
        retry, delay = 1.0, INTERVAL
    else:  # the hub may still be starting, or a user was removed: retry sooner, backing off
        retry, delay = min(retry * 2, INTERVAL), retry
    sys.stderr.flush()
    time.sleep(delay)
