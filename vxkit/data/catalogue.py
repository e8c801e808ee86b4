"""The indicator catalogue: tidy frames (iso3, country, year, value) with unit, source, licence.

Built-in indicators are read from installed packages (see ``sources.py``); a teacher adds
their own with ``register_csv``. Every frame carries its metadata in ``df.attrs``.
"""

from __future__ import annotations

import difflib
import math
import os
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path

import pandas as pd

from ..errors import VxkitError
from ..exchange import ID_PATTERN
from ..i18n import N_
from .countries import Country, from_numeric, get_country, known_codes, match_name, normalise_codes
from .sources import source_path

COLUMNS = ["iso3", "country", "year", "value"]
GAPMINDER_LICENCE = "CC BY 2.0 (Gapminder.org; credit the original providers)"
GAPMINDER_5Y_LICENCE = "CC BY 4.0 (Gapminder.org)"
MAX_PROBLEMS = 5


@dataclass(frozen=True)
class Indicator:
    """One indicator of the catalogue: what it measures, in what unit, from where, which years."""

    id: str
    title: str
    unit: str
    source: str
    licence: str
    years: range
    description: str = ""
    _load: Callable[[], pd.DataFrame] | None = field(default=None, repr=False, compare=False)

    @property
    def first_year(self) -> int:
        return self.years.start

    @property
    def last_year(self) -> int:
        return self.years[-1]

    def metadata(self) -> dict[str, str]:
        """The attributes attached to every frame of this indicator."""
        return {
            "id": self.id,
            "title": self.title,
            "unit": self.unit,
            "source": self.source,
            "licence": self.licence,
        }


def _tidy(rows: pd.DataFrame) -> pd.DataFrame:
    """Sorted, typed, de-duplicated rows with the English country name added."""
    rows = rows.dropna(subset=["iso3", "value"])
    # places Natural Earth maps as part of another country (Réunion, ...) have no own code
    rows = rows[rows["iso3"].isin(known_codes())]
    rows = rows.astype({"year": "int64", "value": "float64"})
    rows = rows.drop_duplicates(["iso3", "year"], keep="first")
    names = {iso3: get_country(iso3).name for iso3 in rows["iso3"].unique()}
    rows = rows.assign(country=rows["iso3"].map(names))
    return rows[COLUMNS].sort_values(["iso3", "year"]).reset_index(drop=True)


def _by_name(frame: pd.DataFrame) -> pd.DataFrame:
    codes = {name: match_name(name) for name in frame["country"].unique()}
    return frame.assign(iso3=frame["country"].map(codes))


@cache
def _gapminder_annual() -> pd.DataFrame:
    frame = pd.read_csv(source_path("gapminder"))
    return _by_name(frame)


def _gapminder(column: str) -> pd.DataFrame:
    frame = _gapminder_annual()
    return _tidy(frame[["iso3", "year", column]].rename(columns={column: "value"}))


def _co2() -> pd.DataFrame:
    frame = _by_name(pd.read_csv(source_path("emissions")))
    return _tidy(frame.rename(columns={"emissions": "value"}))


def _gdp() -> pd.DataFrame:
    frame = pd.read_csv(source_path("gapminder_5y"), keep_default_na=False, na_values=[""])
    frame = frame.rename(columns={"iso_alpha": "iso3", "gdpPercap": "value"})
    return _tidy(frame[["iso3", "year", "value"]])


@cache
def _wpp() -> pd.DataFrame:
    """The UN population table by country, year and five-year age group (ISO alpha-3)."""
    frame = pd.read_csv(source_path("wpp"), usecols=["LocID", "Year", "AgeGrpStart", "Value"])
    # UN M49 codes of regions and income groups match no country and are dropped
    codes: dict[int, str | None] = {}
    for loc in frame["LocID"].unique():
        country: Country | None = from_numeric(int(loc))
        codes[loc] = country.iso3 if country else None
    return frame.assign(iso3=frame["LocID"].map(codes)).dropna(subset=["iso3"])


