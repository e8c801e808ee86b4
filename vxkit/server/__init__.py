"""The vxkit Jupyter server extension: exchange REST API, identity and roles."""
