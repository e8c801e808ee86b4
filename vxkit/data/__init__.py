"""Offline data for exchange projects: indicators, countries and world boundaries.

Everything is read from installed packages (no downloads):

>>> from vxkit import data
>>> [i.id for i in data.list_indicators()][:2]
['co2_per_person', 'life_expectancy']
>>> df = data.indicator("life_expectancy", countries=["FR", "KEN"], years=(2000, 2010))
>>> list(df.columns)
['iso3', 'country', 'year', 'value']
"""

from __future__ import annotations

from .catalogue import (
    Indicator,
    countries_with_data,
    get_indicator,
    indicator,
    list_indicators,
    population_by_age,
    register_csv,
    unregister,
)
from .countries import Country, countries, country_name, get_country, to_iso2, to_iso3
from .geo import boundaries

__all__ = [
    "Country",
    "Indicator",
    "boundaries",
    "countries",
    "countries_with_data",
    "country_name",
    "get_country",
    "get_indicator",
    "indicator",
    "list_indicators",
    "population_by_age",
    "register_csv",
    "to_iso2",
    "to_iso3",
    "unregister",
]
