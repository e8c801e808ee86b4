"""Sign-in cards: one per student of a class, to print, cut out and hand over.

Each card has the student's first name, their class, their personal code and a QR code of
the link that signs them in as themselves (the class link with the personal code). Whoever
holds the card is that student where it matters (grades, feedback, hand-ins), so the page is
written readable by its owner only, like the links file.
"""

from __future__ import annotations

import html
from pathlib import Path

import segno

from ..exchange import Exchange
from ..files import atomic_write
from ..workspace import Workspace
from .join import PAGE
from .links import card_url, ensure_links, format_card_code

CARD_STYLE = """
<style>
@page { margin: 1cm; }
.cards { display: grid; grid-template-columns: repeat(3, 1fr); gap: .4cm; }
.card { border: 1px dashed #888; border-radius: .3cm; padding: .4cm; break-inside: avoid;
        text-align: center; }
.card .name { font-size: 1.4rem; font-weight: bold; }
.card .code { font-family: monospace; font-size: 1.3rem; letter-spacing: .1rem; }
.card svg { width: 3.2cm; height: 3.2cm; }
.help { color: #555; }
</style>
"""


def cards_html(
    ws: Workspace, class_id: str, base_url: str, exchange: Exchange | None = None
) -> str:
    """The printable page of sign-in cards of one class (with a roster)."""
    exchange = exchange or ws.load()
    cls = exchange.get_class(class_id)
    if not cls.students:
        raise ValueError(
            f'Class "{class_id}" has no roster: its pupils choose nicknames, and there are no '
            "personal codes to print."
        )
    links = ensure_links(ws, exchange)
    esc = html.escape
    cards = []
    for student in cls.roster:
        code = links.card(student.id) or ""
        url = card_url(base_url, links.code(cls.id), code)
        qr = segno.make(url, error="m").svg_inline(scale=4, omitsize=True)
        cards.append(
            f'<div class="card"><div class="name">{esc(student.name)}</div>'
            f"<div>{esc(cls.school)}, {esc(cls.city)}</div>{qr}"
            f'<div class="code">{esc(format_card_code(code))}</div></div>'
        )
    body = (
        CARD_STYLE
        + f"<h1>{esc(exchange.title)}: {esc(cls.school)}</h1>"
        + '<p class="help">Scan the code to join as yourself, or open the class link, pick your '
        "name and type your personal code when you hand in. Keep your card to yourself.</p>"
        + f'<div class="cards">{"".join(cards)}</div>'
    )
    return PAGE.format(title=esc(f"Cards: {cls.school}"), body=body, colour=esc(cls.colour))


def write_cards(ws: Workspace, class_id: str, base_url: str, out: Path) -> Path:
    """Write the cards page of a class to ``out`` (readable by its owner only)."""
    atomic_write(out, cards_html(ws, class_id, base_url))
    out.chmod(0o600)
    return out
