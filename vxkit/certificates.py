"""Certificates of participation: one printable page per student of a class.

The closing unit of the curriculum ends the exchange with a certificate for every student:
their first name, their class, the partner classes, the exchange's title and the units they
handed in (a collected submission of their own or of their team). ``vxkit certificates CLASS``
writes them as one HTML file, one A4 page per certificate when printed, in the class's first
language where the catalogue translates it.
"""

from __future__ import annotations

import html
import os
from pathlib import Path

from .exchange import Exchange, PartnerClass, Student
from .files import atomic_write
from .grading.workflow import submitted_ids
from .i18n import tr
from .workspace import Workspace

STYLE = """
<style>
@page { size: A4 portrait; margin: 1.5cm; }
body { font-family: Georgia, "Times New Roman", serif; margin: 0; color: #222; }
.certificate { box-sizing: border-box; min-height: 26cm; padding: 2cm 1.5cm;
               border: .4cm double var(--colour); text-align: center;
               break-after: page; page-break-after: always; }
.certificate:last-child { break-after: auto; page-break-after: auto; }
.certificate h1 { font-size: 2.2rem; margin: 0 0 1.2cm; }
.certificate .name { font-size: 2.6rem; font-weight: bold; margin: .6cm 0; }
.certificate .exchange { font-size: 1.5rem; font-style: italic; }
.certificate ul { list-style: none; padding: 0; }
.certificate .signature { margin-top: 2cm; border-top: 1px solid #888; display: inline-block;
                          padding: .2cm 2cm 0; }
@media screen { .certificate { margin: 1cm auto; max-width: 21cm; } }
</style>
"""


def units_done(ws: Workspace, exchange: Exchange, student: Student) -> list[str]:
    """The exchange's units the student handed in: a collected submission of their own, or of
    their team (team units are submitted once per team)."""
    team = exchange.team_of(student.class_id, student.name)
    ids = {student.id} | ({team.id} if team else set())
    return [unit for unit in exchange.units if ids & set(submitted_ids(ws, unit))]


def _certificate(
    exchange: Exchange,
    cls: PartnerClass,
    student: Student,
    units: list[str],
    titles: dict[str, str],
    locale: str,
) -> str:
    esc = html.escape
    partners = [c for c in exchange.classes if c.id != cls.id]
    partner_items = "".join(
        f"<li>{esc(c.school)}, {esc(c.city)} ({esc(c.country_name(locale))})</li>" for c in partners
    )
    unit_items = "".join(f"<li>{esc(titles.get(u, u))}</li>" for u in units)
    done = (
        f"<p>{esc(tr('Units completed:', locale))}</p><ul>{unit_items}</ul>"
        if units
        else f"<p>{esc(tr('Took part in the exchange.', locale))}</p>"
    )
    return (
        '<section class="certificate">'
        f"<h1>{esc(tr('Certificate of participation', locale))}</h1>"
        f'<div class="name">{esc(student.name)}</div>'
        f"<p>{esc(cls.school)}, {esc(cls.city)} ({esc(cls.country_name(locale))})</p>"
        f"<p>{esc(tr('took part in the virtual exchange', locale))}</p>"
        f'<p class="exchange">{esc(exchange.title)}</p>'
        f"<p>{esc(exchange.start.isoformat())} – {esc(exchange.end.isoformat())}</p>"
        f"<p>{esc(tr('with the partner classes:', locale))}</p><ul>{partner_items}</ul>"
        f"{done}"
        f'<div class="signature">{esc(cls.teacher or tr("Teacher", locale))}</div>'
        "</section>"
    )


def unit_titles(
    units: list[str], locale: str = "en", ws: Workspace | None = None
) -> dict[str, str]:
    """The title of each unit found (from its ``unit.toml``), by id, in ``locale``'s language
    where ``unit.toml`` gives one (its ``titles`` table), else as ``title`` says. With ``ws``,
    a teacher's own units are found too."""
    from .exchange import tomllib
    from .i18n import language
    from .workspace import curriculum_dir, find_unit

    lang = language(locale)
    titles = {}
    for unit in units:
        folder = find_unit(ws, unit) if ws is not None else curriculum_dir() / unit
        if folder is None:
            continue
        try:
            meta = tomllib.loads((folder / "unit.toml").read_text(encoding="utf-8"))
            title = str(meta["title"])
        except (OSError, ValueError, KeyError):
            continue  # a teacher's own unit without a title shows its id
        translated = meta.get("titles", {})
        if isinstance(translated, dict) and isinstance(translated.get(lang), str):
            title = translated[lang]
        titles[unit] = title
    return titles


def certificates_html(ws: Workspace, class_id: str, exchange: Exchange | None = None) -> str:
    """The printable page of certificates of one class: one A4 page per student."""
    from .errors import VxkitError

    exchange = exchange or ws.load()
    cls = exchange.get_class(class_id)
    if not cls.students:
        raise VxkitError(
            f'Class "{class_id}" has no roster (students in exchange.toml): there is no '
            "name to print on a certificate."
        )
    locale = next(iter(cls.languages), "en")
    titles = unit_titles(exchange.units, locale, ws)
    pages = "".join(
        _certificate(exchange, cls, s, units_done(ws, exchange, s), titles, locale)
        for s in cls.roster
    )
    title = html.escape(f"{tr('Certificates', locale)}: {cls.school}")
    lang = html.escape(locale)
    return (
        f'<!DOCTYPE html>\n<html lang="{lang}"><head><meta charset="utf-8">'
        f"<title>{title}</title>{STYLE.replace('var(--colour)', html.escape(cls.colour))}"
        f"</head><body>{pages}</body></html>\n"
    )


def write_certificates(
    ws: Workspace, class_id: str, out: str | os.PathLike[str] | None = None
) -> Path:
    """Write the certificates page of a class (default: ``certificates-<class>.html``)."""
    path = Path(out) if out is not None else Path(f"certificates-{class_id}.html")
    atomic_write(path, certificates_html(ws, class_id))
    return path
