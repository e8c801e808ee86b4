"""IndicatorExplorer: pick an indicator, countries and years; a chart and a table follow."""

from __future__ import annotations

import html
from typing import Any

import ipywidgets as widgets
import pandas as pd
from traitlets import Int, List, TraitError, Tuple, Unicode, observe, validate

from ..errors import VxkitError
from ..exchange import Exchange
from ..i18n import first, tr
from .charts import line_chart, table_html


def _partner_countries(exchange: Exchange | None) -> tuple[list[str], dict[str, str]]:
    """The ISO3 codes of the partner classes and each one's class colour."""
    from ..data import to_iso3

    if exchange is None:
        from ..workspace import find_workspace

        try:
            exchange = find_workspace().load()
        except VxkitError:
            return [], {}
    codes: list[str] = []
    colours: dict[str, str] = {}
    for cls in exchange.classes:
        code = to_iso3(cls.country)
        if code not in codes:
            codes.append(code)
            colours[code] = cls.colour
    return codes, colours


class IndicatorExplorer(widgets.VBox):
    """Explore one indicator for a few countries: pickers on top, chart and table below.

    The model traits (``indicator``, ``countries``, ``years``) are the explorer's state;
    the pickers, chart and table are child widgets that follow it, so a change made by
    any partner in a shared notebook updates everyone's view.
    """

    indicator = Unicode(
        "life_expectancy",
        help="Id of the indicator shown (see vxkit.data.list_indicators()).",
    )
    countries = List(
        Unicode(),
        help="ISO alpha-3 codes of the countries shown (alpha-2 accepted); empty: none.",
    )
    years = Tuple(
        Int(),
        Int(),
        default_value=(0, 0),
        help="First and last year shown, inclusive; (0, 0) means every year of the indicator.",
    )
    message = Unicode("", help="The last problem shown to the user, as a sentence; '' if none.")
    locale = Unicode(
        "en",
        help='Language of labels, table headers and country names ("fr", "es"); several '
        'joined by commas ("fr,es") label in each, country names in the first.',
    )

    def __init__(
        self,
        indicator: str = "life_expectancy",
        countries: list[str] | None = None,
        years: tuple[int, int] | None = None,
        *,
        exchange: Exchange | None = None,
        locale: str = "en",
        **kwargs: Any,
    ) -> None:
        from ..data import list_indicators

        partners, self._colours = _partner_countries(exchange)
        self._syncing = False
        self.indicator_picker = widgets.Dropdown(
            options=[(tr(i.title, locale), i.id) for i in list_indicators()],
            description=tr("Indicator", locale),
            style={"description_width": "initial"},
        )
        self.country_picker = widgets.SelectMultiple(description=tr("Countries", locale), rows=8)
        self.year_picker = widgets.IntRangeSlider(
            description=tr("Years", locale), continuous_update=False, layout={"width": "420px"}
        )
        self.chart = widgets.HTML(layout={"min_height": "320px"})
        self.table = widgets.HTML()
        self.status = widgets.HTML()
        super().__init__(**kwargs)
        self.locale = locale
        self.children = [
            widgets.HBox([self.indicator_picker, self.year_picker]),
            widgets.HBox([self.country_picker, self.chart]),
            self.status,
            self.table,
        ]
        self.indicator = indicator
        self._apply_indicator(self.indicator)  # also when the default was kept
        self.countries = countries if countries is not None else self._available(partners)
        if years is not None:
            self.years = years
        self.indicator_picker.observe(self._picked_indicator, "value")
        self.country_picker.observe(self._picked_countries, "value")
        self.year_picker.observe(self._picked_years, "value")
        self.refresh()

    # --- invariants -------------------------------------------------------------------

    @validate("indicator")
    def _valid_indicator(self, proposal: dict[str, Any]) -> str:
        from ..data import get_indicator

        try:
            return get_indicator(proposal["value"]).id
        except VxkitError as err:
            raise TraitError(str(err)) from None

    @validate("countries")
    def _valid_countries(self, proposal: dict[str, Any]) -> list[str]:
        from ..data import countries_with_data, get_country
        from ..data.countries import normalise_codes

        try:
            codes = normalise_codes(proposal["value"])
        except VxkitError as err:
            raise TraitError(str(err)) from None
        available = set(countries_with_data(self.indicator))
        missing = [c for c in codes if c not in available]
        if missing:
            names = ", ".join(get_country(c).name for c in missing)
            raise TraitError(f"{self.indicator} has no data for {names}.")
        return codes

    @validate("years")
    def _valid_years(self, proposal: dict[str, Any]) -> tuple[int, int]:
        from ..data import get_indicator

        first, last = proposal["value"]
        ind = get_indicator(self.indicator)
        if (first, last) == (0, 0):
            return ind.first_year, ind.last_year
        if first > last:
            raise TraitError(f"The first year ({first}) comes after the last year ({last}).")
        if first < ind.first_year or last > ind.last_year:
            raise TraitError(
                f"{ind.id} has data from {ind.first_year} to {ind.last_year}, "
                f"not {first} to {last}."
            )
        return first, last

    # --- state changes ------------------------------------------------------------------

    @observe("indicator")
    def _indicator_changed(self, change: dict[str, Any]) -> None:
        self._apply_indicator(change["new"])

    def _apply_indicator(self, indicator_id: str) -> None:
        from ..data import countries_with_data, get_country, get_indicator

        ind = get_indicator(indicator_id)
        available = countries_with_data(ind.id)
        kept = [c for c in self.countries if c in set(available)]
        dropped = [get_country(c).name for c in self.countries if c not in set(available)]
        first, last = self.years
        self._syncing = True
        try:
            self.country_picker.options = sorted(
                ((self._name(c), c) for c in available), key=lambda o: o[0]
            )
            self.year_picker.min, self.year_picker.max = -(10**6), 10**6
            self.year_picker.min, self.year_picker.max = ind.first_year, ind.last_year
            self.year_picker.step = ind.years.step
        finally:
            self._syncing = False
        self.countries = kept
        if (first, last) == (0, 0) or first < ind.first_year or last > ind.last_year:
            self.years = (ind.first_year, ind.last_year)
        said = tr("{indicator} has no data for {countries}.", self.locale)
        shown = {"indicator": tr(ind.title, self.locale), "countries": ", ".join(dropped)}
        self.message = said.format(**shown) if dropped else ""

    @observe("locale")
    def _locale_changed(self, change: dict[str, Any]) -> None:
        self.indicator_picker.description = tr("Indicator", self.locale)
        self.country_picker.description = tr("Countries", self.locale)
        self.year_picker.description = tr("Years", self.locale)
        from ..data import list_indicators

        self._syncing = True
        try:  # the indicators' titles in the new language, the same one picked
            self.indicator_picker.options = [
                (tr(i.title, self.locale), i.id) for i in list_indicators()
            ]
            self.indicator_picker.value = self.indicator
        finally:
            self._syncing = False
        self._apply_indicator(self.indicator)  # country names in the new language
        self.refresh()

    def _picked_indicator(self, change: dict[str, Any]) -> None:
        if not self._syncing:
            self.indicator = change["new"]

    def _picked_countries(self, change: dict[str, Any]) -> None:
        if not self._syncing:
            self.countries = list(change["new"])

    def _picked_years(self, change: dict[str, Any]) -> None:
        if not self._syncing:
            self.years = tuple(change["new"])

    @observe("countries", "years", "message")
    def _state_changed(self, change: dict[str, Any]) -> None:
        self.refresh()

    def _name(self, code: str) -> str:
        """A country's name in the widget's (first) language."""
        from ..data import get_country

        return get_country(code).display_name(first(self.locale))

    def _available(self, codes: list[str]) -> list[str]:
        from ..data import countries_with_data

        available = set(countries_with_data(self.indicator))
        return [c for c in codes if c in available]

    # --- output -------------------------------------------------------------------------

    def frame(self) -> pd.DataFrame:
        """The data shown: tidy rows of the chosen indicator, countries and years."""
        from ..data import indicator

        if not self.countries:
            return pd.DataFrame(columns=["iso3", "country", "year", "value"])
        return indicator(self.indicator, self.countries, self.years)

    def refresh(self) -> None:
        """Bring pickers, chart and table in line with the state (one update for all)."""
        from ..data import get_indicator

        if not hasattr(self, "table"):
            return  # still being built
        ind = get_indicator(self.indicator)
        self._syncing = True
        try:
            if self.indicator_picker.value != ind.id:
                self.indicator_picker.value = ind.id
            if tuple(self.country_picker.value) != tuple(self.countries):
                self.country_picker.value = tuple(self.countries)
            if tuple(self.year_picker.value) != tuple(self.years):
                self.year_picker.value = tuple(self.years)
        finally:
            self._syncing = False
        try:
            data = self.frame()
        except VxkitError as err:
            data = pd.DataFrame(columns=["iso3", "country", "year", "value"])
            self.message = str(err)
        series = {
            self._name(code): list(zip(rows["year"], rows["value"], strict=True))
            for code, rows in data.groupby("iso3", sort=False)
        }
        colours = {self._name(c): colour for c, colour in self._colours.items()}
        self.chart.value = line_chart(
            series,
            title=tr(ind.title, self.locale),
            unit=tr(ind.unit, self.locale),
            colours=colours,
            locale=self.locale,
        )
        if data.empty:
            self.table.value = (
                f"<p>{html.escape(tr('Pick one or more countries.', self.locale))}</p>"
            )
        else:
            named = data.assign(country=data["iso3"].map(self._name))
            wide = named.pivot(index="year", columns="country", values="value")
            wide.columns.name = None
            wide.index.name = tr("year", self.locale)
            source, licence = tr("Source", self.locale), tr("Licence", self.locale)
            self.table.value = table_html(wide) + (
                f"<p><small>{html.escape(source)}: {html.escape(ind.source)}. "
                f"{html.escape(licence)}: {html.escape(ind.licence)}.</small></p>"
            )
        self.status.value = (
            f'<p style="color:#a00">{html.escape(self.message)}</p>' if self.message else ""
        )
