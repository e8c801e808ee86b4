"""Sign-in cards: one per student of a class, to print, cut out and hand over.

Each card has the student's first name, their class, their personal code and a QR code of
the link that signs them in as themselves (the class link with the personal code). Whoever
holds the card is that student where it matters (grades, feedback, hand-ins), so the page is
written readable by its owner only, like the links file.
"""

from __future__ import annotations

import html
import json
from dataclasses import dataclass
from pathlib import Path

import segno
from tornado import web

from ..errors import VxkitError
from ..exchange import Exchange
from ..files import atomic_write
from ..grading import workflow
from ..workspace import Workspace
from .join import page
from .links import card_url, ensure_links, format_card_code, revoke_card
from .presence import TeacherAPIHandler, qr_data_uri

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


@dataclass(frozen=True)
class Card:
    """One student's sign-in card."""

    student_id: str
    name: str
    code: str  # as printed (two groups of four)
    url: str  # the class link that signs them in as themselves

    def qr_svg(self) -> str:
        """The card's QR code as inline SVG."""
        return segno.make(self.url, error="m").svg_inline(scale=4, omitsize=True)

    def as_dict(self) -> dict[str, str]:
        """The card as JSON-ready data, its QR code as an SVG data URI."""
        return {
            "student_id": self.student_id,
            "name": self.name,
            "code": self.code,
            "url": self.url,
            "qr": qr_data_uri(self.url),
        }


def class_cards(
    ws: Workspace, class_id: str, base_url: str, exchange: Exchange | None = None
) -> list[Card]:
    """The sign-in cards of one class (with a roster), in roster order."""
    exchange = exchange or ws.load()
    cls = exchange.get_class(class_id)
    if not cls.students:
        raise ValueError(
            f'Class "{class_id}" has no roster: its pupils choose nicknames, and there are no '
            "personal codes to print."
        )
    links = ensure_links(ws, exchange)
    cards = []
    for student in cls.roster:
        code = links.card(student.id) or ""
        url = card_url(base_url, links.code(cls.id), code)
        cards.append(Card(student.id, student.name, format_card_code(code), url))
    return cards


def cards_html(
    ws: Workspace, class_id: str, base_url: str, exchange: Exchange | None = None
) -> str:
    """The printable page of sign-in cards of one class (with a roster)."""
    exchange = exchange or ws.load()
    cls = exchange.get_class(class_id)
    esc = html.escape
    cards = [
        f'<div class="card"><div class="name">{esc(card.name)}</div>'
        f"<div>{esc(cls.school)}, {esc(cls.city)}</div>{card.qr_svg()}"
        f'<div class="code">{esc(card.code)}</div></div>'
        for card in class_cards(ws, class_id, base_url, exchange)
    ]
    body = (
        CARD_STYLE
        + f"<h1>{esc(exchange.title)}: {esc(cls.school)}</h1>"
        + '<p class="help">Scan the code to join as yourself, or open the class link, pick your '
        "name and type your personal code when you hand in. Keep your card to yourself.</p>"
        + f'<div class="cards">{"".join(cards)}</div>'
    )
    return page(f"Cards: {cls.school}", body, cls.colour)


def write_cards(ws: Workspace, class_id: str, base_url: str, out: Path) -> Path:
    """Write the cards page of a class to ``out`` (readable by its owner only)."""
    atomic_write(out, cards_html(ws, class_id, base_url))
    out.chmod(0o600)
    return out


class CardsHandler(TeacherAPIHandler):
    """``GET /vxkit/api/cards``: every class with a roster and its students' sign-in cards
    (personal code, link, QR code), for the dashboard (teachers only: a card signs its
    holder in as that student)."""

    @web.authenticated
    def get(self) -> None:
        """The cards of every class with a roster."""
        if not self.require_teacher():
            return
        ws = self.settings["vxkit_workspace"]
        base = self.extensionapp.public_url(self.request)
        try:
            exchange = ws.load()
            classes = [
                {
                    "id": cls.id,
                    "school": cls.school,
                    "city": cls.city,
                    "cards": [c.as_dict() for c in class_cards(ws, cls.id, base, exchange)],
                }
                for cls in exchange.classes
                if cls.students
            ]
        except VxkitError as err:
            self.write_problem(409, str(err).splitlines()[0])
            return
        self.finish(json.dumps({"classes": classes}))


class CardReplaceHandler(TeacherAPIHandler):
    """``POST /vxkit/api/cards/STUDENT_ID``: a new personal code for a lost card; the old one
    stops working and the browsers it verified must enter the new one."""

    @web.authenticated
    def post(self, student_id: str) -> None:
        """Replace the card; answers the new one."""
        if not self.require_teacher():
            return
        ws = self.settings["vxkit_workspace"]
        try:
            revoke_card(ws, student_id)
            exchange = ws.load()
            class_id = workflow.find_student(exchange, student_id).class_id
            cards = class_cards(ws, class_id, self.extensionapp.public_url(self.request), exchange)
        except VxkitError as err:
            self.write_problem(400, str(err).splitlines()[0])
            return
        card = next(c for c in cards if c.student_id == student_id)
        self.finish(json.dumps({"card": card.as_dict()}))


CARD_HANDLERS: list[tuple[str, type]] = [
    (r"/vxkit/api/cards", CardsHandler),
    (r"/vxkit/api/cards/(?P<student_id>[a-z0-9_-]{1,120})", CardReplaceHandler),
]
