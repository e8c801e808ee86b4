"""PartnerBoard: a card per class, in the partner's language, every field escaped."""

from __future__ import annotations

from datetime import datetime, timezone

import pytest
from traitlets import TraitError

from tests.widgets.samples import EVIL, TEMPLATE_CODE
from vxkit.exchange import Exchange
from vxkit.widgets import PartnerBoard

NOW = datetime(2027, 3, 1, 12, 0, tzinfo=timezone.utc)


def test_one_card_per_class_with_local_time(demo_exchange: Exchange) -> None:
    board = PartnerBoard(demo_exchange, now=NOW)
    cards = board.cards.get_state()["value"]
    assert cards.count('class="vx-card"') == 3
    assert "Collège Jean Moulin" in cards and "Riverside Junior School" in cards
    assert "Lyon, France" in cards and "Valparaíso, Chile" in cards
    assert "Mon 13:00" in cards and "Mon 15:00" in cards and "Mon 09:00" in cards
    assert "Languages: French, English" in cards
    assert "Primero medio in the port city" in cards


def test_names_in_the_partner_language(demo_exchange: Exchange) -> None:
    board = PartnerBoard(demo_exchange, locale="sw", now=NOW)
    cards = board.cards.get_state()["value"]
    assert "Lyon, Ufaransa" in cards and "Kiswahili" in cards
    board.locale = "fr"
    assert "Langues : français, anglais" in board.cards.value  # the labels in French too
    with pytest.raises(TraitError, match='"xx-nowhere" is not a language code'):
        board.locale = "xx-nowhere"


def test_refresh_moves_the_local_time(demo_exchange: Exchange) -> None:
    board = PartnerBoard(demo_exchange, now=NOW)
    board.now = datetime(2027, 3, 1, 14, 30, tzinfo=timezone.utc)
    assert "Mon 15:30" in board.cards.value


def test_typed_text_is_escaped_on_the_cards(evil_exchange: Exchange) -> None:
    cards = PartnerBoard(evil_exchange, now=NOW).cards.get_state()["value"]
    assert EVIL not in cards
    assert "<script>" not in cards
    assert cards.count("&lt;img src=x onerror=alert(1)&gt;") == 3  # school, teacher, profile
    assert TEMPLATE_CODE in cards