def _projection() -> pd.DataFrame:
    totals = _wpp().groupby(["iso3", "Year"], as_index=False)["Value"].sum()
    return _tidy(totals.rename(columns={"Year": "year", "Value": "value"}))


#: the broad age groups of ``population_by_age``: children, working age, older people
AGE_GROUPS = ("0-14", "15-64", "65+")


def population_by_age(countries: Iterable[str]) -> pd.DataFrame:
    """People by broad age group (``AGE_GROUPS``) in each of ``countries`` (any ISO codes),
    1950-2100 every 5 years (UN World Population Prospects 2024, medium variant).

    Columns: ``iso3``, ``country``, ``year``, ``age_group``, ``people`` (a whole number).
    """
    codes = normalise_codes(countries)
    frame = _wpp()
    frame = frame[frame["iso3"].isin(codes)]
    groups = pd.cut(frame["AgeGrpStart"], [-1, 14, 64, 200], labels=list(AGE_GROUPS))
    out = frame.assign(age_group=groups.astype(str))
    out = out.groupby(["iso3", "Year", "age_group"], as_index=False)["Value"].sum()
    out = out.rename(columns={"Year": "year", "Value": "people"})
    out["people"] = out["people"].round(0).astype(int)
    out["country"] = out["iso3"].map(lambda code: get_country(code).name)
    out = out[["iso3", "country", "year", "age_group", "people"]]
    return out.sort_values(["iso3", "year", "age_group"]).reset_index(drop=True)


BUILTIN: dict[str, Indicator] = {
    ind.id: ind
    for ind in (
        Indicator(
            "co2_per_person",
            N_("CO₂ emissions per person"),
            N_("tonnes of CO₂ per person per year"),
            "CDIAC via bokeh_sampledata (emissions)",
            "Public domain",
            range(1950, 2013),
            "Carbon dioxide from fossil fuels and cement, divided by population.",
            _load=_co2,
        ),
        Indicator(
            "life_expectancy",
            N_("Life expectancy at birth"),
            N_("years"),
            "Gapminder via bokeh_sampledata",
            GAPMINDER_LICENCE,
            range(1964, 2014),
            "Years a newborn would live if the death rates of the year stayed the same.",
            _load=lambda: _gapminder("life_expectancy"),
        ),
        Indicator(
            "fertility",
            N_("Fertility"),
            N_("children per woman"),
            "Gapminder via bokeh_sampledata",
            GAPMINDER_LICENCE,
            range(1964, 2014),
            "Children a woman would have if the birth rates of the year stayed the same.",
            _load=lambda: _gapminder("fertility"),
        ),
        Indicator(
            "population",
            N_("Population"),
            N_("people"),
            "Gapminder via bokeh_sampledata",
            GAPMINDER_LICENCE,
            range(1964, 2014),
            "People living in the country in the year.",
            _load=lambda: _gapminder("population"),
        ),
        Indicator(
            "population_projection",
            N_("Population, estimated and projected to 2100"),
            N_("people"),
            "UN World Population Prospects 2024, medium variant, via bokeh_sampledata",
            "CC BY 3.0 IGO (United Nations, DESA, Population Division)",
            range(1950, 2101, 5),
            "Every five years; years after 2023 are the UN's medium projection.",
            _load=_projection,
        ),
        Indicator(
            "gdp_per_capita",
            N_("GDP per person"),
            N_("US dollars per person, inflation-adjusted (PPP)"),
            "Gapminder via plotly",
            GAPMINDER_5Y_LICENCE,
            range(1952, 2008, 5),
            "Gross domestic product per person, every five years.",
            _load=_gdp,
        ),
    )
}

_REGISTERED: dict[str, Indicator] = {}
_FRAMES: dict[str, pd.DataFrame] = {}


def list_indicators() -> list[Indicator]:
    """Every indicator: the built-in ones, then those registered with ``register_csv``."""
    return [*BUILTIN.values(), *_REGISTERED.values()]


