"""Server settings for vxkit on Binder (binder/start puts this folder on JUPYTER_CONFIG_PATH).

Serves the demo exchange in ~/vxkit-demo, with every curriculum unit in each team folder, and
the settings `vxkit lab` uses. Binder chooses the address, port and token itself.
"""

from vxkit.binder import setup_binder_server

c = get_config()  # noqa: F821 - provided by Jupyter's config loader
setup_binder_server(c)
