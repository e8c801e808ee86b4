"""Widgets in the classes' languages: labels, table headers and country names come from the
catalogues (``vxkit/locale/<locale>/LC_MESSAGES/widgets.po``) and babel's locale data, and a
team notebook's widget labels in every language of the team."""

from __future__ import annotations

from datetime import UTC, datetime

from vxkit import catalogues, i18n
from vxkit.exchange import Exchange
from vxkit.widgets import DataContribution, IndicatorExplorer, PartnerBoard, TimeZonePlanner


def _labels(picker) -> list[str]:
    return list(picker.get_state()["_options_labels"])


def test_every_widget_message_is_in_every_catalogue_and_translated() -> None:
    assert {"Countries", "Add observation", "Refresh times", "year"} <= set(
        catalogues.widget_messages()
    )
    assert catalogues.problems() == []


def test_the_explorer_in_spanish(demo_exchange: Exchange) -> None:
    explorer = IndicatorExplorer("co2_per_person", exchange=demo_exchange, locale="es")
    assert explorer.country_picker.description == "Países"
    assert explorer.year_picker.description == "Años"
    assert "Francia" in _labels(explorer.country_picker)
    assert "France" not in _labels(explorer.country_picker)
    table = explorer.table.get_state()["value"]
    assert "Francia" in table and "Kenia" in table and ">año<" in table and "Fuente:" in table
    assert "Francia" in explorer.chart.get_state()["value"]
    explorer.locale = "fr"  # a change of language relabels everything
    assert explorer.country_picker.description == "Pays"
    assert "Chili" in explorer.table.get_state()["value"]


def test_a_team_of_two_languages_sees_both_labels(demo_exchange: Exchange) -> None:
    explorer = IndicatorExplorer(exchange=demo_exchange, locale="fr,es")
    assert explorer.country_picker.description == "Pays / Países"
    assert "Chili" in _labels(explorer.country_picker)  # names in the first language
    form = DataContribution(path="obs.csv", locale="fr,en")
    assert form.submit_button.description == "Ajouter l'observation / Add observation"
    assert _labels(form.kind_picker)[0] == ("Température de l'air à midi / Air temperature at noon")


def test_board_and_planner_in_french(demo_exchange: Exchange) -> None:
    board = PartnerBoard(demo_exchange, locale="fr,es")
    assert board.refresh_button.description == "Actualiser les heures / Actualizar las horas"
    assert "Chili" in board.cards.value
    start = datetime(2027, 3, 1, 6, tzinfo=UTC)
    planner = TimeZonePlanner(classes=demo_exchange.classes[:2], start=start, locale="fr")
    assert planner.picker.description == "Créneau"
    assert "prochains jours" in planner.summary.value


def test_a_language_without_catalogue_shows_english() -> None:
    assert i18n.tr("Countries", "sw") == "Countries"
    assert i18n.tr("A message no catalogue has", "fr") == "A message no catalogue has"
    assert i18n.tr("Countries", "fr-CA") == "Pays"