def get_indicator(indicator_id: str) -> Indicator:
    """The indicator with this id; a clear error naming close matches when there is none."""
    known = {**BUILTIN, **_REGISTERED}
    if isinstance(indicator_id, str) and indicator_id in known:
        return known[indicator_id]
    close = difflib.get_close_matches(str(indicator_id), list(known), n=1, cutoff=0.5)
    close = close or [k for k in known if str(indicator_id).lower() in k][:1]
    hint = f' Did you mean "{close[0]}"?' if close else ""
    raise VxkitError(
        f'There is no indicator "{indicator_id}".{hint} Indicators: {", ".join(known)}.'
    )


def _frame(ind: Indicator) -> pd.DataFrame:
    if ind.id not in _FRAMES:
        assert ind._load is not None
        _FRAMES[ind.id] = ind._load()
    return _FRAMES[ind.id]


def _year_bounds(ind: Indicator, years: range | tuple[int, int] | int | None) -> tuple[int, int]:
    if years is None:
        return ind.first_year, ind.last_year
    if isinstance(years, bool):
        raise VxkitError(f"years must be a year, a (first, last) pair or a range, not {years!r}.")
    if isinstance(years, int):
        first = last = years
    elif isinstance(years, range):
        if len(years) == 0:
            raise VxkitError(f"The years {years} contain no year.")
        first, last = min(years), max(years)
    elif (
        isinstance(years, (tuple, list))
        and len(years) == 2
        and all(isinstance(y, int) and not isinstance(y, bool) for y in years)
    ):
        first, last = years
    else:
        raise VxkitError(f"years must be a year, a (first, last) pair or a range, not {years!r}.")
    if first > last:
        raise VxkitError(f"The first year ({first}) comes after the last year ({last}).")
    for year in (first, last):
        if not ind.first_year <= year <= ind.last_year:
            raise VxkitError(
                f"{ind.id} has data from {ind.first_year} to {ind.last_year}: "
                f"the year {year} is outside that range."
            )
    return first, last


def indicator(
    indicator_id: str,
    countries: Iterable[str] | None = None,
    years: range | tuple[int, int] | int | None = None,
) -> pd.DataFrame:
    """A tidy frame ``iso3, country, year, value`` of one indicator.

    ``countries`` are ISO alpha-2 or alpha-3 codes (None: every country with data); ``years``
    is one year, an inclusive ``(first, last)`` pair or a ``range`` (None: every year).
    ``df.attrs`` holds the indicator's id, title, unit, source and licence.
    """
    ind = get_indicator(indicator_id)
    frame = _frame(ind)
    first, last = _year_bounds(ind, years)
    mask = frame["year"].between(first, last)
    if isinstance(years, range) and years.step != 1:
        mask &= frame["year"].isin(list(years))
    if countries is not None:
        codes = normalise_codes(countries)
        present = set(frame["iso3"].unique())
        missing = [c for c in codes if c not in present]
        if missing:
            names = ", ".join(f"{get_country(c).name} ({c})" for c in missing)
            raise VxkitError(f"{ind.id} has no data for {names}.")
        mask &= frame["iso3"].isin(codes)
    out = frame.loc[mask].reset_index(drop=True)
    if out.empty:
        raise VxkitError(f"{ind.id} has no values for the years {first} to {last}.")
    out.attrs.update(ind.metadata())
    return out


def countries_with_data(indicator_id: str) -> list[str]:
    """The ISO alpha-3 codes of every country the indicator has values for."""
    return sorted(_frame(get_indicator(indicator_id))["iso3"].unique())


