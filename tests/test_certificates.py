"""Certificates of participation: one printable page per student, text escaped, written whole."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from vxkit.certificates import certificates_html, units_done
from vxkit.cli import main
from vxkit.exchange import student_id
from vxkit.workspace import Workspace


def _submit(ws: Workspace, nbgrader_id: str, unit: str) -> None:
    (ws.course_dir / "submitted" / nbgrader_id / unit).mkdir(parents=True)


def test_one_page_per_student_with_hostile_text_escaped(demo_workspace: Workspace):
    exchange = demo_workspace.load()
    lyon = exchange.get_class("lyon_4b")
    lyon.students = ["<script>alert(1)</script>", "Zoé & Léa", "Hugo"]
    exchange.title = 'Rivers "</title><img src=x onerror=alert(2)>'
    exchange.classes[1].school = "<b>Nairobi</b> School"
    _submit(demo_workspace, student_id("lyon_4b", "Hugo"), "meet_partners")

    page = certificates_html(demo_workspace, "lyon_4b", exchange)

    assert page.count('<section class="certificate">') == 3
    assert "<script>" not in page and "<img" not in page and "<b>Nairobi" not in page
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page
    assert "Zoé &amp; Léa" in page and "&lt;b&gt;Nairobi&lt;/b&gt; School" in page
    assert "size: A4" in page and "break-after: page" in page
    # Lyon's first language is French; the partner classes are the two others, not Lyon
    assert "Certificat de participation" in page
    hugo = page.split('<div class="name">Hugo</div>')[1].split("</section>")[0]
    assert "Rencontrez vos partenaires" in hugo and "Meet your partners" not in hugo  # the unit too
    assert "Valparaíso" in hugo and hugo.count("<li>") == 3  # two partners, one unit
    other = page.split('<div class="name">Zoé &amp; Léa</div>')[1].split("</section>")[0]
    assert "A participé à l&#x27;échange." in other


def test_a_spanish_class_gets_the_units_titles_in_spanish(demo_workspace: Workspace):
    exchange = demo_workspace.load()
    exchange.units = ["meet_partners", "local_data"]
    tomas = student_id("valparaiso_1m", "Tomás")
    for unit in exchange.units:
        _submit(demo_workspace, tomas, unit)
    page = certificates_html(demo_workspace, "valparaiso_1m", exchange)
    mine = page.split('<div class="name">Tomás</div>')[1].split("</section>")[0]
    assert "Conozcan a sus compañeros" in mine and "Nuestros datos locales" in mine
    assert "Meet your partners" not in mine and "Our local data" not in mine


def test_a_team_submission_counts_for_every_member(demo_workspace: Workspace):
    exchange = demo_workspace.load()
    team = exchange.teams[0]
    class_id, names = next(iter(team.members.items()))
    member = next(s for s in exchange.get_class(class_id).roster if s.name == names[0])
    assert units_done(demo_workspace, exchange, member) == []
    _submit(demo_workspace, team.id, "meet_partners")
    assert units_done(demo_workspace, exchange, member) == ["meet_partners"]


def test_cli_writes_the_page_and_names_a_wrong_class(
    demo_workspace: Workspace, tmp_path: Path, capsys: pytest.CaptureFixture[str]
):
    out = tmp_path / "print" / "certs.html"
    out.parent.mkdir()
    assert main(["certificates", "valparaiso_1m", str(demo_workspace.root), "--out", str(out)]) == 0
    page = out.read_text(encoding="utf-8")
    assert len(re.findall(r'<section class="certificate">', page)) == 6
    assert "Certificado de participación" in page and '<html lang="es">' in page
    assert [p.name for p in out.parent.iterdir()] == ["certs.html"]  # no temporary file left
    assert main(["certificates", "paris_3", str(demo_workspace.root)]) == 1
    assert 'There is no class "paris_3"' in capsys.readouterr().err
