"""Sign-in cards: picking Chloé's name is enough to co-edit as Chloé, not to be her where it
matters. Her grades, feedback and hand-ins need her personal code once per browser."""

from __future__ import annotations

import stat
from urllib.parse import quote

from vxkit.cli import main
from vxkit.server.links import ensure_links, format_card_code


async def verify(person, code: str):
    body = f"_xsrf={quote(person.cookies.get('_xsrf', ''))}&code={quote(code)}"
    headers = {"Content-Type": "application/x-www-form-urlencoded"}
    return await person.fetch("vxkit/verify", "POST", body, headers)


async def test_a_classmate_who_picks_her_name_cannot_see_her_grades_or_hand_in(
    person_factory, classroom_links
):
    fake = person_factory()
    await fake.join(classroom_links.code("lyon_4b"), name="Chloé")
    assert (await fake.fetch("api/me")).code == 200  # co-editing as Chloé works
    for url, method in [
        ("vxkit/api/grades", "GET"),
        ("vxkit/api/assignments", "GET"),
        ("vxkit/assignments", "GET"),
        ("vxkit/api/assignments/meet_partners/submit", "POST"),
        ("vxkit/api/assignments/meet_partners/feedback", "POST"),
    ]:
        response = await fake.fetch(url, method, {} if method == "POST" else None)
        assert response.code == 403, url
        # the API says why in a stable word (its sentence is in Chloé's class's French)
        assert b'"reason": "personal_code"' in response.body or b"personal code" in response.body
    # guessing her code is refused, and does not verify the browser
    assert (await verify(fake, "AAAA-AAAA")).code == 400
    assert (await fake.fetch("vxkit/api/grades")).code == 403


async def test_her_personal_code_proves_it_is_her(person_factory, classroom_links):
    chloe = person_factory()
    await chloe.join(classroom_links.code("lyon_4b"), name="Chloé")
    code = format_card_code(classroom_links.card("lyon_4b-chloe")).lower()
    response = await verify(chloe, code)  # as typed from the card, case and dash don't matter
    assert response.code == 200, response.body
    assert (await chloe.fetch("vxkit/api/grades")).code == 200
    # another student's code does not work for her
    hugo = person_factory()
    await hugo.join(classroom_links.code("lyon_4b"), name="Hugo")
    assert (await verify(hugo, classroom_links.card("lyon_4b-chloe"))).code == 400


async def test_the_card_link_signs_in_and_proves_at_once(
    person_factory, classroom_links, demo_workspace
):
    chloe = person_factory()
    response = await chloe.join_with_card(
        classroom_links.code("lyon_4b"), classroom_links.card("lyon_4b-chloe")
    )
    assert response.code == 302
    assert (await chloe.fetch("vxkit/api/grades")).code == 200
    # a card of another class, or a made-up one, signs nobody in
    stranger = person_factory()
    wrong = await stranger.join_with_card(
        classroom_links.code("nairobi_7"), classroom_links.card("lyon_4b-chloe")
    )
    assert wrong.code == 404
    assert (await stranger.fetch("api/me")).code == 403
    # a lost card is replaced: the browser stays signed in, but must prove it again
    assert (
        main(
            [
                "cards",
                "lyon_4b",
                str(demo_workspace.root),
                "--replace",
                "lyon_4b-chloe",
                "--out",
                str(demo_workspace.root.parent / "cards.html"),
            ]
        )
        == 0
    )
    assert (await chloe.fetch("api/me")).code == 200
    assert (await chloe.fetch("vxkit/api/grades")).code == 403
    old = classroom_links.card("lyon_4b-chloe")
    assert (await verify(chloe, old)).code == 400
    assert (await verify(chloe, ensure_links(demo_workspace).card("lyon_4b-chloe"))).code == 200


def test_cards_page_has_a_card_per_student(demo_workspace, tmp_path, capsys):
    out = tmp_path / "cards.html"
    argv = ["cards", "lyon_4b", str(demo_workspace.root), "--url", "http://vx.school/", "--out"]
    assert main([*argv, str(out)]) == 0
    page = out.read_text()
    exchange = demo_workspace.load()
    links = ensure_links(demo_workspace)
    for student in exchange.get_class("lyon_4b").roster:
        assert student.name in page
        assert format_card_code(links.card(student.id)) in page
    assert page.count("<svg") == len(exchange.get_class("lyon_4b").students)
    assert "Amani" not in page  # another class's pupil
    assert stat.S_IMODE(out.stat().st_mode) == 0o600
    assert "print it" in capsys.readouterr().out
    assert main(["cards", "nowhere", str(demo_workspace.root), "--out", str(out)]) == 1