def register_csv(
    path: str | os.PathLike[str],
    *,
    id: str,
    unit: str,
    source: str,
    title: str | None = None,
    licence: str = "not stated",
    country_column: str | None = None,
    year_column: str = "year",
    value_column: str = "value",
) -> Indicator:
    """Add a teacher's CSV as an indicator: columns country code, year and value.

    The country column may be called ``iso3``, ``iso2``, ``country`` or ``code`` (or name it
    with ``country_column``); codes are ISO alpha-2 or alpha-3. Every problem found is
    reported with its row number and value; nothing is registered unless the file is valid.
    """
    if not isinstance(id, str) or not ID_PATTERN.match(id):
        raise VxkitError(
            f'"{id}" is not a valid indicator id: use lowercase letters, digits and _, '
            'starting with a letter (for example "school_temperature").'
        )
    if id in BUILTIN:
        raise VxkitError(f'"{id}" is a built-in indicator: choose another id.')
    for name, value in (("unit", unit), ("source", source)):
        if not isinstance(value, str) or not value.strip():
            raise VxkitError(f"Say the {name} of the indicator {id}: it is empty.")
    target = Path(path)
    try:
        raw = pd.read_csv(target, dtype=str, keep_default_na=False, encoding="utf-8")
    except FileNotFoundError:
        raise VxkitError(f"There is no file {target}.") from None
    except UnicodeDecodeError:
        raise VxkitError(f"{target} is not UTF-8 text: save it as “CSV UTF-8”.") from None
    except (pd.errors.ParserError, pd.errors.EmptyDataError) as err:
        raise VxkitError(f"{target} is not a readable CSV file ({err}).") from None
    raw.columns = [str(c).strip() for c in raw.columns]
    if country_column is None:
        country_column = next(
            (c for c in ("iso3", "iso2", "country", "code") if c in raw.columns), "iso3"
        )
    for column in (country_column, year_column, value_column):
        if column not in raw.columns:
            raise VxkitError(
                f'{target} has no column "{column}" (its columns: {", ".join(raw.columns)}). '
                f"It needs a country code column, {year_column} and {value_column}."
            )
    problems: list[str] = []
    rows = []
    seen: dict[tuple[str, int], int] = {}
    for index, (code, year_text, value_text) in enumerate(
        zip(raw[country_column], raw[year_column], raw[value_column], strict=True), start=2
    ):
        try:
            iso3 = get_country(code).iso3
        except VxkitError as err:
            problems.append(f"row {index}, {country_column}: {err}")
            continue
        try:
            year = int(year_text.strip())
        except ValueError:
            problems.append(f'row {index}, {year_column}: "{year_text}" is not a year')
            continue
        try:
            value = float(value_text.strip().replace(",", "."))
        except ValueError:
            problems.append(f'row {index}, {value_column}: "{value_text}" is not a number')
            continue
        if not math.isfinite(value):
            problems.append(f'row {index}, {value_column}: "{value_text}" is not a number')
            continue
        if (iso3, year) in seen:
            problems.append(f"row {index}: {iso3} {year} is already on row {seen[iso3, year]}")
            continue
        seen[iso3, year] = index
        rows.append((iso3, year, value))
    if not rows and not problems:
        problems.append("it has no rows of data")
    if problems:
        more = len(problems) - MAX_PROBLEMS
        shown = "; ".join(problems[:MAX_PROBLEMS]) + (f"; and {more} more" if more > 0 else "")
        raise VxkitError(f"{target} cannot be used as the indicator {id}: {shown}.")
    frame = _tidy(pd.DataFrame(rows, columns=["iso3", "year", "value"]))
    years = range(int(frame["year"].min()), int(frame["year"].max()) + 1)
    ind = Indicator(
        id,
        title or id.replace("_", " ").capitalize(),
        unit.strip(),
        source.strip(),
        licence,
        years,
        f"Registered from {target.name}.",
        _load=lambda: frame,
    )
    _REGISTERED[id] = ind
    _FRAMES[id] = frame
    return ind


def unregister(indicator_id: str) -> None:
    """Forget an indicator added with ``register_csv`` (built-in ones stay)."""
    _REGISTERED.pop(indicator_id, None)
    if indicator_id not in BUILTIN:
        _FRAMES.pop(indicator_id, None)
